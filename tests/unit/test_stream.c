/* Unit tests: one-shot and streaming compression/decompression (mdz.c,
 * stream.c): edge cases, block boundaries, byte-at-a-time streaming,
 * concatenation, flush, truncation, bit flips, trailing garbage, memory
 * limit, listing, and round trips of the corpus through the streaming API. */
#include <dirent.h>
#include <sys/stat.h>

#include "testutil.h"
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
    /* header + one block header/trailer + end marker */
    ck_assert_uint_eq(clen, n + 16 + 17 + 17);
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
    ck_assert_uint_eq(c[16], MDZ_BLOCK_MODELLED);
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
        mdz_dparams dp = { 0, 1 };
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
    /* find block 3's payload and damage it */
    size_t off = MDZ_STREAM_HEADER_SIZE;
    for (int b = 1; b < 3; b++)
        off += MDZ_BLOCK_HEADER_SIZE + mdz_get32(c + off + 5) + MDZ_BLOCK_TRAILER_SIZE;
    c[off + MDZ_BLOCK_HEADER_SIZE + 10] ^= 0x40;
    mdz_dstream *ds = mdz_dstream_new(NULL);
    uint8_t *d = malloc(n);
    mdz_inbuf in = { c, clen, 0 };
    mdz_outbuf out = { d, n, 0 };
    int e = mdz_dstream_decompress(ds, &out, &in);
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
    mdz_dparams dp = { mdz_decompress_memory(&p) - 1, 0 };
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

START_TEST(test_bad_arguments)
{
    size_t len = 10;
    uint8_t buf[10] = { 0 };
    ck_assert_int_eq(mdz_compress(buf, NULL, buf, 1, NULL), MDZ_ERR_PARAM);
    ck_assert_int_eq(mdz_compress(NULL, &len, buf, 1, NULL), MDZ_ERR_PARAM);
    mdz_cparams p = { 12, 0 };
    ck_assert_int_eq(mdz_compress(buf, &len, buf, 1, &p), MDZ_ERR_PARAM);
    ck_assert_ptr_null(mdz_cstream_new(&p));
    p = (mdz_cparams){ 5, 40 };
    ck_assert_ptr_null(mdz_cstream_new(&p));
    len = 10;  /* 33 bytes are needed for even an empty stream */
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
    tcase_add_test(tc, test_corpus_round_trip);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
