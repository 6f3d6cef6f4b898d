/* Unit tests: one-shot and streaming compression/decompression (mdz.c,
 * stream.c): edge cases, block boundaries, byte-at-a-time streaming,
 * concatenation, flush, truncation, bit flips, trailing garbage, memory
 * limit, listing, and round trips of the corpus through the streaming API. */
#include <dirent.h>
#include <sys/stat.h>

#include "testutil.h"
#include "codec.h"
#include "frame.h"
#include "mdz.h"

/* One-shot compress into a fresh buffer. */
static uint8_t *compress_buf(const uint8_t *src, size_t n, int level,
                             int block_log, size_t *clen)
{
    mdz_cparams p;
    ck_assert_int_eq(mdz_cparams_init(&p, level), MDZ_OK);
    if (block_log)
        p.block_log = block_log;
    size_t cap = mdz_compress_bound(n, p.block_log);
    ck_assert_uint_gt(cap, 0);
    uint8_t *dst = malloc(cap);
    *clen = cap;
    ck_assert_int_eq(mdz_compress(dst, clen, src, n, &p), MDZ_OK);
    ck_assert_uint_le(*clen, cap);
    return dst;
}

static void check_one_shot(const uint8_t *src, size_t n, int level, int block_log)
{
    size_t clen;
    uint8_t *c = compress_buf(src, n, level, block_log, &clen);
    uint8_t *d = malloc(n + 1);
    size_t dlen = n + 1;
    ck_assert_int_eq(mdz_decompress(d, &dlen, c, clen), MDZ_OK);
    ck_assert_uint_eq(dlen, n);
    ck_assert(n == 0 || memcmp(d, src, n) == 0);
    if (n > 0) {  /* exactly-sized and too-small output buffers */
        dlen = n;
        ck_assert_int_eq(mdz_decompress(d, &dlen, c, clen), MDZ_OK);
        dlen = n - 1;
        ck_assert_int_eq(mdz_decompress(d, &dlen, c, clen), MDZ_ERR_DST_SIZE);
    }
    free(c);
    free(d);
}

/* Streams src through a cstream in pieces of in_step bytes, with an output
 * window of out_step bytes; then back through a dstream the same way. */
static void check_streaming(const uint8_t *src, size_t n, int level,
                            int block_log, size_t in_step, size_t out_step)
{
    mdz_cparams p;
    mdz_cparams_init(&p, level);
    if (block_log)
        p.block_log = block_log;
    mdz_cstream *cs = mdz_cstream_new(&p);
    ck_assert_ptr_nonnull(cs);
    size_t cap = mdz_compress_bound(n, p.block_log), clen = 0;
    uint8_t *c = malloc(cap);
    size_t fed = 0;
    int r;
    for (;;) {
        size_t k = n - fed < in_step ? n - fed : in_step;
        mdz_inbuf in = { src + fed, k, 0 };
        mdz_end_op op = fed + k == n ? MDZ_FINISH : MDZ_RUN;
        do {
            size_t room = cap - clen < out_step ? cap - clen : out_step;
            mdz_outbuf out = { c + clen, room, 0 };
            r = mdz_cstream_compress(cs, &out, &in, op);
            ck_assert_int_ge(r, 0);
            clen += out.pos;
        } while (r > 0 || in.pos < in.size);
        fed += k;
        if (op == MDZ_FINISH)
            break;
    }
    mdz_cstream_free(cs);

    /* the streamed stream equals the one-shot stream */
    size_t olen;
    uint8_t *o = compress_buf(src, n, level, block_log, &olen);
    ck_assert_uint_eq(olen, clen);
    ck_assert(memcmp(o, c, clen) == 0);
    free(o);

    mdz_dstream *ds = mdz_dstream_new(NULL);
    ck_assert_ptr_nonnull(ds);
    uint8_t *d = malloc(n + 1);
    size_t dlen = 0, used = 0;
    r = 1;
    while (used < clen || r > 0) {
        size_t k = clen - used < in_step ? clen - used : in_step;
        mdz_inbuf in = { c + used, k, 0 };
        size_t room = n + 1 - dlen < out_step ? n + 1 - dlen : out_step;
        mdz_outbuf out = { d + dlen, room, 0 };
        r = mdz_dstream_decompress(ds, &out, &in);
        ck_assert_int_ge(r, 0);
        ck_assert(in.pos > 0 || out.pos > 0 || r == 0);
        used += in.pos;
        dlen += out.pos;
    }
    ck_assert_int_eq(r, 0);
    ck_assert_uint_eq(dlen, n);
    ck_assert(n == 0 || memcmp(d, src, n) == 0);
    mdz_info info;
    ck_assert_int_eq(mdz_dstream_info(ds, &info), MDZ_OK);
    ck_assert(info.streams == 1);
    ck_assert(info.raw_bytes == n);
    ck_assert(info.coded_bytes == clen);
    mdz_dstream_free(ds);
    free(c);
    free(d);
}

enum { S_EMPTY, S_ONE, S_RUN, S_RANDOM, S_ALL256, S_TEXT, S_COUNT };

static uint8_t *make_sample(int kind, size_t *n)
{
    tu_rng r;
    tu_seed(&r, (uint64_t)kind + 100);
    size_t sizes[S_COUNT] = { 0, 1, 200000, 50000, 256 * 8, 120000 };
    *n = sizes[kind];
    uint8_t *p = malloc(*n + 1);
    switch (kind) {
    case S_ONE: p[0] = 'x'; break;
    case S_RUN: memset(p, 'a', *n); break;
    case S_RANDOM: tu_random_bytes(&r, p, *n); break;
    case S_ALL256:
        for (size_t i = 0; i < *n; i++)
            p[i] = (uint8_t)(i * 7 + i / 256);
        break;
    case S_TEXT: tu_text(&r, p, *n); break;
    default: break;
    }
    return p;
}

START_TEST(test_edge_cases_one_shot)
{
    size_t n;
    uint8_t *p = make_sample(_i, &n);
    check_one_shot(p, n, 6, 0);
    check_one_shot(p, n, 1, 16);
    check_one_shot(p, n, 9, 0);
    free(p);
}
END_TEST

START_TEST(test_random_is_stored_with_bounded_growth)
{
    size_t n;
    uint8_t *p = make_sample(S_RANDOM, &n);
    size_t clen;
    uint8_t *c = compress_buf(p, n, 6, 0, &clen);
    /* header + one block header/trailer + index of one entry + end marker */
    ck_assert_uint_eq(clen, n + 16 + 17 + 21 + 21);
    ck_assert_uint_le(clen, n + n / 1000 + 64);
    ck_assert_uint_eq(c[16], MDZ_BLOCK_STORED);
    free(c);
    free(p);
}
END_TEST

START_TEST(test_text_is_modelled_and_small)
{
    size_t n;
    uint8_t *p = make_sample(S_TEXT, &n);
    size_t clen;
    uint8_t *c = compress_buf(p, n, 6, 0, &clen);
    ck_assert_uint_eq(c[16], MDZ_BLOCK_CHUNKED);
    ck_assert_uint_lt(clen, n / 3);
    free(c);
    free(p);
}
END_TEST

START_TEST(test_block_boundaries)
{
    const size_t sizes[] = { 65535, 65536, 65537, 3 * 65536 + 1 };
    tu_rng r;
    tu_seed(&r, 5);
    uint8_t *p = malloc(sizes[3]);
    tu_text(&r, p, sizes[3]);
    for (size_t i = 0; i < 4; i++) {
        check_one_shot(p, sizes[i], 3, 16);
        size_t clen;
        uint8_t *c = compress_buf(p, sizes[i], 3, 16, &clen);
        mdz_dparams dp = { .list_only = 1 };
        mdz_dstream *ds = mdz_dstream_new(&dp);
        mdz_inbuf in = { c, clen, 0 };
        mdz_outbuf out = { NULL, 0, 0 };
        ck_assert_int_eq(mdz_dstream_decompress(ds, &out, &in), 0);
        mdz_info info;
        mdz_dstream_info(ds, &info);
        ck_assert(info.blocks == (sizes[i] + 65535) / 65536);
        ck_assert(info.raw_bytes == sizes[i]);
        ck_assert_int_eq(info.block_log, 16);
        ck_assert_int_eq(info.level, 3);
        mdz_dstream_free(ds);
        free(c);
    }
    free(p);
}
END_TEST

START_TEST(test_byte_at_a_time)
{
    size_t n;
    uint8_t *p = make_sample(S_TEXT, &n);
    n = 70000;  /* crosses a 64 KiB block */
    check_streaming(p, n, 2, 16, 1, 1);
    check_streaming(p, n, 2, 16, 4096, 7);
    check_streaming(p, n, 2, 16, 65536 * 2, 1 << 20);
    free(p);
    uint8_t *e = make_sample(S_EMPTY, &n);
    check_streaming(e, 0, 6, 0, 1, 1);
    free(e);
}
END_TEST

START_TEST(test_concatenation)
{
    size_t na, nb;
    uint8_t *a = make_sample(S_TEXT, &na);
    uint8_t *b = make_sample(S_RUN, &nb);
    size_t ca, cb;
    uint8_t *za = compress_buf(a, na, 4, 0, &ca);
    uint8_t *zb = compress_buf(b, nb, 7, 16, &cb);
    size_t e0;
    uint8_t *ze = compress_buf(NULL, 0, 6, 0, &e0);
    uint8_t *cat = malloc(ca + e0 + cb);
    memcpy(cat, za, ca);
    memcpy(cat + ca, ze, e0);
    memcpy(cat + ca + e0, zb, cb);
    uint8_t *d = malloc(na + nb);
    size_t dlen = na + nb;
    ck_assert_int_eq(mdz_decompress(d, &dlen, cat, ca + e0 + cb), MDZ_OK);
    ck_assert_uint_eq(dlen, na + nb);
    ck_assert(memcmp(d, a, na) == 0 && memcmp(d + na, b, nb) == 0);

    /* trailing garbage after a complete stream, and garbage first */
    uint8_t *g = malloc(ca + 3);
    memcpy(g, za, ca);
    memcpy(g + ca, "xyz", 3);
    dlen = na + nb;
    ck_assert_int_eq(mdz_decompress(d, &dlen, g, ca + 3), MDZ_ERR_TRAILING);
    dlen = na + nb;
    ck_assert_int_eq(mdz_decompress(d, &dlen, "hello world, not mdz", 20),
                     MDZ_ERR_FORMAT);
    dlen = na + nb;
    ck_assert_int_eq(mdz_decompress(d, &dlen, g, 0), MDZ_ERR_TRUNCATED);
    free(g);
    free(za);
    free(zb);
    free(ze);
    free(cat);
    free(d);
    free(a);
    free(b);
}
END_TEST

START_TEST(test_flush_makes_prefix_decodable)
{
    size_t n;
    uint8_t *p = make_sample(S_TEXT, &n);
    mdz_cstream *cs = mdz_cstream_new(NULL);
    size_t cap = mdz_compress_bound(n, 0) + 64, clen = 0;
    uint8_t *c = malloc(cap);
    mdz_inbuf in = { p, 1000, 0 };
    mdz_outbuf out = { c, cap, 0 };
    ck_assert_int_eq(mdz_cstream_compress(cs, &out, &in, MDZ_FLUSH), 0);
    clen = out.pos;
    /* what was flushed decodes to the first 1000 bytes; the stream is
       unfinished, so the decoder still asks for more */
    mdz_dstream *ds = mdz_dstream_new(NULL);
    uint8_t d[1000];
    mdz_inbuf din = { c, clen, 0 };
    mdz_outbuf dout = { d, sizeof d, 0 };
    ck_assert_int_gt(mdz_dstream_decompress(ds, &dout, &din), 0);
    ck_assert_uint_eq(dout.pos, 1000);
    ck_assert(memcmp(d, p, 1000) == 0);
    mdz_dstream_free(ds);

    /* finish with the rest: once MDZ_FINISH is under way, new input is an error */
    in = (mdz_inbuf){ p + 1000, n - 1000, 0 };
    out = (mdz_outbuf){ c + clen, 10, 0 };
    ck_assert_int_gt(mdz_cstream_compress(cs, &out, &in, MDZ_FINISH), 0);
    clen += out.pos;
    mdz_inbuf more = { p, 5, 0 };
    out = (mdz_outbuf){ c + clen, cap - clen, 0 };
    ck_assert_int_eq(mdz_cstream_compress(cs, &out, &more, MDZ_FINISH), MDZ_ERR_STAGE);
    ck_assert_int_eq(mdz_cstream_compress(cs, &out, &in, MDZ_FINISH), 0);
    clen += out.pos;
    uint8_t *full = malloc(n);
    size_t dlen = n;
    ck_assert_int_eq(mdz_decompress(full, &dlen, c, clen), MDZ_OK);
    ck_assert_uint_eq(dlen, n);
    ck_assert(memcmp(full, p, n) == 0);
    ck_assert_int_eq(mdz_cstream_compress(cs, &out, &in, 7), MDZ_ERR_PARAM);
    mdz_cstream_free(cs);
    free(full);
    free(c);
    free(p);
}
END_TEST

/* Every prefix and every single-bit flip of a small stream is rejected. */
START_TEST(test_truncation_and_bit_flips)
{
    tu_rng r;
    tu_seed(&r, 11);
    uint8_t src[3000];
    tu_text(&r, src, 2000);
    tu_random_bytes(&r, src + 2000, 1000);  /* second block is stored */
    size_t clen;
    uint8_t *c = compress_buf(src, 2000, 1, 16, &clen);
    uint8_t *c2 = compress_buf(src, sizeof src, 1, 16, &clen);
    free(c);
    c = c2;
    uint8_t d[4000];
    for (size_t cut = 0; cut < clen; cut++) {
        size_t dlen = sizeof d;
        int e = mdz_decompress(d, &dlen, c, cut);
        ck_assert_msg(e == MDZ_ERR_TRUNCATED, "prefix %zu gave %d", cut, e);
    }
    uint8_t *f = malloc(clen);
    int counts[16] = { 0 };
    for (size_t bit = 0; bit < clen * 8; bit++) {
        memcpy(f, c, clen);
        f[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        size_t dlen = sizeof d;
        int e = mdz_decompress(d, &dlen, f, clen);
        ck_assert_msg(e < 0, "flip of bit %zu was accepted", bit);
        counts[-e]++;
    }
    ck_assert_int_gt(counts[-MDZ_ERR_CHECKSUM] + counts[-MDZ_ERR_CORRUPT], 0);
    ck_assert_int_gt(counts[-MDZ_ERR_HEADER], 0);
    free(f);
    free(c);
}
END_TEST

START_TEST(test_error_names_block)
{
    tu_rng r;
    tu_seed(&r, 3);
    size_t n = 4 * 65536;
    uint8_t *p = malloc(n);
    tu_text(&r, p, n);
    size_t clen;
    uint8_t *c = compress_buf(p, n, 2, 16, &clen);
    /* find block 3's payload (after its chunk table) and damage it */
    size_t off = MDZ_STREAM_HEADER_SIZE;
    for (int b = 1; b < 3; b++)
        off += MDZ_BLOCK_HEADER_SIZE + 4 * mdz_chunks(65536) + mdz_get32(c + off + 5);
    c[off + MDZ_BLOCK_HEADER_SIZE + 4 * mdz_chunks(65536) + 10] ^= 0x40;
    mdz_dstream *ds = mdz_dstream_new(NULL);
    uint8_t *d = malloc(n);
    mdz_inbuf in = { c, clen, 0 };
    mdz_outbuf out = { d, n, 0 };
    int e;
    while ((e = mdz_dstream_decompress(ds, &out, &in)) > 0)
        ;
    ck_assert(e == MDZ_ERR_CHECKSUM || e == MDZ_ERR_CORRUPT);
    ck_assert(mdz_dstream_error_block(ds) == 3);
    /* verified blocks 1 and 2 were released; nothing of block 3 was */
    ck_assert_uint_eq(out.pos, 2 * 65536);
    ck_assert(memcmp(d, p, out.pos) == 0);
    /* the error is sticky */
    ck_assert_int_eq(mdz_dstream_decompress(ds, &out, &in), e);
    mdz_dstream_free(ds);
    free(d);
    free(c);
    free(p);
}
END_TEST

START_TEST(test_memlimit)
{
    uint8_t src[100] = { 0 };
    size_t clen;
    uint8_t *c = compress_buf(src, sizeof src, 6, 0, &clen);
    mdz_cparams p;
    mdz_cparams_init(&p, 6);
    /* a stream of one small block names the smallest block size, and
     * declares the memory of that (far below the level's default) */
    uint64_t full = mdz_decompress_memory(&p);
    p.block_log = MDZ_BLOCK_LOG_MIN;
    ck_assert_uint_lt(mdz_decompress_memory(&p) * 3, full);
    mdz_dparams dp = { .memlimit = mdz_decompress_memory(&p) - 1 };
    mdz_dstream *ds = mdz_dstream_new(&dp);
    uint8_t d[100];
    mdz_inbuf in = { c, clen, 0 };
    mdz_outbuf out = { d, sizeof d, 0 };
    ck_assert_int_eq(mdz_dstream_decompress(ds, &out, &in), MDZ_ERR_MEMLIMIT);
    mdz_info info;  /* the refusal can say how much was needed */
    mdz_dstream_info(ds, &info);
    ck_assert(info.memory == mdz_decompress_memory(&p));
    ck_assert_int_eq(info.level, 6);
    mdz_dstream_free(ds);
    dp.memlimit += 1;
    ds = mdz_dstream_new(&dp);
    in.pos = 0;
    ck_assert_int_eq(mdz_dstream_decompress(ds, &out, &in), 0);
    ck_assert_uint_eq(out.pos, sizeof d);
    mdz_dstream_free(ds);
    free(c);
}
END_TEST

/* MDZ_FINISH, once accepted, holds until the stream is complete: a RUN or
 * FLUSH in between is a stage error (it used to return 0 with no end
 * marker), and the context then still finishes the stream. */
START_TEST(test_finish_then_other_op)
{
    static uint8_t src[5000];
    tu_rng r;
    tu_seed(&r, 7);
    tu_text(&r, src, sizeof src);
    for (int op = MDZ_RUN; op <= MDZ_FLUSH; op++) {
        mdz_cstream *cs = mdz_cstream_new(NULL);
        uint8_t c[8000];
        mdz_inbuf in = { src, sizeof src, 0 };
        mdz_outbuf out = { c, 10, 0 };  /* too small: FINISH stays pending */
        ck_assert_int_gt(mdz_cstream_compress(cs, &out, &in, MDZ_FINISH), 0);
        mdz_inbuf none = { NULL, 0, 0 };
        out.size = sizeof c;
        ck_assert_int_eq(mdz_cstream_compress(cs, &out, &none, (mdz_end_op)op), MDZ_ERR_STAGE);
        int rc;
        while ((rc = mdz_cstream_compress(cs, &out, &none, MDZ_FINISH)) > 0)
            ;
        ck_assert_int_eq(rc, 0);
        uint8_t d[sizeof src];
        size_t dlen = sizeof d;
        ck_assert_int_eq(mdz_decompress(d, &dlen, c, out.pos), MDZ_OK);
        ck_assert_uint_eq(dlen, sizeof src);
        ck_assert(memcmp(d, src, sizeof src) == 0);
        mdz_cstream_free(cs);
    }
}
END_TEST

/* A one-shot call with too small a buffer says so from the block header,
 * before decoding: the payload of the first block is damaged here, and the
 * answer is still MDZ_ERR_DST_SIZE (decoding would find MDZ_ERR_CORRUPT or
 * MDZ_ERR_CHECKSUM).  Blocks that fit are decoded; the one that does not
 * is refused whole. */
START_TEST(test_one_shot_small_dst_costs_nothing)
{
    size_t n = 3 * 65536 + 100, clen;
    uint8_t *src = malloc(n);
    tu_rng r;
    tu_seed(&r, 3);
    tu_text(&r, src, n);
    uint8_t *c = compress_buf(src, n, 1, 16, &clen);
    uint8_t *d = malloc(n);
    size_t pay = MDZ_STREAM_HEADER_SIZE + MDZ_BLOCK_HEADER_SIZE + 10;
    c[pay] ^= 0x55;
    size_t dlen = 100;
    ck_assert_int_eq(mdz_decompress(d, &dlen, c, clen), MDZ_ERR_DST_SIZE);
    dlen = n;  /* with room, the damage is found */
    int rc = mdz_decompress(d, &dlen, c, clen);
    ck_assert(rc == MDZ_ERR_CORRUPT || rc == MDZ_ERR_CHECKSUM);
    c[pay] ^= 0x55;
    /* room for two blocks and a bit: the third block is refused unread */
    size_t third = MDZ_STREAM_HEADER_SIZE, k;
    for (k = 0; k < 2; k++)
        third += MDZ_BLOCK_HEADER_SIZE + 4 * mdz_chunks(65536) + mdz_get32(c + third + 5);
    c[third + MDZ_BLOCK_HEADER_SIZE + 10] ^= 0x55;
    dlen = 2 * 65536 + 5;
    ck_assert_int_eq(mdz_decompress(d, &dlen, c, clen), MDZ_ERR_DST_SIZE);
    /* mdz_decompress_ex: the memory limit, and no list mode */
    c[third + MDZ_BLOCK_HEADER_SIZE + 10] ^= 0x55;
    mdz_dparams dp = { .memlimit = 1 << 20 };
    dlen = n;
    ck_assert_int_eq(mdz_decompress_ex(d, &dlen, c, clen, &dp), MDZ_ERR_MEMLIMIT);
    dp.memlimit = 0;
    dp.list_only = 1;
    ck_assert_int_eq(mdz_decompress_ex(d, &dlen, c, clen, &dp), MDZ_ERR_PARAM);
    dp.list_only = 0;
    ck_assert_int_eq(mdz_decompress_ex(d, &dlen, c, clen, &dp), MDZ_OK);
    ck_assert_uint_eq(dlen, n);
    ck_assert(memcmp(d, src, n) == 0);
    free(src);
    free(c);
    free(d);
}
END_TEST

/* The header names the smallest block size that holds a stream of one
 * block (so its memory figure is what decoding needs), streaming or one
 * shot; a stream of several blocks, or one flushed before its end, keeps
 * the configured size; the payload does not change. */
START_TEST(test_header_fits_small_streams)
{
    static uint8_t src[200000];
    tu_rng r;
    tu_seed(&r, 11);
    tu_text(&r, src, sizeof src);
    const struct { size_t n; int level, block_log, want; } cases[] = {
        { 0, 9, 0, 16 }, { 1, 9, 0, 16 }, { 2000, 9, 0, 16 }, { 65536, 6, 0, 16 },
        { 65537, 6, 0, 17 }, { 200000, 6, 0, 18 }, { 200000, 6, 17, 17 },
        { 200000, 1, 16, 16 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t clen;
        uint8_t *c = compress_buf(src, cases[i].n, cases[i].level, cases[i].block_log, &clen);
        mdz_stream_header sh;
        ck_assert_int_eq(mdz_parse_stream_header(c, &sh), MDZ_OK);
        ck_assert_int_eq(sh.block_log, cases[i].want);
        ck_assert_uint_eq(sh.mem_mib, mdz_header_mem_mib(MDZ_MODEL_ID, sh.level, cases[i].want));
        uint8_t *d = malloc(cases[i].n + 1);
        size_t dlen = cases[i].n + 1;
        ck_assert_int_eq(mdz_decompress(d, &dlen, c, clen), MDZ_OK);
        ck_assert_uint_eq(dlen, cases[i].n);
        ck_assert(cases[i].n == 0 || memcmp(d, src, dlen) == 0);
        free(d);
        free(c);
    }
    /* level 9's declared need for 2000 bytes: tens of MiB, not a GiB */
    size_t clen;
    uint8_t *c = compress_buf(src, 2000, 9, 0, &clen);
    ck_assert_uint_lt(mdz_get32(c + 8), 40);
    /* the same content in 64 KiB and 16 MiB headers: the same payload */
    uint8_t *c2 = compress_buf(src, 2000, 9, 24, &clen);
    ck_assert(memcmp(c + 16, c2 + 16, clen - 16) == 0);
    free(c);
    free(c2);
    /* FLUSH first: the header is written before the end is known */
    mdz_cstream *cs = mdz_cstream_new(NULL);
    uint8_t out[8192];
    mdz_inbuf in = { src, 100, 0 };
    mdz_outbuf ob = { out, sizeof out, 0 };
    ck_assert_int_eq(mdz_cstream_compress(cs, &ob, &in, MDZ_FLUSH), 0);
    ck_assert_int_eq(out[7], 24);
    ck_assert_int_eq(mdz_cstream_compress(cs, &ob, &in, MDZ_FINISH), 0);
    /* the context's next stream gets its own header */
    size_t first = ob.pos;
    in = (mdz_inbuf){ src, 100, 0 };
    ck_assert_int_eq(mdz_cstream_compress(cs, &ob, &in, MDZ_FINISH), 0);
    ck_assert_int_eq(out[first + 7], 16);
    mdz_cstream_free(cs);
    uint8_t d[200];
    size_t dlen = sizeof d;
    ck_assert_int_eq(mdz_decompress(d, &dlen, out, ob.pos), MDZ_OK);
    ck_assert_uint_eq(dlen, 200);
    ck_assert(memcmp(d, src, 100) == 0 && memcmp(d + 100, src, 100) == 0);
}
END_TEST

struct rec_log {
    mdz_record r[64];
    int n;
};

static void log_record(void *opaque, const mdz_record *rec)
{
    struct rec_log *l = opaque;
    ck_assert_int_lt(l->n, 64);
    l->r[l->n++] = *rec;
}

/* Records: one per stream header, block and end marker, with offsets that
 * tile the input and the output, the blocks' CRCs, the stream's figures;
 * the same whether the payloads are decoded or skipped (list mode), and
 * fed in any piece size. */
START_TEST(test_records)
{
    size_t n1 = 2 * 65536 + 999, n2 = 5000, l1, l2;
    uint8_t *src = malloc(n1 + n2);
    tu_rng r;
    tu_seed(&r, 5);
    tu_text(&r, src, n1);
    tu_random_bytes(&r, src + n1, n2);  /* stored */
    uint8_t *c1 = compress_buf(src, n1, 3, 16, &l1);
    uint8_t *c2 = compress_buf(src + n1, n2, 6, 0, &l2);
    uint8_t *c = malloc(l1 + l2);
    memcpy(c, c1, l1);
    memcpy(c + l1, c2, l2);
    uint8_t *d = malloc(n1 + n2);
    struct rec_log logs[3];
    for (int mode = 0; mode < 3; mode++) {
        memset(&logs[mode], 0, sizeof logs[mode]);
        mdz_dparams dp = { .list_only = mode == 1, .record_fn = log_record,
                           .record_opaque = &logs[mode] };
        mdz_dstream *ds = mdz_dstream_new(&dp);
        size_t step = mode == 2 ? 7 : l1 + l2;
        mdz_outbuf out = { d, n1 + n2, 0 };
        for (size_t pos = 0; pos < l1 + l2; pos += step) {
            size_t k = l1 + l2 - pos < step ? l1 + l2 - pos : step;
            mdz_inbuf in = { c + pos, k, 0 };
            while (in.pos < in.size)
                ck_assert_int_ge(mdz_dstream_decompress(ds, &out, &in), 0);
        }
        mdz_dstream_free(ds);
    }
    struct rec_log *g = &logs[0];
    ck_assert_int_eq(g->n, 6 + 4);  /* S B B B I E, S B I E */
    uint64_t coded = 0, raw = 0;
    for (int i = 0; i < g->n; i++) {
        const mdz_record *x = &g->r[i];
        ck_assert_uint_eq(x->coded_offset, coded);
        coded += x->coded_size;
        ck_assert_uint_eq(x->stream, i < 6 ? 1 : 2);
        ck_assert_int_eq(x->level, i < 6 ? 3 : 6);
        ck_assert_int_eq(x->block_log, 16);
        ck_assert_int_eq(x->model, MDZ_MODEL_ID);
        if (x->kind == MDZ_RECORD_BLOCK) {
            ck_assert_uint_eq(x->raw_offset, raw);
            /* stored: the block's CRC; modelled: the first chunk's */
            size_t first = x->stored || x->raw_size < 8192 ? x->raw_size : 8192;
            ck_assert_uint_eq(x->check, mdz_crc32c(0, src + raw, first));
            ck_assert_uint_eq(x->chunks, x->stored ? 0 : mdz_chunks((uint32_t)x->raw_size));
            raw += x->raw_size;
            ck_assert_int_eq(x->stored, i == 7);
        }
    }
    ck_assert_uint_eq(coded, l1 + l2);
    ck_assert_uint_eq(raw, n1 + n2);
    ck_assert_int_eq(g->r[0].kind, MDZ_RECORD_STREAM);
    ck_assert_uint_eq((g->r[0].memory + (1u << 20) - 1) >> 20, mdz_get32(c + 8));
    ck_assert_uint_eq(g->r[6].coded_offset, l1);
    /* the index: 3 entries, their CRC, the stream's content */
    ck_assert_int_eq(g->r[4].kind, MDZ_RECORD_INDEX);
    ck_assert_uint_eq(g->r[4].block, 3);
    ck_assert_uint_eq(g->r[4].coded_size, 13 + 3 * 8);
    ck_assert_uint_eq(g->r[4].raw_size, n1);
    ck_assert_uint_eq(g->r[4].check, mdz_get32(c + g->r[4].coded_offset + 5));
    ck_assert_int_eq(g->r[5].kind, MDZ_RECORD_END);
    ck_assert_uint_eq(g->r[5].block, 3);
    ck_assert_uint_eq(g->r[5].coded_size, 21);
    ck_assert_uint_eq(g->r[5].raw_size, n1);
    ck_assert_uint_eq(g->r[5].check, mdz_crc32c(0, src, n1));
    ck_assert_uint_eq(g->r[6].raw_offset, n1);
    ck_assert_int_eq(g->r[8].kind, MDZ_RECORD_INDEX);
    ck_assert_int_eq(g->r[9].kind, MDZ_RECORD_END);
    ck_assert_uint_eq(g->r[9].raw_size, n2);
    for (int mode = 1; mode < 3; mode++) {
        ck_assert_int_eq(logs[mode].n, g->n);
        ck_assert(memcmp(logs[mode].r, g->r, sizeof g->r[0] * (size_t)g->n) == 0);
    }
    free(src);
    free(c1);
    free(c2);
    free(c);
    free(d);
}
END_TEST

START_TEST(test_bad_arguments)
{
    size_t len = 10;
    uint8_t buf[10] = { 0 };
    ck_assert_int_eq(mdz_compress(buf, NULL, buf, 1, NULL), MDZ_ERR_PARAM);
    ck_assert_int_eq(mdz_compress(NULL, &len, buf, 1, NULL), MDZ_ERR_PARAM);
    mdz_cparams p = { .level = 12 };
    ck_assert_int_eq(mdz_compress(buf, &len, buf, 1, &p), MDZ_ERR_PARAM);
    ck_assert_ptr_null(mdz_cstream_new(&p));
    p = (mdz_cparams){ .level = 5, .block_log = 40 };
    ck_assert_ptr_null(mdz_cstream_new(&p));
    p = (mdz_cparams){ .level = 5, .threads = -1 };
    ck_assert_ptr_null(mdz_cstream_new(&p));
    len = 10;  /* 50 bytes are needed for even an empty stream */
    ck_assert_int_eq(mdz_compress(buf, &len, buf, 0, NULL), MDZ_ERR_DST_SIZE);
    ck_assert_int_eq(mdz_decompress(buf, NULL, buf, 1), MDZ_ERR_PARAM);
    mdz_dstream *ds = mdz_dstream_new(NULL);
    mdz_inbuf in = { buf, 5, 6 };
    mdz_outbuf out = { buf, 10, 0 };
    ck_assert_int_eq(mdz_dstream_decompress(ds, &out, &in), MDZ_ERR_PARAM);
    in = (mdz_inbuf){ NULL, 0, 0 };
    ck_assert_int_gt(mdz_dstream_decompress(ds, &out, &in), 0);  /* wants input */
    mdz_dstream_free(ds);
    mdz_cstream_free(NULL);
    mdz_dstream_free(NULL);
}
END_TEST

/* Round trip of every corpus file through the streaming API in odd-sized
 * pieces (and, for small files, through the one-shot calls). */
START_TEST(test_corpus_round_trip)
{
    const char *dir = tu_corpus_dir();
    if (!dir)
        return;  /* no corpus beside the checkout */
    const char *groups[] = { "text", "logs", "web", "binary" };
    int files = 0;
    for (size_t g = 0; g < 4; g++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, groups[g]);
        DIR *dp = opendir(path);
        if (!dp)
            continue;
        struct dirent *de;
        while ((de = readdir(dp))) {
            if (de->d_name[0] == '.')
                continue;
            char f[8192];
            snprintf(f, sizeof f, "%s/%s", path, de->d_name);
            size_t n;
            uint8_t *p = tu_load(f, &n);
            if (!p)
                continue;
            if (tu_sanitized() && n > 200000) {
                free(p);
                continue;
            }
            check_streaming(p, n, MDZ_LEVEL_DEFAULT, 0, 65521, 40009);
            files++;
            free(p);
        }
        closedir(dp);
    }
    ck_assert_int_gt(files, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stream");
    TCase *tc = tcase_create("api");
    tcase_set_timeout(tc, 1200);
    tcase_add_loop_test(tc, test_edge_cases_one_shot, 0, S_COUNT);
    tcase_add_test(tc, test_random_is_stored_with_bounded_growth);
    tcase_add_test(tc, test_text_is_modelled_and_small);
    tcase_add_test(tc, test_block_boundaries);
    tcase_add_test(tc, test_byte_at_a_time);
    tcase_add_test(tc, test_concatenation);
    tcase_add_test(tc, test_flush_makes_prefix_decodable);
    tcase_add_test(tc, test_truncation_and_bit_flips);
    tcase_add_test(tc, test_error_names_block);
    tcase_add_test(tc, test_memlimit);
    tcase_add_test(tc, test_bad_arguments);
    tcase_add_test(tc, test_finish_then_other_op);
    tcase_add_test(tc, test_one_shot_small_dst_costs_nothing);
    tcase_add_test(tc, test_header_fits_small_streams);
    tcase_add_test(tc, test_records);
    tcase_add_test(tc, test_corpus_round_trip);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
