/*
 * fuzz_roundtrip -- libFuzzer target: compress arbitrary bytes at a
 * fuzzer-chosen level, block size and thread count through a
 * fuzzer-chosen API path, decompress with a fuzzer-chosen thread count,
 * compare.
 *
 * Input layout: 4 control bytes, then the content.
 *   byte 0: level: low nibble through a table weighted to levels 1-3 (the
 *           cheap ones: each iteration stays fast), now and then 4-9;
 *           high nibble: compression threads, 1 + (nibble mod 3)
 *   byte 1: block_log (low nibble): 16 mostly, 17 or 20 sometimes (inputs
 *           are capped at 32 KiB for speed, so blocks end through
 *           MDZ_FLUSH and stream ends; full 64 KiB blocks are the unit
 *           tests' business); high nibble: decompression threads,
 *           1 + (nibble mod 3)
 *   byte 2: bits 0-1 compression path: 0 one-shot mdz_compress(),
 *           1 streaming with MDZ_RUN only, then MDZ_FINISH,
 *           2 streaming with random MDZ_FLUSH calls,
 *           3 streaming, the content split into two streams coded by the
 *             same context (MDZ_FINISH, then a new stream);
 *           bits 2-3 input piece mode, bits 4-5 output window mode;
 *           bit 6: decode with the streaming decoder (else one-shot,
 *           mdz_decompress_ex()); bit 7: code with the fuzz dictionary
 *           (fz_dict(); every decode is given it)
 *   byte 3: seed of the piece-size generators
 *
 * The input pieces and the MDZ_FLUSH points come from one generator, the
 * output windows from another, so that a run with other threads makes the
 * same calls with the same input, whenever the output comes out.
 *
 * Checks: the decoded bytes equal the content; the compressed form is a
 * format-2 stream (type-1 and type-3 blocks) accepted by the reference
 * container reader with blocks (chunks) that match the content; it is
 * byte-identical to what one thread writes for the same input and calls
 * (a second run with threads = 1 when more were asked for); without
 * flushes it is byte-identical to the one-shot result and within
 * mdz_compress_bound(); the header names the level and block_log asked
 * for; a too-small output buffer gives MDZ_ERR_DST_SIZE; the contexts use
 * 1 to the asked number of threads; progress reports come from the
 * calling thread, never go back and stay within the bytes in and out.
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

/* Streaming compression of src[0..n) into dst (capacity cap), per path.
 * Input pieces and flush points are drawn from a generator seeded with
 * sched_seed alone (every piece is consumed whole, so they do not depend
 * on when output comes out), output windows from orng. */
static size_t stream_compress(const mdz_cparams *cp, const uint8_t *src,
                              size_t n, uint8_t *dst, size_t cap, int path,
                              int in_mode, int out_mode, uint64_t sched_seed,
                              fz_rng *orng, size_t split, int threads_asked)
{
    mdz_cstream *cs = mdz_cstream_new(cp);
    FUZZ_CHECK(cs != NULL);
    int used = mdz_cstream_threads(cs);
    FUZZ_CHECK(used >= 1 && used <= threads_asked);
    fz_rng srng;
    fz_seed(&srng, sched_seed);
    size_t ipos = 0, opos = 0;
    int streams = path == 3 ? 2 : 1;
    for (int s = 0; s < streams; s++) {
        size_t end = (streams == 2 && s == 0) ? split : n;
        /* feed with MDZ_RUN (and MDZ_FLUSH now and then) */
        while (ipos < end) {
            size_t ik = fz_piece(&srng, in_mode, end - ipos);
            mdz_end_op op = (path == 2 && fz_next(&srng) % 16 == 0) ? MDZ_FLUSH : MDZ_RUN;
            mdz_inbuf in = { src + ipos, ik, 0 };
            int r, idle = 0;
            do {
                size_t room = fz_piece(orng, out_mode, cap - opos);
                if (idle > 64)
                    room = cap - opos;
                mdz_outbuf o = { dst + opos, room, 0 };
                r = mdz_cstream_compress(cs, &o, &in, op);
                FUZZ_CHECK(r >= 0);
                FUZZ_CHECK(in.pos <= ik && o.pos <= room);
                opos += o.pos;
                idle = o.pos || in.pos ? 0 : idle + 1;
                FUZZ_CHECK(idle < 1000);
                FUZZ_CHECK(opos < cap || r == 0 || op == MDZ_RUN);
            } while ((op == MDZ_FLUSH && r > 0) || (op == MDZ_RUN && in.pos < ik));
            FUZZ_CHECK(in.pos == ik);
            ipos += in.pos;
        }
        /* finish the stream */
        mdz_inbuf in = { src + ipos, 0, 0 };
        int r, idle = 0;
        do {
            size_t ok = fz_piece(orng, out_mode, cap - opos);
            if (++idle > 64)
                ok = cap - opos;
            mdz_outbuf o = { dst + opos, ok, 0 };
            r = mdz_cstream_compress(cs, &o, &in, MDZ_FINISH);
            FUZZ_CHECK(r >= 0);
            opos += o.pos;
            if (o.pos)
                idle = 0;
            FUZZ_CHECK(idle < 1000);
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
                              size_t cap, int in_mode, int out_mode, fz_rng *rng,
                              int threads)
{
    mdz_dparams dp = { .threads = threads, .dict = fz_dict(), .dict_size = FZ_DICT_SIZE };
    mdz_dstream *ds = mdz_dstream_new(&dp);
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
    mdz_info info;
    FUZZ_CHECK(mdz_dstream_info(ds, &info) == MDZ_OK);
    FUZZ_CHECK(info.threads >= 1 && info.threads <= threads);
    FUZZ_CHECK(info.raw_bytes == cap && info.coded_bytes == n);
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
    int cthreads = 1 + (data[0] >> 4) % 3, dthreads = 1 + (data[1] >> 4) % 3;
    fz_progress prog;
    fz_progress_init(&prog);
    cp.threads = cthreads;
    cp.progress_fn = fz_progress_fn;
    cp.progress_opaque = &prog;
    int use_dict = data[2] >> 7;
    if (use_dict) {
        cp.dict = fz_dict();
        cp.dict_size = FZ_DICT_SIZE;
    }
    mdz_cparams cp1 = cp;  /* the same with one thread, no progress */
    cp1.threads = 1;
    cp1.progress_fn = NULL;
    cp1.progress_opaque = NULL;
    int path = data[2] & 3;
    int in_mode = (data[2] >> 2) & 3, out_mode = (data[2] >> 4) & 3;
    int stream_dec = (data[2] >> 6) & 1;
    fz_rng rng;
    uint64_t seed = (uint64_t)data[3] | (uint64_t)size << 8;
    fz_seed(&rng, seed);
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
        FUZZ_CHECK(prog.raw <= n && prog.coded <= clen);
        if (n < 4096 && clen > 0) {  /* one byte short must be refused */
            mdz_cparams cps = cp;  /* a new context: its own progress */
            cps.progress_fn = NULL;
            uint8_t *c2 = xmalloc(clen - 1);
            size_t l2 = clen - 1;
            FUZZ_CHECK(mdz_compress(c2, &l2, src, n, &cps) == MDZ_ERR_DST_SIZE);
            free(c2);
        }
    } else {
        fz_rng orng;
        fz_seed(&orng, seed ^ 0x6f7574ull);
        clen = stream_compress(&cp, src, n, c, cap, path, in_mode, out_mode,
                               seed ^ 0x736368ull, &orng, split, cthreads);
        if (path == 1)
            FUZZ_CHECK(clen <= bound);
        FUZZ_CHECK(prog.raw <= n && prog.coded <= clen);
    }

    /* the same bytes as one thread writes: the one-shot call for the
     * paths without flushes (the streamed stream must equal it), a second
     * streaming run with the same input pieces and flushes otherwise */
    if (cthreads > 1 || (path == 1 && n < 16384)) {
        uint8_t *c2 = xmalloc(cap);
        size_t l2 = bound;
        if (path <= 1) {
            FUZZ_CHECK(mdz_compress(c2, &l2, src, n, &cp1) == MDZ_OK);
        } else {
            fz_rng orng;
            fz_seed(&orng, seed ^ 0x6f6e65ull);
            l2 = stream_compress(&cp1, src, n, c2, cap, path, in_mode, out_mode,
                                 seed ^ 0x736368ull, &orng, split, 1);
        }
        FUZZ_CHECK(l2 == clen && memcmp(c2, c, clen) == 0);
        free(c2);
    }

    /* header fields: format 3, the current model, the level; the block
     * size asked for, or (a stream finished before its first block
     * filled) the smallest that holds it: exactly that for the one-shot
     * call, never more than asked, and a smaller one only for a stream of
     * at most one block */
    FUZZ_CHECK(clen >= (use_dict ? 63u : 50u));  /* header, dictionary, index, end marker */
    FUZZ_CHECK((c[16] == 4) == use_dict);
    FUZZ_CHECK(c[4] == MDZ_FORMAT_VERSION && c[5] == 8);  /* model 8: format.md 5 */
    FUZZ_CHECK(c[6] == cp.level && c[7] >= 16 && c[7] <= cp.block_log);
    if (path == 0) {
        int want = 16;  /* holding the dictionary too, if any */
        while (want < cp.block_log && ((size_t)1 << want) < n + cp.dict_size)
            want++;
        FUZZ_CHECK(c[7] == want);
    }

    /* the container, judged by the reference reader */
    ref_walk(c, clen, &ref, 0);
    FUZZ_CHECK(ref.status != REF_BAD);
    FUZZ_CHECK(ref.versions == 1 << MDZ_FORMAT_VERSION);
    FUZZ_CHECK(ref.nstreams == (path == 3 ? 2u : 1u));
    FUZZ_CHECK(ref.dict_streams == (use_dict ? ref.nstreams : 0));
    if (c[7] < cp.block_log)
        FUZZ_CHECK(ref.nblocks == 0 || ref.blocks[0].stream != 0 ||
                   ref.nblocks == 1 || ref.blocks[1].stream != 0);
    ref_check_output(&ref, c, src, n, 1);
    for (size_t i = 0; i < ref.nblocks; i++) {
        FUZZ_CHECK(ref.blocks[i].raw_len <= (UINT32_C(1) << cp.block_log));
        FUZZ_CHECK(ref.blocks[i].type == 1 || ref.blocks[i].type == 3);
    }

    /* decode and compare */
    uint8_t *d = xmalloc(n);
    if (stream_dec) {
        stream_decompress(c, clen, d, n, in_mode, out_mode, &rng, dthreads);
    } else {
        size_t dlen = n;
        mdz_dparams dp = { .threads = dthreads, .dict = fz_dict(), .dict_size = FZ_DICT_SIZE };
        FUZZ_CHECK(mdz_decompress_ex(d, &dlen, c, clen, &dp) == MDZ_OK);
        FUZZ_CHECK(dlen == n);
    }
    FUZZ_CHECK(n == 0 || memcmp(d, src, n) == 0);
    free(d);
    free(c);
    return 0;
}
