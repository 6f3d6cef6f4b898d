/*
 * coder.c -- the streaming loops over the public libmdz API.
 */
#include "coder.h"
#include "fileio.h"
#include "message.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Consecutive calls without any visible progress tolerated before the loop
 * gives up (guards against an endless loop on a library bug). */
#define MAX_IDLE_CALLS 64

/* Input is handed to the library in slices of this size (the smallest
 * block size), so that a call returns after about a block's work. */
#define SLICE ((size_t)1 << 16)

/* A range is decoded in pieces of at most this many bytes. */
#define RANGE_PIECE ((size_t)16 << 20)

static unsigned char *inbuf, *outbuf;

static int buffers(void)
{
    if (!inbuf)
        inbuf = malloc(IO_BUFSIZE);
    if (!outbuf)
        outbuf = malloc(IO_BUFSIZE);
    return inbuf && outbuf ? 0 : -1;
}

static int sink(int fd, const void *p, size_t n, struct code_result *res)
{
    if (n == 0)
        return 0;
    if (fd >= 0 && io_write(fd, p, n) != 0) {
        res->status = CODE_WRITE_ERROR;
        res->err = errno;
        return -1;
    }
    res->out_bytes += n;
    return 0;
}

/* The library's progress: content and compressed bytes so far. */
static void on_cprogress(void *opaque, uint64_t raw, uint64_t coded)
{
    (void)opaque;
    progress_update(raw, coded);
}

static void on_dprogress(void *opaque, uint64_t raw, uint64_t coded)
{
    (void)opaque;
    progress_update(coded, raw);
}

void code_compress(int in_fd, int out_fd, const mdz_cparams *cparams,
                   struct code_result *res)
{
    mdz_cstream *cs;
    mdz_cparams cp = *cparams;
    mdz_inbuf in;
    int eof = 0, idle = 0;

    memset(res, 0, sizeof *res);
    cp.progress_fn = on_cprogress;
    if (buffers() != 0 || !(cs = mdz_cstream_new(&cp))) {
        res->status = CODE_LIB_ERROR;
        res->err = MDZ_ERR_MEMORY;
        return;
    }
    res->threads = mdz_cstream_threads(cs);
    while (!eof) {
        ssize_t n = io_read(in_fd, inbuf, IO_BUFSIZE);
        size_t off = 0;
        if (n < 0) {
            res->status = CODE_READ_ERROR;
            res->err = errno;
            goto out;
        }
        res->in_bytes += (uint64_t)n;
        eof = (size_t)n < IO_BUFSIZE;
        /* a full buffer might be followed by EOF: that is found by the next
         * read, which then finishes with an empty input.  The buffer is
         * given in slices so that each call does about a block's work
         * (progress, signals) */
        do {
            size_t end = (size_t)n - off > SLICE ? off + SLICE : (size_t)n;
            mdz_end_op op = (eof && end == (size_t)n) ? MDZ_FINISH : MDZ_RUN;
            in.src = inbuf + off;
            in.size = end - off;
            in.pos = 0;
            for (;;) {
                mdz_outbuf out = { outbuf, IO_BUFSIZE, 0 };
                size_t in0 = in.pos;
                int r = mdz_cstream_compress(cs, &out, &in, op);
                if (r < 0) {
                    res->status = CODE_LIB_ERROR;
                    res->err = r;
                    goto out;
                }
                if (sink(out_fd, outbuf, out.pos, res) != 0)
                    goto out;
                if (op == MDZ_RUN) {
                    if (in.pos == in.size && out.pos < out.size)
                        break;
                } else if (r == 0) {
                    break;
                }
                if (out.pos == 0 && in.pos == in0) {
                    if (++idle > MAX_IDLE_CALLS) {
                        res->status = CODE_STALLED;
                        goto out;
                    }
                } else {
                    idle = 0;
                }
            }
            off = end;
        } while (off < (size_t)n);
    }
    res->status = CODE_OK;
out:
    mdz_cstream_free(cs);
}

static void lib_error(mdz_dstream *ds, int r, struct code_result *res)
{
    mdz_info info;
    res->status = CODE_LIB_ERROR;
    res->err = r;
    res->block = mdz_dstream_error_block(ds);
    if (mdz_dstream_info(ds, &info) == MDZ_OK) {
        res->info = info;
        res->stream = info.streams + 1;
    }
}

/* Copies the n bytes already in inbuf and the rest of in_fd to out_fd. */
static void copy_through(int in_fd, int out_fd, ssize_t n, struct code_result *res)
{
    res->copied = 1;
    for (;;) {
        if (sink(out_fd, inbuf, (size_t)n, res) != 0)
            return;
        progress_update(res->in_bytes, res->out_bytes);
        if ((size_t)n < IO_BUFSIZE)
            break;
        n = io_read(in_fd, inbuf, IO_BUFSIZE);
        if (n < 0) {
            res->status = CODE_READ_ERROR;
            res->err = errno;
            return;
        }
        res->in_bytes += (uint64_t)n;
    }
    res->status = CODE_OK;
}

void code_decompress(int in_fd, int out_fd, const mdz_dparams *dparams,
                     int passthrough, struct code_result *res)
{
    mdz_dstream *ds;
    mdz_dparams dp = *dparams;
    mdz_inbuf in;
    int last = 1, idle = 0, first = 1;

    memset(res, 0, sizeof *res);
    dp.progress_fn = on_dprogress;
    if (buffers() != 0 || !(ds = mdz_dstream_new(&dp))) {
        res->status = CODE_LIB_ERROR;
        res->err = MDZ_ERR_MEMORY;
        return;
    }
    for (;;) {
        ssize_t n = io_read(in_fd, inbuf, IO_BUFSIZE);
        size_t off = 0;
        if (n < 0) {
            res->status = CODE_READ_ERROR;
            res->err = errno;
            goto out;
        }
        res->in_bytes += (uint64_t)n;
        if (first && passthrough &&
            ((size_t)n < MDZ_MAGIC_SIZE || memcmp(inbuf, MDZ_MAGIC, MDZ_MAGIC_SIZE) != 0)) {
            copy_through(in_fd, out_fd, n, res);
            goto out;
        }
        first = 0;
        /* slices, as for compression; n == 0 is the end of the input: keep
         * calling with no input while the decoder still releases output */
        do {
            size_t end = (size_t)n - off > SLICE ? off + SLICE : (size_t)n;
            in.src = inbuf + off;
            in.size = end - off;
            in.pos = 0;
            for (;;) {
                mdz_outbuf out = { outbuf, IO_BUFSIZE, 0 };
                size_t in0 = in.pos;
                int r = mdz_dstream_decompress(ds, &out, &in);
                /* whatever was released is verified data: write it even
                 * when the call then failed (with -c it is all a user can
                 * recover) */
                if (sink(out_fd, outbuf, out.pos, res) != 0)
                    goto out;
                if (r < 0) {
                    lib_error(ds, r, res);
                    goto out;
                }
                last = r;
                if (n == 0) {
                    if (r == 0 || out.pos == 0)
                        break;
                    continue;
                }
                if (in.pos == in.size && out.pos < out.size)
                    break;
                if (out.pos == 0 && in.pos == in0) {
                    if (++idle > MAX_IDLE_CALLS) {
                        res->status = CODE_STALLED;
                        goto out;
                    }
                } else {
                    idle = 0;
                }
            }
            off = end;
        } while (off < (size_t)n);
        if (n == 0)
            break;
    }
    if (last != 0 || res->in_bytes == 0) {
        /* the input ended inside a stream (an empty input is no stream
         * either, as with xz) */
        lib_error(ds, MDZ_ERR_TRUNCATED, res);
        res->block = 0;
        goto out;
    }
    res->status = CODE_OK;
    mdz_dstream_info(ds, &res->info);
out:
    mdz_dstream_free(ds);
}

/* What range_dict_info() looks for: the first dictionary frame that does
 * not name the dictionary given. */
struct dict_probe {
    const mdz_dparams *dp;
    uint32_t id;         /* of the dictionary given */
    int found;
    mdz_info *info;
};

static void on_dict_record(void *opaque, const mdz_record *rec)
{
    struct dict_probe *p = opaque;
    if (rec->kind != MDZ_RECORD_DICT || p->found)
        return;
    if (p->dp->dict && rec->raw_size == p->dp->dict_size && rec->check == p->id)
        return;
    p->found = 1;
    p->info->dict_size = rec->raw_size;
    p->info->dict_id = rec->check;
}

/* After the reader refused the dictionary (MDZ_ERR_DICT): the one the
 * file's streams name, for the message, found by listing the file from
 * its start (which does not decode, so needs no dictionary) up to the
 * first dictionary frame that does not name the one given.  Only a
 * regular file can be read again (a pipe's bytes are gone); when it is
 * not found, info->dict_size stays 0. */
static void range_dict_info(int fd, const mdz_dparams *dparams, mdz_info *info)
{
    mdz_dparams dp = *dparams;
    mdz_dstream *ds;
    struct stat st;
    struct dict_probe probe;
    uint64_t off = 0;

    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    probe.dp = dparams;
    probe.id = dparams->dict ? mdz_dict_id(dparams->dict, dparams->dict_size) : 0;
    probe.found = 0;
    probe.info = info;
    dp.list_only = 1;
    dp.record_fn = on_dict_record;
    dp.record_opaque = &probe;
    dp.progress_fn = NULL;
    dp.threads = 1;
    if (!(ds = mdz_dstream_new(&dp)))
        return;
    while (!probe.found) {
        ssize_t n = pread(fd, inbuf, IO_BUFSIZE, (off_t)off);
        mdz_inbuf in;
        if (n <= 0)
            break;
        off += (uint64_t)n;
        in.src = inbuf;
        in.size = (size_t)n;
        in.pos = 0;
        while (in.pos < in.size && !probe.found) {
            mdz_outbuf out = { outbuf, IO_BUFSIZE, 0 };
            size_t in0 = in.pos;
            int r = mdz_dstream_decompress(ds, &out, &in);
            if (r < 0 || (in.pos == in0 && out.pos == 0))
                goto out;
        }
    }
out:
    mdz_dstream_free(ds);
}

void code_range(int in_fd, int out_fd, const mdz_dparams *dparams, uint64_t offset,
                uint64_t length, struct code_result *res)
{
    mdz_reader *r = NULL;
    mdz_dparams dp = *dparams;
    int rc;

    memset(res, 0, sizeof *res);
    if (buffers() != 0) {
        res->status = CODE_LIB_ERROR;
        res->err = MDZ_ERR_MEMORY;
        return;
    }
    /* pieces of up to RANGE_PIECE bytes: a read that spans several blocks
     * has them decoded in parallel */
    size_t piece = length < RANGE_PIECE ? (size_t)length : RANGE_PIECE;
    unsigned char *buf = piece > IO_BUFSIZE ? malloc(piece) : outbuf;
    if (!buf) {
        res->status = CODE_LIB_ERROR;
        res->err = MDZ_ERR_MEMORY;
        return;
    }
    dp.progress_fn = NULL;
    rc = mdz_reader_open_fd(&r, in_fd, &dp);
    while (rc == MDZ_OK && length > 0) {
        size_t want = length < piece ? (size_t)length : piece, got = 0;
        rc = mdz_reader_read(r, buf, want, offset, &got);
        /* what came before a fault is verified: write it */
        if (sink(out_fd, buf, got, res) != 0)
            goto out;
        offset += got;
        length -= got;
        progress_update(0, res->out_bytes);
        if (got < want)
            break;  /* the end of the content */
    }
    if (rc == MDZ_ERR_READ) {
        res->status = CODE_READ_ERROR;
        res->err = errno;
        goto out;
    }
    if (rc < 0) {
        res->status = CODE_LIB_ERROR;
        res->err = rc;
        if (rc == MDZ_ERR_DICT)
            range_dict_info(in_fd, &dp, &res->info);
        goto out;
    }
    res->status = CODE_OK;
    res->info.threads = dp.threads;
out:
    mdz_reader_free(r);
    if (buf != outbuf)
        free(buf);
}
