/* Unit tests: blocks coded on worker threads (stream.c, workers.c): the
 * same bytes for every thread count, one-shot and streaming, with flushes
 * and tiny buffers; decoding with any thread count, of format 2 and of
 * format 1; chunk-wise release that stops before a damaged chunk; memory
 * limits that lower the thread count; progress reported within a block;
 * a context freed while its workers are busy.  Also built with
 * ThreadSanitizer (make tsan-check). */
#include "testutil.h"
#include "codec.h"
#include "frame.h"
#include "mdz.h"

/* Under ThreadSanitizer (MDZ_TSAN set: make tsan-check), whose model runs
 * ~25x slower, the inputs are small and cut into many small blocks by
 * flushes (the threads' work is the same, per block); under the other
 * sanitizers, a third of the size. */
static int tsan(void)
{
    return getenv("MDZ_TSAN") != NULL;
}

static size_t scaled(size_t n)
{
    if (tsan())
        return n / 10;
    return tu_sanitized() ? n / 3 : n;
}

/* The flush interval that cuts small blocks under TSan (else none). */
static size_t quick_flush(void)
{
    return tsan() ? 5000 : 0;
}

static uint8_t *sample(size_t n, uint64_t seed)
{
    uint8_t *p = malloc(n);
    tu_rng r;
    tu_seed(&r, seed);
    tu_text(&r, p, n);
    /* a stretch of noise, so that some block is stored */
    if (n > 300000)
        tu_random_bytes(&r, p + 200000, 70000);
    return p;
}

/* Compresses through a cstream of the given parameters, in pieces of
 * in_step, into windows of out_step, flushing every flush_every bytes
 * (0: quick_flush()); returns the stream (malloc'ed) and its length. */
static uint8_t *cs_run(const mdz_cparams *p, const uint8_t *src, size_t n, size_t in_step,
                       size_t out_step, size_t flush_every, size_t *len)
{
    mdz_cstream *cs = mdz_cstream_new(p);
    ck_assert_ptr_nonnull(cs);
    if (!flush_every)
        flush_every = quick_flush();
    size_t blocks = flush_every ? n / flush_every + 2 : 0;
    size_t cap = mdz_compress_bound(n, p->block_log) + 64 * 17 + blocks * 17, pos = 0, fed = 0;
    uint8_t *c = malloc(cap);
    for (;;) {
        size_t k = n - fed < in_step ? n - fed : in_step;
        size_t next_flush = flush_every ? (fed / flush_every + 1) * flush_every : SIZE_MAX;
        if (fed + k > next_flush)
            k = next_flush - fed;
        mdz_inbuf in = { src + fed, k, 0 };
        mdz_end_op op = fed + k == n ? MDZ_FINISH : (fed + k == next_flush ? MDZ_FLUSH : MDZ_RUN);
        int r;
        do {
            size_t room = cap - pos < out_step ? cap - pos : out_step;
            mdz_outbuf out = { c + pos, room, 0 };
            r = mdz_cstream_compress(cs, &out, &in, op);
            ck_assert_int_ge(r, 0);
            pos += out.pos;
        } while (r > 0 || in.pos < in.size);
        fed += k;
        if (op == MDZ_FINISH)
            break;
    }
    mdz_cstream_free(cs);
    *len = pos;
    return c;
}

/* Decodes through a dstream of the given parameters in pieces; returns the
 * status (0, or the error) and the bytes released in *out_len. */
static int ds_run(const mdz_dparams *p, const uint8_t *c, size_t clen, uint8_t *d, size_t cap,
                  size_t in_step, size_t out_step, size_t *out_len, mdz_info *info)
{
    mdz_dstream *ds = mdz_dstream_new(p);
    ck_assert_ptr_nonnull(ds);
    size_t ip = 0, op = 0;
    int r = 1, idle = 0;
    while (idle < 4) {
        size_t k = clen - ip < in_step ? clen - ip : in_step;
        size_t room = cap - op < out_step ? cap - op : out_step;
        mdz_inbuf in = { c + ip, k, 0 };
        mdz_outbuf out = { d + op, room, 0 };
        r = mdz_dstream_decompress(ds, &out, &in);
        ip += in.pos;
        op += out.pos;
        if (r < 0)
            break;
        if (r == 0 && ip == clen)
            break;
        idle = (in.pos == 0 && out.pos == 0) ? idle + 1 : 0;
    }
    if (r > 0)
        r = MDZ_ERR_TRUNCATED;
    if (info)
        mdz_dstream_info(ds, info);
    mdz_dstream_free(ds);
    *out_len = op;
    return r;
}

/* The same bytes for threads 1, 2, 3 and 8, whatever the pieces. */
START_TEST(test_same_bytes_for_any_thread_count)
{
    size_t n = scaled(400000);
    uint8_t *src = sample(n, 1);
    mdz_cparams p;
    ck_assert_int_eq(mdz_cparams_init(&p, 1), MDZ_OK);
    p.block_log = 16;
    const int ts[] = { 2, 3, 8 };
    const struct { size_t in, out, flush; } ways[] = {
        { SIZE_MAX, SIZE_MAX, 0 }, { 7777, 333, 0 }, { 65536, 65536, 0 }, { 10003, 4096, 7000 },
    };
    /* under TSan, the ways that exercise the threads most: tiny pieces and
     * windows, and flushes */
    for (size_t w = tsan() ? 1 : 0; w < sizeof ways / sizeof ways[0]; w += tsan() ? 2 : 1) {
        size_t l1;
        p.threads = 1;
        uint8_t *c1 = cs_run(&p, src, n, ways[w].in, ways[w].out, ways[w].flush, &l1);
        for (size_t t = 0; t < sizeof ts / sizeof ts[0]; t++) {
            size_t lt;
            p.threads = ts[t];
            uint8_t *ct = cs_run(&p, src, n, ways[w].in, ways[w].out, ways[w].flush, &lt);
            ck_assert_uint_eq(lt, l1);
            ck_assert(memcmp(ct, c1, lt) == 0);
            free(ct);
        }
        free(c1);
    }
    /* one-shot, with threads: the bytes of a cstream without flushes (not
     * under TSan, whose blocks are cut by flushes) */
    size_t cap = mdz_compress_bound(n, 16), ref_len = cap, l1;
    uint8_t *ref = malloc(cap);
    p.threads = 1;
    ck_assert_int_eq(mdz_compress(ref, &ref_len, src, n, &p), MDZ_OK);
    if (!tsan()) {
        uint8_t *c1 = cs_run(&p, src, n, 9999, 1234, 0, &l1);
        ck_assert(l1 == ref_len && memcmp(c1, ref, l1) == 0);
        free(c1);
    }
    for (size_t t = 0; t < sizeof ts / sizeof ts[0]; t++) {
        p.threads = ts[t];
        size_t len = cap;
        uint8_t *c = malloc(cap);
        ck_assert_int_eq(mdz_compress(c, &len, src, n, &p), MDZ_OK);
        ck_assert_uint_eq(len, ref_len);
        ck_assert(memcmp(c, ref, len) == 0);
        free(c);
    }
    free(ref);
    free(src);
}
END_TEST

/* Any thread count decodes any stream: several streams, stored and
 * modelled blocks, tiny pieces; the records come in stream order. */
struct recs {
    int n;
    uint64_t next_coded, next_raw;
    int in_order;
};

static void rec_fn(void *opaque, const mdz_record *r)
{
    struct recs *x = opaque;
    if (r->coded_offset != x->next_coded)
        x->in_order = 0;
    x->next_coded = r->coded_offset + r->coded_size;
    if (r->kind == MDZ_RECORD_BLOCK) {
        if (r->raw_offset != x->next_raw)
            x->in_order = 0;
        x->next_raw += r->raw_size;
    }
    x->n++;
}

START_TEST(test_decode_with_any_thread_count)
{
    size_t n = scaled(450000), split = n * 2 / 3, l1, l2;
    uint8_t *src = sample(n, 2);
    mdz_cparams p;
    mdz_cparams_init(&p, 2);
    p.block_log = 16;
    p.threads = 2;
    uint8_t *c1 = cs_run(&p, src, split, 50000, 70000, 0, &l1);
    p.block_log = 17;
    uint8_t *c2 = cs_run(&p, src + split, n - split, n, SIZE_MAX, 0, &l2);
    uint8_t *c = malloc(l1 + l2);
    memcpy(c, c1, l1);
    memcpy(c + l1, c2, l2);
    uint8_t *d = malloc(n);
    const int ts[] = { 1, 2, 3, 8 };
    const struct { size_t in, out; } ways[] = { { SIZE_MAX, SIZE_MAX }, { 1000, 777 }, { 13, 100000 } };
    for (size_t t = 0; t < 4; t++)
        for (size_t w = 0; w < 3; w++) {
            if (ways[w].in == 13 && ts[t] != 2)
                continue;  /* slow: once is enough */
            if (tsan() && (ts[t] == 1 || w == 0))
                continue;  /* the threaded paths, in pieces */
            struct recs rs = { 0, 0, 0, 1 };
            mdz_dparams dp = { .threads = ts[t], .record_fn = rec_fn, .record_opaque = &rs };
            size_t got;
            mdz_info info;
            memset(d, 0, n);
            int r = ds_run(&dp, c, l1 + l2, d, n, ways[w].in, ways[w].out, &got, &info);
            ck_assert_int_eq(r, 0);
            ck_assert_uint_eq(got, n);
            ck_assert(memcmp(d, src, n) == 0);
            ck_assert_uint_eq(info.streams, 2);
            ck_assert_int_eq(info.threads, ts[t]);
            ck_assert(rs.in_order);
            ck_assert_uint_eq(rs.next_coded, l1 + l2);
            ck_assert_uint_eq(rs.next_raw, n);
        }
    /* one-shot */
    mdz_dparams dp = { .threads = 3 };
    size_t dlen = n;
    ck_assert_int_eq(mdz_decompress_ex(d, &dlen, c, l1 + l2, &dp), MDZ_OK);
    ck_assert_uint_eq(dlen, n);
    ck_assert(memcmp(d, src, n) == 0);
    dlen = n - 1;
    ck_assert_int_eq(mdz_decompress_ex(d, &dlen, c, l1 + l2, &dp), MDZ_ERR_DST_SIZE);
    dlen = n;
    ck_assert_int_eq(mdz_decompress_ex(d, &dlen, c, l1 + l2 - 1, &dp), MDZ_ERR_TRUNCATED);
    free(c1);
    free(c2);
    free(c);
    free(d);
    free(src);
}
END_TEST

/* A format-1 stream (type-2 blocks, one checksum per block), built by hand
 * as doc/format.md says, decodes with and without threads. */
START_TEST(test_format1_streams_decode)
{
    size_t n = 3 * 65536 + 500;
    uint8_t *src = sample(n, 3);
    uint8_t *c = malloc(2 * n), *d = malloc(n);
    mdz_write_stream_header(c, 3, 16);
    c[4] = 1;
    mdz_put32(c + 12, mdz_crc32c(0, c, 12));
    size_t pos = MDZ_STREAM_HEADER_SIZE;
    mdz_codec *codec = mdz_codec_new(3, MDZ_MODEL_ID, 16);
    for (size_t at = 0; at < n; at += 65536) {
        size_t k = n - at < 65536 ? n - at : 65536;
        size_t coded = mdz_codec_encode(codec, src + at, k, c + pos + MDZ_BLOCK_HEADER_SIZE, k);
        ck_assert_uint_gt(coded, 0);
        mdz_write_block_header(c + pos, MDZ_BLOCK_MODELLED, (uint32_t)k, (uint32_t)coded);
        pos += MDZ_BLOCK_HEADER_SIZE + coded;
        mdz_put32(c + pos, mdz_crc32c(0, src + at, k));
        pos += MDZ_BLOCK_TRAILER_SIZE;
    }
    mdz_codec_free(codec);
    mdz_write_end_marker_v2(c + pos, n, mdz_crc32c(0, src, n));
    pos += MDZ_END_MARKER_SIZE_V2;
    for (int t = 1; t <= 3; t++) {
        mdz_dparams dp = { .threads = t };
        size_t got;
        ck_assert_int_eq(ds_run(&dp, c, pos, d, n, 5000, 3000, &got, NULL), 0);
        ck_assert_uint_eq(got, n);
        ck_assert(memcmp(d, src, n) == 0);
    }
    /* type 2 belongs to version 1: relabelled as version 2 it is corrupt */
    c[4] = 2;
    mdz_put32(c + 12, mdz_crc32c(0, c, 12));
    size_t dlen = n;
    ck_assert_int_eq(mdz_decompress(d, &dlen, c, pos), MDZ_ERR_CORRUPT);
    free(c);
    free(d);
    free(src);
}
END_TEST

/* A damaged chunk: the chunks before it are released (each matched its
 * check), nothing of it or after it is, the error names the block; with
 * and without threads, and the bytes released are the original's. */
START_TEST(test_damaged_chunk_releases_nothing_of_it)
{
    int bl = tsan() ? 16 : 18;
    size_t bs = (size_t)1 << bl, n = 2 * bs, clen, nch = mdz_chunks((uint32_t)bs);
    uint8_t *src = sample(n, 4);
    mdz_cparams p;
    mdz_cparams_init(&p, 1);
    p.block_log = bl;
    uint8_t *c = cs_run(&p, src, n, n, SIZE_MAX, bs, &clen);
    /* block 2 starts after block 1's header, table and payload */
    size_t b2 = MDZ_STREAM_HEADER_SIZE;
    ck_assert_int_eq(c[b2], MDZ_BLOCK_CHUNKED);
    b2 += MDZ_BLOCK_HEADER_SIZE + 4 * nch + mdz_get32(c + b2 + 5);
    ck_assert_int_eq(c[b2], MDZ_BLOCK_CHUNKED);
    size_t coded2 = mdz_get32(c + b2 + 5);
    /* damage block 2's payload in its middle: decoding goes astray there,
     * past chunk 0 */
    c[b2 + MDZ_BLOCK_HEADER_SIZE + 4 * nch + coded2 / 2] ^= 0x10;
    uint8_t *d = malloc(n);
    for (int t = 1; t <= 2; t++) {
        mdz_dparams dp = { .threads = t };
        size_t got;
        int r = ds_run(&dp, c, clen, d, n, SIZE_MAX, SIZE_MAX, &got, NULL);
        ck_assert(r == MDZ_ERR_CHECKSUM || r == MDZ_ERR_CORRUPT);
        /* all of block 1, then whole chunks of block 2 */
        ck_assert_uint_ge(got, bs + 8192);
        ck_assert_uint_lt(got, n);
        size_t in2 = got - bs, k = 0;
        while (mdz_chunk_start(k) < in2)
            k++;
        ck_assert_uint_eq(mdz_chunk_start(k), in2);
        ck_assert(memcmp(d, src, got) == 0);
    }
    /* damage the chunk table instead: the same chunk stops */
    c[b2 + MDZ_BLOCK_HEADER_SIZE + 4 * nch + coded2 / 2] ^= 0x10;
    c[b2 + MDZ_BLOCK_HEADER_SIZE + 4 * 2] ^= 1;  /* chunk 2's check */
    for (int t = 1; t <= 2; t++) {
        mdz_dparams dp = { .threads = t };
        size_t got;
        ck_assert_int_eq(ds_run(&dp, c, clen, d, n, 4096, 4096, &got, NULL), MDZ_ERR_CHECKSUM);
        ck_assert_uint_eq(got, bs + mdz_chunk_start(2));
        ck_assert(memcmp(d, src, got) == 0);
    }
    free(c);
    free(d);
    free(src);
}
END_TEST

/* The first fault in the stream is the one reported, after every verified
 * byte before it, whatever the thread count and the input pieces: here
 * block 2's first chunk check and block 4's header are both damaged, and
 * the parser reads block 4's header while block 2 is still in work. */
START_TEST(test_first_fault_wins)
{
    size_t n = 5 * 65536, clen;
    uint8_t *src = sample(n, 8);
    mdz_cparams p;
    mdz_cparams_init(&p, 1);
    p.block_log = 16;
    uint8_t *c = cs_run(&p, src, n, n, SIZE_MAX, 65536, &clen);
    size_t at[6], off = MDZ_STREAM_HEADER_SIZE;
    for (int b = 0; b < 5; b++) {
        at[b] = off;
        ck_assert_int_eq(c[off], MDZ_BLOCK_CHUNKED);
        off += MDZ_BLOCK_HEADER_SIZE + 4 * mdz_chunks(65536) + mdz_get32(c + off + 5);
    }
    c[at[1] + MDZ_BLOCK_HEADER_SIZE] ^= 4;  /* block 2, chunk 0's check */
    c[at[3] + 2] ^= 1;                      /* block 4's header */
    uint8_t *d = malloc(n);
    const size_t pieces[] = { 17, 1000, SIZE_MAX };
    for (int t = 1; t <= 3; t++)
        for (size_t k = 0; k < 3; k++) {
            if (tsan() && k < 2)
                continue;
            mdz_dparams dp = { .threads = t };
            mdz_dstream *ds = mdz_dstream_new(&dp);
            size_t ip = 0, op = 0;
            int r;
            do {
                size_t m = clen - ip < pieces[k] ? clen - ip : pieces[k];
                mdz_inbuf in = { c + ip, m, 0 };
                mdz_outbuf out = { d + op, n - op, 0 };
                r = mdz_dstream_decompress(ds, &out, &in);
                ip += in.pos;
                op += out.pos;
            } while (r > 0);
            ck_assert_int_eq(r, MDZ_ERR_CHECKSUM);
            ck_assert_uint_eq(mdz_dstream_error_block(ds), 2);
            ck_assert_uint_eq(op, 65536);   /* all of block 1, nothing of 2 */
            ck_assert(memcmp(d, src, op) == 0);
            mdz_dstream_free(ds);
            size_t dlen = n;
            ck_assert_int_eq(mdz_decompress_ex(d, &dlen, c, clen, &dp), MDZ_ERR_CHECKSUM);
        }
    free(c);
    free(d);
    free(src);
}
END_TEST

/* Memory limits lower the thread count, never below one, and never change
 * the bytes. */
START_TEST(test_memory_limits_lower_threads)
{
    mdz_cparams p;
    mdz_cparams_init(&p, 1);
    p.block_log = 16;
    p.threads = 1;
    uint64_t one = mdz_compress_memory(&p);
    p.threads = 2;
    uint64_t two = mdz_compress_memory(&p);
    p.threads = 3;
    uint64_t three = mdz_compress_memory(&p);
    ck_assert_uint_gt(two, one);
    ck_assert_uint_gt(three, two);
    ck_assert_uint_le(two, 2 * one + (2u << 16));
    p.threads = 4;
    p.memlimit_threads = two;
    mdz_cstream *cs = mdz_cstream_new(&p);
    ck_assert_int_eq(mdz_cstream_threads(cs), 2);
    mdz_cstream_free(cs);
    ck_assert_uint_eq(mdz_compress_memory(&p), two);
    p.memlimit_threads = 1;  /* less than one thread needs: one */
    cs = mdz_cstream_new(&p);
    ck_assert_int_eq(mdz_cstream_threads(cs), 1);
    mdz_cstream_free(cs);

    size_t n = scaled(300000), clen;
    uint8_t *src = sample(n, 5), *d = malloc(n);
    p.memlimit_threads = 0;
    uint8_t *c = cs_run(&p, src, n, n, SIZE_MAX, 0, &clen);
    mdz_dparams dp = { .threads = 4, .memlimit = two };
    size_t got;
    mdz_info info;
    ck_assert_int_eq(ds_run(&dp, c, clen, d, n, SIZE_MAX, SIZE_MAX, &got, &info), 0);
    ck_assert_int_eq(info.threads, 2);
    ck_assert(got == n && memcmp(d, src, n) == 0);
    dp = (mdz_dparams){ .threads = 4, .memlimit_threads = three };
    ck_assert_int_eq(ds_run(&dp, c, clen, d, n, SIZE_MAX, SIZE_MAX, &got, &info), 0);
    ck_assert_int_eq(info.threads, 3);
    dp = (mdz_dparams){ .threads = 4, .memlimit_threads = 1 };  /* never refuses */
    ck_assert_int_eq(ds_run(&dp, c, clen, d, n, SIZE_MAX, SIZE_MAX, &got, &info), 0);
    ck_assert_int_eq(info.threads, 1);
    dp = (mdz_dparams){ .threads = 4, .memlimit = one - 1 };   /* memlimit does */
    ck_assert_int_eq(ds_run(&dp, c, clen, d, n, SIZE_MAX, SIZE_MAX, &got, &info), MDZ_ERR_MEMLIMIT);
    ck_assert_uint_eq(got, 0);
    free(c);
    free(d);
    free(src);
}
END_TEST

/* Progress: called within one block (a value strictly inside it), never
 * going back, ending at the whole, both ways, with and without threads. */
struct prog {
    uint64_t last_raw, last_coded, inside, calls;
    int backwards;
    uint64_t n;
};

static void prog_fn(void *opaque, uint64_t raw, uint64_t coded)
{
    struct prog *g = opaque;
    if (raw < g->last_raw || coded < g->last_coded)
        g->backwards = 1;
    if (raw > 0 && raw < g->n)
        g->inside++;
    g->last_raw = raw;
    g->last_coded = coded;
    g->calls++;
}

START_TEST(test_progress_within_a_block)
{
    size_t n = tsan() ? 140000 : scaled(400000);
    uint8_t *src = sample(n, 6), *d = malloc(n);
    for (int t = 1; t <= 2; t++) {
        struct prog g = { 0, 0, 0, 0, 0, n };
        mdz_cparams p;
        mdz_cparams_init(&p, 1);
        p.block_log = 19;  /* one block */
        p.threads = t;
        p.progress_fn = prog_fn;
        p.progress_opaque = &g;
        size_t clen;
        uint8_t *c = cs_run(&p, src, n, n, SIZE_MAX, n, &clen);  /* one block */
        ck_assert(!g.backwards);
        if (t == 1) {
            /* every 64 KiB: several reports inside the one block */
            ck_assert_uint_ge(g.inside, n / 65536);
            ck_assert_uint_eq(g.last_raw, n);
        }
        struct prog h = { 0, 0, 0, 0, 0, n };
        mdz_dparams dp = { .threads = t, .progress_fn = prog_fn, .progress_opaque = &h };
        size_t got;
        ck_assert_int_eq(ds_run(&dp, c, clen, d, n, SIZE_MAX, SIZE_MAX, &got, NULL), 0);
        ck_assert(got == n && memcmp(d, src, n) == 0);
        ck_assert(!h.backwards);
        if (t == 1)
            ck_assert_uint_ge(h.inside, 2);  /* after each chunk (16, 32, 64 KiB ...) */
        free(c);
    }
    free(d);
    free(src);
}
END_TEST

/* Freeing a context whose workers are busy neither hangs nor leaks (the
 * workers stop at their next chunk or section). */
START_TEST(test_free_while_busy)
{
    size_t n = tsan() ? 3 * 65536 : 6 * 65536;
    uint8_t *src = sample(n, 7);
    mdz_cparams p;
    mdz_cparams_init(&p, 6);
    p.block_log = 16;
    p.threads = 3;
    mdz_cstream *cs = mdz_cstream_new(&p);
    uint8_t out[1024];
    mdz_inbuf in = { src, n, 0 };
    mdz_outbuf ob = { out, sizeof out, 0 };
    while (in.pos < in.size && ob.pos < ob.size)
        ck_assert_int_ge(mdz_cstream_compress(cs, &ob, &in, MDZ_RUN), 0);
    mdz_cstream_free(cs);

    size_t clen;
    p.level = 1;
    uint8_t *c = cs_run(&p, src, n, n, SIZE_MAX, 0, &clen);
    mdz_dparams dp = { .threads = 3 };
    mdz_dstream *ds = mdz_dstream_new(&dp);
    uint8_t d[100];
    mdz_inbuf ci = { c, clen, 0 };
    mdz_outbuf co = { d, sizeof d, 0 };
    ck_assert_int_ge(mdz_dstream_decompress(ds, &co, &ci), 0);
    mdz_dstream_free(ds);
    free(c);
    free(src);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("threads");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_same_bytes_for_any_thread_count);
    tcase_add_test(tc, test_decode_with_any_thread_count);
    tcase_add_test(tc, test_format1_streams_decode);
    tcase_add_test(tc, test_damaged_chunk_releases_nothing_of_it);
    tcase_add_test(tc, test_first_fault_wins);
    tcase_add_test(tc, test_memory_limits_lower_threads);
    tcase_add_test(tc, test_progress_within_a_block);
    tcase_add_test(tc, test_free_while_busy);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
