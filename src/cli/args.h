/*
 * args.h -- command-line options of the mdz program.
 */
#ifndef MDZ_CLI_ARGS_H
#define MDZ_CLI_ARGS_H

#include <stdint.h>

enum cli_mode { MODE_COMPRESS, MODE_DECOMPRESS, MODE_TEST, MODE_LIST, MODE_BENCH, MODE_TRAIN };

struct cli_opts {
    enum cli_mode mode;
    int to_stdout;        /* -c */
    int keep;             /* -k */
    int force;            /* -f */
    int recursive;        /* -r */
    const char *suffix;   /* -S (default ".mdz") */
    int verbosity;        /* 0 -q, 1 normal, 2 -v */
    int level;            /* 1..9 */
    int block_log;        /* 0 = the level's default */
    int threads;          /* -T: 0 = one per online CPU (the default) */
    int threads_given;    /* -T was given (then a lowered count is said) */
    uint64_t memlimit;    /* --memlimit (decompression), 0 = none */
    uint64_t memlimit_compress;  /* --memlimit-compress, 0 = the default */
    int bench_end;        /* -e: last level benchmarked (0 = the start) */
    int bench_runs;       /* --runs (0 = the default) */
    const char *outfile;  /* -o */
    int range;            /* --offset or --length given */
    uint64_t offset;      /* --offset: first content byte written */
    uint64_t length;      /* --length: bytes written at most (UINT64_MAX:
                             to the end) */
    const char *dict_file;  /* -D: the dictionary, or NULL */
    uint64_t maxdict;     /* --maxdict: the largest dictionary --train
                             makes (0 = not given: the default) */
    char **files;         /* operands ("-" = stdin) */
    int nfiles;
    char *env_buf;        /* the words of ARGS_ENV (options point here) */
    char **env_words;
};

/* The environment variable of default options (like XZ_OPT): its words
 * are parsed before the command line's, which override them. */
#define ARGS_ENV "MDZ_OPT"

/* Parses the options of ARGS_ENV, then argv (the program name decides the
 * defaults: unmdz = -d, mdzcat = -dc).  Exits on usage errors, --help and
 * --version. */
void args_parse(int argc, char **argv, struct cli_opts *o);

/* Frees what args_parse() allocated. */
void args_free(struct cli_opts *o);

/* Parses SIZE ("65536", "64K", "64KiB", "1M", "2G"): 0 on success. */
int args_parse_size(const char *s, uint64_t *out);

#endif
