/*
 * signals.h -- cleanup on every catchable signal that terminates by default
 * (SIGINT, SIGTERM, SIGHUP, SIGXCPU, SIGXFSZ, SIGPIPE, SIGALRM, ...: the
 * list is in signals.c): the temporary output file being written (if any)
 * is unlinked, then the signal is re-raised with its default action so that
 * the exit status tells the parent what happened.
 */
#ifndef MDZ_CLI_SIGNALS_H
#define MDZ_CLI_SIGNALS_H

/* Installs the handlers. */
void signals_init(void);

/* Blocks / unblocks the handled signals (around the creation, registration,
 * rename and unregistration of a temporary file, so that no window leaves a
 * file behind). */
void signals_block(void);
void signals_unblock(void);

/* Registers the temporary file to unlink on a signal (path is copied into a
 * static buffer); signals_clear_tmp() forgets it.  Call both with the
 * signals blocked.  Returns -1 if the path does not fit. */
int signals_set_tmp(const char *path);
void signals_clear_tmp(void);

#endif
