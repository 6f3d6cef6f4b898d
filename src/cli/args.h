/*
 * args.h -- command-line options of the mdz program.
 */
#ifndef MDZ_CLI_ARGS_H
#define MDZ_CLI_ARGS_H

#include <stdint.h>

enum cli_mode { MODE_COMPRESS, MODE_DECOMPRESS, MODE_TEST, MODE_LIST, MODE_BENCH };

struct cli_opts {
    enum cli_mode mode;
    int to_stdout;        /* -c */
    int keep;             /* -k */
    int force;            /* -f */
    int verbosity;        /* 0 -q, 1 normal, 2 -v */
    int level;            /* 1..9 */
    int block_log;        /* 0 = the level's default */
    int threads;          /* -T (accepted; one thread is used) */
    uint64_t memlimit;    /* --memlimit, 0 = none */
    int bench_end;        /* -e: last level benchmarked (0 = the start) */
    int bench_runs;       /* --runs (0 = the default) */
    const char *outfile;  /* -o */
    char **files;         /* operands ("-" = stdin) */
    int nfiles;
};

/* Parses argv (the program name decides the defaults: unmdz = -d, mdzcat =
 * -dc).  Exits on usage errors, --help and --version. */
void args_parse(int argc, char **argv, struct cli_opts *o);

/* Parses SIZE ("65536", "64K", "64KiB", "1M", "2G"): 0 on success. */
int args_parse_size(const char *s, uint64_t *out);

#endif
