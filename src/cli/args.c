/*
 * args.c -- option parsing: short options may be combined (-dc, -9k, -dcf),
 * long options take "=VALUE" or the next argument, "--" ends the options.
 * The words of $MDZ_OPT (split at blanks, options only) come first.
 */
#include "args.h"
#include "message.h"

#include "mdz.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exits after --help / --version, failing if stdout could not be written. */
static void exit_after_output(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: (stdout): write error: %s\n", msg_progname(), strerror(errno));
        exit(EXIT_ERROR);
    }
    exit(EXIT_OK);
}

static void usage(void)
{
    const char *p = msg_progname();
    printf("Usage: %s [OPTION]... [FILE]...\n", p);
    printf("   or: %s --train [--maxdict=SIZE] FILE... -o DICT\n", p);
    printf("Compress or decompress FILEs in the .mdz format (context-mixing compressor).\n"
           "FILE is replaced by FILE.mdz (or FILE.mdz by FILE with -d).  With no FILE,\n"
           "or when FILE is -, read standard input and write standard output.\n"
           "\n"
           "Operation:\n"
           "  -z, --compress      compress (the default)\n"
           "  -d, --decompress    decompress (also when invoked as unmdz)\n"
           "  -t, --test          test the integrity of compressed files\n"
           "  -l, --list          list the contents of compressed files (with -v:\n"
           "                      every stream and block, offsets, sizes, checks)\n"
           "  -b, --bench         benchmark levels on FILEs in memory (no files are\n"
           "                      written): from the level given with -1...-9 to the\n"
           "                      level given with -e\n"
           "      --train         make a dictionary (for -D) from the sample FILEs,\n"
           "                      each one a sample, into the file given with -o\n"
           "\n"
           "Modifiers:\n"
           "  -c, --stdout        write to standard output, keep input files\n"
           "                      (mdzcat is mdz -dc)\n"
           "  -o, --output=FILE   write the output to FILE (only with one input)\n"
           "  -k, --keep          keep (do not delete) input files\n"
           "  -f, --force         overwrite output files, write compressed data to a\n"
           "                      terminal, read it from one, follow symbolic links,\n"
           "                      compress files that already end in .mdz; with -dc,\n"
           "                      copy data that is not .mdz through unchanged\n"
           "  -r, --recursive     operate on the files in directories, recursively\n"
           "  -S, --suffix=SUF    use the suffix SUF instead of .mdz (decompressing:\n"
           "                      as well as .mdz)\n"
           "  -1 ... -9           compression level (default %d): higher levels use\n"
           "                      more memory and compress better\n"
           "      --fast          same as -1\n"
           "      --best          same as -9\n"
           "      --block-size=SIZE\n"
           "                      block size, a power of two from 64K to 256M\n"
           "                      (suffixes K, M; default: the level's)\n"
           "      --memlimit=SIZE, --memlimit-decompress=SIZE\n"
           "                      refuse to decompress streams needing more memory\n"
           "                      than SIZE with one thread (suffixes K, M, G; 0 =\n"
           "                      no limit); with more threads, use as many as fit\n"
           "      --memlimit-compress=SIZE\n"
           "                      compress with as many threads as fit in SIZE\n"
           "                      (default: a quarter of the RAM); never changes\n"
           "                      the output\n"
           "      --offset=N, --length=M\n"
           "                      with -dc or -d -o: write only content bytes\n"
           "                      [N, N+M) (suffixes K, M, G; default: from 0, to\n"
           "                      the end), decoding only the blocks that hold\n"
           "                      them (through the block index of a file)\n"
           "  -D, --dict=FILE     compress with the dictionary FILE (made by --train);\n"
           "                      decompress, test, list with it the data compressed\n"
           "                      so (the same FILE is needed)\n"
           "      --maxdict=SIZE  with --train: the dictionary's size at most\n"
           "                      (suffixes K, M; default 110K, at most 16M)\n"
           "  -T, --threads=N     code N blocks at once, both ways (0: one per online\n"
           "                      CPU, the default; the output is the same for all N)\n"
           "  -e, --bench-end=N   with -b: the last level to benchmark\n"
           "      --runs=N        with -b: timed runs per level and file (default 3)\n"
           "\n"
           "Other:\n"
           "  -q, --quiet         suppress warnings\n"
           "  -v, --verbose       print a summary line per file, and progress when\n"
           "                      standard error is a terminal\n"
           "  -h, --help          display this help and exit\n"
           "  -V, --version       display the version and exit\n"
           "\n"
           "Small files of one kind (4 KiB log pieces, records) compress far better\n"
           "with a dictionary:\n"
           "  %s --train samples/* -o logs.dict\n"
           "  %s -D logs.dict piece.log        %s -d -D logs.dict piece.log.mdz\n"
           "\n"
           "Exit status: 0 success, 1 error, 2 warning (e.g. a file was skipped).\n"
           "Default options may be given in the environment variable " ARGS_ENV ".\n"
           "Companions: mdzgrep, mdzless, mdzmore, mdzdiff, mdzcmp.\n"
           "See mdz(1) for details.\n", MDZ_LEVEL_DEFAULT, p, p, p);
}

static void version(void)
{
    printf("mdz %s (libmdz %s, format version %d)\n", MDZ_VERSION_STRING,
           mdz_version_string(), MDZ_FORMAT_VERSION);
}

int args_parse_size(const char *s, uint64_t *out)
{
    char *end;
    uint64_t v, mul = 1;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    if (*end) {
        switch (*end) {
        case 'k': case 'K': mul = UINT64_C(1) << 10; break;
        case 'm': case 'M': mul = UINT64_C(1) << 20; break;
        case 'g': case 'G': mul = UINT64_C(1) << 30; break;
        default: return -1;
        }
        end++;
        if (*end == 'i' && end[1] == 'B')
            end += 2;
        else if (*end == 'B')
            end++;
        if (*end)
            return -1;
    }
    if (v > UINT64_MAX / mul)
        return -1;
    *out = v * mul;
    return 0;
}

static void set_block_size(struct cli_opts *o, const char *s)
{
    uint64_t v;
    int log;
    if (args_parse_size(s, &v) != 0)
        msg_usage_error("invalid block size '%s'", s);
    for (log = MDZ_BLOCK_LOG_MIN; log <= MDZ_BLOCK_LOG_MAX; log++)
        if (v == (UINT64_C(1) << log))
            break;
    if (log > MDZ_BLOCK_LOG_MAX)
        msg_usage_error("invalid block size '%s': must be a power of two from 64K to 256M", s);
    o->block_log = log;
}

static void set_memlimit(struct cli_opts *o, const char *s, uint64_t *v)
{
    (void)o;
    if (args_parse_size(s, v) != 0)
        msg_usage_error("invalid memory limit '%s'", s);
}

static void set_suffix(struct cli_opts *o, const char *s)
{
    if (!*s || strchr(s, '/'))
        msg_usage_error("invalid suffix '%s'", s);
    o->suffix = s;
}

static int number(const char *s, long lo, long hi, const char *what)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi)
        msg_usage_error("invalid %s '%s'", what, s);
    return (int)v;
}

struct longopt {
    const char *name;
    int has_arg;
    int id;
};

enum { L_FAST = 256, L_BEST, L_BLOCK, L_MEM, L_MEMC, L_RUNS, L_OFFSET, L_LENGTH, L_TRAIN,
       L_MAXDICT };

static const struct longopt longopts[] = {
    {"compress", 0, 'z'}, {"decompress", 0, 'd'}, {"uncompress", 0, 'd'},
    {"test", 0, 't'}, {"list", 0, 'l'}, {"stdout", 0, 'c'},
    {"to-stdout", 0, 'c'}, {"output", 1, 'o'}, {"keep", 0, 'k'},
    {"force", 0, 'f'}, {"quiet", 0, 'q'}, {"silent", 0, 'q'},
    {"verbose", 0, 'v'}, {"help", 0, 'h'}, {"version", 0, 'V'},
    {"threads", 1, 'T'}, {"fast", 0, L_FAST}, {"best", 0, L_BEST},
    {"block-size", 1, L_BLOCK}, {"memlimit", 1, L_MEM},
    {"memlimit-compress", 1, L_MEMC}, {"memlimit-decompress", 1, L_MEM},
    {"memory", 1, L_MEM}, {"bench", 0, 'b'}, {"bench-end", 1, 'e'},
    {"runs", 1, L_RUNS}, {"offset", 1, L_OFFSET}, {"length", 1, L_LENGTH}, {"recursive", 0, 'r'}, {"suffix", 1, 'S'},
    {"dict", 1, 'D'}, {"train", 0, L_TRAIN}, {"maxdict", 1, L_MAXDICT},
};

/* Applies one option; arg is its value for options that take one. */
static void apply(struct cli_opts *o, int id, const char *arg)
{
    switch (id) {
    case 'z': o->mode = MODE_COMPRESS; break;
    case 'd': o->mode = MODE_DECOMPRESS; break;
    case 't': o->mode = MODE_TEST; break;
    case 'l': o->mode = MODE_LIST; break;
    case 'c': o->to_stdout = 1; break;
    case 'o': o->outfile = arg; break;
    case 'k': o->keep = 1; break;
    case 'f': o->force = 1; break;
    case 'r': o->recursive = 1; break;
    case 'S': set_suffix(o, arg); break;
    case 'q': o->verbosity = 0; break;
    case 'v': o->verbosity = 2; break;
    case 'h': usage(); exit_after_output(); break;
    case 'V': version(); exit_after_output(); break;
    case 'T':
        o->threads = number(arg, 0, MDZ_THREADS_MAX, "number of threads");
        o->threads_given = 1;
        break;
    case 'b': o->mode = MODE_BENCH; break;
    case L_TRAIN: o->mode = MODE_TRAIN; break;
    case 'D':
        if (!*arg)
            msg_usage_error("invalid dictionary file name ''");
        o->dict_file = arg;
        break;
    case L_MAXDICT:
        if (args_parse_size(arg, &o->maxdict) != 0 || o->maxdict == 0 ||
            o->maxdict > MDZ_DICT_SIZE_MAX)
            msg_usage_error("invalid dictionary size '%s': must be from 1 to 16M", arg);
        break;
    case 'e': o->bench_end = number(arg, MDZ_LEVEL_MIN, MDZ_LEVEL_MAX, "level"); break;
    case L_RUNS: o->bench_runs = number(arg, 1, 1000, "number of runs"); break;
    case L_FAST: o->level = MDZ_LEVEL_MIN; break;
    case L_BEST: o->level = MDZ_LEVEL_MAX; break;
    case L_BLOCK: set_block_size(o, arg); break;
    case L_MEM: set_memlimit(o, arg, &o->memlimit); break;
    case L_MEMC: set_memlimit(o, arg, &o->memlimit_compress); break;
    case L_OFFSET:
        if (args_parse_size(arg, &o->offset) != 0)
            msg_usage_error("invalid offset '%s'", arg);
        o->range = 1;
        break;
    case L_LENGTH:
        if (args_parse_size(arg, &o->length) != 0)
            msg_usage_error("invalid length '%s'", arg);
        o->range = 1;
        break;
    default: break;
    }
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Parses words[0..n): options, and operands into o->files unless
 * from_env (then an operand is a usage error). */
static void parse_words(struct cli_opts *o, int n, char **words, int from_env)
{
    int i, only_files = 0;
    for (i = 0; i < n; i++) {
        char *a = words[i];
        if (only_files || a[0] != '-' || a[1] == '\0') {
            if (from_env)
                msg_usage_error("%s: file names are not allowed here: '%s'", ARGS_ENV, a);
            o->files[o->nfiles++] = a;
            continue;
        }
        if (a[1] == '-') {
            const char *name = a + 2, *eq, *val = NULL;
            size_t len, k, nmatch = 0;
            const struct longopt *hit = NULL;
            if (*name == '\0') {
                if (from_env)
                    msg_usage_error("%s: '--' is not allowed here", ARGS_ENV);
                only_files = 1;
                continue;
            }
            eq = strchr(name, '=');
            len = eq ? (size_t)(eq - name) : strlen(name);
            /* exact match first, then a unique prefix */
            for (k = 0; k < sizeof longopts / sizeof longopts[0]; k++) {
                if (strlen(longopts[k].name) == len && strncmp(longopts[k].name, name, len) == 0) {
                    hit = &longopts[k];
                    nmatch = 1;
                    break;
                }
                if (strncmp(longopts[k].name, name, len) == 0) {
                    if (!hit || hit->id != longopts[k].id)
                        nmatch++;
                    hit = &longopts[k];
                }
            }
            if (!hit)
                msg_usage_error("%s%sunrecognized option '%s'", from_env ? ARGS_ENV : "",
                                from_env ? ": " : "", a);
            if (nmatch > 1)
                msg_usage_error("option '%s' is ambiguous", a);
            if (hit->has_arg) {
                if (eq)
                    val = eq + 1;
                else if (i + 1 < n)
                    val = words[++i];
                else
                    msg_usage_error("option '--%s' requires an argument", hit->name);
            } else if (eq) {
                msg_usage_error("option '--%s' doesn't allow an argument", hit->name);
            }
            apply(o, hit->id, val);
            continue;
        }
        /* short options, possibly combined */
        for (a++; *a; a++) {
            char c = *a;
            if (c >= '1' && c <= '9') {
                o->level = c - '0';
                continue;
            }
            if (strchr("zdtlbckfrqvhV", c)) {
                apply(o, c, NULL);
                continue;
            }
            if (c == 'o' || c == 'T' || c == 'e' || c == 'S' || c == 'D') {
                const char *val;
                if (a[1]) {
                    val = a + 1;
                } else if (i + 1 < n) {
                    val = words[++i];
                } else {
                    msg_usage_error("option requires an argument -- '%c'", c);
                }
                apply(o, c, val);
                break;
            }
            msg_usage_error("%s%sinvalid option -- '%c'", from_env ? ARGS_ENV : "",
                            from_env ? ": " : "", c);
        }
    }
}

/* Splits the environment variable's value at blanks into o->env_words
 * (pointing into the copy o->env_buf, kept until args_free(): options point
 * into it); returns their number. */
static int env_words(struct cli_opts *o, const char *value)
{
    size_t len = strlen(value), n = 0;
    char *copy = malloc(len + 1), *p;
    char **w = malloc((len / 2 + 2) * sizeof *w);
    if (!copy || !w) {
        msg_error(NULL, "out of memory");
        exit(EXIT_ERROR);
    }
    memcpy(copy, value, len + 1);
    for (p = copy; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            *p++ = '\0';
        if (!*p)
            break;
        w[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
    }
    o->env_buf = copy;
    o->env_words = w;
    return (int)n;
}

void args_free(struct cli_opts *o)
{
    free(o->files);
    free(o->env_buf);
    free(o->env_words);
    o->files = NULL;
    o->env_buf = NULL;
    o->env_words = NULL;
}

void args_parse(int argc, char **argv, struct cli_opts *o)
{
    const char *prog = argc > 0 ? base_name(argv[0]) : "mdz";
    const char *env = getenv(ARGS_ENV);

    memset(o, 0, sizeof *o);
    o->mode = MODE_COMPRESS;
    o->verbosity = 1;
    o->level = MDZ_LEVEL_DEFAULT;
    o->suffix = ".mdz";
    o->length = UINT64_MAX;
    if (strncmp(prog, "unmdz", 5) == 0) {
        o->mode = MODE_DECOMPRESS;
    } else if (strncmp(prog, "mdzcat", 6) == 0) {
        o->mode = MODE_DECOMPRESS;
        o->to_stdout = 1;
    }

    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    if (!o->files) {
        msg_error(NULL, "out of memory");
        exit(EXIT_ERROR);
    }
    if (env && *env) {
        int n = env_words(o, env);
        parse_words(o, n, o->env_words, 1);
    }
    parse_words(o, argc - 1, argv + 1, 0);
}
