/*
 * train.c -- --train and the -D file.
 *
 *   mdz --train [--maxdict=SIZE] FILE... -o DICT
 *
 * Every FILE is read whole into memory, one sample each, in the order
 * given; mdz_train_dict() picks the dictionary out of them (src/dict.c);
 * DICT is written under a temporary name in its directory and renamed into
 * place once complete, as mdz writes every output (fileio.h), so an error
 * or a signal leaves no partial dictionary, and an existing DICT is
 * replaced only with -f.  A DICT that is a device or FIFO is written in
 * place; "-o -" writes standard output.
 */
#include "train.h"
#include "fileio.h"
#include "message.h"

#include "mdz.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Appends the rest of fd to *buf (of *len bytes, *cap allocated), reading
 * at most limit bytes in all (more are left unread).  Returns 0, or -1
 * with errno set. */
static int read_all(int fd, unsigned char **buf, size_t *len, size_t *cap, size_t limit)
{
    for (;;) {
        size_t want;
        ssize_t n;
        if (*len >= limit)
            return 0;
        if (*cap - *len < IO_BUFSIZE) {
            size_t ncap = *cap ? *cap * 2 : IO_BUFSIZE;
            unsigned char *nb;
            while (ncap - *len < IO_BUFSIZE)
                ncap *= 2;
            if (ncap < *cap || !(nb = realloc(*buf, ncap))) {
                errno = ENOMEM;
                return -1;
            }
            *buf = nb;
            *cap = ncap;
        }
        want = limit - *len < IO_BUFSIZE ? limit - *len : IO_BUFSIZE;
        n = io_read(fd, *buf + *len, want);
        if (n < 0)
            return -1;
        *len += (size_t)n;
        if ((size_t)n < want)
            return 0;
    }
}

int dict_load(const char *name, struct dict_file *d)
{
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    struct stat st;
    int fd, e;

    memset(d, 0, sizeof *d);
    fd = open(name, O_RDONLY | O_NOCTTY);
    if (fd < 0) {
        msg_error(name, "cannot read the dictionary: %s", strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > MDZ_DICT_SIZE_MAX) {
        close(fd);
        msg_error(name, "the dictionary is larger than %zu MiB, the most there can be",
                  MDZ_DICT_SIZE_MAX >> 20);
        return -1;
    }
    /* one byte past the limit tells a file that is too large */
    if (read_all(fd, &buf, &len, &cap, MDZ_DICT_SIZE_MAX + 1) != 0) {
        e = errno;
        close(fd);
        free(buf);
        msg_error(name, "cannot read the dictionary: %s", strerror(e));
        return -1;
    }
    close(fd);
    if (len == 0) {
        free(buf);
        msg_error(name, "the dictionary is empty");
        return -1;
    }
    if (len > MDZ_DICT_SIZE_MAX) {
        free(buf);
        msg_error(name, "the dictionary is larger than %zu MiB, the most there can be",
                  MDZ_DICT_SIZE_MAX >> 20);
        return -1;
    }
    d->data = buf;
    d->size = len;
    d->id = mdz_dict_id(buf, len);
    return 0;
}

void dict_free(struct dict_file *d)
{
    free(d->data);
    memset(d, 0, sizeof *d);
}

/* Writes the dictionary to dest: 0, or -1 after a message. */
static int write_dict(const char *dest, const void *dict, size_t size, int force)
{
    struct outfile of;
    struct stat dst;
    const char *what = "cannot write";
    int special = 0;

    if (strcmp(dest, "-") == 0) {
        if (isatty(STDOUT_FILENO) && !force) {
            msg_error(NULL, "a dictionary is not written to a terminal. Use -f to force.");
            return -1;
        }
        if (io_write(STDOUT_FILENO, dict, size) != 0) {
            msg_error("(stdout)", "write error: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    if (lstat(dest, &dst) == 0) {
        struct stat tgt = dst;
        int have_tgt = !S_ISLNK(dst.st_mode) || stat(dest, &tgt) == 0;
        if (have_tgt && out_is_special(&tgt)) {
            if (S_ISBLK(tgt.st_mode) && !force) {
                msg_error(dest, "is a block device; use -f to write into it");
                return -1;
            }
            special = 1;
        } else if (!force) {
            msg_error(dest, "already exists; use -f to overwrite");
            return -1;
        } else if (S_ISDIR(dst.st_mode)) {
            msg_error(dest, "is a directory");
            return -1;
        }
    }
    if (special ? out_open_special(&of, dest) : out_open(&of, dest)) {
        if (special)
            msg_error(dest, "%s", errno == EEXIST ? "was replaced while being opened"
                                                  : strerror(errno));
        else
            msg_error(dest, "cannot create a temporary file: %s", strerror(errno));
        return -1;
    }
    if (io_write(of.fd, dict, size) != 0) {
        msg_error(dest, "%s", strerror(errno));
        out_abort(&of);
        return -1;
    }
    if (out_commit(&of, NULL, force, &what) != 0) {
        if (errno == EEXIST)
            msg_error(dest, "already exists; use -f to overwrite");
        else
            msg_error(dest, "%s: %s", what, strerror(errno));
        return -1;
    }
    return 0;
}

int train_run(char **files, int nfiles, const char *dest, uint64_t maxdict, int force)
{
    unsigned char *buf = NULL, *dict = NULL;
    size_t len = 0, cap = 0, *sizes, dlen;
    int i, r, rc = -1;

    sizes = calloc((size_t)nfiles, sizeof *sizes);
    if (!sizes) {
        msg_error(NULL, "out of memory");
        return -1;
    }
    for (i = 0; i < nfiles; i++) {
        const char *name = files[i];
        int is_stdin = strcmp(name, "-") == 0;
        int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_NOCTTY);
        size_t before = len;
        struct stat st;
        if (fd < 0) {
            msg_error(name, "%s", strerror(errno));
            goto out;
        }
        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            msg_error(name, "is a directory");
            if (!is_stdin)
                close(fd);
            goto out;
        }
        if (read_all(fd, &buf, &len, &cap, SIZE_MAX) != 0) {
            int e = errno;
            if (!is_stdin)
                close(fd);
            msg_error(is_stdin ? "(stdin)" : name, "read error: %s", strerror(e));
            goto out;
        }
        if (!is_stdin)
            close(fd);
        sizes[i] = len - before;
    }
    if (len == 0) {
        msg_error(NULL, "the samples are empty: no dictionary can be made of them");
        goto out;
    }
    dlen = maxdict ? (size_t)maxdict : MDZ_DICT_SIZE_DEFAULT;
    dict = malloc(dlen);
    if (!dict) {
        msg_error(NULL, "out of memory");
        goto out;
    }
    r = mdz_train_dict(dict, &dlen, buf, sizes, (size_t)nfiles);
    if (r != MDZ_OK) {
        msg_error(NULL, "cannot make a dictionary: %s", mdz_strerror(r));
        goto out;
    }
    if (write_dict(dest, dict, dlen, force) != 0)
        goto out;
    msg_verbose(strcmp(dest, "-") == 0 ? "(stdout)" : dest,
                "dictionary of %zu bytes (ID %08" PRIx32 ") from %d sample%s of %zu bytes%s",
                dlen, mdz_dict_id(dict, dlen), nfiles, nfiles == 1 ? "" : "s", len,
                dlen == len ? " (all of them)" : "");
    rc = 0;
out:
    free(sizes);
    free(buf);
    free(dict);
    return rc;
}
