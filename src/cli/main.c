/*
 * main.c -- the mdz program: compress, decompress, test or list each FILE
 * operand (or standard input), in the manner of gzip and xz.
 *
 *   mdz FILE        -> FILE.mdz, FILE removed once FILE.mdz is complete
 *   mdz -d FILE.mdz -> FILE
 *   mdz -c / -dc    -> standard output, inputs kept
 *   mdz -r DIR      -> every file under DIR
 *
 * Files are written under a temporary name in the target directory, synced,
 * given the input's mode and times and renamed into place; an output that
 * is a device or FIFO is written in place instead (never replaced).  The
 * input is removed only after that, and only if it is still the file that
 * was read (same size, times, device and inode).  Errors name the file
 * ("mdz: NAME: MESSAGE"); one bad file does not stop the others; the exit
 * status is the worst seen (0 ok, 2 warning, 1 error).
 *
 * Which inputs are read: in place (the output named after the input), only
 * regular files that are not symbolic links, unless -f; when no file is
 * created from the input's name (-c, -t, -l, -o), anything that can be
 * read, as zcat and xzcat do: symbolic links, FIFOs, /dev/stdin, <(...).
 * A directory walk (-r) reads regular files only: the symbolic links and
 * special files it meets are skipped with a warning.
 */
#include "args.h"
#include "bench.h"
#include "sysinfo.h"
#include "coder.h"
#include "fileio.h"
#include "list.h"
#include "message.h"
#include "signals.h"
#include "train.h"

#include "mdz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_SUFFIX ".mdz"

static struct cli_opts opt;
static int stdout_used;
static int threads;              /* -T resolved: at least 1 */
static uint64_t thread_budget;   /* memory for threads beyond the first */
static int threads_said;         /* the lowered count was reported */
static struct dict_file dict;    /* -D, or none */

/* 1 if name ends in suf and has something before it in its last
 * component. */
static int ends_with(const char *name, const char *suf)
{
    size_t n = strlen(name), k = strlen(suf);
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    return strlen(base) > k && strcmp(name + n - k, suf) == 0;
}

/* The length of the suffix a compressed file's name has (the -S suffix,
 * or .mdz), or 0 if none. */
static size_t known_suffix(const char *name)
{
    if (ends_with(name, opt.suffix))
        return strlen(opt.suffix);
    if (ends_with(name, DEFAULT_SUFFIX))
        return strlen(DEFAULT_SUFFIX);
    return 0;
}

static double ratio(uint64_t comp, uint64_t raw)
{
    return raw ? 100.0 * (double)comp / (double)raw : 0.0;
}

/* A memory limit as given: exact (1 B, 64 KiB, 100 MiB, 1500000 B). */
static void fmt_limit(char *buf, size_t n, uint64_t v)
{
    if (v >= (1u << 20) && v % (1u << 20) == 0)
        snprintf(buf, n, "%" PRIu64 " MiB", v >> 20);
    else if (v >= 1024 && v % 1024 == 0)
        snprintf(buf, n, "%" PRIu64 " KiB", v >> 10);
    else
        snprintf(buf, n, "%" PRIu64 " B", v);
}

/* Reports MDZ_ERR_DICT: the dictionary the stream names (from the
 * decoder's figures; unknown when dict_size is 0) against -D's. */
static void report_dict(const struct code_result *res, const char *in_name, const char *extra)
{
    char named[96] = "";
    if (res->info.dict_size)
        snprintf(named, sizeof named, "ID %08" PRIx32 ", %" PRIu64 " bytes",
                 res->info.dict_id, res->info.dict_size);
    if (!dict.data) {
        if (*named)
            msg_error(in_name, "needs a dictionary (%s): use -D%s", named, extra);
        else
            msg_error(in_name, "needs a dictionary: use -D%s", extra);
    } else if (*named) {
        msg_error(in_name, "was compressed with another dictionary (%s; -D gives ID %08" PRIx32
                  ")%s", named, dict.id, extra);
    } else {
        msg_error(in_name, "was compressed with another dictionary (-D gives ID %08" PRIx32
                  ")%s", dict.id, extra);
    }
}

/* Reports a failed coding run.  in_name names the input, out_name the
 * output (for write errors). */
static void report(const struct code_result *res, const char *in_name,
                   const char *out_name, int to_stdout)
{
    char where[96] = "", extra[160] = "", lim[48];
    switch (res->status) {
    case CODE_OK:
        return;
    case CODE_READ_ERROR:
        msg_error(in_name, "read error: %s", strerror(res->err));
        break;
    case CODE_WRITE_ERROR:
        msg_error(out_name, "%s", strerror(res->err));
        break;
    case CODE_STALLED:
        msg_error(in_name, "internal error: the library stopped making progress");
        break;
    case CODE_LIB_ERROR:
        if (res->block) {
            if (res->stream > 1)
                snprintf(where, sizeof where, " in block %" PRIu64 " of stream %" PRIu64,
                         res->block, res->stream);
            else
                snprintf(where, sizeof where, " in block %" PRIu64, res->block);
        } else if (res->stream > 1 && res->err != MDZ_ERR_TRAILING) {
            snprintf(where, sizeof where, " in stream %" PRIu64, res->stream);
        }
        if (res->err == MDZ_ERR_MEMLIMIT && res->info.memory) {
            fmt_limit(lim, sizeof lim, opt.memlimit);
            snprintf(extra, sizeof extra, " (needs %" PRIu64 " MiB, limit %s)",
                     (res->info.memory + (1u << 20) - 1) >> 20, lim);
        }
        if (to_stdout && res->out_bytes)
            snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
                     "; %" PRIu64 " bytes of incomplete output already written",
                     res->out_bytes);
        if (res->err == MDZ_ERR_DICT) {
            report_dict(res, in_name, extra);
            return;
        }
        msg_error(in_name, "%s%s%s", mdz_strerror(res->err), where, extra);
        return;
    }
    if (to_stdout && res->out_bytes)
        msg_error(in_name, "%" PRIu64 " bytes of incomplete output already written",
                  res->out_bytes);
}

static void walk(const char *dir);

/* Says once that fewer threads than asked for were used, when a memory
 * limit was given or -T was (or with -v). */
static void say_threads(int used, int limit_given)
{
    if (used >= threads || threads_said)
        return;
    if (!limit_given && !opt.threads_given && msg_verbosity() < 2)
        return;
    threads_said = 1;
    msg_note("using %d thread%s to stay under the memory limit", used, used == 1 ? "" : "s");
}

/* Processes one operand, or (walked) a file found by -r. */
static void process(const char *name, int walked)
{
    int is_stdin = !walked && strcmp(name, "-") == 0;
    const char *disp = is_stdin ? "(stdin)" : name;
    int compress = opt.mode == MODE_COMPRESS;
    int writes = opt.mode == MODE_COMPRESS || opt.mode == MODE_DECOMPRESS;
    int to_stdout = 0, in_place = 0, in_fd = -1, out_fd = -1, regular = 0;
    char *dest = NULL;
    struct stat st, lst, dst;
    struct outfile of;
    struct code_result res;
    int have_out = 0, out_special = 0;

    memset(&st, 0, sizeof st);
    memset(&lst, 0, sizeof lst);
    memset(&of, 0, sizeof of);
    /* where the output goes */
    if (writes) {
        if (opt.to_stdout || (opt.outfile && strcmp(opt.outfile, "-") == 0) ||
            (is_stdin && !opt.outfile))
            to_stdout = 1;
        in_place = !to_stdout && !opt.outfile;
    }

    /* the input */
    if (is_stdin) {
        in_fd = STDIN_FILENO;
        if (!compress && isatty(in_fd) && !opt.force) {
            msg_error(NULL, "compressed data not read from a terminal. Use -f to force.");
            return;
        }
        if (fstat(in_fd, &st) == 0 && S_ISREG(st.st_mode))
            regular = 1;
    } else {
        struct stat tst;
        if (lstat(name, &lst) != 0) {
            msg_error(name, "%s", strerror(errno));
            return;
        }
        tst = lst;
        if (S_ISLNK(lst.st_mode)) {
            if ((in_place && !opt.force) || walked) {
                msg_warning(name, "is a symbolic link -- ignored");
                return;
            }
            if (stat(name, &tst) != 0) {
                msg_error(name, "%s", strerror(errno));
                return;
            }
            if (S_ISDIR(tst.st_mode)) {
                msg_warning(name, "is a symbolic link to a directory -- ignored");
                return;
            }
        }
        if (S_ISDIR(tst.st_mode)) {
            if (opt.recursive) {
                walk(name);
                return;
            }
            msg_warning(name, "is a directory -- ignored");
            return;
        }
        if (!S_ISREG(tst.st_mode) && (walked || (in_place && !opt.force))) {
            /* a walk never blocks on a FIFO or reads a device */
            msg_warning(name, "is not a regular file -- ignored");
            return;
        }
        if (walked) {
            /* as gzip -r: what is already compressed, or (decompressing,
             * testing, listing) is not, is passed over in silence */
            if (compress ? known_suffix(name) != 0 : known_suffix(name) == 0)
                return;
        } else if (in_place) {
            if (compress && ends_with(name, opt.suffix) && !opt.force) {
                msg_warning(name, "already has %s suffix -- unchanged", opt.suffix);
                return;
            }
            if (!compress && !known_suffix(name)) {
                msg_warning(name, "unknown suffix -- ignored");
                return;
            }
        }
        in_fd = open(name, O_RDONLY | O_NOCTTY | (in_place && !opt.force ? O_NOFOLLOW : 0));
        if (in_fd < 0) {
            msg_error(name, "%s", strerror(errno));
            return;
        }
        if (fstat(in_fd, &st) != 0) {
            msg_error(name, "%s", strerror(errno));
            close(in_fd);
            return;
        }
        regular = S_ISREG(st.st_mode);
        /* the name's identity for the check before removal: the file that
         * is open, or the symbolic link that led to it */
        if (!S_ISLNK(lst.st_mode))
            lst = st;
        if (regular && st.st_nlink > 1 && in_place && !opt.keep && !opt.force) {
            msg_warning(name, "has %lu other link%s -- unchanged",
                        (unsigned long)st.st_nlink - 1, st.st_nlink > 2 ? "s" : "");
            close(in_fd);
            return;
        }
    }

    /* the output */
    if (writes && to_stdout) {
        out_fd = STDOUT_FILENO;
        if (compress && isatty(out_fd) && !opt.force) {
            msg_error(NULL, "compressed data not written to a terminal. Use -f to force.");
            goto done;
        }
        stdout_used = 1;
    } else if (writes) {
        if (opt.outfile) {
            dest = strdup(opt.outfile);
        } else if (compress) {
            size_t n = strlen(name), k = strlen(opt.suffix);
            dest = malloc(n + k + 1);
            if (dest) {
                memcpy(dest, name, n);
                memcpy(dest + n, opt.suffix, k + 1);
            }
        } else {
            dest = strdup(name);
            if (dest)
                dest[strlen(dest) - known_suffix(name)] = '\0';
        }
        if (!dest) {
            msg_error(disp, "%s", strerror(ENOMEM));
            goto done;
        }
        if (lstat(dest, &dst) == 0) {
            struct stat tgt = dst;
            int have_tgt = !S_ISLNK(dst.st_mode) || stat(dest, &tgt) == 0;
            if (have_tgt && !is_stdin && tgt.st_dev == st.st_dev && tgt.st_ino == st.st_ino) {
                msg_error(dest, "input and output are the same file");
                goto done;
            }
            if (have_tgt && out_is_special(&tgt)) {
                /* a device or FIFO (or a link to one, /dev/stdout): written
                 * into, never replaced; a block device holds data, so only
                 * with -f */
                if (S_ISBLK(tgt.st_mode) && !opt.force) {
                    msg_error(dest, "is a block device; use -f to write into it");
                    goto done;
                }
                out_special = 1;
            } else {
                if (!opt.force) {
                    msg_error(dest, "already exists; use -f to overwrite");
                    goto done;
                }
                if (S_ISDIR(dst.st_mode)) {
                    msg_error(dest, "is a directory");
                    goto done;
                }
            }
        }
        if (out_special) {
            if (out_open_special(&of, dest) != 0) {
                msg_error(dest, "%s", errno == EEXIST ? "was replaced while being opened"
                                                      : strerror(errno));
                goto done;
            }
            have_out = 1;
            if (compress && isatty(of.fd) && !opt.force) {
                msg_error(dest, "compressed data not written to a terminal. Use -f to force.");
                goto done;
            }
        } else if (out_open(&of, dest) != 0) {
            msg_error(dest, "cannot create a temporary file: %s", strerror(errno));
            goto done;
        }
        have_out = 1;
        out_fd = of.fd;
    }

    progress_start(disp, regular ? (uint64_t)st.st_size : 0);
    if (compress) {
        mdz_cparams cp;
        if (mdz_cparams_init(&cp, opt.level) != MDZ_OK) {
            progress_end();
            msg_error(disp, "invalid compression level %d", opt.level);
            goto done;
        }
        if (opt.block_log)
            cp.block_log = opt.block_log;
        cp.threads = threads;
        cp.memlimit_threads = opt.memlimit_compress ? opt.memlimit_compress : thread_budget;
        cp.dict = dict.data;
        cp.dict_size = dict.size;
        code_compress(in_fd, out_fd, &cp, &res);
        if (res.status == CODE_OK)
            say_threads(res.threads, opt.memlimit_compress != 0);
    } else {
        mdz_dparams dp;
        memset(&dp, 0, sizeof dp);
        dp.memlimit = opt.memlimit;
        dp.list_only = opt.mode == MODE_LIST;
        if (opt.mode == MODE_LIST && msg_verbosity() >= 2)
            dp.record_fn = list_record;
        dp.threads = threads;
        dp.memlimit_threads = thread_budget;
        dp.dict = dict.data;
        dp.dict_size = dict.size;
        if (opt.range)
            code_range(in_fd, out_fd, &dp, opt.offset, opt.length, &res);
        else
            code_decompress(in_fd, out_fd, &dp,
                        opt.mode == MODE_DECOMPRESS && to_stdout && opt.force, &res);
        if (res.status == CODE_OK && !res.copied && opt.mode != MODE_LIST)
            say_threads(res.info.threads, opt.memlimit != 0);
    }
    progress_end();

    if (res.status != CODE_OK) {
        list_discard();
        report(&res, disp, to_stdout ? "(stdout)" : dest, to_stdout);
        goto done;
    }

    if (have_out) {
        const char *what = "cannot write";
        have_out = 0;
        if (out_commit(&of, (regular && !is_stdin) ? &st : NULL, opt.force, &what) != 0) {
            if (errno == EEXIST)
                msg_error(dest, "already exists; use -f to overwrite");
            else
                msg_error(dest, "%s: %s", what, strerror(errno));
            goto done;
        }
    }

    switch (opt.mode) {
    case MODE_COMPRESS:
        msg_verbose(disp, "%" PRIu64 " -> %" PRIu64 " (%.2f%%)", res.in_bytes,
                    res.out_bytes, ratio(res.out_bytes, res.in_bytes));
        break;
    case MODE_DECOMPRESS:
        if (res.copied)
            msg_verbose(disp, "not in .mdz format: %" PRIu64 " bytes copied", res.out_bytes);
        else
            msg_verbose(disp, "%" PRIu64 " -> %" PRIu64 " (%.2f%%)", res.in_bytes,
                        res.out_bytes, ratio(res.in_bytes, res.out_bytes));
        break;
    case MODE_TEST: {
        char a[32], b[32];
        list_fmt_size(a, sizeof a, res.in_bytes);
        list_fmt_size(b, sizeof b, res.info.raw_bytes);
        msg_verbose(disp, "OK (%s -> %s, %.2f%%)", a, b,
                    ratio(res.in_bytes, res.info.raw_bytes));
        break;
    }
    case MODE_LIST:
        if (msg_verbosity() >= 2)
            list_verbose_file(disp, &res.info);
        else
            list_file(disp, &res.info);
        fflush(stdout);
        break;
    case MODE_BENCH:
    case MODE_TRAIN:
        break;
    }

    /* the output is complete: now the input may go, if it is still the
     * file that was read (not grown, rewritten, moved or replaced) */
    if (writes && !to_stdout && !opt.keep && !is_stdin && regular && !out_special &&
        !res.copied) {
        const char *why = NULL;
        if (!in_unchanged(in_fd, name, &st, &lst, res.in_bytes, &why)) {
            msg_warning(name, "%s -- not removed", why);
        } else {
            close(in_fd);
            in_fd = -1;
            if (unlink(name) != 0)
                msg_error(name, "cannot remove: %s", strerror(errno));
        }
    }

done:
    if (have_out)
        out_abort(&of);
    if (in_fd >= 0 && in_fd != STDIN_FILENO)
        close(in_fd);
    free(dest);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* -r: processes the entries of dir in name order, descending into
 * subdirectories (symbolic links are not followed). */
static void walk(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i, dl = strlen(dir);
    int sep = dl > 0 && dir[dl - 1] != '/';

    if (!d) {
        msg_error(dir, "%s", strerror(errno));
        return;
    }
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        char *path;
        size_t k;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            char **nn = realloc(names, (cap = cap ? 2 * cap : 32) * sizeof *nn);
            if (!nn)
                break;
            names = nn;
        }
        k = strlen(e->d_name);
        path = malloc(dl + (size_t)sep + k + 1);
        if (!path)
            break;
        memcpy(path, dir, dl);
        if (sep)
            path[dl] = '/';
        memcpy(path + dl + (size_t)sep, e->d_name, k + 1);
        names[n++] = path;
        errno = 0;
    }
    if (errno)
        msg_error(dir, "%s", strerror(errno));
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, cmp_names);
    for (i = 0; i < n; i++) {
        process(names[i], 1);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    int i;

    msg_init("mdz");
    args_parse(argc, argv, &opt);
    msg_set_verbosity(opt.verbosity);

    if (opt.mode == MODE_BENCH) {
        int rc;
        if (opt.outfile || opt.to_stdout)
            msg_usage_error("-o and -c cannot be used with --bench");
        if (opt.dict_file)
            msg_usage_error("-D cannot be used with --bench");
        rc = mdz_cli_bench(opt.files, opt.nfiles, opt.level,
                           opt.bench_end ? opt.bench_end : opt.level,
                           opt.bench_runs, opt.verbosity > 1);
        args_free(&opt);
        return rc;
    }
    if (opt.maxdict && opt.mode != MODE_TRAIN)
        msg_usage_error("--maxdict can be used with --train only");
    if (opt.mode == MODE_TRAIN) {
        const char *dest = opt.to_stdout ? "-" : opt.outfile;
        if (opt.nfiles == 0)
            msg_usage_error("--train needs sample files: mdz --train FILE... -o DICT");
        if (!dest)
            msg_usage_error("--train writes the dictionary to the file given with -o DICT");
        if (opt.to_stdout && opt.outfile)
            msg_usage_error("-o and -c cannot be used together");
        if (opt.dict_file)
            msg_usage_error("-D cannot be used with --train");
        if (opt.recursive)
            msg_usage_error("--recursive cannot be used with --train");
        if (opt.range)
            msg_usage_error("--offset and --length can be used with --decompress only");
        signals_init();
        if (train_run(opt.files, opt.nfiles, dest, opt.maxdict, opt.force) != 0)
            msg_set_status(EXIT_ERROR);
        if (strcmp(dest, "-") == 0 && close(STDOUT_FILENO) != 0 && errno != EBADF)
            msg_error("(stdout)", "write error: %s", strerror(errno));
        args_free(&opt);
        return msg_status();
    }
    if (opt.outfile) {
        if (opt.mode == MODE_TEST || opt.mode == MODE_LIST)
            msg_usage_error("-o cannot be used with --test or --list");
        if (opt.to_stdout)
            msg_usage_error("-o and -c cannot be used together");
        if (opt.nfiles > 1)
            msg_usage_error("-o can be used with one input file only");
        if (opt.recursive)
            msg_usage_error("-o cannot be used with --recursive");
    }

    if (opt.range) {
        if (opt.mode != MODE_DECOMPRESS)
            msg_usage_error("--offset and --length can be used with --decompress only");
        if (!opt.to_stdout && !opt.outfile)
            msg_usage_error("--offset and --length write a part of the content: use -c or -o");
        if (opt.nfiles > 1 || opt.recursive)
            msg_usage_error("--offset and --length can be used with one input file only");
        opt.keep = 1;  /* the input is never removed for a part of it */
    }

    if (opt.dict_file && dict_load(opt.dict_file, &dict) != 0) {
        args_free(&opt);
        return EXIT_ERROR;
    }
    signals_init();
    threads = opt.threads > 0 ? opt.threads : sys_cpus();
    if (threads > MDZ_THREADS_MAX)
        threads = MDZ_THREADS_MAX;
    thread_budget = sys_ram() / 4;

    if (opt.nfiles == 0)
        process("-", 0);
    for (i = 0; i < opt.nfiles; i++)
        process(opt.files[i], 0);

    if (opt.mode == MODE_LIST) {
        if (opt.verbosity >= 2)
            list_verbose_totals();
        else
            list_totals();
    }

    if (fflush(stdout) != 0 || ferror(stdout)) {
        msg_error("(stdout)", "write error: %s", strerror(errno));
    }
    if (stdout_used && close(STDOUT_FILENO) != 0 && errno != EBADF)
        msg_error("(stdout)", "write error: %s", strerror(errno));
    dict_free(&dict);
    args_free(&opt);
    return msg_status();
}
