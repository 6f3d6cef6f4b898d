/*
 * fuzz_roundtrip -- libFuzzer target: compress arbitrary bytes at a
 * fuzzer-chosen level and block size through a fuzzer-chosen API path,
 * decompress, compare.
 *
 * Input layout: 4 control bytes, then the content.
 *   byte 0: level: low nibble through a table weighted to levels 1-3 (the
 *           cheap ones: each iteration stays fast), now and then 4-9
 *   byte 1: block_log: 16 mostly, 17 or 20 sometimes (inputs are capped at
 *           32 KiB for speed, so blocks end through MDZ_FLUSH and stream
 *           ends; full 64 KiB blocks are the unit tests' business)
 *   byte 2: bits 0-1 compression path: 0 one-shot mdz_compress(),
 *           1 streaming with MDZ_RUN only, then MDZ_FINISH,
 *           2 streaming with random MDZ_FLUSH calls,
 *           3 streaming, the content split into two streams coded by the
 *             same context (MDZ_FINISH, then a new stream);
 *           bits 2-3 input piece mode, bits 4-5 output window mode;
 *           bit 6: decode with the streaming decoder (else one-shot)
 *   byte 3: seed of the piece-size generator
 *
 * Checks: the decoded bytes equal the content; the compressed form is
 * accepted by the reference container reader with blocks that match the
 * content; without flushes it is byte-identical to the one-shot result and
 * within mdz_compress_bound(); the header names the level and block_log
 * asked for; a too-small output buffer gives MDZ_ERR_DST_SIZE.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int level_table[16] = { 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 5, 6, 9 };

static uint8_t *xmalloc(size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    FUZZ_CHECK(p != NULL);
    return p;
}

/* Streaming compression of src[0..n) into dst (capacity cap), per path. */
static size_t stream_compress(const mdz_cparams *cp, const uint8_t *src,
                              size_t n, uint8_t *dst, size_t cap, int path,
                              int in_mode, int out_mode, fz_rng *rng,
                              size_t split)
{
    mdz_cstream *cs = mdz_cstream_new(cp);
    FUZZ_CHECK(cs != NULL);
    size_t ipos = 0, opos = 0;
    int streams = path == 3 ? 2 : 1;
    for (int s = 0; s < streams; s++) {
        size_t end = (streams == 2 && s == 0) ? split : n;
        int idle = 0;
        /* feed with MDZ_RUN (and MDZ_FLUSH now and then) */
        while (ipos < end) {
            size_t ik = fz_piece(rng, in_mode, end - ipos);
            size_t ok = fz_piece(rng, out_mode, cap - opos);
            if (++idle > 64)
                ik = end - ipos, ok = cap - opos;
            mdz_end_op op = (path == 2 && fz_next(rng) % 16 == 0) ? MDZ_FLUSH : MDZ_RUN;
            mdz_inbuf in = { src + ipos, ik, 0 };
            int r;
            do {
                size_t room = ok;
                mdz_outbuf o = { dst + opos, room, 0 };
                r = mdz_cstream_compress(cs, &o, &in, op);
                FUZZ_CHECK(r >= 0);
                FUZZ_CHECK(in.pos <= ik && o.pos <= room);
                opos += o.pos;
                if (o.pos || in.pos)
                    idle = 0;
                ok = fz_piece(rng, out_mode, cap - opos);
                if (++idle > 64)
                    ok = cap - opos;
                FUZZ_CHECK(opos < cap || r == 0 || op == MDZ_RUN);
            } while ((op == MDZ_FLUSH && r > 0) || (op == MDZ_RUN && in.pos < ik));
            ipos += in.pos;
        }
        /* finish the stream */
        mdz_inbuf in = { src + ipos, 0, 0 };
        int r;
        idle = 0;
        do {
            size_t ok = fz_piece(rng, out_mode, cap - opos);
            if (++idle > 64)
                ok = cap - opos;
            mdz_outbuf o = { dst + opos, ok, 0 };
            r = mdz_cstream_compress(cs, &o, &in, MDZ_FINISH);
            FUZZ_CHECK(r >= 0);
            opos += o.pos;
            if (o.pos)
                idle = 0;
            FUZZ_CHECK(opos < cap || r == 0);
        } while (r > 0);
        /* more input after MDZ_FINISH completed is a new stream, and a
         * zero-length MDZ_RUN call in between is harmless */
        mdz_outbuf o0 = { NULL, 0, 0 };
        mdz_inbuf i0 = { NULL, 0, 0 };
        if (s + 1 < streams)
            FUZZ_CHECK(mdz_cstream_compress(cs, &o0, &i0, MDZ_RUN) >= 0);
    }
    mdz_cstream_free(cs);
    return opos;
}

static void stream_decompress(const uint8_t *src, size_t n, uint8_t *dst,
                              size_t cap, int in_mode, int out_mode, fz_rng *rng)
{
    mdz_dstream *ds = mdz_dstream_new(NULL);
    FUZZ_CHECK(ds != NULL);
    size_t ipos = 0, opos = 0;
    int r = 1, idle = 0;
    for (;;) {
        size_t ik = fz_piece(rng, in_mode, n - ipos);
        size_t ok = fz_piece(rng, out_mode, cap - opos);
        if (++idle > 64)
            ik = n - ipos, ok = cap - opos;
        mdz_inbuf in = { src + ipos, ik, 0 };
        mdz_outbuf o = { dst + opos, ok, 0 };
        r = mdz_dstream_decompress(ds, &o, &in);
        FUZZ_CHECK(r >= 0);
        ipos += in.pos;
        opos += o.pos;
        if (in.pos || o.pos)
            idle = 0;
        if (ipos == n && r == 0)
            break;
        FUZZ_CHECK(idle < 1000);
    }
    FUZZ_CHECK(opos == cap);
    mdz_dstream_free(ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ref_result ref;
    if (size < 4)
        return 0;
    mdz_cparams cp;
    FUZZ_CHECK(mdz_cparams_init(&cp, level_table[data[0] & 15]) == MDZ_OK);
    cp.block_log = (data[1] & 7) == 7 ? 17 : (data[1] & 15) == 14 ? 20 : 16;
    int path = data[2] & 3;
    int in_mode = (data[2] >> 2) & 3, out_mode = (data[2] >> 4) & 3;
    int stream_dec = (data[2] >> 6) & 1;
    fz_rng rng;
    fz_seed(&rng, (uint64_t)data[3] | (uint64_t)size << 8);
    const uint8_t *src = data + 4;
    size_t n = size - 4;

    size_t bound = mdz_compress_bound(n, cp.block_log);
    FUZZ_CHECK(bound > n);
    /* flushes add blocks, two streams add a header and marker: allow for
     * both in the buffer (the bound is checked where it applies) */
    size_t cap = bound + 64 + (n + 1) * 17;
    uint8_t *c = xmalloc(cap);
    size_t clen;
    size_t split = n ? fz_upto(&rng, n) : 0;

    if (path == 0) {
        clen = bound;  /* exactly the bound: must suffice */
        FUZZ_CHECK(mdz_compress(c, &clen, src, n, &cp) == MDZ_OK);
        FUZZ_CHECK(clen <= bound);
        if (n < 4096 && clen > 0) {  /* one byte short must be refused */
            uint8_t *c2 = xmalloc(clen - 1);
            size_t l2 = clen - 1;
            FUZZ_CHECK(mdz_compress(c2, &l2, src, n, &cp) == MDZ_ERR_DST_SIZE);
            free(c2);
        }
    } else {
        clen = stream_compress(&cp, src, n, c, cap, path, in_mode, out_mode,
                               &rng, split);
        if (path == 1) {
            FUZZ_CHECK(clen <= bound);
            if (n < 16384) {  /* identical to the one-shot result */
                uint8_t *c2 = xmalloc(bound);
                size_t l2 = bound;
                FUZZ_CHECK(mdz_compress(c2, &l2, src, n, &cp) == MDZ_OK);
                FUZZ_CHECK(l2 == clen && memcmp(c2, c, clen) == 0);
                free(c2);
            }
        }
    }

    /* header fields: the level; the block size asked for, or (a stream
     * finished before its first block filled) the smallest that holds it:
     * exactly that for the one-shot call, never more than asked, and a
     * smaller one only for a stream of at most one block */
    FUZZ_CHECK(clen >= 33);
    FUZZ_CHECK(c[6] == cp.level && c[7] >= 16 && c[7] <= cp.block_log);
    if (path == 0) {
        int want = 16;
        while (want < cp.block_log && ((size_t)1 << want) < n)
            want++;
        FUZZ_CHECK(c[7] == want);
    }

    /* the container, judged by the reference reader */
    ref_walk(c, clen, &ref, 0);
    FUZZ_CHECK(ref.status != REF_BAD);
    FUZZ_CHECK(ref.nstreams == (path == 3 ? 2u : 1u));
    if (c[7] < cp.block_log)
        FUZZ_CHECK(ref.nblocks == 0 || ref.blocks[0].stream != 0 ||
                   ref.nblocks == 1 || ref.blocks[1].stream != 0);
    ref_check_output(&ref, c, src, n, 1);
    for (size_t i = 0; i < ref.nblocks; i++)
        FUZZ_CHECK(ref.blocks[i].raw_len <= (UINT32_C(1) << cp.block_log));

    /* decode and compare */
    uint8_t *d = xmalloc(n);
    if (stream_dec) {
        stream_decompress(c, clen, d, n, in_mode, out_mode, &rng);
    } else {
        size_t dlen = n;
        FUZZ_CHECK(mdz_decompress(d, &dlen, c, clen) == MDZ_OK);
        FUZZ_CHECK(dlen == n);
    }
    FUZZ_CHECK(n == 0 || memcmp(d, src, n) == 0);
    free(d);
    free(c);
    return 0;
}
