/* Unit tests: mdz_train_dict() (src/dict.c) and mdz_dict_id().
 *
 * The samples are built of lines of at least 48 bytes, so that every line
 * is a segment of its own: lines that recur across samples, lines that
 * recur within one sample only, and random lines that occur once. */
#include "testutil.h"
#include "mdz.h"

#define LINE 64  /* bytes of a built line, newline included */

/* A line of LINE bytes: a tag, then letters from the generator. */
static void make_line(uint8_t *p, const char *tag, tu_rng *r)
{
    size_t k = strlen(tag), i;
    memcpy(p, tag, k);
    for (i = k; i < LINE - 1; i++)
        p[i] = (uint8_t)('a' + tu_next(r) % 26);
    p[LINE - 1] = '\n';
}

/* A buffer of samples under construction. */
struct samples {
    uint8_t *buf;
    size_t len, cap;
    size_t sizes[512];
    size_t n;
};

static void s_init(struct samples *s, size_t cap)
{
    s->buf = malloc(cap);
    ck_assert_ptr_nonnull(s->buf);
    s->len = 0;
    s->cap = cap;
    s->n = 0;
}

static void s_put(struct samples *s, const uint8_t *p, size_t n)
{
    ck_assert_uint_le(s->len + n, s->cap);
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->sizes[s->n] += n;
}

static void s_begin(struct samples *s)
{
    ck_assert_uint_lt(s->n, 512);
    s->sizes[s->n] = 0;
}

static void s_end(struct samples *s)
{
    s->n++;
}

static size_t find(const uint8_t *hay, size_t n, const uint8_t *needle, size_t k)
{
    size_t i;
    for (i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return i;
    return (size_t)-1;
}

START_TEST(test_dict_id)
{
    ck_assert_uint_eq(mdz_dict_id("123456789", 9), 0xE3069283u);
    ck_assert_uint_eq(mdz_dict_id("abc", 3), mdz_crc32c(0, "abc", 3));
}
END_TEST

START_TEST(test_all_fit_concatenates)
{
    const char *text = "first sample\nsecond\nthe third, longer sample\n";
    size_t sizes[] = { 13, 7, 0, 25 };
    uint8_t dict[64];
    size_t len = sizeof dict;
    ck_assert_int_eq(mdz_train_dict(dict, &len, text, sizes, 4), MDZ_OK);
    ck_assert_uint_eq(len, 45);
    ck_assert_mem_eq(dict, text, 45);
    /* a capacity of exactly the samples' size still takes them whole */
    len = 45;
    ck_assert_int_eq(mdz_train_dict(dict, &len, text, sizes, 4), MDZ_OK);
    ck_assert_uint_eq(len, 45);
    ck_assert_mem_eq(dict, text, 45);
    /* one sample */
    len = 64;
    ck_assert_int_eq(mdz_train_dict(dict, &len, "x", (size_t[]){ 1 }, 1), MDZ_OK);
    ck_assert_uint_eq(len, 1);
    ck_assert_int_eq(dict[0], 'x');
}
END_TEST

START_TEST(test_capacity_exact)
{
    static const size_t caps[] = { 1, 7, 8, 63, 64, 100, 1000, 4096, 50000, 199999 };
    size_t total = 200000, i;
    uint8_t *src = malloc(total), *dict = malloc(total);
    size_t sizes[50];
    tu_rng r;
    tu_seed(&r, 11);
    tu_text(&r, src, total);
    for (i = 0; i < 50; i++)
        sizes[i] = total / 50;
    for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        size_t len = caps[i];
        ck_assert_int_eq(mdz_train_dict(dict, &len, src, sizes, 50), MDZ_OK);
        ck_assert_uint_eq(len, caps[i]);
        /* what it holds comes from the samples: its end is a segment's */
        size_t k = len < 40 ? len : 40;
        ck_assert_uint_ne(find(src, total, dict + len - k, k), (size_t)-1);
    }
    /* a sample longer than the capacity, alone */
    size_t one = total, len = 3000;
    ck_assert_int_eq(mdz_train_dict(dict, &len, src, &one, 1), MDZ_OK);
    ck_assert_uint_eq(len, 3000);
    free(src);
    free(dict);
}
END_TEST

START_TEST(test_deterministic)
{
    size_t total = 300000, sizes[64], i, la = 20000, lb = 20000;
    uint8_t *src = malloc(total), *a = malloc(la), *b = malloc(lb);
    tu_rng r;
    tu_seed(&r, 5);
    tu_text(&r, src, total);
    for (i = 0; i < 64; i++)
        sizes[i] = total / 64;
    sizes[63] += total % 64;
    ck_assert_int_eq(mdz_train_dict(a, &la, src, sizes, 64), MDZ_OK);
    memset(b, 0xA5, lb);
    ck_assert_int_eq(mdz_train_dict(b, &lb, src, sizes, 64), MDZ_OK);
    ck_assert_uint_eq(la, lb);
    ck_assert_mem_eq(a, b, la);
    free(src);
    free(a);
    free(b);
}
END_TEST

/* Forty samples hold line A, twenty line B; one sample repeats line C
 * thirty times (it recurs, but in one sample only); the rest are random
 * lines that occur once. */
static void build_recurring(struct samples *s, uint8_t *a, uint8_t *b, uint8_t *c)
{
    tu_rng r;
    uint8_t line[LINE];
    size_t i, j;
    tu_seed(&r, 99);
    make_line(a, "LINE-A recurs in forty samples ", &r);
    make_line(b, "LINE-B recurs in twenty samples ", &r);
    make_line(c, "LINE-C recurs in one sample ", &r);
    s_init(s, 1 << 20);
    for (i = 0; i < 60; i++) {
        s_begin(s);
        for (j = 0; j < 30; j++) {
            if (j == i % 30 && i < 40)
                s_put(s, a, LINE);
            if (j == (i * 7) % 30 && i % 3 == 0)
                s_put(s, b, LINE);
            if (i == 50)
                s_put(s, c, LINE);
            make_line(line, "", &r);
            s_put(s, line, LINE);
        }
        s_end(s);
    }
}

START_TEST(test_recurring_content_first)
{
    struct samples s;
    uint8_t a[LINE], b[LINE], c[LINE], dict[4096];
    size_t len, pa, pb;
    build_recurring(&s, a, b, c);

    /* room for one line: A, the content of the most samples */
    len = LINE;
    ck_assert_int_eq(mdz_train_dict(dict, &len, s.buf, s.sizes, s.n), MDZ_OK);
    ck_assert_uint_eq(len, LINE);
    ck_assert_mem_eq(dict, a, LINE);

    /* room for several: A last (nearest the data), B before it, and not
     * C, which recurs within one sample only */
    len = 6 * LINE;
    ck_assert_int_eq(mdz_train_dict(dict, &len, s.buf, s.sizes, s.n), MDZ_OK);
    ck_assert_uint_eq(len, 6 * LINE);
    ck_assert_mem_eq(dict + len - LINE, a, LINE);
    ck_assert_mem_eq(dict + len - 2 * LINE, b, LINE);
    ck_assert_uint_eq(find(dict, len, c, LINE), (size_t)-1);
    /* A and B once each: covered content is not taken again */
    pa = find(dict, len, a, LINE);
    pb = find(dict, len, b, LINE);
    ck_assert_uint_eq(pa, len - LINE);
    ck_assert_uint_eq(pb, len - 2 * LINE);

    /* room for a line and a half: B, the last taken, is cut from its
     * start (its end kept) */
    len = LINE + LINE / 2;
    ck_assert_int_eq(mdz_train_dict(dict, &len, s.buf, s.sizes, s.n), MDZ_OK);
    ck_assert_uint_eq(len, LINE + LINE / 2);
    ck_assert_mem_eq(dict + LINE / 2, a, LINE);
    ck_assert_mem_eq(dict, b + LINE / 2, LINE / 2);
    free(s.buf);
}
END_TEST

/* One long sample (a whole file): a line that recurs in every 16 KiB of
 * it wins over one that recurs fifty times within its first 8 KiB. */
START_TEST(test_long_sample_units)
{
    struct samples s;
    uint8_t x[LINE], y[LINE], line[LINE], dict[LINE];
    size_t i, len = LINE;
    tu_rng r;
    tu_seed(&r, 3);
    make_line(x, "SPREAD line, once per 16 KiB ", &r);
    make_line(y, "BUNCHED line, fifty times at the start ", &r);
    s_init(&s, 1 << 20);
    s_begin(&s);
    for (i = 0; i < 4096; i++) {  /* 256 KiB of lines */
        if (i < 100 && i % 2 == 0)
            s_put(&s, y, LINE);
        else if (i % 256 == 128)
            s_put(&s, x, LINE);
        else {
            make_line(line, "", &r);
            s_put(&s, line, LINE);
        }
    }
    s_end(&s);
    ck_assert_int_eq(mdz_train_dict(dict, &len, s.buf, s.sizes, s.n), MDZ_OK);
    ck_assert_uint_eq(len, LINE);
    ck_assert_mem_eq(dict, x, LINE);
    free(s.buf);
}
END_TEST

/* Logs from the corpus, cut in 4 KiB pieces as one would for pieces of
 * that size: the dictionary fills the capacity, is the same every time,
 * and is made of lines (and of the ends of pieces, cut mid-line). */
START_TEST(test_corpus_logs)
{
    const char *dir = tu_corpus_dir();
    char path[4096];
    size_t n = 0, len, sizes[128], i, lines = 0;
    uint8_t *src, *dict, *again;
    if (!dir)
        return;
    snprintf(path, sizeof path, "%s/logs/HDFS_2k.log", dir);
    src = tu_load(path, &len);
    if (!src)
        return;
    if (len > 128 * 4096)
        len = 128 * 4096;
    for (i = 0; i < len; i += 4096)
        sizes[n++] = len - i < 4096 ? len - i : 4096;
    dict = malloc(16384);
    again = malloc(16384);
    size_t dl = 16384, dl2 = 16384;
    ck_assert_int_eq(mdz_train_dict(dict, &dl, src, sizes, n), MDZ_OK);
    ck_assert_uint_eq(dl, 16384);
    ck_assert_int_eq(mdz_train_dict(again, &dl2, src, sizes, n), MDZ_OK);
    ck_assert_mem_eq(dict, again, dl);
    /* its end is a segment of the log (a line, or the end of a piece) */
    ck_assert_uint_ne(find(src, len, dict + dl - 64, 64), (size_t)-1);
    for (i = 0; i < dl; i++)
        lines += dict[i] == '\n';
    ck_assert_uint_ge(lines, 16384 / 200);  /* HDFS lines are ~140 bytes */
    free(src);
    free(dict);
    free(again);
}
END_TEST

START_TEST(test_param_errors)
{
    uint8_t dict[16];
    size_t len, sizes[] = { 3, 4 }, zeros[] = { 0, 0, 0 };
    const char *text = "abcdefg";

    len = sizeof dict;
    ck_assert_int_eq(mdz_train_dict(dict, &len, text, sizes, 0), MDZ_ERR_PARAM);
    ck_assert_int_eq(mdz_train_dict(NULL, &len, text, sizes, 2), MDZ_ERR_PARAM);
    ck_assert_int_eq(mdz_train_dict(dict, NULL, text, sizes, 2), MDZ_ERR_PARAM);
    ck_assert_int_eq(mdz_train_dict(dict, &len, NULL, sizes, 2), MDZ_ERR_PARAM);
    ck_assert_int_eq(mdz_train_dict(dict, &len, text, NULL, 2), MDZ_ERR_PARAM);
    ck_assert_int_eq(mdz_train_dict(dict, &len, text, zeros, 3), MDZ_ERR_PARAM);
    len = 0;
    ck_assert_int_eq(mdz_train_dict(dict, &len, text, sizes, 2), MDZ_ERR_PARAM);
    len = MDZ_DICT_SIZE_MAX + 1;
    ck_assert_int_eq(mdz_train_dict(dict, &len, text, sizes, 2), MDZ_ERR_PARAM);
    /* sizes whose sum overflows */
    size_t huge[] = { SIZE_MAX, 2 };
    len = sizeof dict;
    ck_assert_int_eq(mdz_train_dict(dict, &len, text, huge, 2), MDZ_ERR_PARAM);
    /* the largest capacity is allowed */
    len = MDZ_DICT_SIZE_MAX;
    ck_assert_int_eq(mdz_train_dict(dict, &len, text, sizes, 2), MDZ_OK);
    ck_assert_uint_eq(len, 7);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("train");
    TCase *tc = tcase_create("train");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_dict_id);
    tcase_add_test(tc, test_all_fit_concatenates);
    tcase_add_test(tc, test_capacity_exact);
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_recurring_content_first);
    tcase_add_test(tc, test_long_sample_units);
    tcase_add_test(tc, test_corpus_logs);
    tcase_add_test(tc, test_param_errors);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
