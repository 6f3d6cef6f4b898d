/* test_models.c -- states, state maps, SSE, context tables, match and word
 * models, and the predictor as a whole. */
#include "testutil.h"
#include "state.h"
#include "hash.h"
#include "models/match.h"
#include "models/word.h"
#include "models/ppm.h"
#include "predictor.h"
#include "codec.h"
#include "mdz.h"

START_TEST(test_state_table)
{
    /* every transition stays inside the used states; state 0 is unseen */
    for (int s = 0; s < 187; s++)
        for (int y = 0; y < 2; y++) {
            int t = mdz_state_next_of(s, y);
            ck_assert_int_gt(t, 0);
            ck_assert_int_lt(t, 187);
        }
    ck_assert_int_eq(mdz_state_n0[0] + mdz_state_n1[0], 0);
    /* a run of ones grows n1 and keeps n0 at 0 */
    int s = 0;
    for (int i = 0; i < 30; i++) {
        s = mdz_state_next_of(s, 1);
        ck_assert_int_eq(mdz_state_n0[s], 0);
        ck_assert_int_eq(mdz_state_n1[s], i + 1);
    }
    /* a zero after a long run of ones discounts n1 */
    int t = mdz_state_next_of(s, 0);
    ck_assert_int_eq(mdz_state_n0[t], 1);
    ck_assert_int_lt(mdz_state_n1[t], mdz_state_n1[s]);
    /* counts saturate */
    for (int i = 0; i < 100; i++) s = mdz_state_next_of(s, 1);
    ck_assert_int_eq(mdz_state_n1[s], 40);
}
END_TEST

START_TEST(test_state_map)
{
    uint32_t t[256];
    mdz_sm_init_states(t);
    ck_assert_int_eq(mdz_sm_p(&t[0]), 32768);
    uint32_t e = mdz_sm_init_p(32768);
    for (int i = 0; i < 1000; i++) mdz_sm_update(&e, (i % 4) != 0, 1023);
    int p = mdz_sm_p(&e);
    ck_assert_int_gt(p, 46000);
    ck_assert_int_lt(p, 52000);
    for (int i = 0; i < 100000; i++) mdz_sm_update(&e, 1, 255);
    ck_assert_int_gt(mdz_sm_p(&e), 65000);
    ck_assert_int_le(mdz_sm_p(&e), 65535);
}
END_TEST

START_TEST(test_sse)
{
    uint16_t t[4 * MDZ_SSE_POINTS];
    mdz_sse a;
    mdz_sse_init(&a, t, 4);
    int p = mdz_sse_p(&a, 0, 2);
    ck_assert_int_ge(p, 32000);
    ck_assert_int_le(p, 33500);
    /* in context 2 the truth is always 0 even when the input says 1 */
    for (int i = 0; i < 2000; i++) {
        mdz_sse_p(&a, 500, 2);
        mdz_sse_update(&a, 0, 6);
    }
    ck_assert_int_lt(mdz_sse_p(&a, 500, 2), 8000);
    ck_assert_int_gt(mdz_sse_p(&a, 500, 1), 30000);
}
END_TEST

START_TEST(test_hash_table)
{
    enum { BITS = 4 };
    uint8_t *mem = calloc(1, (64 << BITS) + 64);
    mdz_hashtab ht;
    ht.t = mem + ((64 - ((uintptr_t)mem & 63)) & 63);
    ht.bits = BITS;
    ht.mask = (1u << BITS) - 1;
    uint64_t h = mdz_hash2(123, 4);
    uint8_t *s = mdz_hash_slot(&ht, h);
    s[1] = 50; /* some history */
    ck_assert_ptr_eq(mdz_hash_slot(&ht, h), s);
    /* flood the same bucket with other checks: the slot with history stays */
    uint64_t bucket = h >> (64 - BITS);
    int found = 0;
    for (uint64_t k = 1; k < 40000 && found < 10; k++) {
        uint64_t g = mdz_hash2(k, 99);
        if ((g >> (64 - BITS)) != bucket || (g & 255) == (h & 255)) continue;
        uint8_t *o = mdz_hash_slot(&ht, g);
        ck_assert_ptr_ne(o, s);
        found++;
    }
    ck_assert_int_gt(found, 3);
    ck_assert_ptr_eq(mdz_hash_slot(&ht, h), s);
    ck_assert_int_eq(s[1], 50);
    free(mem);
}
END_TEST

START_TEST(test_match_model)
{
    static uint32_t ts[1 << 12], tl[1 << 12];
    const char *text = "the quick brown fox jumps over the lazy dog; the quick brown fox jumps again";
    size_t n = strlen(text);
    const uint8_t *buf = (const uint8_t *)text;
    mdz_match m;
    mdz_match_init(&m, ts, tl, 12);
    int predicted = 0, right = 0;
    for (size_t pos = 1; pos <= n; pos++) {
        mdz_match_prepare(&m, buf, pos);
        mdz_match_byte(&m, buf, pos);
        if (pos < n && m.len > 0) {
            ck_assert_uint_lt(m.ptr, pos);
            predicted++;
            if (buf[m.ptr] == buf[pos]) right++;
            else m.len = 0; /* what a wrong bit does in mdz_match_predict */
        }
    }
    /* "the quick brown fox jumps " is predicted after a short recovery */
    ck_assert_int_gt(right, 18);
    ck_assert_int_le(predicted - right, 3);
}
END_TEST

START_TEST(test_word_model)
{
    const char *a = "Hello World\n", *b = "hello world\n";
    uint64_t ca[MDZ_WORD_NCTX], cb[MDZ_WORD_NCTX];
    mdz_word wa, wb;
    mdz_word_init(&wa);
    mdz_word_init(&wb);
    for (size_t i = 1; i <= 8; i++) {
        mdz_word_byte(&wa, (const uint8_t *)a, i, ca);
        mdz_word_byte(&wb, (const uint8_t *)b, i, cb);
    }
    /* case folded: same word contexts inside "world" after "hello " */
    ck_assert(ca[1] == cb[1]);
}
END_TEST

START_TEST(test_ppm_helpers)
{
    ck_assert_int_eq(mdz_ppm_qstate[0], 0);
    int s = 0;
    for (int i = 0; i < 5; i++) s = mdz_state_next_of(s, 1);
    ck_assert_int_ge(mdz_ppm_qstate[s], 1);
    ck_assert_int_le(mdz_ppm_qstate[s], 4);
    ck_assert_int_ge(mdz_ppm_conf(0, 5), 4);
    ck_assert_int_lt(mdz_ppm_conf(2, 3), 4);
    uint64_t c[5];
    mdz_ppm_contexts(0x4142434445ull, c);
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++) ck_assert(c[i] != c[j]);
}
END_TEST

/* The predictor learns: a repeated phrase becomes nearly free, and every
 * ablation flag combination still gives valid probabilities. */
static double cost_of(const uint8_t *buf, size_t n, int flags, size_t from)
{
    mdz_predictor *p = mdz_predictor_new(3, MDZ_BLOCK_LOG_MAX);
    ck_assert_ptr_nonnull(p);
    mdz_predictor_reset(p, buf, n);
    mdz_predictor_set_flags(p, flags);
    double bits = 0;
    for (size_t i = 0; i < n; i++)
        for (int j = 7; j >= 0; j--) {
            int y = (buf[i] >> j) & 1;
            int pr = mdz_predictor_p(p);
            ck_assert_int_ge(pr, 1);
            ck_assert_int_le(pr, 65535);
            if (i >= from) {
                int q = y ? pr : 65536 - pr;
                /* integer log2 estimate is enough here */
                int b = 0;
                while ((q << b) < 32768) b++;
                bits += b;
            }
            mdz_predictor_update(p, y);
        }
    mdz_predictor_free(p);
    return bits;
}

START_TEST(test_predictor_learns)
{
    enum { N = 20000 };
    uint8_t *buf = malloc(N);
    tu_rng r;
    tu_seed(&r, 3);
    tu_random_bytes(&r, buf, N / 2);
    memcpy(buf + N / 2, buf, N / 2);
    double second = cost_of(buf, N, 0, N / 2);
    ck_assert(second < N / 2 * 0.3); /* bits for N/2 bytes: far below 8/byte */
    int flags[] = {MDZ_PF_NO_PPMX, MDZ_PF_NO_HIGH, MDZ_PF_NO_WORD, MDZ_PF_NO_MATCH,
                   MDZ_PF_NO_SSE, MDZ_PF_ONE_MIXER, 0x3f};
    for (size_t k = 0; k < sizeof flags / sizeof *flags; k++) cost_of(buf, 3000, flags[k], 0);
    free(buf);
}
END_TEST

static Suite *models_suite(void)
{
    Suite *s = suite_create("models");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_state_table);
    tcase_add_test(tc, test_state_map);
    tcase_add_test(tc, test_sse);
    tcase_add_test(tc, test_hash_table);
    tcase_add_test(tc, test_match_model);
    tcase_add_test(tc, test_word_model);
    tcase_add_test(tc, test_ppm_helpers);
    tcase_add_test(tc, test_predictor_learns);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run(models_suite());
}
