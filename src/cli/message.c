/*
 * message.c -- diagnostics, exit status and the progress line.
 */
#include "message.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *progname = "mdz";
static int verbosity = 1;
static int exit_status = EXIT_OK;

void msg_init(const char *name)
{
    progname = name;
}

const char *msg_progname(void)
{
    return progname;
}

void msg_set_verbosity(int v)
{
    verbosity = v;
}

int msg_verbosity(void)
{
    return verbosity;
}

void msg_set_status(int status)
{
    if (status == EXIT_ERROR || (status == EXIT_WARNING && exit_status == EXIT_OK))
        exit_status = status;
}

int msg_status(void)
{
    return exit_status;
}

static void progress_clear(void);

static void put_escaped(FILE *f, unsigned c)
{
    static const char named[] = "\a\b\t\n\v\f\r";
    static const char letter[] = "abtnvfr";
    const char *k = c ? strchr(named, (int)c) : NULL;
    if (k)
        fprintf(f, "\\%c", letter[k - named]);
    else
        fprintf(f, "\\%03o", c);
}

/* Length of the valid UTF-8 sequence starting at s (2..4), or 0. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n, i;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4;
    else
        return 0;
    for (i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

void msg_fput_name(FILE *f, const char *name)
{
    const unsigned char *s = (const unsigned char *)name;
    while (*s) {
        size_t n = *s >= 0x80 ? utf8_len(s) : 0;
        if (n == 2 && s[0] == 0xC2 && s[1] < 0xA0) {
            /* U+0080..U+009F: C1 controls (0x9B is CSI on many terminals) */
            put_escaped(f, s[0]);
            put_escaped(f, s[1]);
            s += 2;
        } else if (n) {
            fwrite(s, 1, n, f);
            s += n;
        } else if (*s < 0x20 || *s == 0x7F || (*s >= 0x80 && *s < 0xA0)) {
            put_escaped(f, *s++);
        } else {
            fputc(*s++, f);
        }
    }
}

static void vmsg(const char *name, const char *fmt, va_list ap)
{
    progress_clear();
    fflush(stdout);
    fprintf(stderr, "%s: ", progname);
    if (name) {
        msg_fput_name(stderr, name);
        fputs(": ", stderr);
    }
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    fflush(stderr);
}

void msg_error(const char *name, const char *fmt, ...)
{
    va_list ap;
    msg_set_status(EXIT_ERROR);
    va_start(ap, fmt);
    vmsg(name, fmt, ap);
    va_end(ap);
}

void msg_warning(const char *name, const char *fmt, ...)
{
    va_list ap;
    msg_set_status(EXIT_WARNING);
    if (verbosity < 1)
        return;
    va_start(ap, fmt);
    vmsg(name, fmt, ap);
    va_end(ap);
}

void msg_note(const char *fmt, ...)
{
    va_list ap;
    if (verbosity < 1)
        return;
    va_start(ap, fmt);
    vmsg(NULL, fmt, ap);
    va_end(ap);
}

void msg_verbose(const char *name, const char *fmt, ...)
{
    va_list ap;
    if (verbosity < 2)
        return;
    va_start(ap, fmt);
    vmsg(name, fmt, ap);
    va_end(ap);
}

void msg_usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", progname);
    exit(EXIT_ERROR);
}

/* ------------------------------------------------------------------------ */
/* Progress                                                                 */

static int progress_active;   /* a progress line is being maintained */
static int progress_shown;    /* something is on the terminal line now */
static const char *progress_name;
static uint64_t progress_total;
static struct timespec progress_t0, progress_last;

static double elapsed(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_start(const char *name, uint64_t total_in)
{
    progress_active = 0;
    if (verbosity < 2 || !isatty(STDERR_FILENO))
        return;
    progress_active = 1;
    progress_shown = 0;
    progress_name = name;
    progress_total = total_in;
    clock_gettime(CLOCK_MONOTONIC, &progress_t0);
    progress_last = progress_t0;
}

static void fmt_size(char *buf, size_t n, uint64_t v)
{
    if (v < 10 * 1024)
        snprintf(buf, n, "%" PRIu64 " B", v);
    else if (v < 10 * 1024 * 1024)
        snprintf(buf, n, "%.1f KiB", (double)v / 1024.0);
    else
        snprintf(buf, n, "%.1f MiB", (double)v / (1024.0 * 1024.0));
}

void progress_update(uint64_t in, uint64_t out)
{
    struct timespec now;
    char a[32], b[32], pct[32] = "";
    double t;
    if (!progress_active)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (elapsed(&progress_last, &now) < 1.0)
        return;
    progress_last = now;
    t = elapsed(&progress_t0, &now);
    fmt_size(a, sizeof a, in);
    fmt_size(b, sizeof b, out);
    if (progress_total > 0)
        snprintf(pct, sizeof pct, "%5.1f%% ", 100.0 * (double)in / (double)progress_total);
    /* the speed is that of the uncompressed side (the larger one) */
    fprintf(stderr, "\r%s: ", progname);
    msg_fput_name(stderr, progress_name);
    fprintf(stderr, ": %s%s -> %s, %.2f MiB/s, %.0f s   ", pct, a, b,
            t > 0 ? (double)(in > out ? in : out) / (1024.0 * 1024.0) / t : 0.0, t);
    fflush(stderr);
    progress_shown = 1;
}

static void progress_clear(void)
{
    if (progress_shown) {
        fputs("\r\033[K", stderr);
        progress_shown = 0;
    }
}

void progress_end(void)
{
    progress_clear();
    progress_active = 0;
}
