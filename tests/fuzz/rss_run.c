/*
 * rss_run -- runs a command and records its peak resident set size.
 *
 *   rss_run REPORT_FILE COMMAND [ARG...]
 *
 * Standard input, output and error are the command's own, so it can sit in
 * the middle of a pipeline.  When the command ends, "PEAK_KIB SECONDS
 * STATUS" is written to REPORT_FILE (peak RSS from wait4()'s ru_maxrss,
 * i.e. the kernel's VmHWM, exact rather than polled; wall-clock seconds;
 * exit status, or 128+signal), and rss_run exits with the command's status.
 * Used by scripts/pipe-memory.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: rss_run REPORT_FILE COMMAND [ARG...]\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("rss_run: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "rss_run: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("rss_run: wait4");
            return 2;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *f = fopen(argv[1], "w");
    if (!f || fprintf(f, "%ld %.1f %d\n", ru.ru_maxrss,
                      (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
                      code) < 0 || fclose(f) != 0) {
        perror("rss_run: report");
        return 2;
    }
    return code;
}
