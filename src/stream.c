/*
 * stream.c -- streaming compression and decompression over format v1.
 *
 * Compression (mdz_cstream): input is gathered into a block buffer; a full
 * block (or the partial block at MDZ_FLUSH / MDZ_FINISH) is coded by the
 * block codec into a staging buffer, as a modelled block when that is
 * smaller than the raw bytes and as a stored block otherwise, and the staging
 * buffer is drained into the caller's output as space allows.
 *
 * Decompression (mdz_dstream): a byte-driven state machine.  Fixed-size
 * fields are gathered into a small buffer and checked (frame.c) before
 * anything they declare is believed; a block's payload is gathered into a
 * buffer that grows with the bytes actually received (never beyond what the
 * validated header allows), decoded, its CRC-32C verified, and only then
 * released to the output.  So a corrupt block never yields output.
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "frame.h"
#include "mdz.h"
#include "stream.h"

/* ------------------------------------------------------------------------ */
/* Compression                                                              */

struct mdz_cstream {
    int level;
    int block_log;          /* the parameters' (the largest used) */
    size_t block_size;
    int stream_log;         /* block_log of the current stream's header */
    mdz_codec *codec;       /* created with the first modelled block */
    uint8_t *ibuf;          /* block_size bytes of input */
    size_t ilen;
    uint8_t *obuf;          /* staging: one coded block or a header/marker */
    size_t olen, opos;
    uint64_t total;         /* raw bytes in the current stream */
    uint32_t crc;           /* CRC-32C of them */
    int header_done;        /* the current stream's header is staged */
    int finishing;          /* MDZ_FINISH accepted: no more input, and no
                               other op until the stream is complete */
    int end_done;           /* end marker staged */
};

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
        if (p.block_log < MDZ_BLOCK_LOG_MIN || p.block_log > MDZ_BLOCK_LOG_MAX)
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
    cs->ibuf = malloc(cs->block_size);
    cs->obuf = malloc(MDZ_BLOCK_HEADER_SIZE + cs->block_size + MDZ_BLOCK_TRAILER_SIZE);
    if (!cs->ibuf || !cs->obuf) {
        mdz_cstream_free(cs);
        return NULL;
    }
    return cs;
}

MDZ_API void mdz_cstream_free(mdz_cstream *cs)
{
    if (!cs)
        return;
    mdz_codec_free(cs->codec);
    free(cs->ibuf);
    free(cs->obuf);
    free(cs);
}

/* Codes the buffered input as one block into the staging buffer. */
static int cs_code_block(mdz_cstream *cs)
{
    size_t n = cs->ilen;
    uint8_t *payload = cs->obuf + MDZ_BLOCK_HEADER_SIZE;
    size_t coded = 0;
    int type = MDZ_BLOCK_STORED;

    if (n >= 2) {  /* a 1-byte block can never be coded smaller */
        if (cs->codec && mdz_codec_block_log(cs->codec) < cs->stream_log) {
            mdz_codec_free(cs->codec);
            cs->codec = NULL;
        }
        if (!cs->codec) {
            cs->codec = mdz_codec_new(cs->level, MDZ_MODEL_ID, cs->stream_log);
            if (!cs->codec)
                return MDZ_ERR_MEMORY;
        }
        coded = mdz_codec_encode(cs->codec, cs->ibuf, n, payload, n);
        if (coded)
            type = MDZ_BLOCK_MODELLED;
    }
    if (!coded) {
        memcpy(payload, cs->ibuf, n);
        coded = n;
    }
    uint32_t bcrc = mdz_crc32c(0, cs->ibuf, n);
    mdz_write_block_header(cs->obuf, type, (uint32_t)n, (uint32_t)coded);
    mdz_put32(payload + coded, bcrc);
    cs->olen = MDZ_BLOCK_HEADER_SIZE + coded + MDZ_BLOCK_TRAILER_SIZE;
    cs->opos = 0;
    cs->crc = mdz_crc32c(cs->crc, cs->ibuf, n);
    cs->total += n;
    cs->ilen = 0;
    return MDZ_OK;
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

/* Stages the stream header.  When the whole content is known to be the
 * one block buffered now (MDZ_FINISH before any block was coded), the
 * header names the smallest block size that holds it, so that it declares
 * only the memory decoding really needs; the coded bits are the same. */
static void cs_stage_header(mdz_cstream *cs, int whole)
{
    cs->stream_log = cs->block_log;
    if (whole && block_log_for(cs->ilen) < cs->block_log)
        cs->stream_log = block_log_for(cs->ilen);
    mdz_write_stream_header(cs->obuf, cs->level, cs->stream_log);
    cs->olen = MDZ_STREAM_HEADER_SIZE;
    cs->opos = 0;
    cs->header_done = 1;
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
        /* 1. drain staged output */
        if (cs->opos < cs->olen) {
            size_t k = cs->olen - cs->opos;
            size_t room = out->size - out->pos;
            if (k > room)
                k = room;
            if (k) {
                memcpy((uint8_t *)out->dst + out->pos, cs->obuf + cs->opos, k);
                out->pos += k;
                cs->opos += k;
            }
            if (cs->opos < cs->olen)
                return 1;
        }
        /* 2. stream complete: get ready for another */
        if (cs->end_done) {
            cs->header_done = cs->finishing = cs->end_done = 0;
            cs->total = 0;
            cs->crc = 0;
            cs->olen = cs->opos = 0;
            return 0;
        }
        /* 3. gather input */
        if (in->pos < in->size && cs->ilen < cs->block_size) {
            size_t k = in->size - in->pos;
            if (k > cs->block_size - cs->ilen)
                k = cs->block_size - cs->ilen;
            memcpy(cs->ibuf + cs->ilen, (const uint8_t *)in->src + in->pos, k);
            cs->ilen += k;
            in->pos += k;
        }
        if (cs->ilen == cs->block_size) {
            if (!cs->header_done) {
                cs_stage_header(cs, 0);
                continue;
            }
            int r = cs_code_block(cs);
            if (r < 0)
                return r;
            continue;
        }
        /* 4. input exhausted */
        if (op == MDZ_RUN)
            return 0;
        if (op == MDZ_FINISH)
            cs->finishing = 1;
        if (!cs->header_done) {
            /* the header waits for the first block or the end, so that a
             * stream of one block can name the size it needs */
            cs_stage_header(cs, op == MDZ_FINISH);
            continue;
        }
        if (cs->ilen > 0) {
            int r = cs_code_block(cs);
            if (r < 0)
                return r;
            continue;
        }
        if (op == MDZ_FLUSH)
            return 0;
        mdz_write_end_marker(cs->obuf, cs->total, cs->crc);
        cs->olen = MDZ_END_MARKER_SIZE;
        cs->opos = 0;
        cs->end_done = 1;
    }
}

/* ------------------------------------------------------------------------ */
/* Decompression                                                            */

enum {
    D_BOUNDARY,  /* before a stream (or after a complete one) */
    D_HEADER,    /* gathering the stream header */
    D_BTYPE,     /* reading a block's type byte */
    D_BFIELDS,   /* gathering the rest of a block header or the end marker */
    D_PAYLOAD,   /* gathering payload + trailer */
    D_SKIP,      /* list mode: skipping payload + trailer */
    D_EMIT       /* releasing a verified block */
};

struct mdz_dstream {
    mdz_dparams p;
    int state;
    int err;                    /* sticky error */
    uint64_t err_block;
    uint8_t hbuf[MDZ_END_MARKER_SIZE];
    size_t hlen, hneed;
    mdz_stream_header sh;
    mdz_block_header bh;
    mdz_codec *codec;
    int codec_level, codec_model;  /* what codec was made for */
    uint64_t out_limit;         /* content bytes the caller has room for
                                   (one-shot calls; UINT64_MAX: no limit) */
    uint64_t call_base;         /* coded offset of the input buffer's start
                                   in this call (mod 2^64) */
    uint64_t rec_off;           /* coded offset of the element being read */
    uint64_t stream_raw0;       /* raw offset where the stream began */
    uint8_t trailer[MDZ_BLOCK_TRAILER_SIZE];  /* list mode: the CRC skipped */
    uint8_t *pbuf;              /* payload + trailer */
    size_t pcap, plen, pneed;
    uint8_t *rbuf;              /* decoded block */
    size_t rcap;
    const uint8_t *emit;
    size_t emit_len, emit_pos;
    uint64_t total;             /* raw bytes of the current stream */
    uint32_t crc;
    uint64_t block_no;          /* blocks of the current stream */
    mdz_info info;
};

MDZ_API mdz_dstream *mdz_dstream_new(const mdz_dparams *params)
{
    mdz_dstream *ds = calloc(1, sizeof *ds);
    if (!ds)
        return NULL;
    if (params)
        ds->p = *params;
    ds->state = D_BOUNDARY;
    ds->out_limit = UINT64_MAX;
    return ds;
}

void mdz_dstream_set_out_limit(mdz_dstream *ds, uint64_t limit)
{
    ds->out_limit = limit;
}

/* Reports a record to the caller's callback, if any. */
static void ds_record(mdz_dstream *ds, mdz_record_kind kind, uint64_t coded_size,
                      uint64_t raw_offset, uint64_t raw_size, uint32_t check)
{
    if (!ds->p.record_fn)
        return;
    mdz_record r;
    memset(&r, 0, sizeof r);
    r.kind = kind;
    r.stream = ds->info.streams + 1;
    r.block = ds->block_no;
    r.coded_offset = ds->rec_off;
    r.coded_size = coded_size;
    r.raw_offset = raw_offset;
    r.raw_size = raw_size;
    r.check = check;
    r.stored = kind == MDZ_RECORD_BLOCK && ds->bh.type == MDZ_BLOCK_STORED;
    r.model = ds->sh.model;
    r.level = ds->sh.level;
    r.block_log = ds->sh.block_log;
    r.memory = ds->info.memory;
    ds->p.record_fn(ds->p.record_opaque, &r);
}

MDZ_API void mdz_dstream_free(mdz_dstream *ds)
{
    if (!ds)
        return;
    mdz_codec_free(ds->codec);
    free(ds->pbuf);
    free(ds->rbuf);
    free(ds);
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

static int ds_fail(mdz_dstream *ds, int err, int in_block)
{
    ds->err = err;
    ds->err_block = in_block ? ds->block_no : 0;
    return err;
}

/* Grows *buf to hold at least need bytes (doubling, capped at limit). */
static int grow(uint8_t **buf, size_t *cap, size_t need, size_t limit)
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
    if (ds->p.memlimit && need > ds->p.memlimit)
        return ds_fail(ds, MDZ_ERR_MEMLIMIT, 0);
    ds->total = 0;
    ds->crc = 0;
    ds->block_no = 0;
    ds->stream_raw0 = ds->info.raw_bytes;
    ds_record(ds, MDZ_RECORD_STREAM, MDZ_STREAM_HEADER_SIZE, ds->stream_raw0, 0, 0);
    return MDZ_OK;
}

/* A complete payload is in pbuf: decode and verify it. */
static int ds_finish_block(mdz_dstream *ds)
{
    size_t raw = ds->bh.raw_len, coded = ds->bh.coded_len;
    const uint8_t *data = ds->pbuf;
    if (ds->bh.type == MDZ_BLOCK_MODELLED) {
        if (!ds->codec || ds->codec_level != ds->sh.level ||
            ds->codec_model != ds->sh.model ||
            mdz_codec_block_log(ds->codec) < ds->sh.block_log) {
            mdz_codec_free(ds->codec);
            ds->codec = NULL;
            ds->codec = mdz_codec_new(ds->sh.level, ds->sh.model, ds->sh.block_log);
            ds->codec_level = ds->sh.level;
            ds->codec_model = ds->sh.model;
            if (!ds->codec)
                return ds_fail(ds, MDZ_ERR_MEMORY, 0);
        }
        if (grow(&ds->rbuf, &ds->rcap, raw, raw) < 0)
            return ds_fail(ds, MDZ_ERR_MEMORY, 0);
        if (mdz_codec_decode(ds->codec, ds->pbuf, coded, ds->rbuf, raw) != 0)
            return ds_fail(ds, MDZ_ERR_CORRUPT, 1);
        data = ds->rbuf;
    }
    uint32_t bcrc = mdz_get32(ds->pbuf + coded);
    if (mdz_crc32c(0, data, raw) != bcrc)
        return ds_fail(ds, MDZ_ERR_CHECKSUM, 1);
    ds->crc = mdz_crc32c(ds->crc, data, raw);
    ds_record(ds, MDZ_RECORD_BLOCK, MDZ_BLOCK_HEADER_SIZE + coded + MDZ_BLOCK_TRAILER_SIZE,
              ds->info.raw_bytes, raw, bcrc);
    ds->total += raw;
    ds->info.raw_bytes += raw;
    ds->emit = data;
    ds->emit_len = raw;
    ds->emit_pos = 0;
    return MDZ_OK;
}

static int ds_step(mdz_dstream *ds, mdz_outbuf *out, mdz_inbuf *in)
{
    const uint8_t *src = in->src;
    for (;;) {
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
                return 1;
            ds->rec_off = ds->call_base + in->pos;
            ds->hbuf[0] = src[in->pos++];
            ds->hlen = 1;
            ds->hneed = ds->hbuf[0] == MDZ_BLOCK_END ? MDZ_END_MARKER_SIZE
                                                     : MDZ_BLOCK_HEADER_SIZE;
            ds->state = D_BFIELDS;
            break;

        case D_BFIELDS: {
            size_t k = ds->hneed - ds->hlen;
            if (k > avail)
                k = avail;
            if (!k)
                return 1;
            memcpy(ds->hbuf + ds->hlen, src + in->pos, k);
            ds->hlen += k;
            in->pos += k;
            if (ds->hlen < ds->hneed)
                return 1;
            if (ds->hbuf[0] == MDZ_BLOCK_END) {
                mdz_end_marker e;
                if (mdz_parse_end_marker(ds->hbuf, &e) < 0 || e.total_len != ds->total)
                    return ds_fail(ds, MDZ_ERR_CORRUPT, 0);
                if (!ds->p.list_only && e.content_crc != ds->crc)
                    return ds_fail(ds, MDZ_ERR_CHECKSUM, 0);
                ds_record(ds, MDZ_RECORD_END, MDZ_END_MARKER_SIZE, ds->stream_raw0,
                          ds->total, e.content_crc);
                ds->info.streams++;
                ds->state = D_BOUNDARY;
                return 0;
            }
            ds->block_no++;
            if (mdz_parse_block_header(ds->hbuf, ds->sh.block_log, &ds->bh) < 0)
                return ds_fail(ds, MDZ_ERR_CORRUPT, 1);
            /* a one-shot caller's buffer cannot hold this block: say so
             * before any work is spent on it */
            if (ds->bh.raw_len > ds->out_limit - ds->info.raw_bytes)
                return ds_fail(ds, MDZ_ERR_DST_SIZE, 1);
            ds->info.blocks++;
            if (ds->bh.type == MDZ_BLOCK_STORED)
                ds->info.blocks_stored++;
            ds->pneed = (size_t)ds->bh.coded_len + MDZ_BLOCK_TRAILER_SIZE;
            ds->plen = 0;
            ds->state = ds->p.list_only ? D_SKIP : D_PAYLOAD;
            break;
        }

        case D_SKIP: {
            size_t k = ds->pneed - ds->plen;
            if (k > avail)
                k = avail;
            /* keep the trailer (the block's CRC) for the record */
            size_t t0 = ds->pneed - MDZ_BLOCK_TRAILER_SIZE;
            if (ds->plen + k > t0) {
                size_t from = ds->plen > t0 ? ds->plen : t0;
                memcpy(ds->trailer + (from - t0), src + in->pos + (from - ds->plen),
                       ds->plen + k - from);
            }
            in->pos += k;
            ds->plen += k;
            if (ds->plen < ds->pneed)
                return 1;
            ds_record(ds, MDZ_RECORD_BLOCK, MDZ_BLOCK_HEADER_SIZE + ds->pneed,
                      ds->info.raw_bytes, ds->bh.raw_len, mdz_get32(ds->trailer));
            ds->total += ds->bh.raw_len;
            ds->info.raw_bytes += ds->bh.raw_len;
            ds->state = D_BTYPE;
            break;
        }

        case D_PAYLOAD: {
            size_t k = ds->pneed - ds->plen;
            if (k > avail)
                k = avail;
            if (!k)
                return 1;
            if (grow(&ds->pbuf, &ds->pcap, ds->plen + k, ds->pneed) < 0)
                return ds_fail(ds, MDZ_ERR_MEMORY, 0);
            memcpy(ds->pbuf + ds->plen, src + in->pos, k);
            in->pos += k;
            ds->plen += k;
            if (ds->plen < ds->pneed)
                return 1;
            if (ds_finish_block(ds) < 0)
                return ds->err;
            ds->state = D_EMIT;
            break;
        }

        case D_EMIT: {
            size_t k = ds->emit_len - ds->emit_pos;
            size_t room = out->size - out->pos;
            if (k > room)
                k = room;
            if (k) {
                memcpy((uint8_t *)out->dst + out->pos, ds->emit + ds->emit_pos, k);
                out->pos += k;
                ds->emit_pos += k;
            }
            if (ds->emit_pos < ds->emit_len)
                return 1;
            ds->state = D_BTYPE;
            break;
        }
        }
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
