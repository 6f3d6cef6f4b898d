/*
 * stream.c -- streaming compression and decompression (doc/format.md),
 * with blocks coded in parallel on worker threads.
 *
 * Blocks are independent (the model starts afresh in each), and where a
 * block ends depends only on the block size and the caller's MDZ_FLUSH
 * calls, so blocks can be coded by any thread in any order and written in
 * stream order: the output is the same for every thread count.
 *
 * Compression (mdz_cstream): input is gathered into a slot's block buffer;
 * a full block (or the partial block at MDZ_FLUSH / MDZ_FINISH) is queued:
 * coded at once by the calling thread when it works alone, or by a worker.
 * A block is written as a modelled block with a CRC-32C per chunk (type
 * 3; chunks of 8 KiB doubling to 256 KiB) when that is smaller than the
 * raw bytes, else stored.  Slots are
 * drained into the caller's output in stream order.  With N workers there
 * are N + 1 slots, so one block fills while N are coded.  The stream
 * header waits for the first block or the end, so that a stream of a
 * single block can name the smallest block size that holds it.
 *
 * Decompression (mdz_dstream): a byte-driven state machine.  Fixed-size
 * fields are gathered into a small buffer and checked (frame.c) before
 * anything they declare is believed; a block's payload is gathered into a
 * slot's buffer that grows with the bytes actually received (never beyond
 * what the validated header allows), then decoded -- by the calling thread,
 * one chunk per call, or by a worker while the parser reads on -- and each
 * chunk is released to the output once it matches its CRC-32C (blocks
 * without chunk checks, and stored blocks, once the whole block matches
 * the block's).  So damaged data never yields output, and output flows as
 * it is decoded.  An end marker waits until every block before it has
 * been released, which keeps records and checks in stream order.
 *
 * Threads share one mutex (workers.c): the caller and the workers exchange
 * a slot's state, its verified count, its progress and its error under it;
 * the bytes themselves are handed over by those counts.
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "frame.h"
#include "mdz.h"
#include "stream.h"
#include "workers.h"

/* How often a waiting caller reports progress (ms). */
#define PROGRESS_MS 100

int mdz_threads_clamp(int threads)
{
    if (threads < 1)
        return 1;
    return threads > MDZ_THREADS_MAX ? MDZ_THREADS_MAX : threads;
}

uint64_t mdz_threads_memory(uint64_t one, int block_log, int threads)
{
    /* each thread its codec and a slot's two buffers; one slot more */
    return threads <= 1 ? one : (uint64_t)threads * one + ((uint64_t)2 << block_log);
}

int mdz_threads_fit(uint64_t one, int block_log, int threads, uint64_t limit)
{
    int t = mdz_threads_clamp(threads);
    while (t > 1 && limit && mdz_threads_memory(one, block_log, t) > limit)
        t--;
    return t;
}

int mdz_dict_copy_init(mdz_dict_copy *d, const void *dict, size_t size)
{
    memset(d, 0, sizeof *d);
    if (size > MDZ_DICT_SIZE_MAX || (size && !dict))
        return MDZ_ERR_PARAM;
    if (!size)
        return MDZ_OK;
    d->bytes = malloc(size);
    if (!d->bytes)
        return MDZ_ERR_MEMORY;
    memcpy(d->bytes, dict, size);
    d->size = size;
    d->id = mdz_dict_id(dict, size);
    return MDZ_OK;
}

void mdz_dict_copy_free(mdz_dict_copy *d)
{
    free(d->bytes);
    memset(d, 0, sizeof *d);
}

mdz_codec *mdz_codec_get(mdz_codec **c, int *c_level, int *c_model, int level, int model,
                         int block_log, const uint8_t *dict, size_t dict_size)
{
    if (!*c || *c_level != level || *c_model != model || mdz_codec_block_log(*c) < block_log) {
        mdz_codec_free(*c);
        *c = mdz_codec_new(level, model, block_log);
        *c_level = level;
        *c_model = model;
        if (!*c)
            return NULL;
    }
    if (!mdz_codec_has_dict(*c, dict, dict_size) &&
        mdz_codec_set_dict(*c, dict, dict_size) != MDZ_OK) {
        mdz_codec_free(*c);
        *c = NULL;
    }
    return *c;
}

/* ------------------------------------------------------------------------ */
/* Compression                                                              */

enum { CS_FREE, CS_QUEUED, CS_DONE };

typedef struct {
    struct mdz_cstream *cs;
    int state;              /* CS_FREE while filling */
    uint8_t *ibuf;          /* block_size bytes of input, allocated on use */
    size_t ilen;
    uint8_t *obuf;          /* the coded block: header, table, payload,
                               trailer */
    size_t olen, opos;
    int stream_log;         /* block_log of its stream (the codec's size) */
    size_t coded;           /* progress: content bytes coded so far */
    int err;
} cs_slot;

typedef struct {
    mdz_codec *c;
    int level, model;
} cs_codec;

struct mdz_cstream {
    int level;
    int block_log;          /* the parameters' (the largest used) */
    size_t block_size;
    int threads;            /* 1: the calling thread codes */
    mdz_workers *workers;
    cs_codec *codecs;       /* one per worker; [0] for the calling thread */
    cs_slot *slots;
    int nslots, head, nq;   /* slots head..head+nq-1 are queued, in stream
                               order; slot head+nq is the one filling */
    int cancel;             /* being freed: workers stop early */
    mdz_dict_copy dict;     /* the dictionary, if any */
    uint8_t hbuf[MDZ_STREAM_HEADER_SIZE + MDZ_FRAME_HEADER_SIZE];  /* staged stream
                               header (and dictionary frame) or end marker */
    size_t hlen, hpos;
    int stream_log;         /* block_log of the current stream's header */
    uint64_t total;         /* raw bytes in the current stream */
    uint32_t crc;           /* CRC-32C of them */
    int header_done;        /* the current stream's header is staged */
    int finishing;          /* MDZ_FINISH accepted: no more input, and no
                               other op until the stream is complete */
    int end_done;           /* end marker staged */
    uint8_t *index;         /* the stream's block index frame: header, then
                               an entry per block written out */
    size_t index_len, index_cap, index_pos;
    int index_full;         /* more blocks than an index holds: none */
    uint64_t raw_drained;   /* content bytes of blocks written out */
    uint64_t coded_out;     /* bytes written out */
    mdz_progress_fn *progress_fn;
    void *progress_opaque;
};

static void cs_lock(mdz_cstream *cs)
{
    if (cs->workers)
        mdz_workers_lock(cs->workers);
}

static void cs_unlock(mdz_cstream *cs)
{
    if (cs->workers)
        mdz_workers_unlock(cs->workers);
}

static size_t cs_obuf_size(size_t block_size)
{
    /* the larger of a stored block and a modelled one (which is smaller
     * than the stored block, but is coded into the space of its table
     * plus the stored size) */
    return MDZ_BLOCK_HEADER_SIZE + 4 * mdz_chunks((uint32_t)block_size) + block_size +
           MDZ_BLOCK_TRAILER_SIZE;
}

/* Codes slot s's input as one block into its obuf: chunked and modelled
 * when that is smaller than the raw bytes, else stored.  Returns MDZ_OK or
 * MDZ_ERR_MEMORY. */
static int cs_code_block(mdz_cstream *cs, cs_slot *s, mdz_codec *codec)
{
    size_t n = s->ilen, nchunks = mdz_chunks((uint32_t)n), table = 4 * nchunks;
    uint8_t *body = s->obuf + MDZ_BLOCK_HEADER_SIZE;
    size_t coded = 0;
    int type = MDZ_BLOCK_STORED;

    /* modelled if table and payload come out smaller than content and
     * checksum (a block too short for that is stored) */
    if (n + MDZ_BLOCK_TRAILER_SIZE > table + 1 && codec) {
        coded = mdz_codec_encode(codec, s->ibuf, n, body + table,
                                 n + MDZ_BLOCK_TRAILER_SIZE - table);
        if (coded) {
            type = MDZ_BLOCK_CHUNKED;
            for (size_t k = 0; k < nchunks; k++) {
                size_t at = (size_t)mdz_chunk_start(k);
                mdz_put32(body + 4 * k,
                          mdz_crc32c(0, s->ibuf + at, mdz_chunk_end(k, (uint32_t)n) - at));
            }
        }
    }
    if (!coded) {
        /* stored: the content, then its checksum */
        memcpy(body, s->ibuf, n);
        mdz_put32(body + n, mdz_crc32c(0, s->ibuf, n));
        table = 0;
        coded = n + MDZ_BLOCK_TRAILER_SIZE;
    }
    (void)cs;
    mdz_write_block_header(s->obuf, type, (uint32_t)n,
                           (uint32_t)(type == MDZ_BLOCK_STORED ? n : coded));
    s->olen = MDZ_BLOCK_HEADER_SIZE + table + coded;
    s->opos = 0;
    return MDZ_OK;
}

/* The codec's progress inside a block: published for the caller's
 * progress reports; nonzero asks the codec to stop (context being freed). */
static int cs_codec_progress(void *opaque, size_t done)
{
    cs_slot *s = opaque;
    mdz_cstream *cs = s->cs;
    int stop;
    if (!cs->workers) {
        s->coded = done;
        if (cs->progress_fn)
            cs->progress_fn(cs->progress_opaque, cs->raw_drained + done, cs->coded_out);
        return 0;
    }
    mdz_workers_lock(cs->workers);
    s->coded = done;
    stop = cs->cancel;
    mdz_workers_unlock(cs->workers);
    return stop;
}

/* Codes a slot with the codec of worker w (0 for the calling thread). */
static int cs_run_slot(mdz_cstream *cs, cs_slot *s, int w)
{
    mdz_codec *codec = NULL;
    if (s->ilen >= 2) {
        cs_codec *cc = &cs->codecs[w];
        codec = mdz_codec_get(&cc->c, &cc->level, &cc->model, cs->level, MDZ_MODEL_ID,
                              s->stream_log, cs->dict.bytes, cs->dict.size);
        if (!codec)
            return MDZ_ERR_MEMORY;
        mdz_codec_set_progress(codec, cs_codec_progress, s);
    }
    return cs_code_block(cs, s, codec);
}

static void cs_task(void *task, int w)
{
    cs_slot *s = task;
    mdz_cstream *cs = s->cs;
    int r = cs_run_slot(cs, s, w);
    mdz_workers_lock(cs->workers);
    s->err = r;
    s->state = CS_DONE;
    mdz_workers_signal(cs->workers);
    mdz_workers_unlock(cs->workers);
}

MDZ_API mdz_cstream *mdz_cstream_new(const mdz_cparams *params)
{
    mdz_cparams p;
    if (params) {
        p = *params;
        if (p.level == 0)
            p.level = MDZ_LEVEL_DEFAULT;
        if (p.level < MDZ_LEVEL_MIN || p.level > MDZ_LEVEL_MAX)
            return NULL;
        if (p.block_log == 0)
            p.block_log = mdz_level_block_log(p.level);
        if (p.block_log < MDZ_BLOCK_LOG_MIN || p.block_log > MDZ_BLOCK_LOG_MAX ||
            p.threads < 0)
            return NULL;
    } else {
        mdz_cparams_init(&p, 0);
    }
    mdz_cstream *cs = calloc(1, sizeof *cs);
    if (!cs)
        return NULL;
    cs->level = p.level;
    cs->block_log = p.block_log;
    cs->block_size = (size_t)1 << p.block_log;
    cs->progress_fn = p.progress_fn;
    cs->progress_opaque = p.progress_opaque;
    if (mdz_dict_copy_init(&cs->dict, p.dict, p.dict_size) != MDZ_OK) {
        free(cs);
        return NULL;
    }
    uint64_t one = mdz_stream_memory(MDZ_MODEL_ID, p.level, p.block_log);
    if (cs->dict.size)
        one += mdz_dict_thread_memory(cs->dict.size, p.block_log);
    cs->threads = mdz_threads_fit(one, p.block_log, p.threads, p.memlimit_threads);
    if (cs->threads > 1) {
        cs->workers = mdz_workers_new(cs->threads, cs->threads + 1, cs_task);
        cs->threads = mdz_workers_count(cs->workers);
        if (cs->threads < 1)
            cs->threads = 1;
        if (cs->threads == 1) {
            mdz_workers_free(cs->workers);
            cs->workers = NULL;
        }
    }
    cs->nslots = cs->threads > 1 ? cs->threads + 1 : 1;
    cs->slots = calloc((size_t)cs->nslots, sizeof *cs->slots);
    cs->codecs = calloc((size_t)cs->threads, sizeof *cs->codecs);
    if (!cs->slots || !cs->codecs) {
        mdz_cstream_free(cs);
        return NULL;
    }
    for (int i = 0; i < cs->nslots; i++)
        cs->slots[i].cs = cs;
    return cs;
}

MDZ_API void mdz_cstream_free(mdz_cstream *cs)
{
    if (!cs)
        return;
    if (cs->workers) {
        mdz_workers_lock(cs->workers);
        cs->cancel = 1;
        mdz_workers_unlock(cs->workers);
        mdz_workers_free(cs->workers);
    }
    if (cs->codecs)
        for (int i = 0; i < cs->threads; i++)
            mdz_codec_free(cs->codecs[i].c);
    if (cs->slots)
        for (int i = 0; i < cs->nslots; i++) {
            free(cs->slots[i].ibuf);
            free(cs->slots[i].obuf);
        }
    free(cs->codecs);
    free(cs->slots);
    free(cs->index);
    mdz_dict_copy_free(&cs->dict);
    free(cs);
}

MDZ_API int mdz_cstream_threads(const mdz_cstream *cs)
{
    return cs ? cs->threads : 0;
}

/* The smallest block_log (within the format's range) whose block holds n
 * bytes. */
static int block_log_for(size_t n)
{
    int b = MDZ_BLOCK_LOG_MIN;
    while (b < MDZ_BLOCK_LOG_MAX && ((size_t)1 << b) < n)
        b++;
    return b;
}

/* Stages the stream header, and the dictionary frame if there is one.
 * When the whole content is known to be the one block buffered now
 * (MDZ_FINISH before any block was queued), the header names the smallest
 * block size that holds it (with the dictionary: that holds both, which
 * the model's tables are sized by), so that it declares only the memory
 * decoding really needs; the coded bits are the same. */
static void cs_stage_header(mdz_cstream *cs, size_t buffered, int whole)
{
    int fit = block_log_for(buffered + cs->dict.size);
    cs->stream_log = cs->block_log;
    if (whole && fit < cs->block_log)
        cs->stream_log = fit;
    mdz_write_stream_header(cs->hbuf, cs->level, cs->stream_log);
    cs->hlen = MDZ_STREAM_HEADER_SIZE;
    if (cs->dict.size) {
        mdz_write_frame_header(cs->hbuf + cs->hlen, MDZ_FRAME_DICT, (uint32_t)cs->dict.size,
                               cs->dict.id);
        cs->hlen += MDZ_FRAME_HEADER_SIZE;
    }
    cs->hpos = 0;
    cs->header_done = 1;
}

/* Queues the filling slot: coded now when working alone, else handed to a
 * worker. */
static void cs_queue(mdz_cstream *cs, cs_slot *s)
{
    cs->crc = mdz_crc32c(cs->crc, s->ibuf, s->ilen);
    cs->total += s->ilen;
    s->stream_log = cs->stream_log;
    s->coded = 0;
    s->err = 0;
    cs->nq++;
    if (!cs->workers) {
        s->err = cs_run_slot(cs, s, 0);
        s->state = CS_DONE;
        return;
    }
    mdz_workers_lock(cs->workers);
    s->state = CS_QUEUED;
    mdz_workers_submit(cs->workers, s);
    mdz_workers_unlock(cs->workers);
}

/* Progress of the blocks in work (lock held). */
static uint64_t cs_raw_done(const mdz_cstream *cs)
{
    uint64_t r = cs->raw_drained;
    for (int i = 0; i < cs->nq; i++) {
        const cs_slot *s = &cs->slots[(cs->head + i) % cs->nslots];
        r += s->state == CS_DONE ? s->ilen : s->coded;
    }
    return r;
}

/* Waits until the head slot is coded, reporting progress meanwhile. */
static void cs_wait_head(mdz_cstream *cs)
{
    cs_slot *h = &cs->slots[cs->head];
    if (!cs->workers)
        return;
    mdz_workers_lock(cs->workers);
    while (h->state != CS_DONE) {
        if (cs->progress_fn) {
            uint64_t raw = cs_raw_done(cs);
            mdz_workers_unlock(cs->workers);
            cs->progress_fn(cs->progress_opaque, raw, cs->coded_out);
            mdz_workers_lock(cs->workers);
            if (h->state == CS_DONE)
                break;
        }
        mdz_workers_wait(cs->workers, PROGRESS_MS);
    }
    mdz_workers_unlock(cs->workers);
}

static int cs_head_done(mdz_cstream *cs)
{
    int st;
    cs_lock(cs);
    st = cs->slots[cs->head].state;
    cs_unlock(cs);
    return st == CS_DONE;
}

/* Copies staged bytes to out; returns 1 if some are left. */
static int drain(mdz_outbuf *out, const uint8_t *src, size_t len, size_t *pos, uint64_t *count)
{
    size_t k = len - *pos, room = out->size - out->pos;
    if (k > room)
        k = room;
    if (k) {
        memcpy((uint8_t *)out->dst + out->pos, src + *pos, k);
        out->pos += k;
        *pos += k;
        *count += k;
    }
    return *pos < len;
}

/* Adds a block written out to the stream's index. */
static int cs_index_add(mdz_cstream *cs, uint32_t raw_len, size_t size)
{
    if (cs->index_full)
        return MDZ_OK;
    if (cs->index_len == 0)
        cs->index_len = MDZ_FRAME_HEADER_SIZE;
    if ((cs->index_len - MDZ_FRAME_HEADER_SIZE) / MDZ_INDEX_ENTRY_SIZE >= MDZ_INDEX_MAX_BLOCKS) {
        cs->index_full = 1;
        return MDZ_OK;
    }
    if (cs->index_len + MDZ_INDEX_ENTRY_SIZE > cs->index_cap) {
        size_t cap = cs->index_cap ? 2 * cs->index_cap : 256;
        uint8_t *p = realloc(cs->index, cap);
        if (!p)
            return MDZ_ERR_MEMORY;
        cs->index = p;
        cs->index_cap = cap;
    }
    mdz_put_index_entry(cs->index + cs->index_len, raw_len, (uint32_t)size);
    cs->index_len += MDZ_INDEX_ENTRY_SIZE;
    return MDZ_OK;
}

/* Stages the index frame and the end marker of the stream: the index is
 * left out (index size 0) if the stream has more blocks than it holds. */
static int cs_stage_end(mdz_cstream *cs)
{
    uint32_t isize = 0;
    if (!cs->index_full) {
        if (cs->index_len == 0)
            cs->index_len = MDZ_FRAME_HEADER_SIZE;
        if (!cs->index) {
            cs->index = malloc(MDZ_FRAME_HEADER_SIZE);
            if (!cs->index)
                return MDZ_ERR_MEMORY;
            cs->index_cap = MDZ_FRAME_HEADER_SIZE;
        }
        size_t plen = cs->index_len - MDZ_FRAME_HEADER_SIZE;
        mdz_write_frame_header(cs->index, MDZ_FRAME_INDEX, (uint32_t)plen,
                               mdz_crc32c(0, cs->index + MDZ_FRAME_HEADER_SIZE, plen));
        isize = (uint32_t)cs->index_len;
    } else {
        cs->index_len = 0;
    }
    cs->index_pos = 0;
    mdz_write_end_marker(cs->hbuf, cs->total, cs->crc, isize);
    cs->hlen = MDZ_END_MARKER_SIZE;
    cs->hpos = 0;
    cs->end_done = 1;
    return MDZ_OK;
}

MDZ_API int mdz_cstream_compress(mdz_cstream *cs, mdz_outbuf *out,
                                 mdz_inbuf *in, mdz_end_op op)
{
    if (!cs || !out || !in || out->pos > out->size || in->pos > in->size ||
        (op != MDZ_RUN && op != MDZ_FLUSH && op != MDZ_FINISH) ||
        (!in->src && in->size) || (!out->dst && out->size))
        return MDZ_ERR_PARAM;
    /* once MDZ_FINISH is accepted, the stream must be finished: no more
     * input, and no other op (a RUN or FLUSH would return 0 with the end
     * marker still unwritten) */
    if (cs->finishing && (in->pos < in->size || op != MDZ_FINISH))
        return MDZ_ERR_STAGE;

    for (;;) {
        /* 1. the staged header, or index and end marker */
        if (cs->end_done && cs->index_pos < cs->index_len) {
            if (drain(out, cs->index, cs->index_len, &cs->index_pos, &cs->coded_out))
                return 1;
        }
        if (cs->hpos < cs->hlen) {
            if (drain(out, cs->hbuf, cs->hlen, &cs->hpos, &cs->coded_out))
                return 1;
        }
        /* 2. the oldest block, once coded */
        if (cs->nq > 0 && cs_head_done(cs)) {
            cs_slot *h = &cs->slots[cs->head];
            if (h->err)
                return h->err;
            if (drain(out, h->obuf, h->olen, &h->opos, &cs->coded_out))
                return 1;
            int r = cs_index_add(cs, (uint32_t)h->ilen, h->olen);
            if (r < 0)
                return r;
            cs_lock(cs);
            cs->raw_drained += h->ilen;
            h->ilen = 0;
            h->state = CS_FREE;
            cs->head = (cs->head + 1) % cs->nslots;
            cs->nq--;
            cs_unlock(cs);
            continue;
        }
        /* 3. stream complete: get ready for another */
        if (cs->end_done && cs->nq == 0) {
            cs->header_done = cs->finishing = cs->end_done = 0;
            cs->index_len = cs->index_pos = 0;
            cs->index_full = 0;
            cs->total = 0;
            cs->crc = 0;
            cs->hlen = cs->hpos = 0;
            return 0;
        }
        /* 4. the filling slot: queue it when full, else gather input */
        cs_slot *f = cs->nq < cs->nslots ? &cs->slots[(cs->head + cs->nq) % cs->nslots] : NULL;
        if (f && f->ilen == cs->block_size) {
            if (!cs->header_done) {
                cs_stage_header(cs, f->ilen, 0);
                continue;
            }
            cs_queue(cs, f);
            continue;
        }
        if (in->pos < in->size) {
            if (!f) {
                cs_wait_head(cs);   /* every slot in work */
                continue;
            }
            if (!f->ibuf) {
                f->ibuf = malloc(cs->block_size);
                f->obuf = malloc(cs_obuf_size(cs->block_size));
                if (!f->ibuf || !f->obuf) {
                    free(f->ibuf);
                    free(f->obuf);
                    f->ibuf = f->obuf = NULL;
                    return MDZ_ERR_MEMORY;
                }
            }
            size_t k = in->size - in->pos;
            if (k > cs->block_size - f->ilen)
                k = cs->block_size - f->ilen;
            memcpy(f->ibuf + f->ilen, (const uint8_t *)in->src + in->pos, k);
            f->ilen += k;
            in->pos += k;
            continue;
        }
        /* 5. input exhausted */
        if (op == MDZ_RUN)
            return 0;
        if (op == MDZ_FINISH)
            cs->finishing = 1;
        if (!cs->header_done) {
            /* the header waits for the first block or the end, so that a
             * stream of one block can name the size it needs */
            cs_stage_header(cs, f ? f->ilen : 0, op == MDZ_FINISH);
            continue;
        }
        if (f && f->ilen > 0) {
            cs_queue(cs, f);
            continue;
        }
        if (cs->nq > 0) {
            cs_wait_head(cs);
            continue;
        }
        if (op == MDZ_FLUSH)
            return 0;
        if (!cs->end_done) {
            int r = cs_stage_end(cs);
            if (r < 0)
                return r;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Decompression                                                            */

enum {
    D_BOUNDARY,  /* before a stream (or after a complete one) */
    D_HEADER,    /* gathering the stream header */
    D_BTYPE,     /* reading a block's type byte */
    D_BFIELDS,   /* gathering the rest of a block header or the end marker */
    D_SLOT,      /* a block header is checked: waiting for a free slot */
    D_PAYLOAD,   /* gathering chunk table, payload and trailer */
    D_SKIP,      /* list mode: skipping them */
    D_AUX,       /* reading an auxiliary frame's payload (the index) */
    D_END,       /* an end marker is read: waiting for the blocks before it */
    D_FAILED     /* a fault found ahead: waiting for the blocks before it */
};

enum { DS_FREE, DS_QUEUED, DS_DONE };

typedef struct {
    struct mdz_dstream *ds;
    int state;                  /* DS_FREE while gathering */
    mdz_block_header bh;
    uint64_t block_no;          /* in its stream, 1-based */
    uint64_t coded_offset;      /* of its header */
    int version, level, model, block_log;   /* of its stream */
    int use_dict;               /* its stream names the dictionary */
    uint8_t *pbuf;              /* chunk table + payload + trailer */
    size_t pcap, plen, pneed;
    uint8_t *rbuf;              /* decoded content */
    size_t rcap;
    size_t verified;            /* bytes checked: may be released */
    size_t released;            /* bytes released */
    int err;                    /* error found in this block */
    mdz_block_pos pos;          /* the decoder's progress through it (the
                                   thread that decodes it alone touches
                                   it) */
} ds_slot;

typedef struct {
    mdz_codec *c;
    int level, model;
} ds_codec;

struct mdz_dstream {
    mdz_dparams p;
    int threads_max;            /* p.threads, clamped */
    int threads;                /* for the current stream */
    int state;
    int err;                    /* sticky error */
    uint64_t err_block;
    uint8_t hbuf[MDZ_END_MARKER_SIZE];
    size_t hlen, hneed;
    mdz_stream_header sh;
    mdz_block_header bh;
    mdz_end_marker end;         /* read, waiting for the blocks (D_END) */
    int pending;                /* a fault found by the parser (D_FAILED) */
    uint64_t pending_block;
    mdz_workers *workers;
    ds_codec *codecs;           /* per worker; [0] for the calling thread */
    int ncodecs;
    ds_slot *slots;
    int nslots_max, nslots, head, nq;
    int cancel;
    uint64_t out_limit;         /* content bytes the caller has room for
                                   (one-shot calls; UINT64_MAX: no limit) */
    uint64_t raw_parsed;        /* content bytes of the blocks read so far */
    uint64_t call_base;         /* coded offset of the input buffer's start
                                   in this call (mod 2^64) */
    uint64_t rec_off;           /* coded offset of the element being read */
    uint64_t stream_raw0;       /* raw offset where the stream began */
    uint8_t trailer[MDZ_BLOCK_TRAILER_SIZE];  /* list mode: the CRC skipped */
    uint32_t rec_chunks;        /* for the block record being made */
    uint64_t total;             /* raw bytes released in the current stream */
    uint32_t crc;               /* their CRC-32C */
    uint64_t block_no;          /* blocks read in the current stream */
    uint32_t index_crc;         /* CRC-32C of the index entries the blocks
                                   read so far call for */
    mdz_frame_header fh;        /* the auxiliary frame being read */
    uint32_t aux_have, aux_crc; /* its payload bytes read, and their CRC */
    uint64_t index_size;        /* the index frame just read (0: none) */
    mdz_dict_copy dict;         /* the dictionary given, if any */
    int first_frame;            /* the next frame is the first after the
                                   stream header (where a dictionary frame
                                   may stand) */
    int use_dict;               /* the current stream names the dictionary */
    mdz_info info;
};

static void ds_lock(mdz_dstream *ds)
{
    if (ds->workers)
        mdz_workers_lock(ds->workers);
}

static void ds_unlock(mdz_dstream *ds)
{
    if (ds->workers)
        mdz_workers_unlock(ds->workers);
}

MDZ_API mdz_dstream *mdz_dstream_new(const mdz_dparams *params)
{
    mdz_dstream *ds = calloc(1, sizeof *ds);
    if (!ds)
        return NULL;
    if (params)
        ds->p = *params;
    if (ds->p.threads < 0 ||
        mdz_dict_copy_init(&ds->dict, ds->p.dict, ds->p.dict_size) != MDZ_OK) {
        free(ds);
        return NULL;
    }
    ds->p.dict = NULL;  /* the copy is used */
    ds->threads_max = mdz_threads_clamp(ds->p.threads);
    ds->threads = 1;
    ds->state = D_BOUNDARY;
    ds->out_limit = UINT64_MAX;
    ds->nslots_max = ds->threads_max > 1 ? ds->threads_max + 1 : 1;
    ds->slots = calloc((size_t)ds->nslots_max, sizeof *ds->slots);
    ds->ncodecs = ds->threads_max;
    ds->codecs = calloc((size_t)ds->ncodecs, sizeof *ds->codecs);
    if (!ds->slots || !ds->codecs) {
        mdz_dstream_free(ds);
        return NULL;
    }
    for (int i = 0; i < ds->nslots_max; i++)
        ds->slots[i].ds = ds;
    ds->nslots = 1;
    ds->info.threads = 1;
    return ds;
}

MDZ_API void mdz_dstream_free(mdz_dstream *ds)
{
    if (!ds)
        return;
    if (ds->workers) {
        mdz_workers_lock(ds->workers);
        ds->cancel = 1;
        mdz_workers_unlock(ds->workers);
        mdz_workers_free(ds->workers);
    }
    if (ds->codecs)
        for (int i = 0; i < ds->ncodecs; i++)
            mdz_codec_free(ds->codecs[i].c);
    if (ds->slots)
        for (int i = 0; i < ds->nslots_max; i++) {
            free(ds->slots[i].pbuf);
            free(ds->slots[i].rbuf);
        }
    free(ds->codecs);
    free(ds->slots);
    mdz_dict_copy_free(&ds->dict);
    free(ds);
}

void mdz_dstream_set_out_limit(mdz_dstream *ds, uint64_t limit)
{
    ds->out_limit = limit;
}

MDZ_API int mdz_dstream_info(const mdz_dstream *ds, mdz_info *info)
{
    if (!ds || !info)
        return MDZ_ERR_PARAM;
    *info = ds->info;
    return MDZ_OK;
}

MDZ_API uint64_t mdz_dstream_error_block(const mdz_dstream *ds)
{
    return ds ? ds->err_block : 0;
}

static int ds_fail(mdz_dstream *ds, int err, uint64_t block)
{
    ds->err = err;
    ds->err_block = block;
    return err;
}

/* A fault the parser found while blocks before it are still in work: it
 * is reported once they are released (or fail themselves), so that the
 * first fault in the stream is the one reported, and the verified bytes
 * before it all come out, whatever the thread count or the pieces the
 * input arrives in. */
static int ds_fault(mdz_dstream *ds, int err, uint64_t block)
{
    if (ds->nq == 0)
        return ds_fail(ds, err, block);
    ds->pending = err;
    ds->pending_block = block;
    ds->state = D_FAILED;
    return 0;
}

int mdz_grow_bytes(uint8_t **buf, size_t *cap, size_t need, size_t limit)
{
    if (need <= *cap)
        return MDZ_OK;
    size_t n = *cap ? *cap : 65536;
    while (n < need)
        n *= 2;
    if (n > limit)
        n = limit;
    uint8_t *b = realloc(*buf, n);
    if (!b)
        return MDZ_ERR_MEMORY;
    *buf = b;
    *cap = n;
    return MDZ_OK;
}

/* Reports a record to the caller's callback, if any. */
static void ds_record(mdz_dstream *ds, mdz_record_kind kind, uint64_t block, uint64_t coded_offset,
                      uint64_t coded_size, uint64_t raw_offset, uint64_t raw_size,
                      uint32_t check, int stored)
{
    if (!ds->p.record_fn)
        return;
    mdz_record r;
    memset(&r, 0, sizeof r);
    r.kind = kind;
    r.stream = ds->info.streams + 1;
    r.block = block;
    r.coded_offset = coded_offset;
    r.coded_size = coded_size;
    r.raw_offset = raw_offset;
    r.raw_size = raw_size;
    r.check = check;
    r.stored = stored;
    r.chunks = ds->rec_chunks;
    r.model = ds->sh.model;
    r.level = ds->sh.level;
    r.block_log = ds->sh.block_log;
    r.memory = ds->info.memory;
    ds->p.record_fn(ds->p.record_opaque, &r);
}

/* A block's record: its check is the block checksum (types 1, 2) or the
 * first chunk's CRC (type 3, with chunks = the table's entries). */
static void ds_record_check(mdz_dstream *ds, uint64_t block, uint64_t coded_offset,
                            uint64_t coded_size, uint64_t raw_offset,
                            const mdz_block_header *bh, uint32_t check)
{
    if (!ds->p.record_fn)
        return;
    ds->rec_chunks = bh->type == MDZ_BLOCK_CHUNKED ? (uint32_t)mdz_chunks(bh->raw_len) : 0;
    ds_record(ds, MDZ_RECORD_BLOCK, block, coded_offset, coded_size, raw_offset, bh->raw_len,
              check, bh->type == MDZ_BLOCK_STORED);
    ds->rec_chunks = 0;
}

/* The same from a slot's buffer (table, payload, checksum). */
static void ds_record_block(mdz_dstream *ds, uint64_t block, uint64_t coded_offset,
                            uint64_t coded_size, uint64_t raw_offset,
                            const mdz_block_header *bh, const uint8_t *pbuf)
{
    size_t at = bh->type == MDZ_BLOCK_CHUNKED ? 0 : mdz_block_rest(bh) - MDZ_BLOCK_TRAILER_SIZE;
    ds_record_check(ds, block, coded_offset, coded_size, raw_offset, bh, mdz_get32(pbuf + at));
}

static void ds_task(void *task, int w);

static int ds_start_stream(mdz_dstream *ds)
{
    int r = mdz_parse_stream_header(ds->hbuf, &ds->sh);
    if (r == MDZ_ERR_FORMAT && ds->info.streams > 0)
        r = MDZ_ERR_TRAILING;
    if (r < 0)
        return ds_fail(ds, r, 0);
    uint64_t need = mdz_stream_memory(ds->sh.model, ds->sh.level, ds->sh.block_log);
    ds->info.level = ds->sh.level;
    ds->info.block_log = ds->sh.block_log;
    ds->info.memory = need;
    ds->info.dict_size = 0;
    ds->info.dict_id = 0;
    ds->first_frame = 1;
    ds->use_dict = 0;
    if (ds->p.memlimit && need > ds->p.memlimit)
        return ds_fail(ds, MDZ_ERR_MEMLIMIT, 0);
    /* threads for this stream: as many as fit the limits (workers start
     * with the first stream that can use them), counting the dictionary's
     * memory if the context has one, whether or not the stream uses it */
    uint64_t limit = ds->p.memlimit;
    if (ds->p.memlimit_threads && (!limit || ds->p.memlimit_threads < limit))
        limit = ds->p.memlimit_threads;
    uint64_t one = need;
    if (ds->dict.size)
        one += mdz_dict_thread_memory(ds->dict.size, ds->sh.block_log);
    int t = ds->p.list_only ? 1 : mdz_threads_fit(one, ds->sh.block_log, ds->threads_max, limit);
    if (t > 1 && !ds->workers) {
        ds->workers = mdz_workers_new(ds->threads_max, ds->nslots_max, ds_task);
        if (ds->workers && mdz_workers_count(ds->workers) < t)
            t = mdz_workers_count(ds->workers);
        if (!ds->workers)
            t = 1;
    }
    if (ds->workers && t > mdz_workers_count(ds->workers))
        t = mdz_workers_count(ds->workers);
    ds->threads = t;
    ds->nslots = t > 1 ? t + 1 : 1;
    ds->head = 0;  /* no block is in work between streams */
    ds->info.threads = t;
    ds->total = 0;
    ds->crc = 0;
    ds->block_no = 0;
    ds->index_crc = 0;
    ds->index_size = 0;
    ds->stream_raw0 = ds->info.raw_bytes;
    ds_record(ds, MDZ_RECORD_STREAM, 0, ds->rec_off, MDZ_STREAM_HEADER_SIZE, ds->stream_raw0,
              0, 0, 0);
    return MDZ_OK;
}

/* The dictionary frame in ds->hbuf (right after the stream header, no
 * block in work): checked, and against the dictionary given, whose memory
 * then counts against the limit.  Listing needs no dictionary. */
static int ds_dict_frame(mdz_dstream *ds)
{
    if (mdz_parse_frame_header(ds->hbuf, &ds->fh) < 0)
        return ds_fail(ds, MDZ_ERR_CORRUPT, 0);
    ds->info.dict_size = ds->fh.a;
    ds->info.dict_id = ds->fh.b;
    if (!ds->p.list_only) {
        if (ds->fh.a != ds->dict.size || ds->fh.b != ds->dict.id)
            return ds_fail(ds, MDZ_ERR_DICT, 0);
        ds->info.memory += mdz_dict_thread_memory(ds->dict.size, ds->sh.block_log) +
                           mdz_dict_context_memory(ds->dict.size);
        if (ds->p.memlimit && ds->info.memory > ds->p.memlimit)
            return ds_fail(ds, MDZ_ERR_MEMLIMIT, 0);
        ds->use_dict = 1;
    }
    ds->rec_chunks = 0;
    ds_record(ds, MDZ_RECORD_DICT, 0, ds->rec_off, MDZ_FRAME_HEADER_SIZE, ds->stream_raw0,
              ds->fh.a, ds->fh.b, 0);
    return MDZ_OK;
}

int mdz_block_step(const mdz_block_header *bh, const uint8_t *pbuf, uint8_t *rbuf,
                   mdz_codec *c, mdz_block_pos *pos, size_t *verified)
{
    size_t raw = bh->raw_len;
    const uint8_t *payload = pbuf + mdz_block_table(bh);
    /* types 1 and 2: the block checksum after the payload */
    uint32_t bcrc = bh->type == MDZ_BLOCK_CHUNKED ? 0 : mdz_get32(pbuf + bh->coded_len);

    if (bh->type == MDZ_BLOCK_STORED) {
        if (mdz_crc32c(0, pbuf, raw) != bcrc)
            return MDZ_ERR_CHECKSUM;
        *verified = raw;
        return 1;
    }
    if (!pos->started) {
        if (mdz_codec_decode_start(c, payload, bh->coded_len, rbuf, raw) != MDZ_OK)
            return MDZ_ERR_CORRUPT;
        pos->started = 1;
        pos->next_chunk = 0;
    }
    if (bh->type == MDZ_BLOCK_CHUNKED) {
        size_t at = (size_t)mdz_chunk_start(pos->next_chunk);
        size_t end = mdz_chunk_end(pos->next_chunk, bh->raw_len);
        if (mdz_codec_decode_run(c, end) != MDZ_OK)
            return MDZ_ERR_CORRUPT;
        if (mdz_crc32c(0, rbuf + at, end - at) != mdz_get32(pbuf + 4 * pos->next_chunk))
            return MDZ_ERR_CHECKSUM;
        pos->next_chunk++;
        *verified = end;
        if (end < raw)
            return 0;
        /* every byte is checked; the payload must also end exactly */
        return mdz_codec_decode_finish(c) == MDZ_OK ? 1 : MDZ_ERR_CORRUPT;
    }
    /* format 1: only the whole block's checksum */
    if (mdz_codec_decode_run(c, raw) != MDZ_OK || mdz_codec_decode_finish(c) != MDZ_OK)
        return MDZ_ERR_CORRUPT;
    if (mdz_crc32c(0, rbuf, raw) != bcrc)
        return MDZ_ERR_CHECKSUM;
    *verified = raw;
    return 1;
}

/* One step of decoding slot s with codec slot cc (mdz_block_step()). */
static int ds_block_step(ds_slot *s, ds_codec *cc, size_t *verified)
{
    mdz_codec *c = NULL;
    if (s->bh.type != MDZ_BLOCK_STORED) {
        mdz_dstream *ds = s->ds;
        c = mdz_codec_get(&cc->c, &cc->level, &cc->model, s->level, s->model, s->block_log,
                          s->use_dict ? ds->dict.bytes : NULL, s->use_dict ? ds->dict.size : 0);
        if (!c)
            return MDZ_ERR_MEMORY;
        if (mdz_grow_bytes(&s->rbuf, &s->rcap, s->bh.raw_len, s->bh.raw_len) < 0)
            return MDZ_ERR_MEMORY;
    }
    return mdz_block_step(&s->bh, s->pbuf, s->rbuf, c, &s->pos, verified);
}

static void ds_task(void *task, int w)
{
    ds_slot *s = task;
    mdz_dstream *ds = s->ds;
    size_t v = 0;
    for (;;) {
        int r = ds_block_step(s, &ds->codecs[w], &v);
        mdz_workers_lock(ds->workers);
        s->verified = v;
        if (r != 0 || ds->cancel) {
            s->err = r < 0 ? r : 0;
            s->state = DS_DONE;
        }
        int stop = s->state == DS_DONE;
        mdz_workers_signal(ds->workers);
        mdz_workers_unlock(ds->workers);
        if (stop)
            break;
    }
}

/* Releases what the head slots have verified, in order, completing the
 * slots whose bytes are all out.  *any is set if a byte was released.
 * Returns 1 if out is full with bytes still to release, 0 otherwise, or
 * the error of a block once everything before it is out. */
static int ds_release(mdz_dstream *ds, mdz_outbuf *out, int *any)
{
    while (ds->nq > 0) {
        ds_slot *h = &ds->slots[ds->head];
        size_t ver;
        int st, err;
        ds_lock(ds);
        ver = h->verified;
        st = h->state;
        err = h->err;
        ds_unlock(ds);
        if (ver > h->released) {
            size_t k = ver - h->released, room = out->size - out->pos;
            const uint8_t *src = (h->bh.type == MDZ_BLOCK_STORED ? h->pbuf : h->rbuf) + h->released;
            if (!room)
                return 1;
            if (k > room)
                k = room;
            memcpy((uint8_t *)out->dst + out->pos, src, k);
            ds->crc = mdz_crc32c(ds->crc, src, k);
            out->pos += k;
            h->released += k;
            ds->total += k;
            *any = 1;
            continue;
        }
        if (st != DS_DONE)
            return 0;  /* in work */
        if (err)
            return ds_fail(ds, err, h->block_no);
        ds->info.raw_bytes += h->bh.raw_len;
        ds_record_block(ds, h->block_no, h->coded_offset,
                        MDZ_BLOCK_HEADER_SIZE + mdz_block_rest(&h->bh),
                        ds->info.raw_bytes - h->bh.raw_len, &h->bh, h->pbuf);
        ds_lock(ds);
        h->state = DS_FREE;
        ds_unlock(ds);
        ds->head = (ds->head + 1) % ds->nslots;
        ds->nq--;
    }
    return 0;
}

/* Progress of the blocks in work (lock held): content bytes verified,
 * and the compressed bytes they stand for (a block in work counts its
 * size in proportion to its verified bytes, so that a compressed-side
 * percentage moves with the decoding, not with the reading ahead). */
static uint64_t ds_raw_done(const mdz_dstream *ds)
{
    uint64_t r = ds->info.raw_bytes;
    for (int i = 0; i < ds->nq; i++)
        r += ds->slots[(ds->head + i) % ds->nslots].verified;
    return r;
}

static uint64_t ds_coded_done(const mdz_dstream *ds, uint64_t consumed)
{
    if (ds->nq == 0)
        return consumed;
    uint64_t c = ds->slots[ds->head].coded_offset;
    for (int i = 0; i < ds->nq; i++) {
        const ds_slot *s = &ds->slots[(ds->head + i) % ds->nslots];
        uint64_t size = MDZ_BLOCK_HEADER_SIZE + mdz_block_rest(&s->bh);
        c += size * s->verified / s->bh.raw_len;
    }
    return c;
}

static void ds_progress(mdz_dstream *ds, uint64_t consumed)
{
    if (ds->p.progress_fn)
        ds->p.progress_fn(ds->p.progress_opaque, ds_raw_done(ds), ds_coded_done(ds, consumed));
}

/* Makes the head slot go on: a step of its decoding on this thread, or a
 * wait for its worker to verify more (or finish). */
static int ds_work(mdz_dstream *ds, uint64_t coded)
{
    ds_slot *h = &ds->slots[ds->head];
    if (!ds->workers || ds->threads == 1) {
        size_t v = h->verified;
        int r = ds_block_step(h, &ds->codecs[0], &v);
        h->verified = v;
        if (r != 0) {
            h->err = r < 0 ? r : 0;
            h->state = DS_DONE;
        }
        ds_progress(ds, coded);
        return MDZ_OK;
    }
    mdz_workers_lock(ds->workers);
    size_t v0 = h->verified;
    while (h->state != DS_DONE && h->verified == v0) {
        if (ds->p.progress_fn) {
            uint64_t raw = ds_raw_done(ds), done = ds_coded_done(ds, coded);
            mdz_workers_unlock(ds->workers);
            ds->p.progress_fn(ds->p.progress_opaque, raw, done);
            mdz_workers_lock(ds->workers);
            if (h->state == DS_DONE || h->verified != v0)
                break;
        }
        mdz_workers_wait(ds->workers, PROGRESS_MS);
    }
    mdz_workers_unlock(ds->workers);
    return MDZ_OK;
}

/* The gathered block in slot s is complete: queue it for decoding. */
static void ds_queue(mdz_dstream *ds, ds_slot *s)
{
    s->verified = s->released = 0;
    s->err = 0;
    s->pos.started = 0;
    ds->nq++;
    if (!ds->workers || ds->threads == 1) {
        s->state = DS_QUEUED;   /* decoded a step at a time by ds_work() */
        return;
    }
    mdz_workers_lock(ds->workers);
    s->state = DS_QUEUED;
    mdz_workers_submit(ds->workers, s);
    mdz_workers_unlock(ds->workers);
}

static int ds_step(mdz_dstream *ds, mdz_outbuf *out, mdz_inbuf *in)
{
    const uint8_t *src = in->src;
    int any = 0;
    for (;;) {
        int r = ds_release(ds, out, &any);
        if (r != 0)
            return r;
        size_t avail = in->size - in->pos;
        switch (ds->state) {
        case D_BOUNDARY:
            if (!avail)
                return ds->info.streams > 0 ? 0 : 1;
            ds->hlen = 0;
            ds->rec_off = ds->call_base + in->pos;
            ds->state = D_HEADER;
            break;

        case D_HEADER:
            while (ds->hlen < MDZ_STREAM_HEADER_SIZE && in->pos < in->size) {
                uint8_t c = src[in->pos++];
                static const uint8_t magic[4] = { MDZ_MAGIC_0, MDZ_MAGIC_1,
                                                  MDZ_MAGIC_2, MDZ_MAGIC_3 };
                if (ds->hlen < 4 && c != magic[ds->hlen])
                    return ds_fail(ds, ds->info.streams > 0 ? MDZ_ERR_TRAILING
                                                            : MDZ_ERR_FORMAT, 0);
                ds->hbuf[ds->hlen++] = c;
            }
            if (ds->hlen < MDZ_STREAM_HEADER_SIZE)
                return 1;
            if (ds_start_stream(ds) < 0)
                return ds->err;
            ds->state = D_BTYPE;
            break;

        case D_BTYPE:
            if (!avail)
                goto need_input;
            ds->rec_off = ds->call_base + in->pos;
            ds->hbuf[0] = src[in->pos++];
            ds->hlen = 1;
            /* the index is the last frame before the end marker; a
             * dictionary frame comes first after the header, or not at all */
            if ((ds->index_size && ds->hbuf[0] != MDZ_BLOCK_END) ||
                (ds->hbuf[0] == MDZ_FRAME_DICT && (!ds->first_frame || ds->sh.version < 3))) {
                if (ds_fault(ds, MDZ_ERR_CORRUPT, 0) < 0)
                    return ds->err;
                break;
            }
            ds->first_frame = 0;
            ds->hneed = ds->hbuf[0] == MDZ_BLOCK_END ? mdz_end_marker_size(ds->sh.version)
                                                     : MDZ_BLOCK_HEADER_SIZE;
            ds->state = D_BFIELDS;
            break;

        case D_BFIELDS: {
            size_t k = ds->hneed - ds->hlen;
            if (k > avail)
                k = avail;
            if (!k)
                goto need_input;
            memcpy(ds->hbuf + ds->hlen, src + in->pos, k);
            ds->hlen += k;
            in->pos += k;
            if (ds->hlen < ds->hneed)
                goto need_input;
            if (ds->hbuf[0] == MDZ_BLOCK_END) {
                if (mdz_parse_end_marker(ds->hbuf, ds->sh.version, &ds->end) < 0) {
                    if (ds_fault(ds, MDZ_ERR_CORRUPT, 0) < 0)
                        return ds->err;
                    break;
                }
                ds->state = D_END;
                break;
            }
            if (ds->hbuf[0] == MDZ_FRAME_DICT) {
                if (ds_dict_frame(ds) < 0)
                    return ds->err;
                ds->state = D_BTYPE;
                break;
            }
            if (ds->sh.version >= 3 && ds->hbuf[0] >= MDZ_FRAME_SKIP_MIN &&
                ds->hbuf[0] <= MDZ_FRAME_SKIP_MAX) {
                /* the index must list exactly the blocks read */
                if (mdz_parse_frame_header(ds->hbuf, &ds->fh) < 0 ||
                    (ds->fh.type == MDZ_FRAME_INDEX &&
                     (ds->fh.a != ds->block_no * MDZ_INDEX_ENTRY_SIZE ||
                      ds->fh.b != ds->index_crc))) {
                    if (ds_fault(ds, MDZ_ERR_CORRUPT, 0) < 0)
                        return ds->err;
                    break;
                }
                ds->aux_have = 0;
                ds->aux_crc = 0;
                ds->state = D_AUX;
                break;
            }
            ds->block_no++;
            if (mdz_parse_block_header(ds->hbuf, ds->sh.version, ds->sh.block_log, &ds->bh) < 0) {
                if (ds_fault(ds, MDZ_ERR_CORRUPT, ds->block_no) < 0)
                    return ds->err;
                break;
            }
            /* a one-shot caller's buffer cannot hold this block: say so
             * before any work is spent on it */
            if (ds->bh.raw_len > ds->out_limit - ds->raw_parsed) {
                if (ds_fault(ds, MDZ_ERR_DST_SIZE, ds->block_no) < 0)
                    return ds->err;
                break;
            }
            ds->raw_parsed += ds->bh.raw_len;
            {
                uint8_t e[MDZ_INDEX_ENTRY_SIZE];
                mdz_put_index_entry(e, ds->bh.raw_len,
                                    (uint32_t)(MDZ_BLOCK_HEADER_SIZE + mdz_block_rest(&ds->bh)));
                ds->index_crc = mdz_crc32c(ds->index_crc, e, sizeof e);
            }
            ds->info.blocks++;
            if (ds->bh.type == MDZ_BLOCK_STORED)
                ds->info.blocks_stored++;
            if (ds->p.list_only) {
                ds->slots[0].pneed = mdz_block_rest(&ds->bh);
                ds->slots[0].plen = 0;
                ds->state = D_SKIP;
                break;
            }
            ds->state = D_SLOT;
            break;
        }

        case D_SLOT: {
            if (ds->nq == ds->nslots)
                goto must_work;
            ds_slot *s = &ds->slots[(ds->head + ds->nq) % ds->nslots];
            s->bh = ds->bh;
            s->block_no = ds->block_no;
            s->coded_offset = ds->rec_off;
            s->version = ds->sh.version;
            s->level = ds->sh.level;
            s->model = ds->sh.model;
            s->block_log = ds->sh.block_log;
            s->use_dict = ds->use_dict;
            s->pneed = mdz_block_rest(&ds->bh);
            s->plen = 0;
            ds->state = D_PAYLOAD;
            break;
        }

        case D_SKIP: {
            ds_slot *s = &ds->slots[0];
            size_t k = s->pneed - s->plen;
            if (k > avail)
                k = avail;
            /* keep the block checksum (types 1, 2) or the first chunk's
             * (type 3) for the record: the first or last 4 bytes */
            size_t t0 = ds->bh.type == MDZ_BLOCK_CHUNKED ? 0 : s->pneed - MDZ_BLOCK_TRAILER_SIZE;
            size_t t1 = t0 + MDZ_BLOCK_TRAILER_SIZE;
            if (k && s->plen + k > t0 && s->plen < t1) {  /* (an empty piece may be NULL) */
                size_t from = s->plen > t0 ? s->plen : t0;
                size_t to = s->plen + k < t1 ? s->plen + k : t1;
                memcpy(ds->trailer + (from - t0), src + in->pos + (from - s->plen), to - from);
            }
            in->pos += k;
            s->plen += k;
            if (s->plen < s->pneed)
                return 1;
            ds_record_check(ds, ds->block_no, ds->rec_off, MDZ_BLOCK_HEADER_SIZE + s->pneed,
                            ds->info.raw_bytes, &ds->bh, mdz_get32(ds->trailer));
            ds->total += ds->bh.raw_len;
            ds->info.raw_bytes += ds->bh.raw_len;
            ds->state = D_BTYPE;
            break;
        }

        case D_PAYLOAD: {
            ds_slot *s = &ds->slots[(ds->head + ds->nq) % ds->nslots];
            size_t k = s->pneed - s->plen;
            if (k > avail)
                k = avail;
            if (!k)
                goto need_input;
            if (mdz_grow_bytes(&s->pbuf, &s->pcap, s->plen + k, s->pneed) < 0) {
                if (ds_fault(ds, MDZ_ERR_MEMORY, 0) < 0)
                    return ds->err;
                break;
            }
            memcpy(s->pbuf + s->plen, src + in->pos, k);
            in->pos += k;
            s->plen += k;
            if (s->plen < s->pneed)
                goto need_input;
            ds_queue(ds, s);
            ds->state = D_BTYPE;
            break;
        }

        case D_AUX: {
            size_t k = ds->fh.a - ds->aux_have;
            if (k > avail)
                k = avail;
            if (k) {
                ds->aux_crc = mdz_crc32c(ds->aux_crc, src + in->pos, k);
                in->pos += k;
            }
            ds->aux_have += (uint32_t)k;
            if (ds->aux_have < ds->fh.a)
                goto need_input;
            if (ds->aux_crc != ds->fh.b) {
                if (ds_fault(ds, MDZ_ERR_CORRUPT, 0) < 0)
                    return ds->err;
                break;
            }
            if (ds->fh.type == MDZ_FRAME_INDEX) {
                /* its record after those of the blocks before it */
                if (ds->nq > 0)
                    goto must_work;
                ds->index_size = MDZ_FRAME_HEADER_SIZE + (uint64_t)ds->fh.a;
                ds->rec_chunks = 0;
                ds_record(ds, MDZ_RECORD_INDEX, ds->block_no, ds->rec_off, ds->index_size,
                          ds->stream_raw0, ds->raw_parsed - ds->stream_raw0, ds->fh.b, 0);
            }
            ds->state = D_BTYPE;
            break;
        }

        case D_FAILED:
            if (ds->nq > 0)
                goto must_work;
            return ds_fail(ds, ds->pending, ds->pending_block);

        case D_END:
            if (ds->nq > 0)
                goto must_work;
            if (ds->end.total_len != ds->total || ds->end.index_size != ds->index_size)
                return ds_fail(ds, MDZ_ERR_CORRUPT, 0);
            if (!ds->p.list_only && ds->end.content_crc != ds->crc)
                return ds_fail(ds, MDZ_ERR_CHECKSUM, 0);
            ds_record(ds, MDZ_RECORD_END, ds->block_no, ds->rec_off,
                      mdz_end_marker_size(ds->sh.version),
                      ds->stream_raw0, ds->total, ds->end.content_crc, 0);
            ds->info.streams++;
            ds->state = D_BOUNDARY;
            return 0;
        }
        continue;

    need_input:
        if (ds->nq == 0)
            return 1;
        /* no input, but blocks in work: go on with them */
    must_work:
        if (any)
            return 1;  /* let the caller pass on what was released */
        ds_work(ds, ds->call_base + in->pos);
    }
}

MDZ_API int mdz_dstream_decompress(mdz_dstream *ds, mdz_outbuf *out,
                                   mdz_inbuf *in)
{
    if (!ds || !out || !in || out->pos > out->size || in->pos > in->size ||
        (!in->src && in->size) || (!out->dst && out->size))
        return MDZ_ERR_PARAM;
    if (ds->err)
        return ds->err;
    size_t before = in->pos;
    ds->call_base = ds->info.coded_bytes - before;
    int r = ds_step(ds, out, in);
    ds->info.coded_bytes += in->pos - before;
    return r;
}
