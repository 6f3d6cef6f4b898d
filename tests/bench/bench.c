/*
 * mdz-bench -- times mdz against zlib, libzstd and external compressors.
 *
 *   mdz-bench [OPTION]... FILE...
 *
 * In-process codecs (libmdz, zlib, libzstd) are linked as libraries and
 * called through their one-shot buffer interfaces; external programs (xz,
 * bzip2, brotli, zstd, gzip; the archivers zpaq and 7z) are timed as whole
 * processes on the same files.
 * Every (codec, file) measurement runs in a forked child: a warm-up on the
 * first WARM_MAX bytes of the file, then RUNS timed compressions and RUNS
 * timed decompressions, each decompression checked byte for byte against the
 * original.  The medians are reported.
 *
 * Peak memory:
 *   - in-process: the growth of the child's peak resident set (VmHWM, reset
 *     with /proc/self/clear_refs) during one call, with the input and output
 *     buffers already resident, i.e. the codec's own working memory.  glibc's
 *     mmap threshold is pinned so that large tables freed by one call are
 *     returned to the system and counted again by the next.
 *   - external: the process's peak resident set (ru_maxrss from wait4), the
 *     whole program as a user would see it.
 *
 * Output: aligned tables per corpus group (the file's directory name) and in
 * total on stdout; per-file rows (--csv), group and total rows (--summary) and
 * key=value facts about the run (--meta) as files.  Progress on stderr.
 * Exit status: 0 all round trips verified, 1 a failure, 2 usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <zlib.h>
#include <zstd.h>

#include "mdz.h"

/* Paths and messages are truncated to their buffers on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

#define WARM_MAX (256u << 10) /* warm-up input: the first 256 KiB */
#define MAX_RUNS 101
#define MAX_CODECS 64

/* ------------------------------------------------------------------------ */
/* Codecs                                                                   */

enum family { F_MDZ, F_ZLIB, F_ZSTD, F_EXT };

/* How an external program is driven: a filter like gzip or xz, or one of
 * the archivers zpaq and 7z (their command lines: cmd_tmpl). */
enum style { ST_FILTER, ST_ZPAQ, ST_7Z };

typedef struct {
    enum family fam;
    int level;            /* library level */
    int ldm;              /* zstd: long distance matching */
    char tool[24];        /* "libmdz", "zlib", "libzstd", or the program */
    char setting[40];     /* "-6", "-22 --long", "-q 11" */
    char kind[8];         /* "lib" / "exe" */
    char path[512];       /* exe: resolved path */
    char *argv[16];       /* exe: program + options (compress) */
    int argc;
    char suffix[8];       /* exe: compressed file suffix */
    enum style style;     /* exe: how it is driven */
} codec;

static codec codecs[MAX_CODECS];
static int ncodecs;

/* Options */
static int opt_runs = 3;
static int opt_warmup = 1;
static int opt_quiet;
static int opt_cpu_clock = 1;
static const char *opt_csv, *opt_summary, *opt_meta;
static const char *opt_tmpdir;
static int mem_method_proc;  /* 1: VmHWM + clear_refs works */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "mdz-bench: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static codec *add_codec(enum family fam, const char *tool, const char *setting)
{
    codec *c;
    if (ncodecs >= MAX_CODECS)
        die("too many codecs");
    c = &codecs[ncodecs++];
    memset(c, 0, sizeof *c);
    c->fam = fam;
    snprintf(c->tool, sizeof c->tool, "%s", tool);
    snprintf(c->setting, sizeof c->setting, "%s", setting);
    snprintf(c->kind, sizeof c->kind, "%s", fam == F_EXT ? "exe" : "lib");
    return c;
}

static void add_lib(enum family fam, int level, int ldm)
{
    static const char *const names[] = {"libmdz", "zlib", "libzstd"};
    char s[40];
    codec *c;
    snprintf(s, sizeof s, "-%d%s", level, ldm ? " --long" : "");
    c = add_codec(fam, names[fam], s);
    c->level = level;
    c->ldm = ldm;
}

static int find_in_path(const char *prog, char *out, size_t cap)
{
    const char *p = getenv("PATH");
    if (strchr(prog, '/')) {
        snprintf(out, cap, "%s", prog);
        return access(out, X_OK) == 0;
    }
    if (!p)
        p = "/usr/local/bin:/usr/bin:/bin";
    while (*p) {
        const char *e = strchr(p, ':');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        snprintf(out, cap, "%.*s/%s", (int)len, len ? p : ".", prog);
        if (access(out, X_OK) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

/* "xz -9e" -> an external codec, if the program is installed. */
static char missing_ext[512];
static void add_ext(const char *spec)
{
    /* suffix and style by program (unlisted: .cmp, a filter) */
    static const struct { const char *prog, *suf; enum style style; } sufs[] = {
        {"xz", ".xz", ST_FILTER}, {"bzip2", ".bz2", ST_FILTER},
        {"brotli", ".br", ST_FILTER}, {"zstd", ".zst", ST_FILTER},
        {"gzip", ".gz", ST_FILTER}, {"lzma", ".lzma", ST_FILTER},
        {"lz4", ".lz4", ST_FILTER}, {"lzip", ".lz", ST_FILTER},
        {"pigz", ".gz", ST_FILTER}, {"pbzip2", ".bz2", ST_FILTER},
        {"mdz", ".mdz", ST_FILTER}, {"zpaq", ".zpaq", ST_ZPAQ},
        {"7z", ".7z", ST_7Z}, {"7za", ".7z", ST_7Z}, {"7zz", ".7z", ST_7Z},
    };
    char buf[256], path[512], *tok, *save = NULL;
    const char *sp;
    codec *c;
    size_t i;

    snprintf(buf, sizeof buf, "%s", spec);
    tok = strtok_r(buf, " ", &save);
    if (!tok)
        return;
    if (!find_in_path(tok, path, sizeof path)) {
        size_t l = strlen(missing_ext);
        snprintf(missing_ext + l, sizeof missing_ext - l, "%s%s",
                 l ? ", " : "", spec);
        return;
    }
    sp = spec + (tok - buf) + strlen(tok);
    while (*sp == ' ')
        sp++;
    c = add_codec(F_EXT, strrchr(tok, '/') ? strrchr(tok, '/') + 1 : tok, sp);
    snprintf(c->path, sizeof c->path, "%s", path);
    c->argv[c->argc++] = strdup(path);
    while ((tok = strtok_r(NULL, " ", &save)) != NULL && c->argc < 12)
        c->argv[c->argc++] = strdup(tok);
    snprintf(c->suffix, sizeof c->suffix, ".cmp");
    for (i = 0; i < sizeof sufs / sizeof *sufs; i++)
        if (strcmp(c->tool, sufs[i].prog) == 0) {
            snprintf(c->suffix, sizeof c->suffix, "%s", sufs[i].suf);
            c->style = sufs[i].style;
        }
}

static char *label(const codec *c, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s %s", c->tool, c->setting);
    return buf;
}

/* ------------------------------------------------------------------------ */
/* Library calls                                                            */

static size_t lib_bound(const codec *c, size_t n)
{
    switch (c->fam) {
    case F_MDZ: {
        mdz_cparams p;
        mdz_cparams_init(&p, c->level);
        return mdz_compress_bound(n, p.block_log);
    }
    case F_ZLIB: return compressBound((uLong)n);
    case F_ZSTD: return ZSTD_compressBound(n);
    default: return 0;
    }
}

/* 0 on success, else writes a message into err. */
static int lib_compress(const codec *c, void *dst, size_t cap, size_t *out,
                        const void *src, size_t n, char *err, size_t errcap)
{
    switch (c->fam) {
    case F_MDZ: {
        mdz_cparams p;
        int r = mdz_cparams_init(&p, c->level);
        *out = cap;
        if (r == MDZ_OK)
            r = mdz_compress(dst, out, src, n, &p);
        if (r != MDZ_OK) {
            snprintf(err, errcap, "mdz_compress: %s", mdz_strerror(r));
            return -1;
        }
        return 0;
    }
    case F_ZLIB: {
        uLongf dl = (uLongf)cap;
        int r = compress2(dst, &dl, src, (uLong)n, c->level);
        if (r != Z_OK) {
            snprintf(err, errcap, "compress2: error %d", r);
            return -1;
        }
        *out = dl;
        return 0;
    }
    case F_ZSTD: {
        ZSTD_CCtx *cc = ZSTD_createCCtx();
        size_t r;
        if (!cc) {
            snprintf(err, errcap, "ZSTD_createCCtx failed");
            return -1;
        }
        ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, c->level);
        if (c->ldm)
            ZSTD_CCtx_setParameter(cc, ZSTD_c_enableLongDistanceMatching, 1);
        r = ZSTD_compress2(cc, dst, cap, src, n);
        ZSTD_freeCCtx(cc);
        if (ZSTD_isError(r)) {
            snprintf(err, errcap, "ZSTD_compress2: %s", ZSTD_getErrorName(r));
            return -1;
        }
        *out = r;
        return 0;
    }
    default:
        return -1;
    }
}

static int lib_decompress(const codec *c, void *dst, size_t cap, size_t *out,
                          const void *src, size_t n, char *err, size_t errcap)
{
    switch (c->fam) {
    case F_MDZ: {
        int r;
        *out = cap;
        r = mdz_decompress(dst, out, src, n);
        if (r != MDZ_OK) {
            snprintf(err, errcap, "mdz_decompress: %s", mdz_strerror(r));
            return -1;
        }
        return 0;
    }
    case F_ZLIB: {
        uLongf dl = (uLongf)cap;
        int r = uncompress(dst, &dl, src, (uLong)n);
        if (r != Z_OK) {
            snprintf(err, errcap, "uncompress: error %d", r);
            return -1;
        }
        *out = dl;
        return 0;
    }
    case F_ZSTD: {
        size_t r = ZSTD_decompress(dst, cap, src, n);
        if (ZSTD_isError(r)) {
            snprintf(err, errcap, "ZSTD_decompress: %s", ZSTD_getErrorName(r));
            return -1;
        }
        *out = r;
        return 0;
    }
    default:
        return -1;
    }
}

/* ------------------------------------------------------------------------ */
/* Clocks, memory                                                           */

static double ts_sec(const struct timespec *t)
{
    return (double)t->tv_sec + (double)t->tv_nsec * 1e-9;
}

static double now_wall(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return ts_sec(&t);
}

static double now_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return ts_sec(&t);
}

/* VmRSS / VmHWM in KiB from /proc/self/status; -1 if unavailable. */
static long proc_status_kb(const char *key)
{
    char line[256];
    long v = -1;
    size_t kl = strlen(key);
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
            v = strtol(line + kl + 1, NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

static int reset_hwm(void)
{
    int fd = open("/proc/self/clear_refs", O_WRONLY);
    int ok;
    if (fd < 0)
        return -1;
    ok = write(fd, "5", 1) == 1;
    close(fd);
    return ok ? 0 : -1;
}

static long maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* Memory probe around one call: start, then end -> KiB of growth. */
typedef struct { long base; } memprobe;

static void mem_start(memprobe *m)
{
    if (mem_method_proc && reset_hwm() == 0)
        m->base = proc_status_kb("VmRSS");
    else
        m->base = maxrss_kb();
}

static long mem_end(const memprobe *m)
{
    long peak = mem_method_proc ? proc_status_kb("VmHWM") : maxrss_kb();
    long d = peak - m->base;
    return d < 0 ? 0 : d;
}

static void touch(void *p, size_t n)
{
    volatile unsigned char *q = p;
    size_t i;
    for (i = 0; i < n; i += 4096)
        q[i] = 0;
    if (n)
        q[n - 1] = 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ------------------------------------------------------------------------ */
/* One measurement (in a child)                                             */

typedef struct {
    int ok;
    char err[256];
    uint64_t orig, comp;
    double c_cpu, c_wall, d_cpu, d_wall;   /* medians, seconds */
    long c_mem_kb, d_mem_kb;
    int runs;
} result;

static int read_file(const char *name, unsigned char **buf, size_t *len)
{
    FILE *f = fopen(name, "rb");
    unsigned char *b = NULL;
    size_t cap = 0, n = 0;
    if (!f)
        return -1;
    for (;;) {
        size_t r;
        if (n == cap) {
            unsigned char *nb;
            cap = cap ? cap * 2 : 1 << 16;
            nb = realloc(b, cap);
            if (!nb) {
                free(b);
                fclose(f);
                errno = ENOMEM;
                return -1;
            }
            b = nb;
        }
        r = fread(b + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        free(b);
        fclose(f);
        errno = e;
        return -1;
    }
    fclose(f);
    *buf = b;
    *len = n;
    return 0;
}

static void measure_lib(const codec *c, const char *file, result *res)
{
    unsigned char *src, *cbuf, *dbuf;
    size_t n, cap, clen = 0, dlen;
    double ct[MAX_RUNS], cw[MAX_RUNS], dt[MAX_RUNS], dw[MAX_RUNS];
    memprobe mp;
    int i;

    if (read_file(file, &src, &n) != 0) {
        snprintf(res->err, sizeof res->err, "%s: %s", file, strerror(errno));
        return;
    }
    res->orig = n;
    cap = lib_bound(c, n);
    cbuf = malloc(cap ? cap : 1);
    dbuf = malloc(n + 1);
    if (!cbuf || !dbuf) {
        snprintf(res->err, sizeof res->err, "out of memory");
        return;
    }
    touch(cbuf, cap);
    touch(dbuf, n + 1);

    /* warm-up on a prefix */
    for (i = 0; i < opt_warmup; i++) {
        size_t wn = n < WARM_MAX ? n : WARM_MAX;
        if (lib_compress(c, cbuf, cap, &clen, src, wn, res->err, sizeof res->err)
            || lib_decompress(c, dbuf, n + 1, &dlen, cbuf, clen, res->err, sizeof res->err))
            return;
        if (dlen != wn || memcmp(dbuf, src, wn) != 0) {
            snprintf(res->err, sizeof res->err, "round trip mismatch (warm-up)");
            return;
        }
    }

    for (i = 0; i < opt_runs; i++) {
        double w0, c0;
        if (i == 0)
            mem_start(&mp);
        w0 = now_wall();
        c0 = now_cpu();
        if (lib_compress(c, cbuf, cap, &clen, src, n, res->err, sizeof res->err))
            return;
        ct[i] = now_cpu() - c0;
        cw[i] = now_wall() - w0;
        if (i == 0)
            res->c_mem_kb = mem_end(&mp);
    }
    res->comp = clen;

    for (i = 0; i < opt_runs; i++) {
        double w0, c0;
        if (i == 0)
            mem_start(&mp);
        w0 = now_wall();
        c0 = now_cpu();
        if (lib_decompress(c, dbuf, n + 1, &dlen, cbuf, clen, res->err, sizeof res->err))
            return;
        dt[i] = now_cpu() - c0;
        dw[i] = now_wall() - w0;
        if (i == 0)
            res->d_mem_kb = mem_end(&mp);
        if (dlen != n || memcmp(dbuf, src, n) != 0) {
            snprintf(res->err, sizeof res->err,
                     "round trip mismatch: %zu bytes back, %zu expected", dlen, n);
            return;
        }
        memset(dbuf, 0xA5, n < 65536 ? n : 65536);  /* next run must rewrite */
    }
    res->c_cpu = median(ct, opt_runs);
    res->c_wall = median(cw, opt_runs);
    res->d_cpu = median(dt, opt_runs);
    res->d_wall = median(dw, opt_runs);
    res->runs = opt_runs;
    res->ok = 1;
}

/* Runs argv with stdin from /dev/null, stdout to `out`, stderr to errfile.
 * Returns the exit status (or -1), with times and peak RSS. */
static int run_exe(char **argv, const char *errfile, const char *out,
                   double *cpu, double *wall, long *rss_kb)
{
    struct rusage ru;
    int status;
    double w0 = now_wall();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fi = open("/dev/null", O_RDONLY);
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fe = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fi < 0 || fo < 0 || fe < 0)
            _exit(127);
        dup2(fi, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        close(fi);
        close(fo);
        close(fe);
        execv(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0)
        return -1;
    *wall = now_wall() - w0;
    *cpu = ts_sec(&(struct timespec){ru.ru_utime.tv_sec, ru.ru_utime.tv_usec * 1000})
         + ts_sec(&(struct timespec){ru.ru_stime.tv_sec, ru.ru_stime.tv_usec * 1000});
    *rss_kb = ru.ru_maxrss;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return -1;
}

/* 1 if files a and b hold the same bytes (compared in pieces, so that the
 * measuring process stays small: see measure_exe). */
static int files_equal(const char *a, const char *b)
{
    static unsigned char ba[1 << 16], bb[1 << 16];
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int eq = fa && fb;
    while (eq) {
        size_t na = fread(ba, 1, sizeof ba, fa), nb = fread(bb, 1, sizeof bb, fb);
        if (na != nb || memcmp(ba, bb, na) != 0)
            eq = 0;
        if (na == 0)
            break;
    }
    if (eq && (ferror(fa) || ferror(fb)))
        eq = 0;
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return eq;
}

/* Copies the first n bytes of src to dst. */
static int copy_prefix(const char *src, const char *dst, size_t n)
{
    static unsigned char buf[1 << 16];
    FILE *fi = fopen(src, "rb"), *fo = fopen(dst, "wb");
    int ok = fi && fo;
    while (ok && n > 0) {
        size_t want = n < sizeof buf ? n : sizeof buf;
        size_t got = fread(buf, 1, want, fi);
        if (got == 0 || fwrite(buf, 1, got, fo) != got)
            ok = 0;
        n -= got;
    }
    if (fi)
        fclose(fi);
    if (fo && fclose(fo) != 0)
        ok = 0;
    return ok;
}

static void exe_fail(result *res, const char *what, const char *errfile)
{
    char msg[160] = "";
    FILE *f = fopen(errfile, "r");
    if (f) {
        if (!fgets(msg, sizeof msg, f))
            msg[0] = 0;
        fclose(f);
    }
    msg[strcspn(msg, "\n")] = 0;
    snprintf(res->err, sizeof res->err, "%s failed%s%s", what, msg[0] ? ": " : "", msg);
}

/* The command lines of each style, compress and decompress, as a user
 * would type them (the program sees the file and its size), and where
 * each one's standard output goes: @P the program, @O its options, @F the
 * input file, @C the compressed file, @D the decompressed file.  The
 * archivers write their archive themselves and print progress on stdout;
 * both are held to one thread, like xz -T1, so that CPU time means the
 * same for every tool. */
static const struct {
    const char *argv[2][10];
    const char *out[2];
} cmd_tmpl[] = {
    [ST_FILTER] = {{{"@P", "@O", "-c", "@F", NULL}, {"@P", "-d", "-c", "@C", NULL}},
                   {"@C", "@D"}},
    [ST_ZPAQ] = {{{"@P", "a", "@C", "@F", "@O", "-t1", NULL},
                  {"@P", "x", "@C", "@F", "-to", "@D", "-t1", NULL}},
                 {"/dev/null", "/dev/null"}},
    [ST_7Z] = {{{"@P", "a", "-t7z", "-mmt=1", "-bd", "@O", "@C", "@F", NULL},
                {"@P", "e", "-so", "-bd", "@C", NULL}},
               {"/dev/null", "@D"}},
};

/* A template word other than @O: the program, a file, or itself. */
static char *tmpl_word(const codec *c, const char *t, char *cfile, char *fpath, char *dfile)
{
    if (strcmp(t, "@P") == 0) return c->argv[0];
    if (strcmp(t, "@F") == 0) return fpath;
    if (strcmp(t, "@C") == 0) return cfile;
    if (strcmp(t, "@D") == 0) return dfile;
    return (char *)t;
}

/* Fills argv (room for 24) from the template of c's style, direction d
 * (0 compress, 1 decompress); returns the index of the input file's name
 * (-1 when the command does not name it), which the warm-up swaps. */
static int expand(const codec *c, int d, char *cfile, char *fpath, char *dfile, char **argv)
{
    const char *const *t = cmd_tmpl[c->style].argv[d];
    int k = 0, j, fslot = -1;
    for (; *t; t++) {
        if (strcmp(*t, "@O") == 0) {
            for (j = 1; j < c->argc; j++)
                argv[k++] = c->argv[j];
            continue;
        }
        if (strcmp(*t, "@F") == 0)
            fslot = k;
        argv[k++] = tmpl_word(c, *t, cfile, fpath, dfile);
    }
    argv[k] = NULL;
    return fslot;
}

static void measure_exe(const codec *c, const char *file, const char *tmp, result *res)
{
    char cfile[600], dfile[600], efile[600], wfile[600];
    char *cargv[24], *dargv[24], fpath[1100];
    const char *cout, *dout;
    int farg, darg;
    double ct[MAX_RUNS], cw[MAX_RUNS], dt[MAX_RUNS], dw[MAX_RUNS];
    size_t n;
    long rss, cmax = 0, dmax = 0;
    struct stat st;
    int i;

    /* The file is not read into memory here: a forked process starts with
     * its parent's resident pages, and exec() keeps that high-water mark in
     * ru_maxrss, so this process must stay small for the program's peak RSS
     * to be its own. */
    if (stat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(res->err, sizeof res->err, "%s: %s", file,
                 errno ? strerror(errno) : "not a regular file");
        return;
    }
    n = (size_t)st.st_size;
    res->orig = n;
    snprintf(cfile, sizeof cfile, "%s/c%s", tmp, c->suffix);
    snprintf(dfile, sizeof dfile, "%s/d", tmp);
    snprintf(efile, sizeof efile, "%s/stderr", tmp);
    snprintf(wfile, sizeof wfile, "%s/warm", tmp);

    /* The command lines (cmd_tmpl); farg/darg: where the input's name goes
     * (the warm-up swaps in its prefix file); cout/dout: the programs'
     * standard output. */
    snprintf(fpath, sizeof fpath, "%s%s", file[0] == '-' ? "./" : "", file);
    farg = expand(c, 0, cfile, fpath, dfile, cargv);
    darg = expand(c, 1, cfile, fpath, dfile, dargv);
    cout = tmpl_word(c, cmd_tmpl[c->style].out[0], cfile, fpath, dfile);
    dout = tmpl_word(c, cmd_tmpl[c->style].out[1], cfile, fpath, dfile);

    if (opt_warmup > 0) {
        /* warm-up on a prefix file */
        size_t wn = n < WARM_MAX ? n : WARM_MAX;
        double a, b;
        if (!copy_prefix(file, wfile, wn)) {
            snprintf(res->err, sizeof res->err, "%s: cannot write", wfile);
            return;
        }
        if (farg >= 0)
            cargv[farg] = wfile;
        if (darg >= 0)
            dargv[darg] = wfile;
        for (i = 0; i < opt_warmup; i++) {
            unlink(cfile);  /* the archivers would add to an old archive */
            if (run_exe(cargv, efile, cout, &a, &b, &rss) != 0) {
                exe_fail(res, "compress (warm-up)", efile);
                return;
            }
            unlink(dfile);  /* zpaq does not overwrite */
            if (run_exe(dargv, efile, dout, &a, &b, &rss) != 0) {
                exe_fail(res, "decompress (warm-up)", efile);
                return;
            }
        }
        unlink(wfile);
        if (farg >= 0)
            cargv[farg] = fpath;
        if (darg >= 0)
            dargv[darg] = fpath;
    }
    for (i = 0; i < opt_runs; i++) {
        unlink(cfile);
        if (run_exe(cargv, efile, cout, &ct[i], &cw[i], &rss) != 0) {
            exe_fail(res, "compress", efile);
            return;
        }
        if (rss > cmax)
            cmax = rss;
    }
    if (stat(cfile, &st) != 0) {
        snprintf(res->err, sizeof res->err, "%s: %s", cfile, strerror(errno));
        return;
    }
    res->comp = (uint64_t)st.st_size;
    for (i = 0; i < opt_runs; i++) {
        unlink(dfile);
        if (run_exe(dargv, efile, dout, &dt[i], &dw[i], &rss) != 0) {
            exe_fail(res, "decompress", efile);
            return;
        }
        if (rss > dmax)
            dmax = rss;
        if (!files_equal(dfile, file)) {
            snprintf(res->err, sizeof res->err, "round trip mismatch");
            return;
        }
    }
    unlink(cfile);
    unlink(dfile);
    unlink(efile);
    res->c_mem_kb = cmax;
    res->d_mem_kb = dmax;
    res->c_cpu = median(ct, opt_runs);
    res->c_wall = median(cw, opt_runs);
    res->d_cpu = median(dt, opt_runs);
    res->d_wall = median(dw, opt_runs);
    res->runs = opt_runs;
    res->ok = 1;
}

/* Forks a child for one measurement; the result comes back through a pipe. */
static void measure(const codec *c, const char *file, result *res)
{
    int fd[2], status;
    pid_t pid;
    ssize_t got = 0;
    char tmp[512];

    memset(res, 0, sizeof *res);
    snprintf(tmp, sizeof tmp, "%s/mdz-bench.XXXXXX", opt_tmpdir);
    if (c->fam == F_EXT && !mkdtemp(tmp)) {
        snprintf(res->err, sizeof res->err, "mkdtemp %s: %s", tmp, strerror(errno));
        return;
    }
    if (pipe(fd) != 0)
        die("pipe: %s", strerror(errno));
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        result r;
        const char *p;
        size_t left = sizeof r;
        close(fd[0]);
        memset(&r, 0, sizeof r);
        if (c->fam == F_EXT)
            measure_exe(c, file, tmp, &r);
        else
            measure_lib(c, file, &r);
        p = (const char *)&r;
        while (left > 0) {
            ssize_t w = write(fd[1], p, left);
            if (w <= 0)
                _exit(3);
            p += w;
            left -= (size_t)w;
        }
        _exit(0);
    }
    close(fd[1]);
    while ((size_t)got < sizeof *res) {
        ssize_t r = read(fd[0], (char *)res + got, sizeof *res - (size_t)got);
        if (r <= 0)
            break;
        got += r;
    }
    close(fd[0]);
    waitpid(pid, &status, 0);
    if ((size_t)got < sizeof *res) {
        memset(res, 0, sizeof *res);
        if (WIFSIGNALED(status))
            snprintf(res->err, sizeof res->err, "child killed by signal %d (%s)",
                     WTERMSIG(status), strsignal(WTERMSIG(status)));
        else
            snprintf(res->err, sizeof res->err, "child failed");
    }
    if (c->fam == F_EXT) {
        char p[600];
        const char *names[] = {"c", "d", "stderr", "warm"};
        size_t i;
        for (i = 0; i < sizeof names / sizeof *names; i++) {
            snprintf(p, sizeof p, "%s/%s%s", tmp, names[i], i == 0 ? c->suffix : "");
            unlink(p);
        }
        rmdir(tmp);
    }
}

/* ------------------------------------------------------------------------ */
/* Report                                                                   */

typedef struct {
    const char *path;
    char group[128];
    char name[256];      /* group/basename */
} input;

static void file_group(const char *path, input *in)
{
    char d[1024];
    const char *base = strrchr(path, '/');
    const char *g;
    char *slash;
    base = base ? base + 1 : path;
    snprintf(d, sizeof d, "%.*s", (int)(base - path), path);
    while ((slash = strrchr(d, '/')) != NULL && slash[1] == 0)
        *slash = 0;
    g = strrchr(d, '/');
    g = g ? g + 1 : d;
    if (!*g || strcmp(g, ".") == 0)
        g = "files";
    snprintf(in->group, sizeof in->group, "%s", g);
    snprintf(in->name, sizeof in->name, "%s/%s", g, base);
    in->path = path;
}

typedef struct {
    int files;
    uint64_t orig, comp;
    double c_time, d_time;   /* sums of medians (chosen clock) */
    long c_mem, d_mem;       /* max */
    int failed;
} agg;

static void agg_add(agg *a, const result *r)
{
    if (!r->ok) {
        a->failed++;
        return;
    }
    a->files++;
    a->orig += r->orig;
    a->comp += r->comp;
    a->c_time += opt_cpu_clock ? r->c_cpu : r->c_wall;
    a->d_time += opt_cpu_clock ? r->d_cpu : r->d_wall;
    if (r->c_mem_kb > a->c_mem)
        a->c_mem = r->c_mem_kb;
    if (r->d_mem_kb > a->d_mem)
        a->d_mem = r->d_mem_kb;
}

static void commas(uint64_t v, char *buf, size_t cap)
{
    char t[32];
    int len, i, o = 0;
    len = snprintf(t, sizeof t, "%llu", (unsigned long long)v);
    for (i = 0; i < len && (size_t)o + 2 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = t[i];
    }
    buf[o] = 0;
}

static void fmt_speed(double mb, double t, char *buf, size_t cap)
{
    double s;
    if (t <= 0) {
        snprintf(buf, cap, "-");
        return;
    }
    s = mb / t;
    if (s >= 100)
        snprintf(buf, cap, "%.0f", s);
    else if (s >= 10)
        snprintf(buf, cap, "%.1f", s);
    else
        snprintf(buf, cap, "%.2f", s);
}

static void fmt_mem(long kb, char *buf, size_t cap)
{
    double mb = (double)kb * 1024 / 1e6;
    if (mb >= 10)
        snprintf(buf, cap, "%.0f", mb);
    else
        snprintf(buf, cap, "%.1f", mb);
}

static void print_table(const char *title, agg *rows)
{
    char lb[80], b1[32], b2[32], bp[16], cs[16], ds[16], cm[16], dm[16];
    int i;
    printf("\n%s\n", title);
    printf("%-22s %5s %14s %7s %8s %9s %9s %9s %9s\n", "codec", "kind", "bytes",
           "bpb", "ratio", "comp MB/s", "dec MB/s", "c mem MB", "d mem MB");
    for (i = 0; i < ncodecs; i++) {
        agg *a = &rows[i];
        label(&codecs[i], lb, sizeof lb);
        if (a->files == 0) {
            printf("%-22s %5s %14s  FAILED\n", lb, codecs[i].kind, "-");
            continue;
        }
        commas(a->comp, b1, sizeof b1);
        fmt_speed((double)a->orig / 1e6, a->c_time, cs, sizeof cs);
        fmt_speed((double)a->orig / 1e6, a->d_time, ds, sizeof ds);
        fmt_mem(a->c_mem, cm, sizeof cm);
        fmt_mem(a->d_mem, dm, sizeof dm);
        if (a->orig == 0) {   /* only empty files: no ratio, no speed */
            snprintf(b2, sizeof b2, "-");
            snprintf(bp, sizeof bp, "-");
            snprintf(cs, sizeof cs, "-");
            snprintf(ds, sizeof ds, "-");
        } else {
            snprintf(b2, sizeof b2, "%.3f", (double)a->orig / (double)a->comp);
            snprintf(bp, sizeof bp, "%.3f", 8.0 * (double)a->comp / (double)a->orig);
        }
        printf("%-22s %5s %14s %7s %8s %9s %9s %9s %9s%s\n", lb, codecs[i].kind, b1, bp, b2,
               cs, ds, cm, dm, a->failed ? "  (some files FAILED)" : "");
    }
}

static void csv_summary_row(FILE *f, const char *scope, const char *group,
                            const codec *c, const agg *a)
{
    if (a->files == 0)
        return;
    fprintf(f, "%s,%s,%s,%s,%s,%d,%llu,%llu,%.5f,%.5f,%.4f,%.4f,%.2f,%.2f,%d,%s\n",
            scope, group, c->tool, c->kind, c->setting, a->files,
            (unsigned long long)a->orig, (unsigned long long)a->comp,
            a->orig ? 8.0 * (double)a->comp / (double)a->orig : 0.0,
            a->comp ? (double)a->orig / (double)a->comp : 0.0,
            a->c_time > 0 ? (double)a->orig / 1e6 / a->c_time : 0.0,
            a->d_time > 0 ? (double)a->orig / 1e6 / a->d_time : 0.0,
            (double)a->c_mem * 1024 / 1e6, (double)a->d_mem * 1024 / 1e6,
            opt_runs, opt_cpu_clock ? "cpu" : "wall");
}

/* ------------------------------------------------------------------------ */
/* Options                                                                  */

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: mdz-bench [OPTION]... FILE...\n"
        "Time libmdz, zlib and libzstd in-process and external compressors as\n"
        "processes on the same files; verify every round trip.\n"
        "\n"
        "  -r, --runs N          timed runs per measurement, median reported (default 3)\n"
        "  -w, --warmup N        warm-up runs on the first 256 KiB (default 1)\n"
        "  -m, --mdz-levels L    mdz levels: 1-9, 1,6,9, or none (default 1-9)\n"
        "      --zlib-levels L   zlib levels (default 6,9; none to skip)\n"
        "      --zstd-levels L   libzstd levels; 22 runs with long distance matching\n"
        "                        (default 3,19,22; none to skip)\n"
        "  -e, --ext LIST        external commands, ';'-separated (default\n"
        "                        'xz -6;xz -9e;bzip2 -9;brotli -q 11;zstd -19;gzip -9;\n"
        "                        zpaq -m4;zpaq -m5;7z -m0=PPMd:o=6'; none to skip);\n"
        "                        missing programs are skipped; zpaq and 7z are run\n"
        "                        as archivers with one thread\n"
        "      --clock cpu|wall  time the speeds are computed from (default cpu:\n"
        "                        user+sys CPU time, robust on a busy machine)\n"
        "      --csv FILE        write per-file rows\n"
        "      --summary FILE    write per-group and total rows\n"
        "      --meta FILE       write key=value facts about the run\n"
        "      --tmpdir DIR      scratch space for external programs (default $TMPDIR or /tmp)\n"
        "  -q, --quiet           no progress on stderr\n"
        "  -h, --help            this help\n");
}

static int parse_levels(const char *s, int lo, int hi, int *out, int max)
{
    int n = 0;
    if (strcmp(s, "none") == 0 || !*s)
        return 0;
    while (*s) {
        char *e;
        long a = strtol(s, &e, 10), b;
        if (e == s)
            return -1;
        b = a;
        if (*e == '-') {
            s = e + 1;
            b = strtol(s, &e, 10);
            if (e == s)
                return -1;
        }
        if (a < lo || b > hi || a > b)
            return -1;
        for (; a <= b && n < max; a++)
            out[n++] = (int)a;
        if (*e == ',')
            e++;
        else if (*e)
            return -1;
        s = e;
    }
    return n;
}

static int parse_int(const char *s, int lo, int hi, const char *what)
{
    char *e;
    long v = strtol(s, &e, 10);
    if (e == s || *e || v < lo || v > hi)
        die("invalid %s '%s' (%d..%d)", what, s, lo, hi);
    return (int)v;
}

static void cpu_model(char *buf, size_t cap)
{
    char line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    snprintf(buf, cap, "unknown CPU");
    if (!f)
        return;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            char *p = strchr(line, ':');
            if (p) {
                p++;
                while (*p == ' ' || *p == '\t')
                    p++;
                p[strcspn(p, "\n")] = 0;
                snprintf(buf, cap, "%s", p);
            }
            break;
        }
    fclose(f);
}

int main(int argc, char **argv)
{
    int mdz_lv[16], zlib_lv[16], zstd_lv[32];
    int n_mdz, n_zlib, n_zstd, i, j, g, nfiles = 0, failures = 0, ngroups = 0;
    const char *mdz_s = "1-9", *zlib_s = "6,9", *zstd_s = "3,19,22";
    const char *ext_s = "xz -6;xz -9e;bzip2 -9;brotli -q 11;zstd -19;gzip -9;zpaq -m4;zpaq -m5;7z -m0=PPMd:o=6";
    input *files;
    result *res;
    char groups[64][128];
    char cpu[256], datebuf[64], lb[80], load[64];
    double ram_gb;
    FILE *csv = NULL, *sum = NULL, *meta = NULL;
    time_t now = time(NULL);
    struct utsname un;
    double t_start = now_wall();
    int total_meas, done = 0;
    uint64_t corpus_bytes = 0;

    files = calloc((size_t)argc, sizeof *files);
    if (!files)
        die("out of memory");
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(s, l) (strcmp(a, s) == 0 || strcmp(a, l) == 0)
#define NEEDV() do { if (!v) die("option %s needs a value", a); i++; } while (0)
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            file_group(a, &files[nfiles++]);
        } else if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++)
                file_group(argv[i], &files[nfiles++]);
        } else if (OPT("-r", "--runs")) {
            NEEDV(); opt_runs = parse_int(v, 1, MAX_RUNS, "run count");
        } else if (OPT("-w", "--warmup")) {
            NEEDV(); opt_warmup = parse_int(v, 0, 100, "warm-up count");
        } else if (OPT("-m", "--mdz-levels")) {
            NEEDV(); mdz_s = v;
        } else if (strcmp(a, "--zlib-levels") == 0) {
            NEEDV(); zlib_s = v;
        } else if (strcmp(a, "--zstd-levels") == 0) {
            NEEDV(); zstd_s = v;
        } else if (OPT("-e", "--ext")) {
            NEEDV(); ext_s = v;
        } else if (strcmp(a, "--clock") == 0) {
            NEEDV();
            if (strcmp(v, "cpu") == 0) opt_cpu_clock = 1;
            else if (strcmp(v, "wall") == 0) opt_cpu_clock = 0;
            else die("--clock: cpu or wall");
        } else if (strcmp(a, "--csv") == 0) {
            NEEDV(); opt_csv = v;
        } else if (strcmp(a, "--summary") == 0) {
            NEEDV(); opt_summary = v;
        } else if (strcmp(a, "--meta") == 0) {
            NEEDV(); opt_meta = v;
        } else if (strcmp(a, "--tmpdir") == 0) {
            NEEDV(); opt_tmpdir = v;
        } else if (OPT("-q", "--quiet")) {
            opt_quiet = 1;
        } else if (OPT("-h", "--help")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            die("unknown option '%s'", a);
        }
    }
    if (nfiles == 0) {
        usage(stderr);
        return 2;
    }
    n_mdz = parse_levels(mdz_s, MDZ_LEVEL_MIN, MDZ_LEVEL_MAX, mdz_lv, 16);
    n_zlib = parse_levels(zlib_s, 1, 9, zlib_lv, 16);
    n_zstd = parse_levels(zstd_s, 1, ZSTD_maxCLevel(), zstd_lv, 32);
    if (n_mdz < 0 || n_zlib < 0 || n_zstd < 0)
        die("invalid level list");
    if (!opt_tmpdir)
        opt_tmpdir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

    for (i = 0; i < n_zlib; i++)
        add_lib(F_ZLIB, zlib_lv[i], 0);
    for (i = 0; i < n_zstd; i++)
        add_lib(F_ZSTD, zstd_lv[i], zstd_lv[i] >= 20);
    if (strcmp(ext_s, "none") != 0) {
        char buf[1024], *tok, *save = NULL;
        snprintf(buf, sizeof buf, "%s", ext_s);
        for (tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save))
            add_ext(tok);
    }
    for (i = 0; i < n_mdz; i++)
        add_lib(F_MDZ, mdz_lv[i], 0);
    if (ncodecs == 0)
        die("nothing to measure");

#ifdef __GLIBC__
    /* big blocks always mmap'd and unmapped on free: each call's tables are
     * fresh pages, so the peak-RSS probe sees them */
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024);
#endif
    if (reset_hwm() == 0 && proc_status_kb("VmHWM") > 0)
        mem_method_proc = 1;

    for (i = 0; i < nfiles; i++) {
        for (g = 0; g < ngroups; g++)
            if (strcmp(groups[g], files[i].group) == 0)
                break;
        if (g == ngroups && ngroups < 64)
            snprintf(groups[ngroups++], sizeof groups[0], "%s", files[i].group);
    }

    res = calloc((size_t)nfiles * (size_t)ncodecs, sizeof *res);
    if (!res)
        die("out of memory");

    cpu_model(cpu, sizeof cpu);
    ram_gb = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE) / 1e9;
    {
        FILE *lf = fopen("/proc/loadavg", "r");
        snprintf(load, sizeof load, "unknown");
        if (lf) {
            if (fgets(load, sizeof load, lf))
                load[strcspn(load, " \n")] = 0;   /* the 1-minute figure */
            fclose(lf);
        }
    }
    uname(&un);
    strftime(datebuf, sizeof datebuf, "%Y-%m-%d %H:%M UTC", gmtime(&now));

    printf("mdz-bench: %d file%s, %d codec%s; %s\n", nfiles, nfiles == 1 ? "" : "s",
           ncodecs, ncodecs == 1 ? "" : "s", datebuf);
    printf("machine: %s, %ld CPU%s online, %.0f GB RAM, %s %s; load average %s at start\n",
           cpu, sysconf(_SC_NPROCESSORS_ONLN), sysconf(_SC_NPROCESSORS_ONLN) == 1 ? "" : "s",
           ram_gb, un.sysname, un.release, load);
    printf("libraries: libmdz %s, zlib %s, libzstd %s (in-process, one-shot calls)\n",
           mdz_version_string(), zlibVersion(), ZSTD_versionString());
    if (missing_ext[0])
        printf("not installed, skipped: %s\n", missing_ext);
    fflush(stdout);

    if (opt_csv && !(csv = fopen(opt_csv, "w")))
        die("%s: %s", opt_csv, strerror(errno));
    if (csv)
        fprintf(csv, "group,file,orig_bytes,tool,kind,setting,comp_bytes,bpb,"
                     "c_cpu_s,c_wall_s,d_cpu_s,d_wall_s,c_mbps,d_mbps,"
                     "c_mem_mb,d_mem_mb,runs,clock,verified\n");

    /* all codecs on one file, then the next: the fast ones first */
    total_meas = nfiles * ncodecs;
    for (j = 0; j < nfiles; j++) {
        for (i = 0; i < ncodecs; i++) {
            result *r = &res[j * ncodecs + i];
            double t0 = now_wall();
            label(&codecs[i], lb, sizeof lb);
            if (!opt_quiet) {
                fprintf(stderr, "[%3d/%d %5.0fs] %-20s %-28s", ++done, total_meas,
                        now_wall() - t_start, lb, files[j].name);
                fflush(stderr);
            }
            measure(&codecs[i], files[j].path, r);
            if (!opt_quiet) {
                if (r->ok)
                    fprintf(stderr, " %10llu -> %10llu  %6.3f bpb  (%.1fs)\n",
                            (unsigned long long)r->orig, (unsigned long long)r->comp,
                            r->orig ? 8.0 * (double)r->comp / (double)r->orig : 0.0,
                            now_wall() - t0);
                else
                    fprintf(stderr, " FAILED\n");
            }
            if (!r->ok) {
                failures++;
                fprintf(stderr, "mdz-bench: %s on %s: %s\n", lb, files[j].path, r->err);
            }
            if (csv && r->ok) {
                double ct = opt_cpu_clock ? r->c_cpu : r->c_wall;
                double dt = opt_cpu_clock ? r->d_cpu : r->d_wall;
                fprintf(csv, "%s,%s,%llu,%s,%s,%s,%llu,%.5f,%.6f,%.6f,%.6f,%.6f,",
                        files[j].group, files[j].name, (unsigned long long)r->orig,
                        codecs[i].tool, codecs[i].kind, codecs[i].setting,
                        (unsigned long long)r->comp,
                        r->orig ? 8.0 * (double)r->comp / (double)r->orig : 0.0,
                        r->c_cpu, r->c_wall, r->d_cpu, r->d_wall);
                if (ct > 0) fprintf(csv, "%.4f", (double)r->orig / 1e6 / ct);
                fputc(',', csv);
                if (dt > 0) fprintf(csv, "%.4f", (double)r->orig / 1e6 / dt);
                fprintf(csv, ",%.3f,%.3f,%d,%s,yes\n", (double)r->c_mem_kb * 1024 / 1e6,
                        (double)r->d_mem_kb * 1024 / 1e6, r->runs,
                        opt_cpu_clock ? "cpu" : "wall");
                fflush(csv);
            }
        }
    }

    if (opt_warmup > 0)
        printf("\nEach figure: median of %d run%s after %d warm-up%s on the first 256 KiB; "
               "every round trip checked byte for byte.\n", opt_runs, opt_runs == 1 ? "" : "s",
               opt_warmup, opt_warmup == 1 ? "" : "s");
    else
        printf("\nEach figure: median of %d run%s, no warm-up; every round trip checked byte "
               "for byte.\n", opt_runs, opt_runs == 1 ? "" : "s");
    printf("bytes: compressed size; bpb: bits per input byte; MB/s: 10^6 input bytes per second"
           " of %s time;\n", opt_cpu_clock ? "CPU (user+sys)" : "wall-clock");
    printf("mem: lib = the codec's own peak working memory (%s); exe = the process's peak RSS"
           " (wait4).\n", mem_method_proc ? "growth of VmHWM during one call"
                                          : "growth of ru_maxrss during one call");

    if (opt_summary && !(sum = fopen(opt_summary, "w")))
        die("%s: %s", opt_summary, strerror(errno));
    if (sum)
        fprintf(sum, "scope,group,tool,kind,setting,files,orig_bytes,comp_bytes,bpb,ratio,"
                     "c_mbps,d_mbps,c_mem_mb,d_mem_mb,runs,clock\n");
    {
        agg *rows = calloc((size_t)ncodecs, sizeof *rows);
        char title[256], ob[32];
        if (!rows)
            die("out of memory");
        for (g = 0; g <= ngroups; g++) {
            uint64_t orig = 0;
            int nf = 0;
            memset(rows, 0, (size_t)ncodecs * sizeof *rows);
            for (j = 0; j < nfiles; j++) {
                if (g < ngroups && strcmp(files[j].group, groups[g]) != 0)
                    continue;
                for (i = 0; i < ncodecs; i++)
                    agg_add(&rows[i], &res[j * ncodecs + i]);
                for (i = 0; i < ncodecs; i++)
                    if (res[j * ncodecs + i].ok) {
                        orig += res[j * ncodecs + i].orig;
                        break;
                    }
                nf++;
            }
            if (g == ngroups && ngroups == 1)
                continue;   /* the total would repeat the only group */
            commas(orig, ob, sizeof ob);
            snprintf(title, sizeof title, "== %s: %d file%s, %s bytes",
                     g < ngroups ? groups[g] : "total", nf, nf == 1 ? "" : "s", ob);
            print_table(title, rows);
            if (sum)
                for (i = 0; i < ncodecs; i++)
                    csv_summary_row(sum, g < ngroups ? "group" : "total",
                                    g < ngroups ? groups[g] : "all", &codecs[i], &rows[i]);
        }
        if (ngroups == 1 && sum) {
            /* one group: its rows are also the total */
            memset(rows, 0, (size_t)ncodecs * sizeof *rows);
            for (j = 0; j < nfiles; j++)
                for (i = 0; i < ncodecs; i++)
                    agg_add(&rows[i], &res[j * ncodecs + i]);
            for (i = 0; i < ncodecs; i++)
                csv_summary_row(sum, "total", "all", &codecs[i], &rows[i]);
        }
        free(rows);
    }

    if (failures)
        printf("\n%d measurement%s FAILED (see stderr)\n", failures, failures == 1 ? "" : "s");
    else
        printf("\nAll %d round trips verified (%d codec%s x %d file%s).\n", total_meas,
               ncodecs, ncodecs == 1 ? "" : "s", nfiles, nfiles == 1 ? "" : "s");
    printf("Bench time: %.0f s\n", now_wall() - t_start);

    for (j = 0; j < nfiles; j++)
        for (i = 0; i < ncodecs; i++)
            if (res[j * ncodecs + i].ok) {
                corpus_bytes += res[j * ncodecs + i].orig;
                break;
            }
    if (opt_meta && !(meta = fopen(opt_meta, "w")))
        die("%s: %s", opt_meta, strerror(errno));
    if (meta) {
        fprintf(meta, "date=%s\ncpu=%s\ncpus=%ld\nram=%.0f GB\nload=%s\nos=%s %s %s\n"
                      "runs=%d\nwarmup=%d\n"
                      "clock=%s\nfiles=%d\ncorpus_bytes=%llu\nmdz=%s\nzlib=%s\nzstd=%s\n"
                      "mem_method=%s\nmissing=%s\nfailures=%d\nseconds=%.0f\n",
                datebuf, cpu, sysconf(_SC_NPROCESSORS_ONLN), ram_gb, load, un.sysname, un.release,
                un.machine, opt_runs, opt_warmup, opt_cpu_clock ? "cpu" : "wall", nfiles,
                (unsigned long long)corpus_bytes, mdz_version_string(), zlibVersion(), ZSTD_versionString(),
                mem_method_proc ? "VmHWM" : "ru_maxrss", missing_ext, failures,
                now_wall() - t_start);
        fclose(meta);
    }
    if (csv && fclose(csv) != 0)
        die("%s: write error", opt_csv);
    if (sum && fclose(sum) != 0)
        die("%s: write error", opt_summary);
    free(res);
    free(files);
    return failures ? 1 : 0;
}
