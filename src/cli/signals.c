/*
 * signals.c -- async-signal-safe cleanup of the temporary output file.
 *
 * Every signal whose default action ends the process and that can be
 * caught is handled: the interactive ones (SIGINT, SIGQUIT, SIGTERM,
 * SIGHUP), the resource limits (SIGXCPU from ulimit -t, SIGXFSZ from
 * ulimit -f), SIGPIPE, the timers (SIGALRM, SIGVTALRM, SIGPROF), SIGUSR1/2,
 * SIGIO, SIGPWR, SIGSTKFLT, the real-time signals, and the faults (SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS) -- but those last are
 * left to the sanitizer runtime in a sanitizer build, which reports them.
 *
 * The handler only calls unlink(), sigprocmask() and raise(), which are
 * async-signal-safe, and reads a static buffer that is written only while
 * the signals are blocked.  It then re-raises the signal with its default
 * action, so that the exit status tells the parent what happened.
 */
#include "signals.h"

#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#if defined(__SANITIZE_ADDRESS__)
#define FAULTS_TO_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FAULTS_TO_SANITIZER 1
#endif
#endif

static const int handled[] = {
    SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
    SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
#ifdef SIGIO
    SIGIO,
#endif
#if defined(SIGPOLL) && (!defined(SIGIO) || SIGPOLL != SIGIO)
    SIGPOLL,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
#ifdef SIGLOST
    SIGLOST,
#endif
#ifndef FAULTS_TO_SANITIZER
    SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS,
#endif
};
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
     * raise() takes effect at once.  A fault's default action also happens
     * when the handler returns and the instruction faults again. */
    sigemptyset(&s);
    sigaddset(&s, sig);
    raise(sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    _exit(128 + sig); /* not reached unless the signal is ignored */
}

static void handle(int sig)
{
    struct sigaction sa, old;
    /* a signal ignored by our parent (nohup, background jobs) stays
     * ignored, as in gzip */
    if (sigaction(sig, NULL, &old) != 0 || old.sa_handler == SIG_IGN)
        return;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_mask = handled_set;
    sa.sa_flags = SA_RESETHAND;
    sigaction(sig, &sa, NULL);
}

void signals_init(void)
{
    int i;
    sigemptyset(&handled_set);
    for (i = 0; i < NHANDLED; i++)
        sigaddset(&handled_set, handled[i]);
#if defined(SIGRTMIN) && defined(SIGRTMAX)
    for (i = SIGRTMIN; i <= SIGRTMAX; i++)
        sigaddset(&handled_set, i);
#endif
    for (i = 0; i < NHANDLED; i++)
        handle(handled[i]);
#if defined(SIGRTMIN) && defined(SIGRTMAX)
    for (i = SIGRTMIN; i <= SIGRTMAX; i++)
        handle(i);
#endif
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
