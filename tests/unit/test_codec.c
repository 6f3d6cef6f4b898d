/* test_codec.c -- the block codec: round trips, limits, corrupt payloads. */
#include "testutil.h"
#include "codec.h"
#include "mdz.h"
#include "predictor.h"

static void roundtrip(mdz_codec *c, const uint8_t *src, size_t n)
{
    size_t cap = n + n / 2 + 64;
    uint8_t *out = malloc(cap), *back = malloc(n);
    size_t z = mdz_codec_encode(c, src, n, out, cap);
    ck_assert_uint_gt(z, 0);
    ck_assert_uint_lt(z, cap);
    ck_assert_int_eq(mdz_codec_decode(c, out, z, back, n), MDZ_OK);
    ck_assert_mem_eq(back, src, n);
    free(out);
    free(back);
}

/* levels 1 (the fast model) and 6 (the full one) */
START_TEST(test_small_inputs)
{
    for (int level = 1; level <= 6; level += 5) {
        mdz_codec *c = mdz_codec_new(level, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX);
        ck_assert_ptr_nonnull(c);
        tu_rng r;
        tu_seed(&r, 1);
        uint8_t buf[300];
        for (size_t n = 1; n <= sizeof buf; n += (n < 20 ? 1 : 37)) {
            tu_random_bytes(&r, buf, n);
            roundtrip(c, buf, n);
            memset(buf, 'a', n);
            roundtrip(c, buf, n);
        }
        mdz_codec_free(c);
    }
}
END_TEST

/* Whole-byte decisions (models/shortcut.h), in the fast model (levels 1-2)
 * and the full one (3 and 6): lines repeated with a byte changed now and
 * then, so long matches run, hit and miss (and lose and win back the
 * shortcut); decoding in uneven steps gives the bytes of one call, and
 * the stream is far smaller than with the changes at random places of
 * random data.  In the full model, the stream without the shortcut
 * (MDZ_PF_NO_SC) differs: the decisions were taken. */
START_TEST(test_whole_bytes)
{
    enum { N = 300000, LINE = 700 };
    uint8_t *buf = malloc(N), *out = malloc(N), *back = malloc(N);
    tu_rng r;
    tu_seed(&r, 11);
    tu_text(&r, buf, LINE);
    for (size_t i = LINE; i < N; i++) buf[i] = buf[i - LINE];
    for (int k = 0; k < 200; k++) buf[tu_next(&r) % N] ^= (uint8_t)(1 + tu_next(&r) % 255);
    static const int levels[] = {1, 2, 3, 6};
    for (size_t li = 0; li < sizeof levels / sizeof *levels; li++) {
        int level = levels[li];
        mdz_codec *c = mdz_codec_new(level, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX);
        ck_assert_ptr_nonnull(c);
        size_t z = mdz_codec_encode(c, buf, N, out, N);
        ck_assert_uint_gt(z, 0);
        /* 200 changes cost some 30 bytes each at most; the text line once */
        ck_assert_uint_lt(z, LINE + 200 * 30);
        ck_assert_int_eq(mdz_codec_decode(c, out, z, back, N), MDZ_OK);
        ck_assert_mem_eq(back, buf, N);
        memset(back, 0, N);
        ck_assert_int_eq(mdz_codec_decode_start(c, out, z, back, N), MDZ_OK);
        for (size_t at = 0; at < N;) {
            at += 1 + tu_next(&r) % 5000;
            if (at > N) at = N;
            ck_assert_int_eq(mdz_codec_decode_run(c, at), MDZ_OK);
        }
        ck_assert_int_eq(mdz_codec_decode_finish(c), MDZ_OK);
        ck_assert_mem_eq(back, buf, N);
        if (level >= 3) {
            uint8_t *out2 = malloc(N);
            ck_assert_int_eq(mdz_codec_set_flags(c, MDZ_PF_NO_SC), 0);
            size_t z2 = mdz_codec_encode(c, buf, N, out2, N);
            ck_assert_uint_gt(z2, 0);
            ck_assert(z2 != z || memcmp(out, out2, z) != 0);
            ck_assert_int_eq(mdz_codec_decode(c, out2, z2, back, N), MDZ_OK);
            ck_assert_mem_eq(back, buf, N);
            free(out2);
        }
        mdz_codec_free(c);
    }
    free(buf);
    free(out);
    free(back);
}
END_TEST

START_TEST(test_patterns)
{
    enum { N = 100000 };
    uint8_t *buf = malloc(N);
    tu_rng r;
    tu_seed(&r, 2);
    for (int level = 1; level <= 3; level += 2) {
        mdz_codec *c = mdz_codec_new(level, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX);
        tu_text(&r, buf, N);
        roundtrip(c, buf, N);
        memset(buf, 0, N);
        roundtrip(c, buf, N);
        for (size_t i = 0; i < N; i++) buf[i] = (uint8_t)(i * 7 + (i >> 8));
        roundtrip(c, buf, N);
        tu_random_bytes(&r, buf, N);
        roundtrip(c, buf, N);
        mdz_codec_free(c);
    }
    free(buf);
}
END_TEST

START_TEST(test_all_levels)
{
    enum { N = 20000 };
    uint8_t *buf = malloc(N);
    tu_rng r;
    tu_seed(&r, 4);
    tu_text(&r, buf, N);
    size_t prev = 0;
    for (int level = 1; level <= 9; level++) {
        ck_assert_uint_gt(mdz_codec_memory(level, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX), 0);
        if (level > 1) ck_assert_uint_ge(mdz_codec_memory(level, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX), mdz_codec_memory(level - 1, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX));
        mdz_codec *c = mdz_codec_new(level, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX);
        ck_assert_ptr_nonnull(c);
        roundtrip(c, buf, N);
        mdz_codec_free(c);
    }
    (void)prev;
    ck_assert_ptr_null(mdz_codec_new(0, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX));
    ck_assert_ptr_null(mdz_codec_new(10, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX));
    ck_assert_uint_eq(mdz_codec_memory(0, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX), 0);
    free(buf);
}
END_TEST

/* Text compresses well; output is deterministic and blocks independent. */
START_TEST(test_deterministic)
{
    enum { N = 50000 };
    uint8_t *buf = malloc(N), *a = malloc(N), *b = malloc(N);
    tu_rng r;
    tu_seed(&r, 5);
    tu_text(&r, buf, N);
    mdz_codec *c = mdz_codec_new(2, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX);
    size_t za = mdz_codec_encode(c, buf, N, a, N);
    ck_assert_uint_gt(za, 0);
    ck_assert_uint_lt(za, N / 4);
    uint8_t other[1000];
    memset(other, 'x', sizeof other);
    ck_assert_uint_gt(mdz_codec_encode(c, other, sizeof other, b, N), 0);
    size_t zb = mdz_codec_encode(c, buf, N, b, N);
    ck_assert_uint_eq(za, zb);
    ck_assert_mem_eq(a, b, za);
    mdz_codec_free(c);
    mdz_codec *c2 = mdz_codec_new(2, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX);
    zb = mdz_codec_encode(c2, buf, N, b, N);
    ck_assert_uint_eq(za, zb);
    ck_assert_mem_eq(a, b, za);
    mdz_codec_free(c2);
    free(buf);
    free(a);
    free(b);
}
END_TEST

START_TEST(test_cap)
{
    enum { N = 10000 };
    uint8_t *buf = malloc(N), *out = malloc(N + 100);
    tu_rng r;
    tu_seed(&r, 6);
    tu_random_bytes(&r, buf, N);
    mdz_codec *c = mdz_codec_new(1, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX);
    /* random data cannot shrink: any cap up to n fails */
    ck_assert_uint_eq(mdz_codec_encode(c, buf, N, out, N), 0);
    ck_assert_uint_eq(mdz_codec_encode(c, buf, N, out, 10), 0);
    ck_assert_uint_eq(mdz_codec_encode(c, buf, N, out, 1), 0);
    /* exact fit: cap = z fails, cap = z + 1 succeeds */
    tu_text(&r, buf, N);
    size_t z = mdz_codec_encode(c, buf, N, out, N + 100);
    ck_assert_uint_gt(z, 0);
    ck_assert_uint_eq(mdz_codec_encode(c, buf, N, out, z), 0);
    ck_assert_uint_eq(mdz_codec_encode(c, buf, N, out, z + 1), z);
    mdz_codec_free(c);
    free(buf);
    free(out);
}
END_TEST

/* Garbage and damaged payloads: no crash, no out-of-bounds access (run
 * under SAN=1), and truncation is detected. */
START_TEST(test_corrupt)
{
    enum { N = 20000 };
    uint8_t *buf = malloc(N), *out = malloc(N), *back = malloc(N);
    tu_rng r;
    tu_seed(&r, 7);
    tu_text(&r, buf, N);
    mdz_codec *c = mdz_codec_new(1, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX);
    size_t z = mdz_codec_encode(c, buf, N, out, N);
    ck_assert_uint_gt(z, 10);
    /* truncated payloads: the decoder reads past their end and says so;
     * losing only the final byte can go unnoticed (the frame's CRC catches
     * that), but never yields the original data */
    for (size_t cut = 1; cut < 20; cut += 3) {
        uint8_t *t = malloc(z - cut);
        memcpy(t, out, z - cut);
        int rc = mdz_codec_decode(c, t, z - cut, back, N);
        if (cut >= 4) ck_assert_int_eq(rc, MDZ_ERR_CORRUPT);
        else ck_assert(rc == MDZ_ERR_CORRUPT || memcmp(back, buf, N) != 0);
        free(t);
    }
    ck_assert_int_eq(mdz_codec_decode(c, out, 0, back, N), MDZ_ERR_CORRUPT);
    /* random payloads: decode must return; short ones must fail */
    for (int t = 0; t < 30; t++) {
        size_t len = (size_t)(tu_next(&r) % 200) + 1;
        uint8_t *g = malloc(len);
        tu_random_bytes(&r, g, len);
        int rc = mdz_codec_decode(c, g, len, back, N);
        ck_assert(rc == MDZ_OK || rc == MDZ_ERR_CORRUPT);
        ck_assert_int_eq(rc, MDZ_ERR_CORRUPT);
        free(g);
    }
    /* flipped bits: any result, but no crash */
    for (int t = 0; t < 10; t++) {
        uint8_t *g = malloc(z);
        memcpy(g, out, z);
        g[tu_next(&r) % z] ^= (uint8_t)(1u << (tu_next(&r) & 7));
        int rc = mdz_codec_decode(c, g, z, back, N);
        ck_assert(rc == MDZ_OK || rc == MDZ_ERR_CORRUPT);
        free(g);
    }
    /* garbage with a huge n returns quickly (early overrun detection) */
    uint8_t g[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    size_t bigN = 4u << 20;
    uint8_t *big = malloc(bigN);
    ck_assert_int_eq(mdz_codec_decode(c, g, sizeof g, big, bigN), MDZ_ERR_CORRUPT);
    free(big);
    mdz_codec_free(c);
    free(buf);
    free(out);
    free(back);
}
END_TEST

START_TEST(test_corpus)
{
    const char *dir = tu_corpus_dir();
    if (!dir) return;
    const char *files[] = {"text/alice29.txt", "logs/Apache_2k.log", "binary/kppkn.gtb", "web/html"};
    mdz_codec *c = mdz_codec_new(6, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX);
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[k]);
        size_t n;
        uint8_t *buf = tu_load(path, &n);
        if (!buf) continue;
        if (tu_sanitized() && n > 40000) n = 40000;
        roundtrip(c, buf, n);
        if (k == 0 && !tu_sanitized()) {
            uint8_t *out = malloc(n);
            size_t z = mdz_codec_encode(c, buf, n, out, n);
            ck_assert_uint_lt(z, 54182); /* gzip -9 */
            free(out);
        }
        free(buf);
    }
    mdz_codec_free(c);
}
END_TEST

static Suite *codec_suite(void)
{
    Suite *s = suite_create("codec");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_small_inputs);
    tcase_add_test(tc, test_patterns);
    tcase_add_test(tc, test_whole_bytes);
    tcase_add_test(tc, test_all_levels);
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_cap);
    tcase_add_test(tc, test_corrupt);
    tcase_add_test(tc, test_corpus);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run(codec_suite());
}
