/*
 * bench.c -- "mdz -b FILE...": benchmark the mdz levels in this process.
 *
 * The quick answer to "how small, how fast?" without the benchmark scripts
 * (scripts/bench compares mdz with zlib, libzstd, xz, bzip2, brotli...).
 * Uses only the public interface, include/mdz.h.
 */
#include "bench.h"

#include "mdz.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BENCH_DEFAULT_RUNS 3
#define BENCH_MAX_RUNS 1000
#define BENCH_WARM_MAX (256u << 10)

typedef struct {
    char *name;            /* as given ("-" = stdin) */
    const char *shown;     /* basename for the table */
    unsigned char *data;
    size_t len;
} bench_file;

static double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Reads a whole file ("-" = stdin).  0 on success, else -1 with errno. */
static int bench_read(const char *name, unsigned char **out, size_t *len)
{
    FILE *f;
    unsigned char *b = NULL;
    size_t cap = 0, n = 0;
    int is_stdin = strcmp(name, "-") == 0;
    struct stat st;

    if (is_stdin) {
        f = stdin;
    } else {
        if (stat(name, &st) == 0 && S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            return -1;
        }
        f = fopen(name, "rb");
        if (!f)
            return -1;
    }
    for (;;) {
        size_t r;
        if (n == cap) {
            unsigned char *nb;
            if (cap > SIZE_MAX / 2) {
                errno = ENOMEM;
                goto fail;
            }
            cap = cap ? cap * 2 : 1 << 16;
            nb = realloc(b, cap);
            if (!nb) {
                errno = ENOMEM;
                goto fail;
            }
            b = nb;
        }
        r = fread(b + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f))
        goto fail;
    if (!is_stdin)
        fclose(f);
    *out = b;
    *len = n;
    return 0;
fail:
    {
        int e = errno ? errno : EIO;
        free(b);
        if (!is_stdin)
            fclose(f);
        errno = e;
        return -1;
    }
}

static void bench_commas(uint64_t v, char *buf, size_t cap)
{
    char t[32];
    int len, i;
    size_t o = 0;
    len = snprintf(t, sizeof t, "%llu", (unsigned long long)v);
    for (i = 0; i < len && o + 2 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = t[i];
    }
    buf[o] = 0;
}

static void bench_speed(uint64_t bytes, double secs, char *buf, size_t cap)
{
    double s;
    if (secs <= 0 || bytes == 0) {
        snprintf(buf, cap, "-");
        return;
    }
    s = (double)bytes / 1e6 / secs;
    snprintf(buf, cap, s >= 100 ? "%.0f" : s >= 10 ? "%.1f" : "%.2f", s);
}

static void bench_row(int level, const char *name, uint64_t orig, uint64_t comp,
                      double ct, double dt, const char *mem)
{
    char ob[32], cb[32], ratio[16], bpb[16], cs[16], ds[16];
    bench_commas(orig, ob, sizeof ob);
    bench_commas(comp, cb, sizeof cb);
    if (comp && orig)
        snprintf(ratio, sizeof ratio, "%.3f", (double)orig / (double)comp);
    else
        snprintf(ratio, sizeof ratio, "-");
    if (orig)
        snprintf(bpb, sizeof bpb, "%.3f", 8.0 * (double)comp / (double)orig);
    else
        snprintf(bpb, sizeof bpb, "-");
    bench_speed(orig, ct, cs, sizeof cs);
    bench_speed(orig, dt, ds, sizeof ds);
    printf("%4d  %-24.24s %13s %13s %8s %7s %10s %10s %7s\n", level, name, ob, cb,
           ratio, bpb, cs, ds, mem);
}

/* Benchmarks one level on one file.  Returns 0, or -1 after a message. */
static int bench_one(const bench_file *f, int level, int runs, int verbose,
                     uint64_t *comp_out, double *ct_out, double *dt_out)
{
    mdz_cparams p;
    size_t cap, clen = 0, dlen = 0, wn;
    unsigned char *cbuf = NULL, *dbuf = NULL;
    double *ct = NULL, *dt = NULL;
    int i, r, ret = -1;

    if (mdz_cparams_init(&p, level) != MDZ_OK) {
        fprintf(stderr, "mdz: invalid level %d\n", level);
        return -1;
    }
    cap = mdz_compress_bound(f->len, p.block_log);
    if (cap == 0)
        goto nomem;
    cbuf = malloc(cap);
    dbuf = malloc(f->len + 1);
    ct = malloc((size_t)runs * sizeof *ct);
    dt = malloc((size_t)runs * sizeof *dt);
    if (!cbuf || !dbuf || !ct || !dt)
        goto nomem;

    /* warm-up: caches, page faults, clock speed */
    wn = f->len < BENCH_WARM_MAX ? f->len : BENCH_WARM_MAX;
    clen = cap;
    r = mdz_compress(cbuf, &clen, f->data, wn, &p);
    if (r == MDZ_OK) {
        dlen = f->len + 1;
        r = mdz_decompress(dbuf, &dlen, cbuf, clen);
    }
    if (r != MDZ_OK)
        goto lib_error;

    for (i = 0; i < runs; i++) {
        double t0 = bench_now();
        clen = cap;
        r = mdz_compress(cbuf, &clen, f->data, f->len, &p);
        ct[i] = bench_now() - t0;
        if (r != MDZ_OK)
            goto lib_error;
        if (verbose > 0)
            fprintf(stderr, "mdz: -%d %s: compress run %d: %.3f s\n", level, f->name,
                    i + 1, ct[i]);
    }
    for (i = 0; i < runs; i++) {
        double t0 = bench_now();
        dlen = f->len + 1;
        r = mdz_decompress(dbuf, &dlen, cbuf, clen);
        dt[i] = bench_now() - t0;
        if (r != MDZ_OK)
            goto lib_error;
        if (dlen != f->len || (f->len && memcmp(dbuf, f->data, f->len) != 0)) {
            fprintf(stderr, "mdz: %s: level %d: round trip FAILED: the decompressed data "
                            "differs from the original\n", f->name, level);
            goto out;
        }
        if (verbose > 0)
            fprintf(stderr, "mdz: -%d %s: decompress run %d: %.3f s\n", level, f->name,
                    i + 1, dt[i]);
        if (f->len)
            dbuf[0] ^= 0xFF;  /* the next run must write it again */
    }
    *comp_out = clen;
    *ct_out = bench_median(ct, runs);
    *dt_out = bench_median(dt, runs);
    ret = 0;
    goto out;

nomem:
    fprintf(stderr, "mdz: %s: out of memory\n", f->name);
    goto out;
lib_error:
    fprintf(stderr, "mdz: %s: level %d: %s\n", f->name, level, mdz_strerror(r));
out:
    free(cbuf);
    free(dbuf);
    free(ct);
    free(dt);
    return ret;
}

int mdz_cli_bench(char **files, int nfiles, int level_lo, int level_hi,
                  int runs, int verbose)
{
    bench_file *bf;
    int i, lv, nok = 0, status = 0;
    uint64_t total = 0;
    char tb[32];

    if (level_lo <= 0)
        level_lo = MDZ_LEVEL_DEFAULT;
    if (level_hi < level_lo)
        level_hi = level_lo;
    if (level_lo < MDZ_LEVEL_MIN || level_hi > MDZ_LEVEL_MAX) {
        fprintf(stderr, "mdz: benchmark levels must be within %d..%d\n", MDZ_LEVEL_MIN,
                MDZ_LEVEL_MAX);
        return 1;
    }
    if (runs <= 0)
        runs = BENCH_DEFAULT_RUNS;
    if (runs > BENCH_MAX_RUNS)
        runs = BENCH_MAX_RUNS;
    if (nfiles <= 0) {
        static char *stdin_name[] = {"-"};
        files = stdin_name;
        nfiles = 1;
    }

    bf = calloc((size_t)nfiles, sizeof *bf);
    if (!bf) {
        fprintf(stderr, "mdz: out of memory\n");
        return 1;
    }
    for (i = 0; i < nfiles; i++) {
        const char *slash;
        bf[i].name = files[i];
        if (strcmp(files[i], "-") == 0) {
            bf[i].shown = "(stdin)";
        } else {
            slash = strrchr(files[i], '/');
            bf[i].shown = slash && slash[1] ? slash + 1 : files[i];
        }
        if (bench_read(files[i], &bf[i].data, &bf[i].len) != 0) {
            fprintf(stderr, "mdz: %s: %s\n", strcmp(files[i], "-") == 0 ? "(stdin)"
                    : files[i], strerror(errno));
            bf[i].data = NULL;
            status = 1;
            continue;
        }
        nok++;
        total += bf[i].len;
    }

    if (nok > 0) {
        bench_commas(total, tb, sizeof tb);
        printf("mdz %s benchmark: %d file%s, %s bytes, level%s %d", mdz_version_string(),
               nok, nok == 1 ? "" : "s", tb, level_lo == level_hi ? "" : "s", level_lo);
        if (level_hi != level_lo)
            printf("..%d", level_hi);
        printf("; median of %d run%s, wall clock, MB = 10^6 bytes\n", runs,
               runs == 1 ? "" : "s");
        printf("%5s %-24s %13s %13s %8s %7s %10s %10s %7s\n", "level", "file", "bytes",
               "mdz bytes", "ratio", "bpb", "comp MB/s", "dec MB/s", "mem MB");
        fflush(stdout);
    }

    for (lv = level_lo; lv <= level_hi && nok > 0; lv++) {
        uint64_t sum_orig = 0, sum_comp = 0;
        double sum_ct = 0, sum_dt = 0;
        int nfile_lv = 0;
        mdz_cparams p;
        char mem[32];

        mdz_cparams_init(&p, lv);
        {
            uint64_t cm = mdz_compress_memory(&p), dm = mdz_decompress_memory(&p);
            uint64_t m = cm > dm ? cm : dm;
            snprintf(mem, sizeof mem, "%.0f", (double)m / 1e6);
        }
        for (i = 0; i < nfiles; i++) {
            uint64_t comp;
            double ct, dt;
            if (!bf[i].data)
                continue;
            if (verbose > 0 && isatty(STDERR_FILENO))
                fprintf(stderr, "mdz: benchmarking -%d %s ...\n", lv, bf[i].name);
            if (bench_one(&bf[i], lv, runs, verbose, &comp, &ct, &dt) != 0) {
                status = 1;
                continue;
            }
            bench_row(lv, bf[i].shown, bf[i].len, comp, ct, dt, mem);
            fflush(stdout);
            sum_orig += bf[i].len;
            sum_comp += comp;
            sum_ct += ct;
            sum_dt += dt;
            nfile_lv++;
        }
        if (nok > 1 && nfile_lv > 0) {
            char name[48];
            snprintf(name, sizeof name, "(total, %d files)", nfile_lv);
            bench_row(lv, name, sum_orig, sum_comp, sum_ct, sum_dt, mem);
        }
    }
    if (nok > 0) {
        if (status == 0)
            printf("every round trip verified; mem MB: the library's figure for the "
                   "level (mdz_compress_memory)\n");
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "mdz: (stdout): write error: %s\n", strerror(errno));
            status = 1;
        }
    }
    for (i = 0; i < nfiles; i++)
        free(bf[i].data);
    free(bf);
    return status;
}
