/*
 * main.c -- the mdz program: compress, decompress, test or list each FILE
 * operand (or standard input), in the manner of gzip and xz.
 *
 *   mdz FILE        -> FILE.mdz, FILE removed once FILE.mdz is complete
 *   mdz -d FILE.mdz -> FILE
 *   mdz -c / -dc    -> standard output, inputs kept
 *
 * Files are written under a temporary name in the target directory, synced,
 * given the input's mode and times and renamed into place; the input is
 * removed only after that.  Errors name the file ("mdz: NAME: MESSAGE"); one
 * bad file does not stop the others; the exit status is the worst seen
 * (0 ok, 2 warning, 1 error).
 */
#include "args.h"
#include "bench.h"
#include "coder.h"
#include "fileio.h"
#include "list.h"
#include "message.h"
#include "signals.h"

#include "mdz.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SUFFIX ".mdz"
#define SUFFIX_LEN 4

static struct cli_opts opt;
static int stdout_used;

static int has_suffix(const char *name)
{
    size_t n = strlen(name);
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    return n > SUFFIX_LEN && strlen(base) > SUFFIX_LEN &&
           strcmp(name + n - SUFFIX_LEN, SUFFIX) == 0;
}

static double ratio(uint64_t comp, uint64_t raw)
{
    return raw ? 100.0 * (double)comp / (double)raw : 0.0;
}

/* Reports a failed coding run.  in_name names the input, out_name the
 * output (for write errors). */
static void report(const struct code_result *res, const char *in_name,
                   const char *out_name, int to_stdout)
{
    char where[96] = "", extra[160] = "";
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
        if (res->err == MDZ_ERR_MEMLIMIT && res->info.memory)
            snprintf(extra, sizeof extra, " (needs %" PRIu64 " MiB, limit %" PRIu64 " MiB)",
                     (res->info.memory + (1u << 20) - 1) >> 20,
                     opt.memlimit >> 20);
        if (to_stdout && res->out_bytes)
            snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
                     "; %" PRIu64 " bytes of incomplete output already written",
                     res->out_bytes);
        msg_error(in_name, "%s%s%s", mdz_strerror(res->err), where, extra);
        return;
    }
    if (to_stdout && res->out_bytes)
        msg_error(in_name, "%" PRIu64 " bytes of incomplete output already written",
                  res->out_bytes);
}

static void process(const char *name)
{
    int is_stdin = strcmp(name, "-") == 0;
    const char *disp = is_stdin ? "(stdin)" : name;
    int compress = opt.mode == MODE_COMPRESS;
    int writes = opt.mode == MODE_COMPRESS || opt.mode == MODE_DECOMPRESS;
    int to_stdout = 0, in_fd = -1, out_fd = -1, regular = 0;
    char *dest = NULL;
    struct stat st, dst;
    struct outfile of;
    struct code_result res;
    int have_out = 0;

    memset(&st, 0, sizeof st);
    /* where the output goes */
    if (writes) {
        if (opt.to_stdout || (opt.outfile && strcmp(opt.outfile, "-") == 0) ||
            (is_stdin && !opt.outfile))
            to_stdout = 1;
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
        if (lstat(name, &st) != 0) {
            msg_error(name, "%s", strerror(errno));
            return;
        }
        if (S_ISLNK(st.st_mode)) {
            if (!opt.force) {
                msg_warning(name, "is a symbolic link -- ignored");
                return;
            }
            if (stat(name, &st) != 0) {
                msg_error(name, "%s", strerror(errno));
                return;
            }
        }
        if (S_ISDIR(st.st_mode)) {
            msg_warning(name, "is a directory -- ignored");
            return;
        }
        if (!S_ISREG(st.st_mode) && !opt.force) {
            msg_warning(name, "is not a regular file -- ignored");
            return;
        }
        if (writes && !to_stdout && !opt.outfile) {
            if (compress && has_suffix(name) && !opt.force) {
                msg_warning(name, "already has %s suffix -- unchanged", SUFFIX);
                return;
            }
            if (!compress && !has_suffix(name)) {
                msg_warning(name, "unknown suffix -- ignored");
                return;
            }
        }
        in_fd = open(name, O_RDONLY | O_NOCTTY | (opt.force ? 0 : O_NOFOLLOW));
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
        if (regular && st.st_nlink > 1 && writes && !to_stdout && !opt.keep &&
            !opt.force) {
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
            size_t n = strlen(name);
            dest = malloc(n + SUFFIX_LEN + 1);
            if (dest) {
                memcpy(dest, name, n);
                memcpy(dest + n, SUFFIX, SUFFIX_LEN + 1);
            }
        } else {
            dest = strdup(name);
            if (dest)
                dest[strlen(dest) - SUFFIX_LEN] = '\0';
        }
        if (!dest) {
            msg_error(disp, "%s", strerror(ENOMEM));
            goto done;
        }
        if (lstat(dest, &dst) == 0) {
            if (!is_stdin && dst.st_dev == st.st_dev && dst.st_ino == st.st_ino) {
                msg_error(dest, "input and output are the same file");
                goto done;
            }
            if (!opt.force) {
                msg_error(dest, "already exists; use -f to overwrite");
                goto done;
            }
            if (S_ISDIR(dst.st_mode)) {
                msg_error(dest, "is a directory");
                goto done;
            }
        }
        if (out_open(&of, dest) != 0) {
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
        code_compress(in_fd, out_fd, &cp, &res);
    } else {
        mdz_dparams dp;
        memset(&dp, 0, sizeof dp);
        dp.memlimit = opt.memlimit;
        dp.list_only = opt.mode == MODE_LIST;
        code_decompress(in_fd, out_fd, &dp, &res);
    }
    progress_end();

    if (res.status != CODE_OK) {
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
        msg_verbose(disp, "%" PRIu64 " -> %" PRIu64 " (%.2f%%)", res.in_bytes,
                    res.out_bytes, ratio(res.in_bytes, res.out_bytes));
        break;
    case MODE_TEST:
        msg_verbose(disp, "OK (%" PRIu64 " -> %" PRIu64 ")", res.in_bytes,
                    res.info.raw_bytes);
        break;
    case MODE_LIST:
        list_file(disp, &res.info);
        fflush(stdout);
        break;
    case MODE_BENCH:
        break;
    }

    /* the output is complete: now the input may go */
    if (writes && !to_stdout && !opt.keep && !is_stdin && regular) {
        close(in_fd);
        in_fd = -1;
        if (unlink(name) != 0)
            msg_error(name, "cannot remove: %s", strerror(errno));
    }

done:
    if (have_out)
        out_abort(&of);
    if (in_fd >= 0 && in_fd != STDIN_FILENO)
        close(in_fd);
    free(dest);
}

int main(int argc, char **argv)
{
    int i;

    msg_init("mdz");
    args_parse(argc, argv, &opt);
    msg_set_verbosity(opt.verbosity);

    if (opt.mode == MODE_BENCH) {
        if (opt.outfile || opt.to_stdout)
            msg_usage_error("-o and -c cannot be used with --bench");
        return mdz_cli_bench(opt.files, opt.nfiles, opt.level,
                             opt.bench_end ? opt.bench_end : opt.level,
                             opt.bench_runs, opt.verbosity > 1);
    }
    if (opt.outfile) {
        if (opt.mode == MODE_TEST || opt.mode == MODE_LIST)
            msg_usage_error("-o cannot be used with --test or --list");
        if (opt.to_stdout)
            msg_usage_error("-o and -c cannot be used together");
        if (opt.nfiles > 1)
            msg_usage_error("-o can be used with one input file only");
    }

    signals_init();

    if (opt.nfiles == 0)
        process("-");
    for (i = 0; i < opt.nfiles; i++)
        process(opt.files[i]);

    if (opt.mode == MODE_LIST)
        list_totals();

    if (fflush(stdout) != 0 || ferror(stdout)) {
        msg_error("(stdout)", "write error: %s", strerror(errno));
    }
    if (stdout_used && close(STDOUT_FILENO) != 0 && errno != EBADF)
        msg_error("(stdout)", "write error: %s", strerror(errno));
    free(opt.files);
    return msg_status();
}
