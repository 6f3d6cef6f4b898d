/* test_tweedie.c -- the micro-diffusion denoiser (tweedie.h): what it
 * learns, its shrinkage rule against the formula, the halving, the clip,
 * the edge, where the steps read their rows and the configuration
 * limits. */
#include <math.h>

#include "testutil.h"
#include "tweedie.h"

#define CTX 5   /* any context */

static mdz_tweedie *new_den(int k, unsigned n0, unsigned limit)
{
    mdz_tw_config c;
    mdz_tweedie_config(&c, k, 16);
    if (n0) c.n0 = n0;
    if (limit) c.limit = limit;
    mdz_tweedie *d = malloc(sizeof *d);
    void *mem = malloc(mdz_tweedie_bytes(&c));
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(mem);
    mdz_tweedie_init(d, mem, &c);
    return d;
}

static void free_den(mdz_tweedie *d)
{
    free(d->t);
    free(d);
}

static int run(mdz_tweedie *d, int p, int ctx)
{
    mdz_tw_point *rows[MDZ_TW_KMAX];
    for (int s = 0; s < d->c.k; s++) rows[s] = mdz_tweedie_row(d, s, ctx);
    return mdz_tweedie_p(d, p, rows);
}

/* A p that falls exactly on a point (weight 0 to the next one), at or
 * above 'from'. */
static int knot_p(int from)
{
    for (int p = from; p < 65536; p++) {
        int u = (mdz_stretch(p) + 2048) * (MDZ_TW_BINS - 1);
        if ((u & 4095) < 16) return p;
    }
    return 0;
}

/* A source with P(1) = 0.8 predicted as about 0.63 (at a point): the stage
 * learns 0.8 (short of it by the prior: n0 / (n + n0) of the residual,
 * about 0.01 at the count the limit keeps); a context that saw nothing
 * passes p through.  With k steps the later steps see the corrected p, so
 * the answer stays 0.8. */
static void learns(int k)
{
    mdz_tweedie *d = new_den(k, 0, 0);
    int p0 = knot_p(30000);
    ck_assert_int_gt(p0, 0);
    ck_assert_int_lt(p0, 45000);
    tu_rng r;
    tu_seed(&r, 7 + (uint64_t)k);
    int p = 0;
    for (int t = 0; t < 20000; t++) {
        p = run(d, p0, CTX);
        mdz_tweedie_update(d, tu_next(&r) % 1000 < 800);
    }
    ck_assert_int_gt(p, 65536 * 76 / 100);
    ck_assert_int_lt(p, 65536 * 84 / 100);
    ck_assert_int_eq(run(d, p0, CTX + 1), p0);
    free_den(d);
}

START_TEST(test_learns_k1) { learns(1); }
END_TEST
START_TEST(test_learns_k3) { learns(3); }
END_TEST
START_TEST(test_learns_k5) { learns(5); }
END_TEST

/* The correction is the posterior mean r / (n + n0) of the residuals:
 * heavily shrunk after one observation, close to the plain mean after
 * many.  Checked against the formula in doubles (the integer update
 * rounds by at most one 2^-20 unit per observation). */
START_TEST(test_shrinkage)
{
    int p = knot_p(40000);
    ck_assert_int_gt(p, 0);
    const unsigned n0s[] = {1, 8, 24, 100};
    for (size_t z = 0; z < sizeof n0s / sizeof n0s[0]; z++) {
        mdz_tweedie *d = new_den(1, n0s[z], 0);
        tu_rng r;
        tu_seed(&r, 11 + z);
        double sum = 0;
        for (int t = 1; t <= 300; t++) {
            int out = run(d, p, CTX);
            /* the point read holds the correction of the t - 1 bits so far */
            double want = sum / (t - 1 + n0s[z]);
            double got = (double)mdz_tw_delta(*d->q[0]) / (1 << 20);
            ck_assert_msg(fabs(got - want) <= (t + 1) / 1048576.0,
                          "n0 %u, t %d: delta %.7f, formula %.7f", n0s[z], t, got, want);
            ck_assert_int_eq(out, mdz_tw_clip(p + (int)floor(got * 65536)));
            int y = tu_next(&r) % 100 < 30;   /* far below p: negative residuals */
            sum += y - p / 65536.0;
            mdz_tweedie_update(d, y);
        }
        free_den(d);
    }
    /* one observation moves a point by e / (1 + n0) only */
    mdz_tweedie *d = new_den(1, 24, 0);
    run(d, p, CTX);
    mdz_tweedie_update(d, 0);
    double got = (double)mdz_tw_delta(*d->q[0]) / (1 << 20);
    ck_assert(fabs(got + p / 65536.0 / 25) < 2.0 / 1048576);
    free_den(d);
}
END_TEST

/* The count is halved when it reaches the limit; the correction stays. */
START_TEST(test_halving)
{
    int p = knot_p(40000);
    mdz_tweedie *d = new_den(1, 0, 64);
    for (int t = 0; t < 63; t++) {
        run(d, p, CTX);
        mdz_tweedie_update(d, t & 1);
    }
    mdz_tw_point *q = d->q[0];
    ck_assert_uint_eq(*q & 1023, 63);
    run(d, p, CTX);
    ck_assert_ptr_eq(d->q[0], q);
    int32_t before = mdz_tw_delta(*q);
    mdz_tweedie_update(d, 1);               /* 64th: n = 64 -> 32 */
    ck_assert_uint_eq(*q & 1023, 32);
    int32_t after = mdz_tw_delta(*q);
    /* one more observation (a 1) moved it up by at most 1/(64 + n0) */
    ck_assert_int_ge(after, before);
    ck_assert_int_le(after - before, (1 << 20) / (64 + MDZ_TW_N0) + 1);
    free_den(d);
}
END_TEST

/* Outputs stay inside [PMIN, 65536 - PMIN] at every step, whatever the
 * input and the bits. */
START_TEST(test_clipped)
{
    mdz_tweedie *d = new_den(5, 1, 0);
    tu_rng r;
    tu_seed(&r, 5);
    for (int t = 0; t < 200000; t++) {
        int pin = 1 + (int)(tu_next(&r) % 65535);
        int p = run(d, pin, (int)(tu_next(&r) % 4));
        ck_assert_int_ge(p, MDZ_TW_PMIN);
        ck_assert_int_le(p, 65536 - MDZ_TW_PMIN);
        /* extreme bits: always the opposite of the prediction */
        mdz_tweedie_update(d, p < 32768);
    }
    free_den(d);
}
END_TEST

/* Beyond the edge (|stretch(p)| > edge) p passes through, clipped, and
 * nothing learns; with the edge at its maximum the same p is corrected. */
START_TEST(test_edge)
{
    int p = 65500;                            /* about 7.5 nats */
    ck_assert_int_gt(mdz_stretch(p), MDZ_TW_EDGE);
    mdz_tweedie *d = new_den(3, 0, 0);
    for (int t = 0; t < 2000; t++) {
        ck_assert_int_eq(run(d, p, CTX), p);
        ck_assert(d->idle);
        mdz_tweedie_update(d, 0);             /* p is far too high */
    }
    size_t n = (size_t)3 * 16 * MDZ_TW_BINS;
    for (size_t i = 0; i < n; i++) ck_assert_uint_eq(d->t[i], 0);
    /* just inside the edge it is not idle */
    int pin = 32768;
    while (mdz_stretch(pin + 1) <= MDZ_TW_EDGE) pin++;
    run(d, pin, CTX);
    ck_assert(!d->idle);
    free_den(d);

    mdz_tw_config c;
    mdz_tweedie_config(&c, 3, 16);
    c.edge = MDZ_TW_EDGEMAX;
    d = malloc(sizeof *d);
    ck_assert_ptr_nonnull(d);
    void *mem = malloc(mdz_tweedie_bytes(&c));
    ck_assert_ptr_nonnull(mem);
    mdz_tweedie_init(d, mem, &c);
    int out = p;
    for (int t = 0; t < 2000; t++) {
        out = run(d, p, CTX);
        ck_assert(!d->idle);
        mdz_tweedie_update(d, 0);
    }
    ck_assert_int_lt(out, 65536 / 2);
    free_den(d);
}
END_TEST

/* Step 0 reads its row at the position of p; steps 1 and 2 both at the
 * position of step 0's output (the same point and weight in their rows),
 * each still correcting the p the step before left. */
START_TEST(test_positions)
{
    mdz_tweedie *d = new_den(3, 0, 0);
    mdz_tw_point *rows[MDZ_TW_KMAX];
    for (int s = 0; s < 3; s++) rows[s] = mdz_tweedie_row(d, s, CTX);
    int p0 = 20000;
    tu_rng r;
    tu_seed(&r, 3);
    for (int t = 0; t < 3000; t++) {
        mdz_tweedie_p(d, p0, rows);
        mdz_tweedie_update(d, tu_next(&r) % 100 < 90);
    }
    int out = mdz_tweedie_p(d, p0, rows);
    ck_assert_int_eq(d->pin[0], p0);
    ck_assert_int_gt(d->pin[1], p0 + 10000);  /* step 0 moved it up */
    int u0 = mdz_tw_pos(p0), u1 = mdz_tw_pos(d->pin[1]);
    ck_assert_ptr_eq(d->q[0], rows[0] + (u0 >> 12));
    ck_assert_int_eq(d->wt[0], (u0 & 4095) >> 4);
    for (int s = 1; s < 3; s++) {
        ck_assert_ptr_eq(d->q[s], rows[s] + (u1 >> 12));
        ck_assert_int_eq(d->wt[s], (u1 & 4095) >> 4);
    }
    ck_assert_int_ge(out, 65536 * 85 / 100);
    ck_assert_int_le(out, 65536 * 95 / 100);
    free_den(d);
}
END_TEST

/* The configuration is clamped to its ranges, and the memory size
 * follows it. */
START_TEST(test_config)
{
    mdz_tw_config c;
    mdz_tweedie_config(&c, 0, 0);
    ck_assert_int_eq(c.k, 1);
    ck_assert_int_eq(c.nctx[0], 1);
    ck_assert_uint_eq(c.n0, MDZ_TW_N0);
    ck_assert_uint_eq(c.limit, MDZ_TW_LIMIT);
    ck_assert_int_eq(c.edge, MDZ_TW_EDGE);
    mdz_tweedie_config(&c, 99, 100);
    ck_assert_int_eq(c.k, MDZ_TW_KMAX);
    c.n0 = 0;
    c.limit = 1u << 20;
    c.nctx[2] = 7;
    c.edge = 5000;
    ck_assert_uint_eq(mdz_tweedie_bytes(&c),
                      ((size_t)(MDZ_TW_KMAX - 1) * 100 + 7) * MDZ_TW_BINS * sizeof(mdz_tw_point) +
                          (size_t)MDZ_TW_LIMITMAX * sizeof(uint32_t));
    void *mem = malloc(mdz_tweedie_bytes(&c));
    mdz_tweedie d;
    mdz_tweedie_init(&d, mem, &c);
    ck_assert_uint_eq(d.c.n0, 1);
    ck_assert_uint_eq(d.c.limit, MDZ_TW_LIMITMAX);
    ck_assert_int_eq(d.c.edge, MDZ_TW_EDGEMAX);
    ck_assert_uint_eq(d.base[3], (size_t)(2 * 100 + 7) * MDZ_TW_BINS);
    ck_assert_uint_eq(d.recip[0], 0xffffffffu / 2);
    free(mem);
}
END_TEST

static Suite *tweedie_suite(void)
{
    Suite *s = suite_create("tweedie");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_learns_k1);
    tcase_add_test(tc, test_learns_k3);
    tcase_add_test(tc, test_learns_k5);
    tcase_add_test(tc, test_shrinkage);
    tcase_add_test(tc, test_halving);
    tcase_add_test(tc, test_clipped);
    tcase_add_test(tc, test_edge);
    tcase_add_test(tc, test_positions);
    tcase_add_test(tc, test_config);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run(tweedie_suite());
}
