/*
 * fileio.c -- full reads/writes and the temporary-then-rename output file.
 */
#include "fileio.h"
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NAME_MAX
#define NAME_MAX 255
#endif

ssize_t io_read(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

int io_write(int fd, const void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, (const char *)buf + done, n - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (w == 0) {
            errno = ENOSPC;
            return -1;
        }
        done += (size_t)w;
    }
    return 0;
}

int out_is_special(const struct stat *st)
{
    return S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) || S_ISFIFO(st->st_mode) ||
           S_ISSOCK(st->st_mode);
}

int out_open_special(struct outfile *of, const char *dest)
{
    struct stat st;
    of->tmp = NULL;
    of->dest = dest;
    of->special = 1;
    /* no O_CREAT: if dest vanished meanwhile, nothing is created in its
     * place; no O_TRUNC: devices and FIFOs have nothing to truncate */
    of->fd = open(dest, O_WRONLY | O_NOCTTY);
    if (of->fd < 0)
        return -1;
    if (fstat(of->fd, &st) != 0 || !out_is_special(&st)) {
        /* replaced by a regular file between the check and the open */
        close(of->fd);
        of->fd = -1;
        errno = EEXIST;
        return -1;
    }
    return 0;
}

static int same_time(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

int in_unchanged(int fd, const char *name, const struct stat *st0,
                 const struct stat *name_st, uint64_t bytes_read, const char **why)
{
    struct stat now, ln;
    /* the name first: a file replaced by rename also has a new ctime */
    if (lstat(name, &ln) != 0 || ln.st_dev != name_st->st_dev || ln.st_ino != name_st->st_ino) {
        *why = "seems to have been moved or replaced";
        return 0;
    }
    if (fstat(fd, &now) != 0) {
        *why = "cannot be checked after reading";
        return 0;
    }
    if (now.st_size != st0->st_size || (uint64_t)now.st_size != bytes_read) {
        *why = now.st_size > st0->st_size || (uint64_t)now.st_size > bytes_read
                   ? "grew while it was being read"
                   : "shrank while it was being read";
        return 0;
    }
    if (!same_time(&now.st_mtim, &st0->st_mtim) || !same_time(&now.st_ctim, &st0->st_ctim)) {
        *why = "was modified while it was being read";
        return 0;
    }
    return 1;
}

int out_open(struct outfile *of, const char *dest)
{
    const char *slash = strrchr(dest, '/');
    size_t dirlen = slash ? (size_t)(slash - dest) + 1 : 0;
    const char *base = dest + dirlen;
    size_t baselen = strlen(base);
    char *tmp;
    int fd, e;

    of->fd = -1;
    of->tmp = NULL;
    of->dest = dest;
    of->special = 0;
    tmp = malloc(dirlen + baselen + 16);
    if (!tmp)
        return -1;
    memcpy(tmp, dest, dirlen);
    if (baselen + 8 <= NAME_MAX)
        sprintf(tmp + dirlen, ".%s.XXXXXX", base);
    else
        strcpy(tmp + dirlen, ".mdz.XXXXXX");

    signals_block();
    fd = mkstemp(tmp);
    if (fd >= 0 && signals_set_tmp(tmp) != 0) {
        unlink(tmp);
        close(fd);
        fd = -1;
        errno = ENAMETOOLONG;
    }
    e = errno;
    signals_unblock();
    if (fd < 0) {
        free(tmp);
        errno = e;
        return -1;
    }
    of->fd = fd;
    of->tmp = tmp;
    return 0;
}

void out_abort(struct outfile *of)
{
    int e = errno;
    signals_block();
    if (of->fd >= 0)
        close(of->fd);
    if (of->tmp)
        unlink(of->tmp);
    signals_clear_tmp();
    signals_unblock();
    free(of->tmp);
    of->tmp = NULL;
    of->fd = -1;
    errno = e;
}

int out_commit(struct outfile *of, const struct stat *st, int overwrite,
               const char **what)
{
    int r, e;

    if (of->special) {
        /* a device or FIFO written in place: only close it */
        r = close(of->fd);
        of->fd = -1;
        if (r != 0) {
            *what = "cannot write";
            return -1;
        }
        return 0;
    }
    if (fsync(of->fd) != 0 && errno != EINVAL && errno != EROFS) {
        *what = "cannot write";
        goto fail;
    }
    if (st) {
        mode_t mode = st->st_mode & 07777;
        struct timespec ts[2];
        /* owner: best effort (works as root); group: often allowed */
        if (fchown(of->fd, st->st_uid, st->st_gid) != 0) {
            if (fchown(of->fd, (uid_t)-1, st->st_gid) != 0)
                mode &= ~(mode_t)(S_ISGID | S_ISUID);
            mode &= ~(mode_t)S_ISUID;
        }
        if (fchmod(of->fd, mode) != 0) {
            *what = "cannot set the mode of";
            goto fail;
        }
        ts[0] = st->st_atim;
        ts[1] = st->st_mtim;
        if (futimens(of->fd, ts) != 0) {
            *what = "cannot set the times of";
            goto fail;
        }
    } else {
        /* stdin or another special input: an ordinary new file's mode */
        mode_t um = umask(0);
        umask(um);
        if (fchmod(of->fd, 0666 & ~um) != 0) {
            *what = "cannot set the mode of";
            goto fail;
        }
    }
    r = close(of->fd);
    of->fd = -1;
    if (r != 0) {
        *what = "cannot write";
        goto fail;
    }
    signals_block();
    r = -1;
    e = 0;
    if (!overwrite) {
        r = link(of->tmp, of->dest);
        e = errno;
        if (r == 0) {
            unlink(of->tmp);
        } else if (e == EEXIST) {
            signals_unblock();
            errno = EEXIST;
            *what = "cannot create";
            goto fail;
        }
    }
    if (r != 0) {
        /* overwrite, or no hard links on this file system: note that the
         * caller checked beforehand that dest did not exist */
        r = rename(of->tmp, of->dest);
        e = errno;
    }
    if (r == 0)
        signals_clear_tmp();
    signals_unblock();
    if (r != 0) {
        errno = e;
        *what = "cannot create";
        goto fail;
    }
    free(of->tmp);
    of->tmp = NULL;
    return 0;
fail:
    out_abort(of);
    return -1;
}
