/*
 * message.h -- diagnostics of the mdz program: error and warning lines
 * ("mdz: NAME: MESSAGE"), the exit status they imply (0 ok, 1 error,
 * 2 warning, the worst one wins), the -v summary and the progress line.
 */
#ifndef MDZ_CLI_MESSAGE_H
#define MDZ_CLI_MESSAGE_H

#include <stdint.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_WARNING = 2 };

/* Writes a file name to f with its control characters escaped (C0, DEL
 * and UTF-8 encoded C1 controls as \n, \t, \033, ... in the manner of
 * ls -b), so that a name cannot move the cursor or recolour the terminal.
 * Every name in a message or a -l row goes through it. */
void msg_fput_name(FILE *f, const char *name);

/* Sets the program name used as prefix ("mdz"). */
void msg_init(const char *progname);
const char *msg_progname(void);

/* 0 = quiet (no warnings), 1 = normal, 2 = verbose. */
void msg_set_verbosity(int v);
int msg_verbosity(void);

/* Raises the exit status to at least status (0 < 2 < 1 in severity). */
void msg_set_status(int status);
int msg_status(void);

/* "mdz: NAME: MESSAGE\n" on stderr; name may be NULL.  msg_error sets the
 * exit status to 1, msg_warning to 2 (and prints only when not quiet). */
void msg_error(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void msg_warning(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A note ("mdz: MESSAGE"), printed unless -q; does not change the
 * status. */
void msg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Informational line, printed only with -v; does not change the status. */
void msg_verbose(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Usage error: message, the "Try --help" hint, exit(1). */
void msg_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* Progress line on stderr (only with -v and stderr a terminal). */
void progress_start(const char *name, uint64_t total_in);
void progress_update(uint64_t in, uint64_t out);
void progress_end(void);

#endif
