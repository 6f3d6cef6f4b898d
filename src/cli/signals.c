/*
 * signals.c -- async-signal-safe cleanup of the temporary output file.
 *
 * The handler only calls unlink(), sigprocmask() and raise(), which are
 * async-signal-safe, and reads a static buffer that is written only while
 * the signals are blocked.
 */
#include "signals.h"

#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static const int handled[] = { SIGINT, SIGTERM, SIGHUP };
#define NHANDLED ((int)(sizeof handled / sizeof handled[0]))

static char tmp_path[PATH_MAX];
static volatile sig_atomic_t have_tmp;
static sigset_t handled_set;

static void on_signal(int sig)
{
    sigset_t s;
    if (have_tmp)
        unlink(tmp_path);
    have_tmp = 0;
    /* SA_RESETHAND restored the default action; unblock the signal so that
     * raise() takes effect at once. */
    sigemptyset(&s);
    sigaddset(&s, sig);
    raise(sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    _exit(128 + sig); /* not reached unless the signal is ignored */
}

void signals_init(void)
{
    int i;
    sigemptyset(&handled_set);
    for (i = 0; i < NHANDLED; i++)
        sigaddset(&handled_set, handled[i]);
    for (i = 0; i < NHANDLED; i++) {
        struct sigaction sa, old;
        /* a signal ignored by our parent (nohup, background jobs) stays
         * ignored, as in gzip */
        if (sigaction(handled[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sa.sa_mask = handled_set;
        sa.sa_flags = SA_RESETHAND;
        sigaction(handled[i], &sa, NULL);
    }
}

void signals_block(void)
{
    sigprocmask(SIG_BLOCK, &handled_set, NULL);
}

void signals_unblock(void)
{
    sigprocmask(SIG_UNBLOCK, &handled_set, NULL);
}

int signals_set_tmp(const char *path)
{
    size_t n = strlen(path);
    if (n >= sizeof tmp_path)
        return -1;
    memcpy(tmp_path, path, n + 1);
    have_tmp = 1;
    return 0;
}

void signals_clear_tmp(void)
{
    have_tmp = 0;
}
