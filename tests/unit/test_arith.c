/* test_arith.c -- the binary arithmetic coder. */
#include "testutil.h"
#include "arith.h"
#include "squash.h"

#define NBITS 200000

static void gen(tu_rng *r, int *bits, int *probs, int n, int extreme)
{
    for (int i = 0; i < n; i++) {
        int p = (int)(tu_next(r) >> 48);
        if (extreme) p = (tu_next(r) & 1) ? MDZ_P_MIN : 65536 - MDZ_P_MIN;
        if (p < MDZ_P_MIN) p = MDZ_P_MIN;
        if (p > 65536 - MDZ_P_MIN) p = 65536 - MDZ_P_MIN;
        probs[i] = p;
        /* draw the bit from the stated probability most of the time */
        int u = (int)(tu_next(r) >> 48);
        bits[i] = (tu_next(r) % 8 == 0) ? (int)(tu_next(r) & 1) : (u < p);
    }
}

static void roundtrip(int extreme, uint64_t seed)
{
    tu_rng r;
    tu_seed(&r, seed);
    int *bits = malloc(NBITS * sizeof *bits), *probs = malloc(NBITS * sizeof *probs);
    gen(&r, bits, probs, NBITS, extreme);
    size_t cap = NBITS * 2 + 16;
    uint8_t *out = malloc(cap);
    mdz_arith_enc e;
    mdz_arith_enc_init(&e, out, cap);
    for (int i = 0; i < NBITS; i++) mdz_arith_encode(&e, bits[i], probs[i]);
    size_t len = mdz_arith_enc_flush(&e);
    ck_assert_uint_gt(len, 0);
    mdz_arith_dec d;
    mdz_arith_dec_init(&d, out, len);
    for (int i = 0; i < NBITS; i++) ck_assert_int_eq(mdz_arith_decode(&d, probs[i]), bits[i]);
    ck_assert_int_eq(mdz_arith_dec_overrun(&d), 0);
    ck_assert_uint_eq(d.pos, len + 3);
    free(bits);
    free(probs);
    free(out);
}

START_TEST(test_roundtrip_random)
{
    roundtrip(0, 1);
    roundtrip(0, 2);
}
END_TEST

START_TEST(test_roundtrip_extreme)
{
    roundtrip(1, 3);
}
END_TEST

/* A bit coded against its probability costs at most ~11 bits. */
START_TEST(test_cost_bound)
{
    enum { N = 10000 };
    uint8_t *out = malloc(N * 2);
    mdz_arith_enc e;
    mdz_arith_enc_init(&e, out, N * 2);
    for (int i = 0; i < N; i++) mdz_arith_encode(&e, 0, 65536 - MDZ_P_MIN);
    size_t len = mdz_arith_enc_flush(&e);
    ck_assert_uint_gt(len, 0);
    ck_assert_uint_le(len, (size_t)N * 11 / 8 + 8);
    free(out);
}
END_TEST

/* Well-predicted bits cost almost nothing. */
START_TEST(test_cheap_bits)
{
    enum { N = 100000 };
    uint8_t out[256];
    mdz_arith_enc e;
    mdz_arith_enc_init(&e, out, sizeof out);
    for (int i = 0; i < N; i++) mdz_arith_encode(&e, 1, 65536 - MDZ_P_MIN);
    size_t len = mdz_arith_enc_flush(&e);
    ck_assert_uint_gt(len, 0);
    ck_assert_uint_lt(len, 100);
}
END_TEST

START_TEST(test_cap)
{
    uint8_t out[64];
    mdz_arith_enc e;
    mdz_arith_enc_init(&e, out, sizeof out);
    tu_rng r;
    tu_seed(&r, 9);
    for (int i = 0; i < 10000; i++) mdz_arith_encode(&e, (int)(tu_next(&r) & 1), 32768);
    ck_assert_int_eq(e.full, 1);
    ck_assert_uint_eq(mdz_arith_enc_flush(&e), 0);
    ck_assert_uint_lt(e.pos, sizeof out);
}
END_TEST

/* Garbage decodes to something without reading past the end, and running
 * far past the end is reported as an overrun. */
START_TEST(test_garbage)
{
    tu_rng r;
    tu_seed(&r, 5);
    for (int t = 0; t < 50; t++) {
        size_t len = (size_t)(tu_next(&r) % 64);
        uint8_t *in = malloc(len ? len : 1);
        tu_random_bytes(&r, in, len);
        mdz_arith_dec d;
        mdz_arith_dec_init(&d, in, len);
        for (int i = 0; i < 20000; i++) mdz_arith_decode(&d, (int)(tu_next(&r) % 65000) + 256);
        ck_assert_int_eq(mdz_arith_dec_overrun(&d), 1);
        free(in);
    }
}
END_TEST

START_TEST(test_squash_stretch)
{
    int prev = 0;
    for (int x = -2047; x <= 2047; x++) {
        int p = mdz_squash(x);
        ck_assert_int_ge(p, prev);
        ck_assert_int_ge(p, 1);
        ck_assert_int_le(p, 65535);
        prev = p;
        int back = mdz_stretch(p);
        ck_assert_int_le(abs(back - x), x > 1500 || x < -1500 ? 400 : 40);
    }
    ck_assert_int_eq(mdz_squash(0), 32768);
    ck_assert_int_eq(mdz_squash(100000), mdz_squash(2047));
    for (int p = 16; p < 65536; p += 16) ck_assert_int_ge(mdz_stretch(p), mdz_stretch(p - 16));
}
END_TEST

static Suite *arith_suite(void)
{
    Suite *s = suite_create("arith");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_roundtrip_random);
    tcase_add_test(tc, test_roundtrip_extreme);
    tcase_add_test(tc, test_cost_bound);
    tcase_add_test(tc, test_cheap_bits);
    tcase_add_test(tc, test_cap);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_squash_stretch);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run(arith_suite());
}
