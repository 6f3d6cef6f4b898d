/*
 * fileio.h -- file I/O of the mdz program: full reads and writes (EINTR,
 * short writes), and the safe output file: written under a temporary name
 * in the target directory, fsync'ed, given the input's times and mode, then
 * renamed over the target.
 */
#ifndef MDZ_CLI_FILEIO_H
#define MDZ_CLI_FILEIO_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#define IO_BUFSIZE (1u << 20)

/* Reads up to n bytes (fewer only at end of input).  Returns the count, or
 * -1 with errno set. */
ssize_t io_read(int fd, void *buf, size_t n);

/* Writes all n bytes.  Returns 0, or -1 with errno set. */
int io_write(int fd, const void *buf, size_t n);

struct outfile {
    int fd;
    char *tmp;         /* temporary name (malloc'ed) */
    const char *dest;  /* final name */
};

/* Creates the temporary file for dest and registers it for signal cleanup.
 * Returns 0, or -1 with errno set. */
int out_open(struct outfile *of, const char *dest);

/* Finishes the output: fsync, metadata from st (may be NULL: an ordinary
 * new file's mode), close, then moves it into place: with overwrite, rename
 * over dest; without, link() to dest (which fails with EEXIST if dest has
 * appeared meanwhile, so nothing is clobbered) and unlink the temporary
 * name, falling back to rename where hard links are not supported.  On
 * failure the temporary file is removed and -1 returned with errno set;
 * *what tells which step failed (for the message). */
int out_commit(struct outfile *of, const struct stat *st, int overwrite,
               const char **what);

/* Removes the temporary file (after an error).  Keeps errno. */
void out_abort(struct outfile *of);

#endif
