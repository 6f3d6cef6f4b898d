/*
 * reader.c -- random access: decoding a byte range of a .mdz file through
 * its block index (doc/format.md section 3.4), without the blocks before.
 *
 * A reader keeps a map of the file: its streams (where each header is,
 * with its level, model and block size) and its data blocks (where each
 * starts in the file and in the content, its sizes).  On a source whose
 * size is known (a file), it builds the whole map at open from the end:
 * the last stream's end marker names the size of the index frame before
 * it, the index lists every block's content length and size, and their
 * sum leads back to the stream's header and, before it, to the previous
 * stream's end marker.  Every step is checked (end marker, index and
 * stream header each by its own CRC-32C, the sums against the end
 * marker's total and the file's bounds), and each block header is checked
 * against its entry before the block is decoded.  A file this cannot map
 * (a stream of format 1 or 2, which has no index; a stream written with
 * more blocks than an index holds; anything damaged) is mapped by walking
 * it from the start instead, reading each frame header and seeking past
 * the payloads -- which checks every index met against the blocks it
 * lists, so damage to an index is found either way.
 *
 * On a source read forward only (a pipe), the map grows as the reads go:
 * frames are read in order, the blocks before a range are skipped (read
 * and dropped by the source), and the walk stops where the range ends.
 *
 * Decoding uses one slot per thread: the bytes of a block (read on the
 * calling thread, in file order) and its decoded content, kept after the
 * call so that a next read in the same block costs nothing.  A block is
 * decoded only as far as the range needs, to the end of the chunk that
 * holds its last byte (type 3), and every byte handed out has matched its
 * chunk's (or block's) CRC-32C.  With threads, the blocks of one call are
 * decoded in parallel; the bytes are the same for every thread count.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec.h"
#include "frame.h"
#include "mdz.h"
#include "stream.h"
#include "workers.h"

typedef struct {
    uint64_t coded;          /* offset of its header in the source */
    uint64_t raw;            /* where its content starts */
    int version, model, level, block_log;
    int dict;                /* its blocks are primed with the dictionary */
} rd_stream;

typedef struct {
    uint64_t coded;          /* offset of its header */
    uint64_t raw;            /* where its content starts */
    uint32_t raw_len, size;  /* content bytes; bytes in the source */
    uint32_t stream;         /* index into the streams */
    uint32_t block;          /* 1-based number in its stream */
    int known;               /* header read and checked: bh is valid */
    mdz_block_header bh;
} rd_block;

typedef struct rd_slot {
    struct mdz_reader *r;
    size_t block;            /* the block it holds (SIZE_MAX: none) */
    uint8_t *pbuf;           /* table, payload, trailer */
    size_t pcap;
    uint8_t *rbuf;           /* decoded content */
    size_t rcap;
    size_t verified, need;   /* bytes checked; bytes wanted */
    mdz_block_pos pos;
    int done, err;
    int working;             /* handed to a worker */
    uint64_t used;           /* for choosing a slot to reuse */
    int codec;               /* the codec decoding it (-1: none yet), */
    uint64_t lease;          /* and that codec's lease when it started: if
                                the codec has moved on to another block
                                since, decoding further starts again */
} rd_slot;

typedef struct {
    mdz_codec *c;
    int level, model;
    uint64_t lease;          /* counts the blocks it has started */
} rd_codec;

struct mdz_reader {
    mdz_source src;
    mdz_dparams p;
    rd_stream *streams;
    size_t nstreams, capstreams;
    rd_block *blocks;
    size_t nblocks, capblocks;
    int complete;            /* the map covers the whole source */
    int indexed;             /* ... and was built from the indexes */
    uint64_t content;        /* content bytes mapped so far */
    /* the forward walk */
    uint64_t scan_pos;       /* offset of the next frame */
    int in_stream;
    uint64_t stream_blocks, stream_raw;
    uint32_t index_crc;      /* of the entries the stream's blocks call for */
    uint64_t index_size;     /* the index frame just read (0: none) */
    /* decoding */
    rd_slot *slots;
    int nslots;              /* threads + 1: the blocks kept decoded */
    rd_codec *codecs;        /* one per thread: a batch decodes this many
                                blocks at once */
    int ncodecs;
    uint64_t clock;
    mdz_workers *workers;
    uint64_t read_floor;     /* forward-only source: nothing before this
                                can be read again */
    int err;                 /* sticky: the map is unusable */
    int owns_opaque;         /* src.opaque is ours to free */
    mdz_dict_copy dict;      /* the dictionary given, if any */
    int first_frame;         /* the walk: the next frame follows a header */
};

/* ------------------------------------------------------------------------ */
/* The source                                                               */

/* Reads exactly len bytes at off: MDZ_OK, MDZ_ERR_TRUNCATED if the source
 * ends first (*got tells how many came), or MDZ_ERR_READ. */
static int rd_fetch(mdz_reader *r, void *buf, size_t len, uint64_t off, size_t *got)
{
    size_t have = 0;
    int forward = r->src.size == MDZ_SOURCE_SIZE_UNKNOWN;
    if (forward && off < r->read_floor)
        return MDZ_ERR_PARAM;
    while (have < len) {
        int64_t k = r->src.read(r->src.opaque, (uint8_t *)buf + have, len - have, off + have);
        if (k < 0 || (uint64_t)k > len - have)
            return MDZ_ERR_READ;
        if (k == 0)
            break;
        have += (size_t)k;
    }
    if (forward)
        r->read_floor = off + have;
    if (got)
        *got = have;
    return have == len ? MDZ_OK : MDZ_ERR_TRUNCATED;
}

static int grow_array(void **a, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return MDZ_OK;
    size_t c = *cap ? 2 * *cap : 16;
    void *p = realloc(*a, c * elem);
    if (!p)
        return MDZ_ERR_MEMORY;
    *a = p;
    *cap = c;
    return MDZ_OK;
}

/* The memory a stream's blocks take to decode. */
static uint64_t rd_stream_memory(const mdz_reader *r, const rd_stream *s)
{
    uint64_t m = mdz_stream_memory(s->model, s->level, s->block_log);
    if (s->dict)
        m += mdz_dict_thread_memory(r->dict.size, s->block_log) +
             mdz_dict_context_memory(r->dict.size);
    return m;
}

/* A stream's dictionary frame f (the stream last added): checked against
 * the dictionary given, which then counts toward the memory. */
static int rd_use_dict(mdz_reader *r, const mdz_frame_header *f)
{
    rd_stream *s = &r->streams[r->nstreams - 1];
    if (f->a != r->dict.size || f->b != r->dict.id)
        return MDZ_ERR_DICT;
    s->dict = 1;
    if (r->p.memlimit && rd_stream_memory(r, s) > r->p.memlimit)
        return MDZ_ERR_MEMLIMIT;
    return MDZ_OK;
}

/* Checks a stream header read at off and adds the stream to the map. */
static int rd_add_stream(mdz_reader *r, const uint8_t *h, uint64_t off)
{
    mdz_stream_header sh;
    int e = mdz_parse_stream_header(h, &sh);
    if (e == MDZ_ERR_FORMAT && r->nstreams > 0)
        e = MDZ_ERR_TRAILING;
    if (e < 0)
        return e;
    if (r->p.memlimit && mdz_stream_memory(sh.model, sh.level, sh.block_log) > r->p.memlimit)
        return MDZ_ERR_MEMLIMIT;
    if (grow_array((void **)&r->streams, &r->capstreams, r->nstreams, sizeof *r->streams) < 0)
        return MDZ_ERR_MEMORY;
    rd_stream *s = &r->streams[r->nstreams++];
    s->coded = off;
    s->raw = r->content;
    s->version = sh.version;
    s->model = sh.model;
    s->level = sh.level;
    s->block_log = sh.block_log;
    s->dict = 0;
    return MDZ_OK;
}

static int rd_add_block(mdz_reader *r, uint64_t coded, uint32_t raw_len, uint32_t size,
                        uint32_t block)
{
    if (grow_array((void **)&r->blocks, &r->capblocks, r->nblocks, sizeof *r->blocks) < 0)
        return MDZ_ERR_MEMORY;
    rd_block *b = &r->blocks[r->nblocks++];
    memset(b, 0, sizeof *b);
    b->coded = coded;
    b->raw = r->content;
    b->raw_len = raw_len;
    b->size = size;
    b->stream = (uint32_t)(r->nstreams - 1);
    b->block = block;
    r->content += raw_len;
    return MDZ_OK;
}

/* ------------------------------------------------------------------------ */
/* The map from the indexes                                                 */

typedef struct {
    uint64_t start;          /* stream header offset */
    uint8_t header[MDZ_STREAM_HEADER_SIZE];
    int dict;                /* a dictionary frame follows the header: */
    mdz_frame_header df;     /* this one */
    uint8_t *entries;        /* the index payload */
    uint32_t n;
} rd_found;

/* Reads and checks the index frame of isize bytes at off against the
 * end marker e; on success *entries holds its payload (the caller frees
 * it) and *sizes the sum of the blocks' sizes. */
static int rd_read_index(mdz_reader *r, uint64_t off, uint32_t isize, const mdz_end_marker *e,
                         uint8_t **entries, uint64_t *sizes)
{
    uint8_t fh[MDZ_FRAME_HEADER_SIZE];
    mdz_frame_header f;
    int rc = rd_fetch(r, fh, sizeof fh, off, NULL);
    if (rc < 0)
        return rc;
    if (mdz_parse_frame_header(fh, &f) < 0 || f.type != MDZ_FRAME_INDEX ||
        MDZ_FRAME_HEADER_SIZE + (uint64_t)f.a != isize)
        return MDZ_ERR_CORRUPT;
    uint8_t *p = malloc(f.a ? f.a : 1);
    if (!p)
        return MDZ_ERR_MEMORY;
    rc = rd_fetch(r, p, f.a, off + MDZ_FRAME_HEADER_SIZE, NULL);
    uint64_t raw = 0, sz = 0;
    if (rc == MDZ_OK && mdz_crc32c(0, p, f.a) != f.b)
        rc = MDZ_ERR_CORRUPT;
    for (uint32_t i = 0; rc == MDZ_OK && i < f.a / MDZ_INDEX_ENTRY_SIZE; i++) {
        uint32_t len = mdz_get32(p + MDZ_INDEX_ENTRY_SIZE * i);
        uint32_t size = mdz_get32(p + MDZ_INDEX_ENTRY_SIZE * i + 4);
        /* the smallest block is a stored byte: header, byte, checksum */
        if (len == 0 || size < MDZ_BLOCK_HEADER_SIZE + 1 + MDZ_BLOCK_TRAILER_SIZE)
            rc = MDZ_ERR_CORRUPT;
        raw += len;
        sz += size;
    }
    if (rc == MDZ_OK && raw != e->total_len)
        rc = MDZ_ERR_CORRUPT;
    if (rc < 0) {
        free(p);
        return rc;
    }
    *entries = p;
    *sizes = sz;
    return MDZ_OK;
}

/* Maps the file from its end.  Returns MDZ_OK with the whole map, or an
 * error (the caller then walks the file from the start). */
static int rd_map_from_end(mdz_reader *r)
{
    rd_found *found = NULL;
    size_t nfound = 0, capfound = 0;
    uint64_t pos = r->src.size;
    int rc = MDZ_OK;
    while (pos > 0 && rc == MDZ_OK) {
        uint8_t em[MDZ_END_MARKER_SIZE], sh[MDZ_STREAM_HEADER_SIZE];
        mdz_end_marker e;
        uint8_t *entries = NULL;
        uint64_t sizes = 0;
        if (pos < MDZ_STREAM_HEADER_SIZE + MDZ_FRAME_HEADER_SIZE + MDZ_END_MARKER_SIZE) {
            rc = MDZ_ERR_CORRUPT;
            break;
        }
        rc = rd_fetch(r, em, sizeof em, pos - sizeof em, NULL);
        if (rc < 0)
            break;
        if (mdz_parse_end_marker(em, 3, &e) < 0 || e.index_size == 0 ||
            e.index_size > pos - MDZ_END_MARKER_SIZE - MDZ_STREAM_HEADER_SIZE) {
            rc = MDZ_ERR_CORRUPT;
            break;
        }
        uint64_t ipos = pos - MDZ_END_MARKER_SIZE - e.index_size;
        rc = rd_read_index(r, ipos, e.index_size, &e, &entries, &sizes);
        if (rc < 0)
            break;
        if (sizes > ipos - MDZ_STREAM_HEADER_SIZE) {
            free(entries);
            rc = MDZ_ERR_CORRUPT;
            break;
        }
        /* the first block (or the index, if none) follows the header, or
         * the dictionary frame after it: that frame's type byte stands
         * where the header's last magic byte would */
        uint64_t first = ipos - sizes, start = first - MDZ_STREAM_HEADER_SIZE;
        uint8_t df[MDZ_FRAME_HEADER_SIZE];
        mdz_frame_header f;
        mdz_stream_header h;
        int dict = 0;
        rc = rd_fetch(r, df, sizeof df, first - MDZ_FRAME_HEADER_SIZE, NULL);
        if (rc == MDZ_OK && df[0] == MDZ_FRAME_DICT) {
            if (first < MDZ_STREAM_HEADER_SIZE + MDZ_FRAME_HEADER_SIZE ||
                mdz_parse_frame_header(df, &f) < 0)
                rc = MDZ_ERR_CORRUPT;
            dict = 1;
            start = first - MDZ_STREAM_HEADER_SIZE - MDZ_FRAME_HEADER_SIZE;
        }
        if (rc == MDZ_OK)
            rc = rd_fetch(r, sh, sizeof sh, start, NULL);
        if (rc == MDZ_OK && (mdz_parse_stream_header(sh, &h) < 0 || h.version < 3))
            rc = MDZ_ERR_CORRUPT;
        if (rc == MDZ_OK)
            rc = grow_array((void **)&found, &capfound, nfound, sizeof *found);
        if (rc < 0) {
            free(entries);
            break;
        }
        found[nfound].start = start;
        memcpy(found[nfound].header, sh, sizeof sh);
        found[nfound].dict = dict;
        if (dict)
            found[nfound].df = f;
        found[nfound].entries = entries;
        found[nfound].n = (e.index_size - MDZ_FRAME_HEADER_SIZE) / MDZ_INDEX_ENTRY_SIZE;
        nfound++;
        pos = start;
    }
    /* the streams in file order */
    for (size_t i = nfound; rc == MDZ_OK && i-- > 0;) {
        rc = rd_add_stream(r, found[i].header, found[i].start);
        if (rc == MDZ_OK && found[i].dict)
            rc = rd_use_dict(r, &found[i].df);
        uint64_t at = found[i].start + MDZ_STREAM_HEADER_SIZE +
                      (found[i].dict ? MDZ_FRAME_HEADER_SIZE : 0);
        for (uint32_t k = 0; rc == MDZ_OK && k < found[i].n; k++) {
            const uint8_t *en = found[i].entries + MDZ_INDEX_ENTRY_SIZE * k;
            uint32_t size = mdz_get32(en + 4);
            rc = rd_add_block(r, at, mdz_get32(en), size, k + 1);
            at += size;
        }
    }
    for (size_t i = 0; i < nfound; i++)
        free(found[i].entries);
    free(found);
    if (rc == MDZ_OK && r->nstreams == 0)
        rc = MDZ_ERR_CORRUPT;
    if (rc < 0) {
        /* start again from nothing */
        r->nstreams = r->nblocks = 0;
        r->content = 0;
        return rc;
    }
    r->complete = r->indexed = 1;
    return MDZ_OK;
}

/* ------------------------------------------------------------------------ */
/* The map from the start                                                   */

/* Reads and checks one frame at scan_pos, adding what it is to the map.
 * Sets r->complete at the end of the source. */
static int rd_scan_step(mdz_reader *r)
{
    uint8_t h[MDZ_END_MARKER_SIZE];
    size_t got = 0;
    int rc;
    if (!r->in_stream) {
        if (r->src.size != MDZ_SOURCE_SIZE_UNKNOWN && r->scan_pos >= r->src.size &&
            r->nstreams > 0) {
            r->complete = 1;
            return MDZ_OK;
        }
        rc = rd_fetch(r, h, MDZ_STREAM_HEADER_SIZE, r->scan_pos, &got);
        if (rc == MDZ_ERR_TRUNCATED && got == 0 && r->nstreams > 0) {
            r->complete = 1;
            return MDZ_OK;
        }
        if (rc == MDZ_ERR_TRUNCATED) {
            /* a short tail: not .mdz at all, or a cut header */
            static const uint8_t magic[4] = { MDZ_MAGIC_0, MDZ_MAGIC_1, MDZ_MAGIC_2,
                                              MDZ_MAGIC_3 };
            size_t m = got < 4 ? got : 4;
            if (memcmp(h, magic, m) != 0 || got == 0)
                return r->nstreams > 0 ? MDZ_ERR_TRAILING
                                       : got ? MDZ_ERR_FORMAT : MDZ_ERR_TRUNCATED;
            return MDZ_ERR_TRUNCATED;
        }
        if (rc < 0)
            return rc;
        rc = rd_add_stream(r, h, r->scan_pos);
        if (rc < 0)
            return rc;
        r->scan_pos += MDZ_STREAM_HEADER_SIZE;
        r->in_stream = 1;
        r->first_frame = 1;
        r->stream_blocks = r->stream_raw = 0;
        r->index_crc = 0;
        r->index_size = 0;
        return MDZ_OK;
    }
    const rd_stream *s = &r->streams[r->nstreams - 1];
    rc = rd_fetch(r, h, 1, r->scan_pos, NULL);
    if (rc < 0)
        return rc;
    if (r->index_size && h[0] != MDZ_BLOCK_END)
        return MDZ_ERR_CORRUPT;  /* the index is the last frame */
    int first = r->first_frame;
    r->first_frame = 0;
    if (h[0] == MDZ_BLOCK_END) {
        size_t n = mdz_end_marker_size(s->version);
        mdz_end_marker e;
        rc = rd_fetch(r, h + 1, n - 1, r->scan_pos + 1, NULL);
        if (rc < 0)
            return rc;
        if (mdz_parse_end_marker(h, s->version, &e) < 0 || e.total_len != r->stream_raw ||
            e.index_size != r->index_size)
            return MDZ_ERR_CORRUPT;
        r->scan_pos += n;
        r->in_stream = 0;
        if (r->src.size != MDZ_SOURCE_SIZE_UNKNOWN && r->scan_pos >= r->src.size)
            r->complete = 1;
        return MDZ_OK;
    }
    rc = rd_fetch(r, h + 1, MDZ_BLOCK_HEADER_SIZE - 1, r->scan_pos + 1, NULL);
    if (rc < 0)
        return rc;
    if (h[0] == MDZ_FRAME_DICT) {
        /* only first after the header */
        mdz_frame_header f;
        if (!first || s->version < 3 || mdz_parse_frame_header(h, &f) < 0)
            return MDZ_ERR_CORRUPT;
        rc = rd_use_dict(r, &f);
        if (rc < 0)
            return rc;
        r->scan_pos += MDZ_FRAME_HEADER_SIZE;
        return MDZ_OK;
    }
    if (s->version >= 3 && h[0] >= MDZ_FRAME_SKIP_MIN && h[0] <= MDZ_FRAME_SKIP_MAX) {
        mdz_frame_header f;
        if (mdz_parse_frame_header(h, &f) < 0 ||
            (f.type == MDZ_FRAME_INDEX &&
             (f.a != r->stream_blocks * MDZ_INDEX_ENTRY_SIZE || f.b != r->index_crc)))
            return MDZ_ERR_CORRUPT;
        /* its payload must be what its header says */
        uint8_t buf[4096];
        uint32_t crc = 0;
        for (uint32_t at = 0; at < f.a;) {
            size_t k = f.a - at < sizeof buf ? f.a - at : sizeof buf;
            rc = rd_fetch(r, buf, k, r->scan_pos + MDZ_FRAME_HEADER_SIZE + at, NULL);
            if (rc < 0)
                return rc;
            crc = mdz_crc32c(crc, buf, k);
            at += (uint32_t)k;
        }
        if (crc != f.b)
            return MDZ_ERR_CORRUPT;
        if (f.type == MDZ_FRAME_INDEX)
            r->index_size = MDZ_FRAME_HEADER_SIZE + (uint64_t)f.a;
        r->scan_pos += MDZ_FRAME_HEADER_SIZE + (uint64_t)f.a;
        return MDZ_OK;
    }
    mdz_block_header bh;
    if (mdz_parse_block_header(h, s->version, s->block_log, &bh) < 0)
        return MDZ_ERR_CORRUPT;
    uint64_t size = MDZ_BLOCK_HEADER_SIZE + mdz_block_rest(&bh);
    uint8_t en[MDZ_INDEX_ENTRY_SIZE];
    mdz_put_index_entry(en, bh.raw_len, (uint32_t)size);
    r->index_crc = mdz_crc32c(r->index_crc, en, sizeof en);
    r->stream_blocks++;
    r->stream_raw += bh.raw_len;
    rc = rd_add_block(r, r->scan_pos, bh.raw_len, (uint32_t)size, (uint32_t)r->stream_blocks);
    if (rc < 0)
        return rc;
    r->blocks[r->nblocks - 1].bh = bh;
    r->blocks[r->nblocks - 1].known = 1;
    r->scan_pos += size;
    return MDZ_OK;
}

/* Extends the map until it holds block i and content byte off (or the
 * source ends). */
static int rd_scan_to(mdz_reader *r, size_t i, uint64_t off)
{
    while (!r->complete && (r->nblocks <= i || r->content <= off)) {
        int rc = rd_scan_step(r);
        if (rc < 0)
            return r->err = rc;
    }
    return MDZ_OK;
}

/* ------------------------------------------------------------------------ */
/* Decoding                                                                 */

/* Reads block i's bytes into slot s (on the calling thread, in file
 * order), checking its header against the map. */
static int rd_load(mdz_reader *r, rd_slot *s, size_t i)
{
    rd_block *b = &r->blocks[i];
    const rd_stream *st = &r->streams[b->stream];
    size_t rest = b->size - MDZ_BLOCK_HEADER_SIZE;
    int rc;
    s->block = SIZE_MAX;
    if (!b->known) {
        uint8_t h[MDZ_BLOCK_HEADER_SIZE];
        rc = rd_fetch(r, h, sizeof h, b->coded, NULL);
        if (rc < 0)
            return rc == MDZ_ERR_TRUNCATED ? MDZ_ERR_CORRUPT : rc;
        if (mdz_parse_block_header(h, st->version, st->block_log, &b->bh) < 0 ||
            b->bh.raw_len != b->raw_len || MDZ_BLOCK_HEADER_SIZE + mdz_block_rest(&b->bh) != b->size)
            return MDZ_ERR_CORRUPT;
        b->known = 1;
    }
    if (mdz_grow_bytes(&s->pbuf, &s->pcap, rest, rest) < 0 ||
        (b->bh.type != MDZ_BLOCK_STORED &&
         mdz_grow_bytes(&s->rbuf, &s->rcap, b->raw_len, b->raw_len) < 0))
        return MDZ_ERR_MEMORY;
    rc = rd_fetch(r, s->pbuf, rest, b->coded + MDZ_BLOCK_HEADER_SIZE, NULL);
    if (rc < 0)
        return rc == MDZ_ERR_TRUNCATED && r->indexed ? MDZ_ERR_CORRUPT : rc;
    s->block = i;
    s->verified = 0;
    s->codec = -1;
    s->pos.started = 0;
    s->done = 0;
    s->err = 0;
    return MDZ_OK;
}

/* Decodes slot s's block until s->need bytes are checked (or it fails). */
static void rd_decode(rd_slot *s)
{
    mdz_reader *r = s->r;
    const rd_block *b = &r->blocks[s->block];
    const rd_stream *st = &r->streams[b->stream];
    mdz_codec *c = NULL;
    if (b->bh.type != MDZ_BLOCK_STORED) {
        rd_codec *rc = &r->codecs[s->codec];
        c = mdz_codec_get(&rc->c, &rc->level, &rc->model, st->level, st->model,
                          st->block_log, st->dict ? r->dict.bytes : NULL,
                          st->dict ? r->dict.size : 0);
        if (!c) {
            s->err = MDZ_ERR_MEMORY;
            return;
        }
    }
    while (!s->done && !s->err && s->verified < s->need) {
        int k = mdz_block_step(&b->bh, s->pbuf, s->rbuf, c, &s->pos, &s->verified);
        if (k < 0)
            s->err = k;
        else if (k > 0)
            s->done = 1;
    }
}

static void rd_task(void *task, int w)
{
    rd_slot *s = task;
    (void)w;
    rd_decode(s);
    mdz_workers_lock(s->r->workers);
    s->working = 0;
    mdz_workers_signal(s->r->workers);
    mdz_workers_unlock(s->r->workers);
}

static const uint8_t *slot_bytes(const mdz_reader *r, const rd_slot *s)
{
    return r->blocks[s->block].bh.type == MDZ_BLOCK_STORED ? s->pbuf : s->rbuf;
}

/* The block holding content byte off (the map holds it). */
static size_t rd_find(const mdz_reader *r, uint64_t off)
{
    size_t lo = 0, hi = r->nblocks;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->blocks[mid].raw <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* A slot for block i: the one holding it, else the least recently used
 * one not in *busy. */
static rd_slot *rd_slot_for(mdz_reader *r, size_t i, const int *busy)
{
    rd_slot *best = NULL;
    for (int k = 0; k < r->nslots; k++) {
        rd_slot *s = &r->slots[k];
        if (s->block == i)
            return s;
        if (!busy[k] && (!best || s->used < best->used))
            best = s;
    }
    return best;
}

MDZ_API int mdz_reader_read(mdz_reader *r, void *dst, size_t len, uint64_t offset,
                            size_t *got)
{
    if (!r || !got || (!dst && len))
        return MDZ_ERR_PARAM;
    *got = 0;
    if (r->err)
        return r->err;
    uint8_t *out = dst;
    uint64_t pos = offset, end = offset + len < offset ? UINT64_MAX : offset + len;
    int busy[MDZ_THREADS_MAX];
    while (pos < end) {
        /* a batch of up to nslots blocks, read in file order */
        rd_slot *batch[MDZ_THREADS_MAX];
        int nb = 0, rc = rd_scan_to(r, 0, pos);
        if (rc < 0)
            return rc;
        if (pos >= r->content)
            break;  /* past the end */
        memset(busy, 0, sizeof busy);
        size_t i = rd_find(r, pos);
        uint64_t at = pos;
        while (nb < r->ncodecs && at < end) {
            if ((rc = rd_scan_to(r, i, 0)) < 0)
                return rc;
            if (i >= r->nblocks)
                break;
            const rd_block *b = &r->blocks[i];
            rd_slot *s = rd_slot_for(r, i, busy);
            busy[s - r->slots] = 1;
            if (s->block != i) {
                if ((rc = rd_load(r, s, i)) < 0)
                    return rc;
            }
            uint64_t want = end - b->raw < b->raw_len ? end - b->raw : b->raw_len;
            s->need = (size_t)want;
            s->used = ++r->clock;
            batch[nb++] = s;
            at = b->raw + b->raw_len;
            i++;
        }
        /* decode them, each with a codec of its own: the one it stopped
         * with if that codec has not started another block since (it
         * resumes), else a free one (it starts again) */
        int queued = 0, taken[MDZ_THREADS_MAX];
        memset(taken, 0, sizeof taken);
        for (int k = 0; k < nb; k++) {
            rd_slot *s = batch[k];
            if (s->codec >= 0 && r->codecs[s->codec].lease == s->lease)
                taken[s->codec] = 1;
            else
                s->codec = -1;
        }
        for (int k = 0; k < nb; k++) {
            rd_slot *s = batch[k];
            if (s->done || s->err || s->verified >= s->need)
                continue;
            if (s->codec < 0) {
                int c = 0;
                while (taken[c])
                    c++;
                taken[c] = 1;
                s->codec = c;
                s->lease = ++r->codecs[c].lease;
                s->pos.started = 0;  /* from the block's start again */
            }
            if (r->workers && nb > 1) {
                mdz_workers_lock(r->workers);
                s->working = 1;
                mdz_workers_submit(r->workers, s);
                mdz_workers_unlock(r->workers);
                queued++;
            } else {
                rd_decode(s);
            }
        }
        if (queued) {
            mdz_workers_lock(r->workers);
            for (;;) {
                int left = 0;
                for (int k = 0; k < nb; k++)
                    left += batch[k]->working;
                if (!left)
                    break;
                mdz_workers_wait(r->workers, 100);
            }
            mdz_workers_unlock(r->workers);
        }
        /* hand out their bytes, in order, up to the first fault */
        for (int k = 0; k < nb; k++) {
            rd_slot *s = batch[k];
            const rd_block *b = &r->blocks[s->block];
            uint64_t from = pos - b->raw;
            if (s->err) {
                /* what it verified before the fault is good */
                if (s->verified > from) {
                    size_t k2 = s->verified - (size_t)from < s->need - from
                                    ? s->verified - (size_t)from : (size_t)(s->need - from);
                    memcpy(out + *got, slot_bytes(r, s) + from, k2);
                    *got += k2;
                }
                int e = s->err;
                s->block = SIZE_MAX;  /* not to be reused */
                return e;
            }
            size_t k2 = (size_t)(s->need - from);
            memcpy(out + *got, slot_bytes(r, s) + from, k2);
            *got += k2;
            pos += k2;
        }
    }
    return MDZ_OK;
}

/* ------------------------------------------------------------------------ */
/* Opening                                                                  */

/* The slots, codecs and workers: as many threads as asked for, lowered
 * to what fits memlimit_threads (or memlimit) with the largest stream
 * mapped (a forward-only source: its first), and to what the system
 * starts. */
static int rd_start_threads(mdz_reader *r)
{
    uint64_t need = 0, limit = r->p.memlimit;
    int log = MDZ_BLOCK_LOG_MIN;
    for (size_t i = 0; i < r->nstreams; i++) {
        const rd_stream *s = &r->streams[i];
        uint64_t m = rd_stream_memory(r, s);
        if (m > need)
            need = m;
        if (s->block_log > log)
            log = s->block_log;
    }
    if (r->p.memlimit_threads && (!limit || r->p.memlimit_threads < limit))
        limit = r->p.memlimit_threads;
    r->ncodecs = mdz_threads_fit(need, log, r->p.threads, limit);
    r->nslots = r->ncodecs + 1;
    r->slots = calloc((size_t)r->nslots, sizeof *r->slots);
    r->codecs = calloc((size_t)r->ncodecs, sizeof *r->codecs);
    if (!r->slots || !r->codecs)
        return MDZ_ERR_MEMORY;
    for (int k = 0; k < r->nslots; k++) {
        r->slots[k].r = r;
        r->slots[k].block = SIZE_MAX;
        r->slots[k].codec = -1;
    }
    if (r->ncodecs > 1) {
        r->workers = mdz_workers_new(r->ncodecs, r->ncodecs, rd_task);
        int n = r->workers ? mdz_workers_count(r->workers) : 1;
        if (n < r->ncodecs)
            r->ncodecs = n > 0 ? n : 1;
    }
    return MDZ_OK;
}

MDZ_API int mdz_reader_open(mdz_reader **out, const mdz_source *src, const mdz_dparams *params)
{
    if (!out)
        return MDZ_ERR_PARAM;
    *out = NULL;
    if (!src || !src->read || (params && (params->list_only || params->threads < 0)))
        return MDZ_ERR_PARAM;
    mdz_reader *r = calloc(1, sizeof *r);
    if (!r)
        return MDZ_ERR_MEMORY;
    r->src = *src;
    if (params)
        r->p = *params;
    int rc = mdz_dict_copy_init(&r->dict, r->p.dict, r->p.dict_size);
    if (rc < 0) {
        free(r);
        return rc;
    }
    r->p.dict = NULL;  /* the copy is used */
    if (src->size != MDZ_SOURCE_SIZE_UNKNOWN) {
        if (src->size == 0)
            rc = MDZ_ERR_TRUNCATED;
        else if (rd_map_from_end(r) < 0) {
            /* no index (formats 1 and 2), or one that does not hold up:
             * walk the whole file, checking every frame header */
            while (rc == MDZ_OK && !r->complete)
                rc = rd_scan_step(r);
        }
    } else {
        rc = rd_scan_step(r);  /* the first stream header */
    }
    if (rc == MDZ_OK)
        rc = rd_start_threads(r);
    if (rc < 0) {
        mdz_reader_free(r);
        return rc;
    }
    *out = r;
    return MDZ_OK;
}

typedef struct {
    int fd;
    uint64_t pos;            /* read position (a pipe) */
} rd_fd;

static int64_t fd_pread(void *opaque, void *buf, size_t len, uint64_t off)
{
    rd_fd *f = opaque;
    for (;;) {
        ssize_t k = pread(f->fd, buf, len, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        return k;
    }
}

/* A pipe: read forward, dropping what is skipped. */
static int64_t fd_read(void *opaque, void *buf, size_t len, uint64_t off)
{
    rd_fd *f = opaque;
    uint8_t skip[4096];
    while (f->pos < off) {
        size_t k = off - f->pos < sizeof skip ? (size_t)(off - f->pos) : sizeof skip;
        ssize_t n = read(f->fd, skip, k);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n;
        f->pos += (uint64_t)n;
    }
    for (;;) {
        ssize_t n = read(f->fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n > 0)
            f->pos += (uint64_t)n;
        return n;
    }
}

MDZ_API int mdz_reader_open_fd(mdz_reader **out, int fd, const mdz_dparams *params)
{
    struct stat st;
    if (!out)
        return MDZ_ERR_PARAM;
    *out = NULL;
    if (fd < 0 || fstat(fd, &st) != 0)
        return MDZ_ERR_READ;
    rd_fd *f = malloc(sizeof *f);
    if (!f)
        return MDZ_ERR_MEMORY;
    f->fd = fd;
    f->pos = 0;
    mdz_source src;
    src.opaque = f;
    if (S_ISREG(st.st_mode)) {
        src.read = fd_pread;
        src.size = (uint64_t)st.st_size;
    } else {
        src.read = fd_read;
        src.size = MDZ_SOURCE_SIZE_UNKNOWN;
    }
    int rc = mdz_reader_open(out, &src, params);
    if (rc < 0) {
        free(f);
        return rc;
    }
    (*out)->owns_opaque = 1;  /* the wrapper goes with the reader */
    return MDZ_OK;
}

MDZ_API int mdz_reader_size(mdz_reader *r, uint64_t *size)
{
    if (!r || !size)
        return MDZ_ERR_PARAM;
    if (r->err)
        return r->err;
    while (!r->complete) {
        int rc = rd_scan_step(r);
        if (rc < 0)
            return r->err = rc;
    }
    *size = r->content;
    return MDZ_OK;
}

MDZ_API int mdz_reader_blocks(mdz_reader *r, uint64_t *n)
{
    uint64_t size;
    if (!n)
        return MDZ_ERR_PARAM;
    int rc = mdz_reader_size(r, &size);
    if (rc < 0)
        return rc;
    *n = r->nblocks;
    return MDZ_OK;
}

MDZ_API int mdz_reader_block(mdz_reader *r, uint64_t i, mdz_block_info *info)
{
    if (!r || !info || !r->complete || i >= r->nblocks)
        return MDZ_ERR_PARAM;
    const rd_block *b = &r->blocks[i];
    const rd_stream *s = &r->streams[b->stream];
    memset(info, 0, sizeof *info);
    info->stream = b->stream + 1;
    info->block = b->block;
    info->coded_offset = b->coded;
    info->coded_size = b->size;
    info->raw_offset = b->raw;
    info->raw_size = b->raw_len;
    info->level = s->level;
    info->block_log = s->block_log;
    return MDZ_OK;
}

MDZ_API int mdz_reader_indexed(const mdz_reader *r)
{
    return r && r->indexed;
}

MDZ_API void mdz_reader_free(mdz_reader *r)
{
    if (!r)
        return;
    mdz_workers_free(r->workers);
    if (r->slots)
        for (int k = 0; k < r->nslots; k++) {
            free(r->slots[k].pbuf);
            free(r->slots[k].rbuf);
        }
    if (r->codecs)
        for (int k = 0; k < r->ncodecs; k++)
            mdz_codec_free(r->codecs[k].c);
    free(r->codecs);
    if (r->owns_opaque)
        free(r->src.opaque);
    free(r->slots);
    free(r->streams);
    free(r->blocks);
    mdz_dict_copy_free(&r->dict);
    free(r);
}
