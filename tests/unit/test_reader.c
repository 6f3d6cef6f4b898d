/*
 * test_reader.c -- random access (mdz_reader, src/reader.c): byte ranges
 * at block and chunk edges, past the end, of length 0; files mapped from
 * the index and by a walk (format 2 streams, damaged indexes), forward-only
 * sources, concatenated streams, every thread count; and damage to every
 * byte of the index and end marker detected, never wrong bytes.
 */
#include "testutil.h"

#include "frame.h"
#include "mdz.h"

/* A source over a buffer; forward-only sources check that reads never go
 * back. */
typedef struct {
    const uint8_t *p;
    size_t n;
    int forward;
    uint64_t last_end;
    int went_back;
    unsigned reads;
} mem_src;

static int64_t mem_read(void *opaque, void *buf, size_t len, uint64_t off)
{
    mem_src *m = opaque;
    m->reads++;
    size_t k = off >= m->n ? 0 : m->n - off < len ? (size_t)(m->n - off) : len;
    if (m->forward) {
        if (off < m->last_end)
            m->went_back = 1;
        m->last_end = off + k;
    }
    if (k)
        memcpy(buf, m->p + off, k);
    return (int64_t)k;
}

static mdz_source source(mem_src *m, const uint8_t *p, size_t n, int forward)
{
    memset(m, 0, sizeof *m);
    m->p = p;
    m->n = n;
    m->forward = forward;
    mdz_source s = { mem_read, m, forward ? MDZ_SOURCE_SIZE_UNKNOWN : n };
    return s;
}

/* Content of n bytes: text, with a random stretch (a stored block). */
static uint8_t *content(size_t n, uint64_t seed)
{
    tu_rng r;
    uint8_t *p = malloc(n);
    tu_seed(&r, seed);
    tu_text(&r, p, n);
    if (n > 300000)
        tu_random_bytes(&r, p + 200000, 70000);
    return p;
}

/* A stream of src at a level and block size, flushed every `flush` bytes
 * (0: never), in one buffer. */
static uint8_t *stream(const uint8_t *src, size_t n, int level, int block_log, size_t flush,
                       size_t *clen)
{
    mdz_cparams p;
    mdz_cparams_init(&p, level);
    p.block_log = block_log;
    mdz_cstream *cs = mdz_cstream_new(&p);
    size_t cap = mdz_compress_bound(n, block_log) + (flush ? n / flush + 1 : 0) * 64 + 64;
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

/* A test file: content(n, seed) at level 1 in 64 KiB blocks, opened on a
 * source of known size (forward = 0) or a forward-only one. */
typedef struct {
    size_t n, clen;
    uint8_t *src, *c;
    mem_src m;
    mdz_source s;
    mdz_reader *r;
} fixture;

static void fixture_open(fixture *f, size_t n, uint64_t seed, int forward)
{
    f->n = n;
    f->src = content(n, seed);
    f->c = stream(f->src, n, 1, 16, 0, &f->clen);
    f->s = source(&f->m, f->c, f->clen, forward);
    ck_assert_int_eq(mdz_reader_open(&f->r, &f->s, NULL), MDZ_OK);
}

static void fixture_free(fixture *f)
{
    mdz_reader_free(f->r);
    free(f->c);
    free(f->src);
}

/* Reads [off, off + len) and checks it against the content. */
static void check_range(mdz_reader *r, const uint8_t *src, size_t n, uint64_t off, size_t len)
{
    uint8_t *buf = malloc(len ? len : 1);
    size_t got = 12345;
    ck_assert_int_eq(mdz_reader_read(r, buf, len, off, &got), MDZ_OK);
    size_t expect = off >= n ? 0 : (n - off < len ? (size_t)(n - off) : len);
    ck_assert_uint_eq(got, expect);
    if (expect)
        ck_assert(memcmp(buf, src + off, expect) == 0);
    free(buf);
}

/* Offsets at the edges of blocks (2^block_log) and of the chunks inside
 * them, with lengths that end at, before and after edges. */
static void check_edges(mdz_reader *r, const uint8_t *src, size_t n, int block_log)
{
    size_t bs = (size_t)1 << block_log;
    static const size_t lens[] = { 0, 1, 8193, 140000 };
    for (size_t b = 0; b * bs <= n + bs; b++) {
        for (size_t k = 0; k < 4; k++) {
            uint64_t edge = b * bs + (k ? mdz_chunk_start(k) : 0);
            if (k && mdz_chunk_start(k) >= bs)
                break;
            for (int d = -1; d <= 1; d++) {
                if (edge == 0 && d < 0)
                    continue;
                for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++)
                    check_range(r, src, n, edge + (uint64_t)(int64_t)d, lens[l]);
            }
        }
    }
    check_range(r, src, n, n, 10);            /* at the end */
    check_range(r, src, n, n + 1000, 10);     /* past it */
    check_range(r, src, n, UINT64_MAX - 5, 100);
    check_range(r, src, n, 0, n);             /* all of it */
}

START_TEST(test_edges_every_level_and_threads)
{
    static const int levels[] = { 1, 3, 6 };
    size_t n = 450000, clen;
    uint8_t *src = content(n, 7);
    for (size_t l = 0; l < 3; l++) {
        uint8_t *c = stream(src, n, levels[l], 17, 0, &clen);
        for (int t = 1; t <= 3; t++) {
            mem_src m;
            mdz_source s = source(&m, c, clen, 0);
            mdz_dparams dp;
            memset(&dp, 0, sizeof dp);
            dp.threads = t;
            mdz_reader *r;
            ck_assert_int_eq(mdz_reader_open(&r, &s, &dp), MDZ_OK);
            ck_assert_int_eq(mdz_reader_indexed(r), 1);
            uint64_t size, nb;
            ck_assert_int_eq(mdz_reader_size(r, &size), MDZ_OK);
            ck_assert(size == n);
            ck_assert_int_eq(mdz_reader_blocks(r, &nb), MDZ_OK);
            ck_assert(nb == (n + 131071) / 131072);
            /* mapping reads the end marker, the index and the header
             * only: a few reads, whatever the size */
            ck_assert_uint_le(m.reads, 8);
            if (levels[l] == 1 || t == 2)
                check_edges(r, src, n, 17);
            else
                check_range(r, src, n, 131000, 200000);
            mdz_reader_free(r);
        }
        free(c);
    }
    free(src);
}
END_TEST

/* The block map says where every block is, and agrees with the
 * decoder's records. */
START_TEST(test_block_map)
{
    size_t n = 300000, clen;
    uint8_t *src = content(n, 8);
    uint8_t *c = stream(src, n, 1, 16, 50000, &clen);  /* flushed: short blocks */
    mem_src m;
    mdz_source s = source(&m, c, clen, 0);
    mdz_reader *r;
    ck_assert_int_eq(mdz_reader_open(&r, &s, NULL), MDZ_OK);
    uint64_t nb, raw = 0, coded = MDZ_STREAM_HEADER_SIZE;
    ck_assert_int_eq(mdz_reader_blocks(r, &nb), MDZ_OK);
    ck_assert(nb == 6);
    for (uint64_t i = 0; i < nb; i++) {
        mdz_block_info b;
        ck_assert_int_eq(mdz_reader_block(r, i, &b), MDZ_OK);
        ck_assert(b.stream == 1 && b.block == i + 1 && b.level == 1 && b.block_log == 16);
        ck_assert(b.coded_offset == coded && b.raw_offset == raw);
        ck_assert(b.raw_size == 50000);
        raw += b.raw_size;
        coded += b.coded_size;
    }
    mdz_block_info b;
    ck_assert_int_eq(mdz_reader_block(r, nb, &b), MDZ_ERR_PARAM);
    /* after the blocks: the index (13 + 8 per block), then the end marker */
    ck_assert(coded + 13 + 8 * nb + MDZ_END_MARKER_SIZE == clen);
    check_range(r, src, n, 49999, 2);
    mdz_reader_free(r);
    free(c);
    free(src);
}
END_TEST

/* Concatenated streams of different levels and block sizes, an empty one
 * among them: one content, ranges across the streams' seams. */
START_TEST(test_concatenated_streams)
{
    size_t n1 = 150000, n2 = 70000, l1, l2, l3;
    uint8_t *src = content(n1 + n2, 9);
    uint8_t *a = stream(src, n1, 1, 16, 0, &l1);
    uint8_t *e = stream(NULL, 0, 6, 16, 0, &l3);
    uint8_t *b = stream(src + n1, n2, 3, 17, 0, &l2);
    ck_assert_uint_eq(l3, 50);
    uint8_t *c = malloc(l1 + l2 + l3);
    memcpy(c, a, l1);
    memcpy(c + l1, e, l3);
    memcpy(c + l1 + l3, b, l2);
    for (int forward = 0; forward <= 1; forward++) {
        mem_src m;
        mdz_source s = source(&m, c, l1 + l2 + l3, forward);
        mdz_reader *r;
        ck_assert_int_eq(mdz_reader_open(&r, &s, NULL), MDZ_OK);
        check_range(r, src, n1 + n2, 65535, 2);
        check_range(r, src, n1 + n2, n1 - 10, 20);
        check_range(r, src, n1 + n2, n1 + 65536, 100000);
        if (!forward) {
            ck_assert_int_eq(mdz_reader_indexed(r), 1);
            check_range(r, src, n1 + n2, 0, n1 + n2);
            uint64_t size;
            ck_assert_int_eq(mdz_reader_size(r, &size), MDZ_OK);
            ck_assert(size == n1 + n2);
        } else {
            ck_assert_int_eq(m.went_back, 0);
            /* going back on a forward-only source is refused */
            uint8_t x;
            size_t got;
            ck_assert_int_eq(mdz_reader_read(r, &x, 1, 0, &got), MDZ_ERR_PARAM);
        }
        mdz_reader_free(r);
    }
    free(a);
    free(b);
    free(e);
    free(c);
    free(src);
}
END_TEST

/* A forward-only source skips the blocks before a range and stops reading
 * where the range ends. */
START_TEST(test_forward_only)
{
    fixture f;
    fixture_open(&f, 600000, 10, 1);
    ck_assert_int_eq(mdz_reader_indexed(f.r), 0);
    check_range(f.r, f.src, f.n, 300000, 1000);
    ck_assert_uint_lt(f.m.last_end, f.clen - 10000);  /* not read to the end */
    check_range(f.r, f.src, f.n, 301000, 1000);       /* the same block again */
    check_range(f.r, f.src, f.n, 590000, 100000);     /* to the end, clamped */
    ck_assert_int_eq(f.m.went_back, 0);
    fixture_free(&f);
}
END_TEST

/* A stream of format 2 (no index, 17-byte end marker) is mapped by a walk
 * and read the same. */
START_TEST(test_format2_walk)
{
    size_t n = 200000, clen;
    uint8_t *src = content(n, 11);
    uint8_t *c = stream(src, n, 1, 16, 0, &clen);
    /* drop the index and rewrite the header and end marker as format 2 */
    size_t isize = mdz_get32(c + clen - MDZ_END_MARKER_SIZE + 13);
    size_t body = clen - MDZ_END_MARKER_SIZE - isize;
    c[4] = 2;
    mdz_put32(c + 12, mdz_crc32c(0, c, 12));
    mdz_write_end_marker_v2(c + body, n, mdz_crc32c(0, src, n));
    clen = body + MDZ_END_MARKER_SIZE_V2;
    /* the full decoder agrees it is a valid stream */
    uint8_t *d = malloc(n);
    size_t dlen = n;
    ck_assert_int_eq(mdz_decompress(d, &dlen, c, clen), MDZ_OK);
    mem_src m;
    mdz_source s = source(&m, c, clen, 0);
    mdz_reader *r;
    ck_assert_int_eq(mdz_reader_open(&r, &s, NULL), MDZ_OK);
    ck_assert_int_eq(mdz_reader_indexed(r), 0);
    check_edges(r, src, n, 16);
    mdz_reader_free(r);
    free(d);
    free(c);
    free(src);
}
END_TEST

/* Every bit of the index frame and of the end marker flipped: the reader
 * refuses the file (the walk from the start meets the damage), and the
 * full decoder too -- never a wrong byte.  Index entries rewritten with a
 * good CRC (a damaged writer) are caught against the blocks. */
START_TEST(test_damaged_index)
{
    size_t n = 140000, clen;
    uint8_t *src = content(n, 12);
    uint8_t *c = stream(src, n, 1, 16, 0, &clen);
    uint8_t *d = malloc(n), *buf = malloc(n);
    size_t isize = mdz_get32(c + clen - MDZ_END_MARKER_SIZE + 13);
    size_t from = clen - MDZ_END_MARKER_SIZE - isize;
    /* every byte, each in another bit (every bit of every byte is flipped
     * for the reader alone just below) */
    for (size_t i = from * 8; i < clen * 8; i += 9) {
        c[i / 8] ^= (uint8_t)(1u << (i % 8));
        mem_src m;
        mdz_source s = source(&m, c, clen, 0);
        mdz_reader *r;
        int rc = mdz_reader_open(&r, &s, NULL);
        ck_assert_msg(rc == MDZ_ERR_CORRUPT, "bit %zu: open gave %d", i, rc);
        ck_assert_ptr_null(r);
        size_t dlen = n;
        ck_assert_int_ne(mdz_decompress(d, &dlen, c, clen), MDZ_OK);
        c[i / 8] ^= (uint8_t)(1u << (i % 8));
    }
    for (size_t i = from * 8; i < clen * 8; i++) {
        c[i / 8] ^= (uint8_t)(1u << (i % 8));
        mem_src m;
        mdz_source s = source(&m, c, clen, 0);
        mdz_reader *r;
        ck_assert_int_eq(mdz_reader_open(&r, &s, NULL), MDZ_ERR_CORRUPT);
        c[i / 8] ^= (uint8_t)(1u << (i % 8));
    }
    /* an entry that swaps two blocks' lengths, its CRC made good */
    uint8_t *p = c + from + MDZ_FRAME_HEADER_SIZE;
    uint32_t a0 = mdz_get32(p), a1 = mdz_get32(p + 8);
    mdz_put32(p, a0 - 100);
    mdz_put32(p + 8, a1 + 100);
    mdz_write_frame_header(c + from, MDZ_FRAME_INDEX, (uint32_t)(isize - 13),
                           mdz_crc32c(0, p, isize - 13));
    mem_src m;
    mdz_source s = source(&m, c, clen, 0);
    mdz_reader *r;
    /* the map holds up (sums agree), but a block's header does not match
     * its entry: its bytes are refused */
    int rc = mdz_reader_open(&r, &s, NULL);
    if (rc == MDZ_OK) {
        size_t got;
        ck_assert_int_eq(mdz_reader_read(r, buf, 100, 70000, &got), MDZ_ERR_CORRUPT);
        ck_assert_uint_eq(got, 0);
        mdz_reader_free(r);
    } else {
        ck_assert_int_eq(rc, MDZ_ERR_CORRUPT);
    }
    size_t dlen = n;
    ck_assert_int_eq(mdz_decompress(d, &dlen, c, clen), MDZ_ERR_CORRUPT);
    free(buf);
    free(d);
    free(c);
    free(src);
}
END_TEST

/* Damage in a block: the reader refuses that block's bytes (those before
 * the damaged chunk come out), other blocks still read. */
START_TEST(test_damaged_block)
{
    fixture f;
    fixture_open(&f, 300000, 13, 0);
    mdz_block_info b;
    ck_assert_int_eq(mdz_reader_block(f.r, 1, &b), MDZ_OK);
    mdz_reader_free(f.r);
    /* a byte in the second block's last chunk's code */
    f.c[b.coded_offset + b.coded_size - 3] ^= 0x10;
    f.s = source(&f.m, f.c, f.clen, 0);
    ck_assert_int_eq(mdz_reader_open(&f.r, &f.s, NULL), MDZ_OK);
    uint8_t *buf = malloc(f.n);
    size_t got;
    int rc = mdz_reader_read(f.r, buf, 65536, 65536, &got);
    ck_assert(rc == MDZ_ERR_CHECKSUM || rc == MDZ_ERR_CORRUPT);
    ck_assert_uint_lt(got, 65536);
    ck_assert(memcmp(buf, f.src + 65536, got) == 0);
    check_range(f.r, f.src, f.n, 0, 65536);
    check_range(f.r, f.src, f.n, 131072, 100000);
    free(buf);
    fixture_free(&f);
}
END_TEST

START_TEST(test_bad_input)
{
    static const uint8_t junk[] = "not an mdz file at all, just some text";
    mem_src m;
    mdz_source s = source(&m, junk, sizeof junk, 0);
    mdz_reader *r = (mdz_reader *)1;
    ck_assert_int_eq(mdz_reader_open(&r, &s, NULL), MDZ_ERR_FORMAT);
    ck_assert_ptr_null(r);
    s = source(&m, junk, 0, 0);
    ck_assert_int_eq(mdz_reader_open(&r, &s, NULL), MDZ_ERR_TRUNCATED);
    ck_assert_int_eq(mdz_reader_open(NULL, &s, NULL), MDZ_ERR_PARAM);
    ck_assert_int_eq(mdz_reader_open(&r, NULL, NULL), MDZ_ERR_PARAM);
    /* a truncated stream, and one with trailing garbage */
    size_t n = 100000, clen;
    uint8_t *src = content(n, 14);
    uint8_t *c = stream(src, n, 1, 16, 0, &clen);
    s = source(&m, c, clen - 1, 0);
    ck_assert_int_eq(mdz_reader_open(&r, &s, NULL), MDZ_ERR_TRUNCATED);
    uint8_t *g = malloc(clen + 5);
    memcpy(g, c, clen);
    memcpy(g + clen, "junk!", 5);
    s = source(&m, g, clen + 5, 0);
    ck_assert_int_eq(mdz_reader_open(&r, &s, NULL), MDZ_ERR_TRAILING);
    /* a memory limit below what the stream needs */
    mdz_dparams dp;
    memset(&dp, 0, sizeof dp);
    dp.memlimit = 1 << 20;
    s = source(&m, c, clen, 0);
    ck_assert_int_eq(mdz_reader_open(&r, &s, &dp), MDZ_ERR_MEMLIMIT);
    dp.memlimit = 0;
    dp.list_only = 1;
    ck_assert_int_eq(mdz_reader_open(&r, &s, &dp), MDZ_ERR_PARAM);
    free(g);
    free(c);
    free(src);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reader");
    TCase *tc = tcase_create("ranges");
    tcase_set_timeout(tc, 1200);
    tcase_add_test(tc, test_edges_every_level_and_threads);
    tcase_add_test(tc, test_block_map);
    tcase_add_test(tc, test_concatenated_streams);
    tcase_add_test(tc, test_forward_only);
    tcase_add_test(tc, test_format2_walk);
    tcase_add_test(tc, test_damaged_index);
    tcase_add_test(tc, test_damaged_block);
    tcase_add_test(tc, test_bad_input);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
