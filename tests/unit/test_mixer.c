/* test_mixer.c -- logistic mixer: exact arithmetic and learning. */
#include <math.h>

#include "testutil.h"
#include "mixer.h"
#include "squash.h"

/* The portable formulas of mixer.h, written out independently. */
static int32_t ref_dot(const int16_t *x, const int16_t *w, int n)
{
    int32_t acc = 0;
    for (int i = 0; i < n; i += 2) acc += ((int32_t)x[i] * w[i] + (int32_t)x[i + 1] * w[i + 1]) >> 8;
    return acc;
}

static void ref_train(const int16_t *x, int16_t *w, int n, int e)
{
    for (int i = 0; i < n; i++) {
        int t = (2 * x[i] * e) >> 16;
        int v = w[i] + ((t + 1) >> 1);
        w[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
}

START_TEST(test_exact)
{
    tu_rng r;
    tu_seed(&r, 11);
    _Alignas(16) int16_t x[32], w[32], w2[32];
    for (int t = 0; t < 20000; t++) {
        for (int i = 0; i < 32; i++) {
            x[i] = (int16_t)((int)(tu_next(&r) % 4095) - 2047);
            w[i] = w2[i] = (int16_t)(tu_next(&r) >> 48);
        }
        ck_assert_int_eq(mdz_dot16(x, w, 32), ref_dot(x, w, 32));
        int e = (int)(tu_next(&r) % 65536) - 32768;
        mdz_train16(x, w, 32, e);
        ref_train(x, w2, 32, e);
        for (int i = 0; i < 32; i++) ck_assert_int_eq(w[i], w2[i]);
    }
}
END_TEST

/* One informative input among noise: the mixer learns to follow it. */
START_TEST(test_learns)
{
    tu_rng r;
    tu_seed(&r, 12);
    _Alignas(16) int16_t w[8 * 4];
    _Alignas(16) int16_t x[8];
    mdz_mixer m;
    mdz_mixer_init(&m, w, 8, 4, 6, 0);
    double cost_early = 0, cost_late = 0;
    for (int t = 0; t < 40000; t++) {
        int y = (int)(tu_next(&r) & 1);
        /* input 0 says the truth 90% of the time, strongly */
        int truth = (tu_next(&r) % 10) ? y : !y;
        x[0] = (int16_t)(truth ? 560 : -560);
        for (int i = 1; i < 7; i++) x[i] = (int16_t)((int)(tu_next(&r) % 1001) - 500);
        x[7] = 256;
        int p = mdz_mixer_p(&m, x, t & 3);
        int q = y ? p : 65536 - p;
        double c = -log2(q / 65536.0);
        if (t < 2000) cost_early += c;
        if (t >= 38000) cost_late += c;
        mdz_mixer_update(&m, x, y);
    }
    ck_assert(cost_late < cost_early * 0.8);
    ck_assert(cost_late / 2000 < 0.6);
    ck_assert_int_gt(w[0], 1000);
    /* p for a "yes" input is confident */
    x[0] = 560;
    for (int i = 1; i < 7; i++) x[i] = 0;
    ck_assert_int_gt(mdz_mixer_p(&m, x, 0), 52000);
}
END_TEST

START_TEST(test_weight_sets_independent)
{
    _Alignas(16) int16_t w[8 * 2];
    _Alignas(16) int16_t x[8] = {1000, 0, 0, 0, 0, 0, 0, 0};
    mdz_mixer m;
    mdz_mixer_init(&m, w, 8, 2, 6, 100);
    for (int t = 0; t < 100; t++) {
        mdz_mixer_p(&m, x, 1);
        mdz_mixer_update(&m, x, 1);
    }
    ck_assert_int_eq(w[0], 100);
    ck_assert_int_gt(w[8], 100);
}
END_TEST

static Suite *mixer_suite(void)
{
    Suite *s = suite_create("mixer");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_exact);
    tcase_add_test(tc, test_learns);
    tcase_add_test(tc, test_weight_sets_independent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run(mixer_suite());
}
