/* test_tweedie.c -- the micro-diffusion denoiser (tweedie.h): the
 * correction, its shrinkage and the halving, against the specification. */
#include "testutil.h"
#include "tweedie.h"

#define CTX 5   /* any context */

static mdz_tweedie *new_den(int k, int interp, unsigned nmin, unsigned limit)
{
    mdz_tweedie *d = malloc(sizeof *d);
    void *mem = malloc(mdz_tweedie_bytes(k));
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(mem);
    mdz_tweedie_init(d, mem, k, interp, nmin, limit);
    return d;
}

static void free_den(mdz_tweedie *d)
{
    free(d->t);
    free(d);
}

/* A source with P(1) = 0.8 predicted as 0.5: the correction learns +0.3. */
static void learns(int k, int interp, int logit)
{
    mdz_tweedie *d = new_den(k, interp, 0, 0);
    d->logit = logit;
    tu_rng r;
    tu_seed(&r, 7 + (uint64_t)k);
    int p = 0;
    for (int t = 0; t < 20000; t++) {
        p = mdz_tweedie_p(d, 32768, CTX);
        int y = tu_next(&r) % 1000 < 800;
        mdz_tweedie_update(d, y);
    }
    ck_assert_int_gt(p, 65536 * 76 / 100);
    ck_assert_int_lt(p, 65536 * 84 / 100);
    /* another context has learnt nothing */
    ck_assert_int_eq(mdz_tweedie_p(d, 32768, CTX + 1), 32768);
    free_den(d);
}

START_TEST(test_learns_k1) { learns(1, 0, 0); }
END_TEST
START_TEST(test_learns_k3) { learns(3, 0, 0); }
END_TEST
START_TEST(test_learns_k5_interp) { learns(5, 1, 0); }
END_TEST
START_TEST(test_learns_logit) { learns(3, 1, 1); }
END_TEST

/* delta stays 0 while n < nmin, whatever the data says */
START_TEST(test_small_n)
{
    mdz_tweedie *d = new_den(1, 0, 16, 0);
    for (int t = 0; t < 15; t++) {
        ck_assert_int_eq(mdz_tweedie_p(d, 32768, CTX), 32768);
        mdz_tweedie_update(d, 1);
    }
    /* the 16th observation makes the bucket usable: 15 + 1 ones */
    ck_assert_int_eq(mdz_tweedie_p(d, 32768, CTX), 32768);
    mdz_tweedie_update(d, 1);
    ck_assert_int_eq(mdz_tweedie_p(d, 32768, CTX), 65536 - MDZ_TW_PMIN);
    free_den(d);
}
END_TEST

/* the statistics are integers, halved together when n reaches the limit */
START_TEST(test_halving)
{
    mdz_tweedie *d = new_den(1, 0, 4, 64);
    int i = -1;
    for (int t = 0; t < 63; t++) {
        mdz_tweedie_p(d, 20000, CTX);
        i = d->idx[0];
        mdz_tweedie_update(d, t & 1);
    }
    mdz_tw_bucket *b = &d->t[i];
    ck_assert_uint_eq(b->n, 63);
    ck_assert_uint_eq(b->sp, 63u * 20000);
    ck_assert_uint_eq(b->hy, 31u * 65536);
    uint32_t se = 32u * (uint32_t)(((int64_t)20000 * 20000) >> 16) +
                  31u * (uint32_t)(((int64_t)45536 * 45536) >> 16);
    ck_assert_uint_eq(b->se, se);
    mdz_tweedie_p(d, 20000, CTX);
    mdz_tweedie_update(d, 0);   /* 64th: halve */
    ck_assert_uint_eq(b->n, 32);
    ck_assert_uint_eq(b->sp, 64u * 20000 / 2);
    ck_assert_uint_eq(b->hy, 31u * 65536 / 2);
    ck_assert_uint_eq(b->se, (se + (uint32_t)(((int64_t)20000 * 20000) >> 16)) / 2);
    free_den(d);
}
END_TEST

/* James-Stein: a small delta over a noisy bucket is shrunk by SNR/4; a
 * large one is applied in full.  Checked against the formula in doubles. */
START_TEST(test_shrinkage)
{
    mdz_tw_bucket b;
    tu_rng r;
    tu_seed(&r, 3);
    for (int t = 0; t < 100000; t++) {
        uint32_t n = 1 + (uint32_t)(tu_next(&r) % 1000);
        b.n = n;
        b.sp = (uint32_t)(tu_next(&r) % ((uint64_t)n * 65536));
        b.hy = (uint32_t)(tu_next(&r) % (n + 1)) * 65536;
        b.se = (uint32_t)(tu_next(&r) % ((uint64_t)n * 65536));
        int32_t got = mdz_tw_delta(&b, 1);
        double delta = ((double)b.hy - b.sp) / n / 65536;
        double var = (double)b.se / n / 65536;
        double snr = var > 0 ? delta * delta * n / var : 1e9;
        double want = delta * (snr / 4 < 1 ? snr / 4 : 1) * 65536;
        ck_assert(got - want < 2.5 && want - got < 2.5);
    }
    /* zero while n is small */
    b.n = 3; b.sp = 0; b.hy = 3 * 65536; b.se = 0;
    ck_assert_int_eq(mdz_tw_delta(&b, 4), 0);
}
END_TEST

/* outputs stay inside [PMIN, 65536 - PMIN] at every step */
START_TEST(test_clipped)
{
    mdz_tweedie *d = new_den(3, 1, 0, 0);
    tu_rng r;
    tu_seed(&r, 5);
    for (int t = 0; t < 200000; t++) {
        int pin = 1 + (int)(tu_next(&r) % 65535);
        int p = mdz_tweedie_p(d, pin, (int)(tu_next(&r) % 4));
        ck_assert_int_ge(p, MDZ_TW_PMIN);
        ck_assert_int_le(p, 65536 - MDZ_TW_PMIN);
        mdz_tweedie_update(d, (int)(tu_next(&r) & 1));
    }
    free_den(d);
}
END_TEST

static Suite *tweedie_suite(void)
{
    Suite *s = suite_create("tweedie");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_learns_k1);
    tcase_add_test(tc, test_learns_k3);
    tcase_add_test(tc, test_learns_k5_interp);
    tcase_add_test(tc, test_learns_logit);
    tcase_add_test(tc, test_small_n);
    tcase_add_test(tc, test_halving);
    tcase_add_test(tc, test_shrinkage);
    tcase_add_test(tc, test_clipped);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run(tweedie_suite());
}
