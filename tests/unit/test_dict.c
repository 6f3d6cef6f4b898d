/*
 * test_dict.c -- dictionaries in the library (doc/format.md section 3.5):
 * round trips with a dictionary at every model (levels 1, 3, 6, 9), one-shot
 * and streaming, in one block and in many, with every thread count giving
 * the same bytes; the dictionary frame (its place, its fields, every bit of
 * it damaged); decoding without the dictionary, or with another one, refused
 * with MDZ_ERR_DICT and nothing released; listing without it; random access
 * through mdz_reader to streams with and without a dictionary; the memory
 * a dictionary adds, checked against memlimit.
 */
#include "testutil.h"

#include "frame.h"
#include "mdz.h"

/* Log-like lines: the dictionary and the content share their shape. */
static uint8_t *log_lines(size_t n, uint64_t seed)
{
    static const char *const verbs[] = { "opened", "closed", "sent", "received", "dropped" };
    tu_rng r;
    tu_seed(&r, seed);
    uint8_t *p = malloc(n + 128);
    size_t at = 0;
    while (at < n) {
        uint64_t x = tu_next(&r);
        at += (size_t)snprintf((char *)p + at, 128,
                               "2026-12-02 11:%02u:%02u INFO session %u %s block blk_%u from "
                               "10.0.%u.%u\n",
                               (unsigned)(x % 60), (unsigned)(x >> 8) % 60,
                               (unsigned)(x >> 16) % 900, verbs[(x >> 24) % 5],
                               (unsigned)(x >> 28) % 100000, (unsigned)(x >> 44) % 256,
                               (unsigned)(x >> 52) % 256);
    }
    return p;
}

/* A stream of src with dict (NULL: none), flushed every `flush` bytes (0:
 * never), with t threads. */
static uint8_t *pack(const uint8_t *src, size_t n, const uint8_t *dict, size_t dsize, int level,
                     int block_log, size_t flush, int t, size_t *clen)
{
    mdz_cparams p;
    mdz_cparams_init(&p, level);
    if (block_log)
        p.block_log = block_log;
    p.threads = t;
    p.dict = dict;
    p.dict_size = dsize;
    mdz_cstream *cs = mdz_cstream_new(&p);
    ck_assert_ptr_nonnull(cs);
    size_t cap = mdz_compress_bound(n, p.block_log) + (flush ? n / flush + 1 : 0) * 64 + 64;
    uint8_t *c = malloc(cap);
    mdz_outbuf out = { c, cap, 0 };
    size_t fed = 0;
    int r;
    while (fed < n) {
        size_t k = flush && n - fed > flush ? flush : n - fed;
        mdz_inbuf in = { src + fed, k, 0 };
        do
            r = mdz_cstream_compress(cs, &out, &in, flush ? MDZ_FLUSH : MDZ_RUN);
        while (r > 0);
        ck_assert_int_eq(r, 0);
        fed += k;
    }
    mdz_inbuf none = { NULL, 0, 0 };
    do
        r = mdz_cstream_compress(cs, &out, &none, MDZ_FINISH);
    while (r > 0);
    ck_assert_int_eq(r, 0);
    mdz_cstream_free(cs);
    *clen = out.pos;
    return c;
}

/* Decodes c with dict through a stream context with t threads; returns
 * the result, the bytes in *out (capacity cap) and their count in *n. */
static int unpack(const uint8_t *c, size_t clen, const uint8_t *dict, size_t dsize, int t,
                  uint8_t *dst, size_t cap, size_t *n, mdz_info *info)
{
    mdz_dparams dp;
    memset(&dp, 0, sizeof dp);
    dp.dict = dict;
    dp.dict_size = dsize;
    dp.threads = t;
    mdz_dstream *ds = mdz_dstream_new(&dp);
    ck_assert_ptr_nonnull(ds);
    mdz_inbuf in = { c, clen, 0 };
    mdz_outbuf out = { dst, cap, 0 };
    int r;
    do {
        size_t i0 = in.pos, o0 = out.pos;
        r = mdz_dstream_decompress(ds, &out, &in);
        if (r > 0 && in.pos == i0 && out.pos == o0 && in.pos == in.size)
            r = MDZ_ERR_TRUNCATED;
    } while (r > 0 || (r == 0 && in.pos < in.size));
    if (info)
        mdz_dstream_info(ds, info);
    mdz_dstream_free(ds);
    *n = out.pos;
    return r;
}

START_TEST(test_dict_id)
{
    const char *d = "some dictionary bytes";
    ck_assert_uint_eq(mdz_dict_id(d, strlen(d)), mdz_crc32c(0, d, strlen(d)));
    ck_assert_int_eq(MDZ_ERR_DICT, -13);
    ck_assert_str_ne(mdz_strerror(MDZ_ERR_DICT), "unknown error");
}
END_TEST

/* A small piece at each model: round trip, smaller with the dictionary,
 * the dictionary frame right after the header. */
START_TEST(test_small_pieces_every_model)
{
    static const int levels[] = { 1, 3, 6, 9 };
    size_t dsize = 60000, n = 4096, clen, plain, got;
    uint8_t *dict = log_lines(dsize, 1), *src = log_lines(n, 2), out[8192];
    for (size_t l = 0; l < 4; l++) {
        uint8_t *c0 = pack(src, n, NULL, 0, levels[l], 0, 0, 1, &plain);
        uint8_t *c = pack(src, n, dict, dsize, levels[l], 0, 0, 1, &clen);
        ck_assert_msg(clen * 5 < plain * 4, "level %d: %zu with the dictionary, %zu without",
                      levels[l], clen, plain);
        /* header, then the frame: type 4, size, ID, check */
        ck_assert_uint_eq(c[MDZ_STREAM_HEADER_SIZE], MDZ_FRAME_DICT);
        ck_assert_uint_eq(mdz_get32(c + MDZ_STREAM_HEADER_SIZE + 1), dsize);
        ck_assert_uint_eq(mdz_get32(c + MDZ_STREAM_HEADER_SIZE + 5), mdz_dict_id(dict, dsize));
        mdz_info info;
        ck_assert_int_eq(unpack(c, clen, dict, dsize, 1, out, sizeof out, &got, &info), MDZ_OK);
        ck_assert_uint_eq(got, n);
        ck_assert(memcmp(out, src, n) == 0);
        ck_assert_uint_eq(info.dict_size, dsize);
        ck_assert_uint_eq(info.dict_id, mdz_dict_id(dict, dsize));
        /* one-shot */
        mdz_dparams dp;
        memset(&dp, 0, sizeof dp);
        dp.dict = dict;
        dp.dict_size = dsize;
        got = sizeof out;
        ck_assert_int_eq(mdz_decompress_ex(out, &got, c, clen, &dp), MDZ_OK);
        ck_assert_uint_eq(got, n);
        ck_assert(memcmp(out, src, n) == 0);
        /* a stream without a dictionary decodes with one given */
        ck_assert_int_eq(unpack(c0, plain, dict, dsize, 1, out, sizeof out, &got, &info),
                         MDZ_OK);
        ck_assert_uint_eq(got, n);
        ck_assert_uint_eq(info.dict_size, 0);
        free(c0);
        free(c);
    }
    /* one-shot compression writes what the stream context writes */
    mdz_cparams p;
    mdz_cparams_init(&p, 6);
    p.dict = dict;
    p.dict_size = dsize;
    size_t cap = mdz_compress_bound(n, 0), olen = cap;
    uint8_t *o = malloc(cap), *c = pack(src, n, dict, dsize, 6, 0, 0, 1, &clen);
    ck_assert_int_eq(mdz_compress(o, &olen, src, n, &p), MDZ_OK);
    ck_assert_uint_eq(olen, clen);
    ck_assert(memcmp(o, c, clen) == 0);
    free(o);
    free(c);
    free(dict);
    free(src);
}
END_TEST

/* Many blocks, flushes, threads: the same bytes for every thread count,
 * and every thread count decodes them. */
START_TEST(test_blocks_and_threads)
{
    size_t dsize = 30000, n = 300000, clen, got;
    uint8_t *dict = log_lines(dsize, 3), *src = log_lines(n, 4), *out = malloc(n);
    static const int levels[] = { 1, 6 };
    for (size_t l = 0; l < 2; l++) {
        uint8_t *ref = pack(src, n, dict, dsize, levels[l], 16, 70000, 1, &clen);
        for (int t = 2; t <= 3; t++) {
            size_t k;
            uint8_t *c = pack(src, n, dict, dsize, levels[l], 16, 70000, t, &k);
            ck_assert_uint_eq(k, clen);
            ck_assert(memcmp(c, ref, clen) == 0);
            free(c);
        }
        for (int t = 1; t <= 3; t++) {
            ck_assert_int_eq(unpack(ref, clen, dict, dsize, t, out, n, &got, NULL), MDZ_OK);
            ck_assert_uint_eq(got, n);
            ck_assert(memcmp(out, src, n) == 0);
        }
        free(ref);
    }
    free(out);
    free(dict);
    free(src);
}
END_TEST

/* Without the dictionary, or with another: MDZ_ERR_DICT before any byte;
 * the stream's dictionary is named in mdz_info; listing needs none. */
static int dict_records;
static void count_dict(void *opaque, const mdz_record *rec)
{
    (void)opaque;
    if (rec->kind == MDZ_RECORD_DICT) {
        dict_records++;
        ck_assert_uint_eq(rec->coded_offset, MDZ_STREAM_HEADER_SIZE);
        ck_assert_uint_eq(rec->coded_size, MDZ_FRAME_HEADER_SIZE);
    }
}

START_TEST(test_missing_and_wrong)
{
    size_t dsize = 20000, n = 5000, clen, got;
    uint8_t *dict = log_lines(dsize, 5), *src = log_lines(n, 6), out[8192];
    uint8_t *c = pack(src, n, dict, dsize, 6, 0, 0, 1, &clen);
    mdz_info info;
    ck_assert_int_eq(unpack(c, clen, NULL, 0, 1, out, sizeof out, &got, &info), MDZ_ERR_DICT);
    ck_assert_uint_eq(got, 0);
    ck_assert_uint_eq(info.dict_size, dsize);
    ck_assert_uint_eq(info.dict_id, mdz_dict_id(dict, dsize));
    /* one byte different; one byte shorter */
    uint8_t *other = malloc(dsize);
    memcpy(other, dict, dsize);
    other[dsize / 2] ^= 1;
    ck_assert_int_eq(unpack(c, clen, other, dsize, 2, out, sizeof out, &got, NULL), MDZ_ERR_DICT);
    ck_assert_uint_eq(got, 0);
    ck_assert_int_eq(unpack(c, clen, dict, dsize - 1, 1, out, sizeof out, &got, NULL),
                     MDZ_ERR_DICT);
    got = sizeof out;
    ck_assert_int_eq(mdz_decompress(out, &got, c, clen), MDZ_ERR_DICT);
    /* listing walks it without the dictionary, and reports the frame */
    mdz_dparams dp;
    memset(&dp, 0, sizeof dp);
    dp.list_only = 1;
    dp.record_fn = count_dict;
    mdz_dstream *ds = mdz_dstream_new(&dp);
    mdz_inbuf in = { c, clen, 0 };
    mdz_outbuf none = { NULL, 0, 0 };
    int r;
    do
        r = mdz_dstream_decompress(ds, &none, &in);
    while (r > 0);
    ck_assert_int_eq(r, 0);
    ck_assert_int_eq(dict_records, 1);
    mdz_dstream_info(ds, &info);
    ck_assert_uint_eq(info.dict_size, dsize);
    mdz_dstream_free(ds);
    /* parameters */
    mdz_cparams p;
    mdz_cparams_init(&p, 6);
    p.dict_size = 10;  /* and no bytes */
    ck_assert_ptr_null(mdz_cstream_new(&p));
    p.dict = dict;
    p.dict_size = MDZ_DICT_SIZE_MAX + 1;
    ck_assert_ptr_null(mdz_cstream_new(&p));
    size_t olen = 100;
    ck_assert_int_eq(mdz_compress(out, &olen, src, 10, &p), MDZ_ERR_PARAM);
    free(other);
    free(c);
    free(dict);
    free(src);
}
END_TEST

/* Every bit of the dictionary frame flipped: an error, never output. */
START_TEST(test_damaged_frame)
{
    size_t dsize = 5000, n = 3000, clen, got;
    uint8_t *dict = log_lines(dsize, 7), *src = log_lines(n, 8), out[4096];
    uint8_t *c = pack(src, n, dict, dsize, 3, 0, 0, 1, &clen);
    for (size_t at = MDZ_STREAM_HEADER_SIZE; at < MDZ_STREAM_HEADER_SIZE + MDZ_FRAME_HEADER_SIZE;
         at++)
        for (int b = 0; b < 8; b++) {
            c[at] ^= (uint8_t)(1 << b);
            int r = unpack(c, clen, dict, dsize, 1, out, sizeof out, &got, NULL);
            ck_assert_msg(r < 0, "byte %zu bit %d accepted", at, b);
            ck_assert_uint_eq(got, 0);
            c[at] ^= (uint8_t)(1 << b);
        }
    /* a dictionary frame anywhere but first after the header: corrupt.
     * Build header, block, dictionary frame from a stream of the same
     * content without a dictionary. */
    size_t plain;
    uint8_t *c0 = pack(src, n, NULL, 0, 3, 0, 0, 1, &plain);
    uint8_t *m = malloc(plain + MDZ_FRAME_HEADER_SIZE);
    size_t blk = plain - MDZ_STREAM_HEADER_SIZE - mdz_index_frame_size(1) - MDZ_END_MARKER_SIZE;
    memcpy(m, c0, MDZ_STREAM_HEADER_SIZE + blk);
    mdz_write_frame_header(m + MDZ_STREAM_HEADER_SIZE + blk, MDZ_FRAME_DICT, (uint32_t)dsize,
                           mdz_dict_id(dict, dsize));
    memcpy(m + MDZ_STREAM_HEADER_SIZE + blk + MDZ_FRAME_HEADER_SIZE,
           c0 + MDZ_STREAM_HEADER_SIZE + blk, plain - MDZ_STREAM_HEADER_SIZE - blk);
    ck_assert_int_eq(unpack(m, plain + MDZ_FRAME_HEADER_SIZE, dict, dsize, 1, out, sizeof out,
                            &got, NULL),
                     MDZ_ERR_CORRUPT);
    /* a dictionary frame of size 0 (checks correct): corrupt */
    memcpy(m, c, clen);
    mdz_write_frame_header(m + MDZ_STREAM_HEADER_SIZE, MDZ_FRAME_DICT, 0, 0);
    ck_assert_int_eq(unpack(m, clen, dict, dsize, 1, out, sizeof out, &got, NULL),
                     MDZ_ERR_CORRUPT);
    free(m);
    free(c0);
    free(c);
    free(dict);
    free(src);
}
END_TEST

/* A source over a buffer, of known size or read forward. */
typedef struct {
    const uint8_t *p;
    size_t n;
} mem_src;

static int64_t mem_read(void *opaque, void *buf, size_t len, uint64_t off)
{
    mem_src *m = opaque;
    size_t k = off >= m->n ? 0 : m->n - off < len ? (size_t)(m->n - off) : len;
    if (k)
        memcpy(buf, m->p + off, k);
    return (int64_t)k;
}

/* The memory the dictionary adds counts against memlimit. */
START_TEST(test_memory)
{
    size_t dsize = 1 << 20, n = 1000, clen, got;
    uint8_t *dict = log_lines(dsize, 9), *src = log_lines(n, 10), out[2048];
    mdz_cparams p;
    mdz_cparams_init(&p, 1);
    uint64_t plain = mdz_compress_memory(&p);
    p.dict = dict;
    p.dict_size = dsize;
    ck_assert(mdz_compress_memory(&p) >= plain + 2 * dsize);
    ck_assert(mdz_decompress_memory(&p) >= plain + 2 * dsize);
    uint8_t *c = pack(src, n, dict, dsize, 1, 0, 0, 1, &clen);
    /* the header's figure (listing adds nothing for the dictionary), and
     * the whole that decoding reports */
    mdz_info listed, info;
    mdz_dparams dp;
    memset(&dp, 0, sizeof dp);
    dp.list_only = 1;
    mdz_dstream *ds = mdz_dstream_new(&dp);
    mdz_inbuf in = { c, clen, 0 };
    mdz_outbuf none = { NULL, 0, 0 };
    while (mdz_dstream_decompress(ds, &none, &in) > 0)
        ;
    mdz_dstream_info(ds, &listed);
    mdz_dstream_free(ds);
    ck_assert_int_eq(unpack(c, clen, dict, dsize, 1, out, sizeof out, &got, &info), MDZ_OK);
    ck_assert(info.memory >= listed.memory + 2 * dsize);
    memset(&dp, 0, sizeof dp);
    dp.dict = dict;
    dp.dict_size = dsize;
    dp.memlimit = info.memory - 1;
    got = sizeof out;
    ck_assert_int_eq(mdz_decompress_ex(out, &got, c, clen, &dp), MDZ_ERR_MEMLIMIT);
    dp.memlimit = info.memory;
    got = sizeof out;
    ck_assert_int_eq(mdz_decompress_ex(out, &got, c, clen, &dp), MDZ_OK);
    ck_assert_uint_eq(got, n);
    /* the reader counts it alike */
    mem_src m = { c, clen };
    mdz_source s = { mem_read, &m, clen };
    mdz_reader *r;
    dp.memlimit = info.memory - 1;
    ck_assert_int_eq(mdz_reader_open(&r, &s, &dp), MDZ_ERR_MEMLIMIT);
    dp.memlimit = info.memory;
    ck_assert_int_eq(mdz_reader_open(&r, &s, &dp), MDZ_OK);
    mdz_reader_free(r);
    free(c);
    free(dict);
    free(src);
}
END_TEST

/* Random access: a file of streams with and without the dictionary,
 * mapped from its indexes and by a walk; without the dictionary, refused. */
START_TEST(test_reader)
{
    size_t dsize = 40000, n = 200000, l1, l2, l3;
    uint8_t *dict = log_lines(dsize, 11), *src = log_lines(n, 12);
    uint8_t *a = pack(src, n / 2, dict, dsize, 6, 16, 0, 1, &l1);
    uint8_t *b = pack(src + n / 2, n / 4, NULL, 0, 1, 16, 0, 1, &l2);
    uint8_t *d = pack(src + n / 2 + n / 4, n - n / 2 - n / 4, dict, dsize, 1, 16, 0, 1, &l3);
    size_t clen = l1 + l2 + l3;
    uint8_t *c = malloc(clen), *buf = malloc(n);
    memcpy(c, a, l1);
    memcpy(c + l1, b, l2);
    memcpy(c + l1 + l2, d, l3);
    for (int forward = 0; forward <= 1; forward++) {
        mem_src m = { c, clen };
        mdz_source s = { mem_read, &m, forward ? MDZ_SOURCE_SIZE_UNKNOWN : clen };
        mdz_dparams dp;
        memset(&dp, 0, sizeof dp);
        dp.dict = dict;
        dp.dict_size = dsize;
        dp.threads = 2;
        mdz_reader *r;
        ck_assert_int_eq(mdz_reader_open(&r, &s, &dp), MDZ_OK);
        if (!forward)
            ck_assert_int_eq(mdz_reader_indexed(r), 1);
        static const uint64_t offs[] = { 0, 65530, 99990, 100000, 149999, 160000, 199990 };
        for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) {
            size_t got, len = 9000;
            ck_assert_int_eq(mdz_reader_read(r, buf, len, offs[i], &got), MDZ_OK);
            size_t expect = n - offs[i] < len ? n - offs[i] : len;
            ck_assert_uint_eq(got, expect);
            ck_assert(memcmp(buf, src + offs[i], got) == 0);
        }
        mdz_reader_free(r);
        /* without it: the first stream names one (a forward-only source
         * meets its frame at the first read) */
        dp.dict = NULL;
        dp.dict_size = 0;
        mem_src m2 = { c, clen };
        s.opaque = &m2;
        if (!forward) {
            ck_assert_int_eq(mdz_reader_open(&r, &s, &dp), MDZ_ERR_DICT);
            ck_assert_ptr_null(r);
        } else {
            size_t got = 1;
            ck_assert_int_eq(mdz_reader_open(&r, &s, &dp), MDZ_OK);
            ck_assert_int_eq(mdz_reader_read(r, buf, 10, 0, &got), MDZ_ERR_DICT);
            ck_assert_uint_eq(got, 0);
            mdz_reader_free(r);
        }
    }
    free(buf);
    free(c);
    free(a);
    free(b);
    free(d);
    free(dict);
    free(src);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dict");
    TCase *tc = tcase_create("dict");
    tcase_set_timeout(tc, 1200);
    tcase_add_test(tc, test_dict_id);
    tcase_add_test(tc, test_small_pieces_every_model);
    tcase_add_test(tc, test_blocks_and_threads);
    tcase_add_test(tc, test_missing_and_wrong);
    tcase_add_test(tc, test_damaged_frame);
    tcase_add_test(tc, test_memory);
    tcase_add_test(tc, test_reader);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
