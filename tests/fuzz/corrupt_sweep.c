/*
 * corrupt_sweep -- damages .mdz files every way a small change can and
 * checks that the mdz program never crashes, hangs, loses data or writes
 * wrong bytes with exit status 0.  Driven by scripts/corrupt-sweep.
 *
 *   corrupt_sweep [-m MDZ] [-w WORKDIR] [-x BYTES] [-n FLIPS] [-r TRUNCS]
 *                 [-s SEED] [-t SECONDS] [-F] SPEC...
 *
 * SPEC is ORIGINAL[,LEVEL[,BLOCKSIZE[,SPLIT]]]: the original content file,
 * compressed here with "MDZ -c -LEVEL [--block-size=BLOCKSIZE]" (level 1 and
 * the level's block size by default); SPLIT > 0 compresses the first SPLIT
 * bytes and the rest as two streams and concatenates them.
 *
 * For a .mdz file of at most -x BYTES (default 4096): every truncation
 * length 0..len-1 and every single-bit flip.  Larger files: -n random bit
 * flips (default 3000) and -r random truncations (default 1000), plus every
 * truncation in the first and last 64 bytes.  Each damaged file is run
 * through
 *   test:   MDZ -t          < damaged
 *   decode: MDZ -dc         < damaged > out
 *   file:   MDZ -d DIR/f.mdz          (unless -F is given)
 * and each run is classified:
 *   error   non-zero exit (1 or 2) with a message on stderr, nothing
 *           written  -- expected
 *   partial decode: the same, after writing bytes that are all the
 *           original's, from its start (a decoder releases what it has
 *           verified: whole blocks, and of a format-2 modelled block each
 *           chunk that matches its check, before it meets the damage)
 *           -- expected
 *   exact   exit 0 and (decode, file) exactly the original bytes (a file
 *           of two streams cut exactly between them is a valid file of
 *           the first stream: there "exact" means the first part)
 *   WRONG   exit 0 and different bytes, or (decode) any exit after
 *           writing a byte that is not the original's at its offset (or
 *           -t says valid while -dc fails or differs: INCONSISTENT)
 *   SILENT  non-zero exit without any message
 *   CRASH   killed by a signal, or an exit status other than 0, 1, 2
 *           (sanitizer reports are given exit status 86)
 *   HANG    still running after -t SECONDS (default 30); killed
 *   LOSS    file mode: a failed run removed or changed FILE.mdz, or left
 *           FILE or a temporary file behind; a successful one left
 *           FILE.mdz or did not produce the original FILE
 * A table of counts per file and damage kind is printed; the exit status
 * is 1 if any run fell into an upper-case class.  The largest peak RSS of
 * any child is reported too.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Outcomes; from O_WRONG on, failures. */
enum { O_ERROR, O_PARTIAL, O_EXACT, O_WRONG, O_SILENT, O_CRASH, O_HANG, O_LOSS, O_INCONS, O_N };
static const char *const oname[O_N] = { "error", "partial", "exact", "WRONG", "SILENT",
                                        "CRASH", "HANG", "LOSS", "INCONSIST" };
enum { C_TEST, C_DECODE, C_FILE, C_N };
static const char *const cname[C_N] = { "test", "decode", "file" };

static const char *mdz = "./mdz";
static char work[4096];
static int timeout_s = 30;
static int file_mode = 1;
static long max_rss_kb;
static unsigned long runs;
static int verbose;

static void die(const char *what)
{
    fprintf(stderr, "corrupt_sweep: %s: %s\n", what, strerror(errno));
    exit(2);
}

static uint8_t *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(path);
    size_t cap = 1 << 16, len = 0;
    uint8_t *b = malloc(cap);
    for (;;) {
        if (len == cap && !(b = realloc(b, cap *= 2)))
            die("out of memory");
        size_t k = fread(b + len, 1, cap - len, f);
        if (!k)
            break;
        len += k;
    }
    if (ferror(f))
        die(path);
    fclose(f);
    *n = len;
    return b;
}

static void write_file(const char *path, const uint8_t *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(b, 1, n, f) != n) || fclose(f) != 0)
        die(path);
}

/* What a decode wrote, against the original content b[0..n): is the
 * file a prefix of it (the whole included), and how long is it. */
static int file_prefix(const char *path, const uint8_t *b, size_t n, size_t *len)
{
    FILE *f = fopen(path, "rb");
    *len = 0;
    if (!f)
        return 1;
    uint8_t buf[65536];
    size_t off = 0, k;
    int same = 1;
    while (same && (k = fread(buf, 1, sizeof buf, f)) > 0) {
        if (off + k > n || memcmp(buf, b + off, k) != 0)
            same = 0;
        off += k;
    }
    fclose(f);
    *len = off;
    return same;
}

static int file_equals(const char *path, const uint8_t *b, size_t n)
{
    size_t len;
    return access(path, F_OK) == 0 && file_prefix(path, b, n, &len) && len == n;
}

static volatile sig_atomic_t alarm_fired;
static void on_alarm(int sig)
{
    (void)sig;
    alarm_fired = 1;
}

typedef struct {
    int status;    /* wait status */
    int timed_out;
    size_t errlen; /* bytes on stderr */
} run_result;

/* Runs argv with stdin from in_path (or /dev/null), stdout to out_path (or
 * /dev/null), stderr to a file whose size is reported. */
static run_result run(char *const argv[], const char *in_path, const char *out_path)
{
    char err_path[4200];
    snprintf(err_path, sizeof err_path, "%s/stderr", work);
    run_result rr = { 0, 0, 0 };
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
        int out = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0)
            _exit(127);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        close(in);
        close(out);
        close(err);
        execv(argv[0], argv);
        _exit(127);
    }
    /* wait, with SIGALRM (installed without SA_RESTART) as the timeout */
    struct rusage ru;
    alarm_fired = 0;
    alarm((unsigned)timeout_s);
    for (;;) {
        pid_t w = wait4(pid, &rr.status, 0, &ru);
        if (w == pid)
            break;
        if (w < 0 && errno == EINTR && alarm_fired) {
            kill(pid, SIGKILL);
            waitpid(pid, &rr.status, 0);
            alarm_fired = 0;
            rr.timed_out = 1;
            return rr;
        }
        if (w < 0 && errno != EINTR)
            die("wait4");
    }
    alarm(0);
    runs++;
    if (ru.ru_maxrss > max_rss_kb)
        max_rss_kb = ru.ru_maxrss;
    struct stat st;
    if (stat(err_path, &st) == 0)
        rr.errlen = (size_t)st.st_size;
    return rr;
}

/* Exit-status part of the classification.  exact: the output is right
 * for a success (runs without output: 1); bad: it holds a byte that is
 * not the original's; wrote: bytes written. */
static int classify(const run_result *rr, int exact, int bad, size_t wrote)
{
    if (rr->timed_out)
        return O_HANG;
    if (WIFSIGNALED(rr->status))
        return O_CRASH;
    int code = WEXITSTATUS(rr->status);
    if (code == 0)
        return exact ? O_EXACT : O_WRONG;
    if (code != 1 && code != 2)
        return O_CRASH;
    if (!rr->errlen)
        return O_SILENT;
    /* a failed decode may have written what it verified: the original's
     * first bytes, never others */
    return bad ? O_WRONG : wrote ? O_PARTIAL : O_ERROR;
}

typedef struct {
    unsigned long cases;
    unsigned long n[C_N][O_N];
} tally;

static void show_failure(const char *kind, size_t where, int cmd, int o,
                         const char *case_path)
{
    char keep[4300];
    static unsigned kept;
    snprintf(keep, sizeof keep, "%s/fail-%u.mdz", work, kept++);
    size_t n;
    uint8_t *b = read_file(case_path, &n);
    write_file(keep, b, n);
    free(b);
    fprintf(stderr, "corrupt_sweep: %s %s at %zu: %s %s (input kept as %s)\n",
            oname[o], kind, where, cname[cmd], o == O_INCONS ? "disagrees with decode" : "",
            keep);
}

/* One damaged file: orig[0..olen) the original content, of which the
 * first `expect` bytes are what a successful decode must give. */
static void one_case(tally *t, const uint8_t *dmg, size_t dlen,
                     const uint8_t *orig, size_t olen, size_t expect,
                     const char *kind, size_t where)
{
    char case_path[4200], out_path[4200], fdir[4200], fmdz[4300], fout[4300];
    snprintf(case_path, sizeof case_path, "%s/case.mdz", work);
    snprintf(out_path, sizeof out_path, "%s/out", work);
    write_file(case_path, dmg, dlen);
    t->cases++;

    char *targv[] = { (char *)mdz, "-t", NULL };
    run_result rt = run(targv, case_path, NULL);
    int ot = classify(&rt, 1, 0, 0);  /* -t exit 0 judged against decode below */

    char *dargv[] = { (char *)mdz, "-dc", NULL };
    run_result rd = run(dargv, case_path, out_path);
    size_t wrote;
    int prefix = file_prefix(out_path, orig, olen, &wrote);
    int od = classify(&rd, prefix && wrote == expect, !prefix, wrote);

    if (ot == O_EXACT && od != O_EXACT)
        ot = O_INCONS;
    if (ot == O_ERROR && od == O_EXACT)
        ot = O_INCONS;
    t->n[C_TEST][ot]++;
    t->n[C_DECODE][od]++;
    if (ot >= O_WRONG)
        show_failure(kind, where, C_TEST, ot, case_path);
    if (od >= O_WRONG)
        show_failure(kind, where, C_DECODE, od, case_path);

    if (!file_mode)
        return;
    snprintf(fdir, sizeof fdir, "%s/f", work);
    snprintf(fmdz, sizeof fmdz, "%s/f.mdz", fdir);
    snprintf(fout, sizeof fout, "%s/f", fdir);
    mkdir(fdir, 0755);
    write_file(fmdz, dmg, dlen);
    char *fargv[] = { (char *)mdz, "-d", fmdz, NULL };
    run_result rf = run(fargv, NULL, NULL);
    int of = classify(&rf, 1, 0, 0);
    struct stat st;
    int have_in = stat(fmdz, &st) == 0;
    int have_out = stat(fout, &st) == 0 && S_ISREG(st.st_mode);
    if (of == O_EXACT) {
        if (have_in || !have_out || !file_equals(fout, orig, expect))
            of = have_out && !file_equals(fout, orig, expect) ? O_WRONG : O_LOSS;
    } else if (of == O_ERROR || of == O_SILENT) {
        if (!have_in || !file_equals(fmdz, dmg, dlen) || have_out)
            of = O_LOSS;
    }
    /* nothing else may be left in the directory (temporary files) */
    DIR *d = opendir(fdir);
    struct dirent *e;
    int extra = 0;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            !strcmp(e->d_name, "f.mdz") || !strcmp(e->d_name, "f"))
            continue;
        extra++;
        char p[4600];
        snprintf(p, sizeof p, "%s/%s", fdir, e->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    if (extra && of != O_CRASH && of != O_HANG)
        of = O_LOSS;
    if (od == O_EXACT && of == O_ERROR)
        of = O_INCONS;
    t->n[C_FILE][of]++;
    if (of >= O_WRONG)
        show_failure(kind, where, C_FILE, of, case_path);
    unlink(fmdz);
    unlink(fout);
}

static uint64_t rng = 0x636f7272757074ull;
static uint64_t rnd64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void print_tally(const char *file, const char *kind, const tally *t,
                        tally *grand)
{
    grand->cases += t->cases;
    for (int c = 0; c < C_N; c++) {
        if (c == C_FILE && !file_mode)
            continue;
        printf("%-22s %-9s %-6s %7lu", file, kind, cname[c], t->cases);
        for (int o = 0; o < O_N; o++) {
            printf(" %9lu", t->n[c][o]);
            grand->n[c][o] += t->n[c][o];
        }
        printf("\n");
    }
}

static void header(void)
{
    printf("%-22s %-9s %-6s %7s", "file", "damage", "run", "cases");
    for (int o = 0; o < O_N; o++)
        printf(" %9s", oname[o]);
    printf("\n");
}

/* Where the first of two concatenated streams ends (0: one stream), and
 * how much content it holds.  A file cut exactly there is a complete,
 * valid one-stream file: its correct decoding is that content (as with
 * gzip, xz and zstd, no reader can tell it was cut). */
static size_t boundary, boundary_content;

static int compress_spec(const char *spec, char *name, size_t name_cap,
                         uint8_t **orig, size_t *olen, uint8_t **comp, size_t *clen)
{
    char path[4096], bs[64] = "";
    int level = 1;
    unsigned long split = 0;
    snprintf(path, sizeof path, "%s", spec);
    char *c1 = strchr(path, ',');
    if (c1) {
        *c1++ = 0;
        level = atoi(c1);
        char *c2 = strchr(c1, ',');
        if (c2) {
            *c2++ = 0;
            char *c3 = strchr(c2, ',');
            if (c3) {
                *c3++ = 0;
                split = strtoul(c3, NULL, 10);
            }
            snprintf(bs, sizeof bs, "%s", c2);
        }
    }
    const char *base = strrchr(path, '/');
    snprintf(name, name_cap, "%s%s%s-%d%s", base ? base + 1 : path, bs[0] ? "/" : "",
             bs, level, split ? "-cat" : "");
    *orig = read_file(path, olen);
    if (split > *olen)
        split = *olen;

    char lv[8], bsopt[80], part[4200], cpath[4200];
    snprintf(lv, sizeof lv, "-%d", level);
    snprintf(bsopt, sizeof bsopt, "--block-size=%s", bs);
    size_t pieces[2][2] = { { 0, split ? split : *olen }, { split, *olen } };
    *comp = NULL;
    *clen = 0;
    boundary = boundary_content = 0;
    for (int i = 0; i < (split ? 2 : 1); i++) {
        if (i == 1) {
            boundary = *clen;
            boundary_content = split;
        }
        snprintf(part, sizeof part, "%s/part", work);
        snprintf(cpath, sizeof cpath, "%s/part.mdz", work);
        write_file(part, *orig + pieces[i][0], pieces[i][1] - pieces[i][0]);
        char *argv[] = { (char *)mdz, "-c", lv, bs[0] ? bsopt : NULL, NULL };
        run_result rr = run(argv, part, cpath);
        if (rr.timed_out || !WIFEXITED(rr.status) || WEXITSTATUS(rr.status) != 0) {
            fprintf(stderr, "corrupt_sweep: %s: compression failed\n", spec);
            return -1;
        }
        size_t n;
        uint8_t *b = read_file(cpath, &n);
        *comp = realloc(*comp, *clen + n + 1);
        memcpy(*comp + *clen, b, n);
        *clen += n;
        free(b);
    }
    return 0;
}

/* The content a file cut to len bytes validly holds: the first stream's
 * when cut exactly at the boundary; otherwise the cut file is invalid and
 * the expected result is an error (any exit-0 output is judged against
 * the whole original, which a truncated file cannot produce). */
static size_t cut_content(size_t len, size_t olen)
{
    return boundary && len == boundary ? boundary_content : olen;
}

int main(int argc, char **argv)
{
    size_t exhaustive = 4096;
    unsigned long nflips = 3000, ntruncs = 1000;
    int opt;
    const char *wdir = NULL;
    while ((opt = getopt(argc, argv, "m:w:x:n:r:s:t:Fv")) != -1) {
        switch (opt) {
        case 'm': mdz = optarg; break;
        case 'w': wdir = optarg; break;
        case 'x': exhaustive = strtoul(optarg, NULL, 10); break;
        case 'n': nflips = strtoul(optarg, NULL, 10); break;
        case 'r': ntruncs = strtoul(optarg, NULL, 10); break;
        case 's': rng = strtoull(optarg, NULL, 0) | 1; break;
        case 't': timeout_s = atoi(optarg); break;
        case 'F': file_mode = 0; break;
        case 'v': verbose = 1; break;
        default:
            fprintf(stderr, "usage: corrupt_sweep [-m MDZ] [-w DIR] [-x BYTES] "
                            "[-n FLIPS] [-r TRUNCS] [-s SEED] [-t SECS] [-F] SPEC...\n");
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "corrupt_sweep: no SPEC given\n");
        return 2;
    }
    if (access(mdz, X_OK) != 0)
        die(mdz);
    if (wdir) {
        snprintf(work, sizeof work, "%s", wdir);
        mkdir(work, 0755);
    } else {
        snprintf(work, sizeof work, "/tmp/mdz-sweep-XXXXXX");
        if (!mkdtemp(work))
            die("mkdtemp");
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);  /* no SA_RESTART: wait4 returns EINTR */
    /* sanitizer reports must not look like ordinary errors */
    setenv("ASAN_OPTIONS", "exitcode=86:detect_leaks=1", 0);
    setenv("UBSAN_OPTIONS", "halt_on_error=1:exitcode=86:print_stacktrace=1", 0);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    tally grand;
    memset(&grand, 0, sizeof grand);
    header();
    int bad_setup = 0;
    for (int i = optind; i < argc; i++) {
        char name[8400];
        uint8_t *orig, *comp;
        size_t olen, clen;
        if (compress_spec(argv[i], name, sizeof name, &orig, &olen, &comp, &clen) < 0) {
            bad_setup = 1;
            continue;
        }
        uint8_t *dmg = malloc(clen + 1);
        tally tt, tf;
        memset(&tt, 0, sizeof tt);
        memset(&tf, 0, sizeof tf);
        /* the undamaged file must round-trip */
        tally t0c;
        memset(&t0c, 0, sizeof t0c);
        one_case(&t0c, comp, clen, orig, olen, olen, "intact", 0);
        for (int c = 0; c < C_N; c++)
            if ((c != C_FILE || file_mode) && t0c.n[c][O_EXACT] != 1) {
                fprintf(stderr, "corrupt_sweep: %s: the intact file does not round-trip\n",
                        name);
                bad_setup = 1;
            }
        if (clen <= exhaustive) {
            for (size_t len = 0; len < clen; len++)
                one_case(&tt, comp, len, orig, olen, cut_content(len, olen), "truncation", len);
            for (size_t bit = 0; bit < clen * 8; bit++) {
                memcpy(dmg, comp, clen);
                dmg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                one_case(&tf, dmg, clen, orig, olen, olen, "bit flip", bit);
            }
        } else {
            for (size_t len = 0; len < clen; len++) {
                int edge = len < 64 || len + 64 >= clen;
                if (edge)
                    one_case(&tt, comp, len, orig, olen, cut_content(len, olen), "truncation", len);
            }
            for (unsigned long k = 0; k < ntruncs; k++) {
                size_t len = 64 + (size_t)(rnd64() % (clen - 128));
                one_case(&tt, comp, len, orig, olen, cut_content(len, olen), "truncation", len);
            }
            for (unsigned long k = 0; k < nflips; k++) {
                size_t bit = (size_t)(rnd64() % (clen * 8));
                memcpy(dmg, comp, clen);
                dmg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                one_case(&tf, dmg, clen, orig, olen, olen, "bit flip", bit);
            }
        }
        char label[8400];
        snprintf(label, sizeof label, "%s", name);
        print_tally(label, "truncate", &tt, &grand);
        print_tally(label, "bitflip", &tf, &grand);
        printf("%-22s (%zu bytes -> %zu bytes .mdz%s)\n", "", olen, clen,
               clen <= exhaustive ? ", exhaustive" : ", sampled");
        fflush(stdout);
        free(dmg);
        free(orig);
        free(comp);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    print_tally("TOTAL", "all", &grand, &(tally){ 0 });
    unsigned long bad = 0;
    for (int c = 0; c < C_N; c++)
        for (int o = O_WRONG; o < O_N; o++)
            bad += grand.n[c][o];
    printf("%lu damaged files, %lu program runs in %.0f s; largest peak RSS of a run %ld KiB\n",
           grand.cases, runs, (double)(t1.tv_sec - t0.tv_sec), max_rss_kb);
    printf("%s: %lu crash/hang/wrong/silent/loss/inconsistent outcomes\n",
           bad || bad_setup ? "FAIL" : "PASS", bad);
    if (!wdir && !bad) {
        char cmd[4300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
        if (system(cmd) != 0)
            fprintf(stderr, "corrupt_sweep: could not remove %s\n", work);
    } else {
        printf("work directory kept: %s\n", work);
    }
    return bad || bad_setup ? 1 : 0;
}
