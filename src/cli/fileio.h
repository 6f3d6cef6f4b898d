/*
 * fileio.h -- file I/O of the mdz program: full reads and writes (EINTR,
 * short writes), and the safe output file: written under a temporary name
 * in the target directory, fsync'ed, given the input's times and mode, then
 * renamed over the target.
 */
#ifndef MDZ_CLI_FILEIO_H
#define MDZ_CLI_FILEIO_H

#include <stddef.h>
#include <stdint.h>
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
    char *tmp;         /* temporary name (malloc'ed); NULL when special */
    const char *dest;  /* final name */
    int special;       /* dest is a device or FIFO written in place */
};

/* Creates the temporary file for dest and registers it for signal cleanup.
 * Returns 0, or -1 with errno set. */
int out_open(struct outfile *of, const char *dest);

/* Opens an existing device node or FIFO dest for writing in place (no
 * temporary file, nothing renamed or removed, ever).  Returns 0, or -1
 * with errno set. */
int out_open_special(struct outfile *of, const char *dest);

/* 1 if st (from stat or lstat) is a file that output is written into in
 * place rather than replaced: a character or block device, a FIFO or a
 * socket. */
int out_is_special(const struct stat *st);

/* Whether the input file is still what was read: the open descriptor fd
 * still has st0's size (and that is the bytes_read that were coded),
 * modification and change times, and name still names the same file as
 * name_st (device and inode, by lstat: the file itself, or the symbolic
 * link that was followed).  Returns 1 if so; 0 with *why set (for a
 * message) if it grew, shrank, was written to, or was replaced or moved. */
int in_unchanged(int fd, const char *name, const struct stat *st0,
                 const struct stat *name_st, uint64_t bytes_read, const char **why);

/* Finishes the output: fsync, metadata from st (may be NULL: an ordinary
 * new file's mode), close, then moves it into place: with overwrite, rename
 * over dest; without, link() to dest (which fails with EEXIST if dest has
 * appeared meanwhile, so nothing is clobbered) and unlink the temporary
 * name, falling back to rename where hard links are not supported.  On
 * failure the temporary file is removed and -1 returned with errno set;
 * *what tells which step failed (for the message). */
int out_commit(struct outfile *of, const struct stat *st, int overwrite,
               const char **what);

/* Removes the temporary file (after an error; a special output is only
 * closed).  Keeps errno. */
void out_abort(struct outfile *of);

#endif
