/* Unit tests: stream header, block header and end marker encoding and the
 * rejection of every kind of bad field (frame.c). */
#include "testutil.h"
#include "codec.h"
#include "frame.h"
#include "mdz.h"

static void reseal_header(uint8_t *h)
{
    mdz_put32(h + 12, mdz_crc32c(0, h, 12));
}

START_TEST(test_header_round_trip)
{
    for (int level = 1; level <= 9; level++) {
        uint8_t h[MDZ_STREAM_HEADER_SIZE];
        int bl = mdz_level_block_log(level);
        mdz_write_stream_header(h, level, bl);
        mdz_stream_header sh;
        ck_assert_int_eq(mdz_parse_stream_header(h, &sh), MDZ_OK);
        ck_assert_int_eq(sh.level, level);
        ck_assert_int_eq(sh.block_log, bl);
        ck_assert_int_eq(sh.version, MDZ_FORMAT_VERSION);
        ck_assert_int_eq(sh.model, MDZ_MODEL_ID);
        ck_assert_uint_eq(h[0], 0x89);
        ck_assert_uint_eq(h[1], 'M');
        ck_assert_uint_eq(h[2], 'D');
        ck_assert_uint_eq(h[3], 'Z');
    }
}
END_TEST

START_TEST(test_header_bad_fields)
{
    uint8_t good[MDZ_STREAM_HEADER_SIZE], h[MDZ_STREAM_HEADER_SIZE];
    mdz_stream_header sh;
    mdz_write_stream_header(good, 6, 24);

    memcpy(h, good, sizeof h);
    h[1] = 'X';
    ck_assert_int_eq(mdz_parse_stream_header(h, &sh), MDZ_ERR_FORMAT);

    /* any flipped bit after the magic breaks the check value */
    for (int i = 4 * 8; i < MDZ_STREAM_HEADER_SIZE * 8; i++) {
        memcpy(h, good, sizeof h);
        h[i / 8] ^= (uint8_t)(1u << (i % 8));
        ck_assert_int_eq(mdz_parse_stream_header(h, &sh), MDZ_ERR_HEADER);
    }

    /* resealed but semantically bad fields */
    memcpy(h, good, sizeof h);
    h[4] = MDZ_FORMAT_VERSION + 1;  /* future version */
    reseal_header(h);
    ck_assert_int_eq(mdz_parse_stream_header(h, &sh), MDZ_ERR_VERSION);
    memcpy(h, good, sizeof h);
    h[4] = 0;
    reseal_header(h);
    ck_assert_int_eq(mdz_parse_stream_header(h, &sh), MDZ_ERR_VERSION);

    memcpy(h, good, sizeof h);
    h[5] = MDZ_MODEL_ID + 1;  /* unknown model */
    reseal_header(h);
    ck_assert_int_eq(mdz_parse_stream_header(h, &sh), MDZ_ERR_VERSION);

    /* streams of earlier development models (ids 0-6) are refused at every
     * level, whatever memory figure they declare */
    for (int model = 0; model < MDZ_MODEL_ID; model++)
        for (int lvl = 1; lvl <= 9; lvl++) {
            memcpy(h, good, sizeof h);
            h[5] = (uint8_t)model;
            h[6] = (uint8_t)lvl;
            mdz_put32(h + 8, mdz_header_mem_mib(MDZ_MODEL_ID, lvl, h[7]));
            reseal_header(h);
            ck_assert_int_eq(mdz_parse_stream_header(h, &sh), MDZ_ERR_VERSION);
            ck_assert_uint_eq(mdz_header_mem_mib(model, lvl, h[7]), 0);
        }

    /* the figure follows the block size: a 64 KiB stream of level 9
     * declares a small fraction of a 32 MiB one */
    ck_assert_uint_lt(mdz_header_mem_mib(MDZ_MODEL_ID, 9, 16), 40);
    ck_assert_uint_gt(mdz_header_mem_mib(MDZ_MODEL_ID, 9, 25), 1000);

    const uint8_t bad_levels[] = { 0, 10, 255 };
    for (size_t i = 0; i < sizeof bad_levels; i++) {
        memcpy(h, good, sizeof h);
        h[6] = bad_levels[i];
        reseal_header(h);
        ck_assert_int_eq(mdz_parse_stream_header(h, &sh), MDZ_ERR_HEADER);
    }
    const uint8_t bad_logs[] = { 0, 15, 29, 64, 255 };
    for (size_t i = 0; i < sizeof bad_logs; i++) {
        memcpy(h, good, sizeof h);
        h[7] = bad_logs[i];
        reseal_header(h);
        ck_assert_int_eq(mdz_parse_stream_header(h, &sh), MDZ_ERR_HEADER);
    }
    memcpy(h, good, sizeof h);
    mdz_put32(h + 8, mdz_get32(h + 8) + 1);  /* memory not what level says */
    reseal_header(h);
    ck_assert_int_eq(mdz_parse_stream_header(h, &sh), MDZ_ERR_HEADER);
}
END_TEST

START_TEST(test_block_header)
{
    uint8_t b[MDZ_BLOCK_HEADER_SIZE];
    mdz_block_header bh;
    mdz_write_block_header(b, MDZ_BLOCK_CHUNKED, 1000, 400);
    ck_assert_int_eq(mdz_parse_block_header(b, 2, 16, &bh), MDZ_OK);
    ck_assert_int_eq(bh.type, MDZ_BLOCK_CHUNKED);
    ck_assert_uint_eq(bh.raw_len, 1000);
    ck_assert_uint_eq(bh.coded_len, 400);
    ck_assert_uint_eq(mdz_block_rest(&bh), 404);  /* one chunk's CRC, no trailer */

    for (int i = 0; i < MDZ_BLOCK_HEADER_SIZE * 8; i++) {
        uint8_t c[MDZ_BLOCK_HEADER_SIZE];
        memcpy(c, b, sizeof c);
        c[i / 8] ^= (uint8_t)(1u << (i % 8));
        ck_assert_int_eq(mdz_parse_block_header(c, 2, 16, &bh), MDZ_ERR_CORRUPT);
    }
    /* validly sealed but out of range */
    mdz_write_block_header(b, MDZ_BLOCK_STORED, 65537, 65537);  /* > 2^16 */
    ck_assert_int_eq(mdz_parse_block_header(b, 2, 16, &bh), MDZ_ERR_CORRUPT);
    ck_assert_int_eq(mdz_parse_block_header(b, 2, 17, &bh), MDZ_OK);
    ck_assert_int_eq(mdz_parse_block_header(b, 1, 17, &bh), MDZ_OK);
    mdz_write_block_header(b, MDZ_BLOCK_STORED, 100, 99);   /* stored != raw */
    ck_assert_int_eq(mdz_parse_block_header(b, 2, 16, &bh), MDZ_ERR_CORRUPT);
    mdz_write_block_header(b, MDZ_BLOCK_STORED, 0, 0);      /* empty block */
    ck_assert_int_eq(mdz_parse_block_header(b, 2, 16, &bh), MDZ_ERR_CORRUPT);
    /* type 2 (no chunk checks) belongs to format 1, type 3 to format 2 */
    mdz_write_block_header(b, MDZ_BLOCK_MODELLED, 1000, 400);
    ck_assert_int_eq(mdz_parse_block_header(b, 1, 16, &bh), MDZ_OK);
    ck_assert_uint_eq(mdz_block_rest(&bh), 404);  /* payload and checksum */
    ck_assert_int_eq(mdz_parse_block_header(b, 2, 16, &bh), MDZ_ERR_CORRUPT);
    mdz_write_block_header(b, MDZ_BLOCK_CHUNKED, 1000, 400);
    ck_assert_int_eq(mdz_parse_block_header(b, 1, 16, &bh), MDZ_ERR_CORRUPT);
    mdz_write_block_header(b, MDZ_BLOCK_MODELLED, 100, 100); /* not smaller */
    ck_assert_int_eq(mdz_parse_block_header(b, 1, 16, &bh), MDZ_ERR_CORRUPT);
    mdz_write_block_header(b, MDZ_BLOCK_MODELLED, 100, 0);
    ck_assert_int_eq(mdz_parse_block_header(b, 1, 16, &bh), MDZ_ERR_CORRUPT);
    /* type 3: table and payload smaller than a stored block's content and
     * checksum (chunks of 8, 16, 32, 64, 128, 256, 256 ... KiB: 65537
     * bytes are 4 chunks, 16 bytes of table) */
    ck_assert_uint_eq(mdz_chunks(1), 1);
    ck_assert_uint_eq(mdz_chunks(8192), 1);
    ck_assert_uint_eq(mdz_chunks(8193), 2);
    ck_assert_uint_eq(mdz_chunks(65537), 4);
    ck_assert_uint_eq(mdz_chunks(253952), 5);
    ck_assert_uint_eq(mdz_chunks(253953), 6);
    ck_assert_uint_eq(mdz_chunks(UINT32_C(1) << 24), 5 + 64);
    ck_assert_uint_eq(mdz_chunk_start(4), 122880);
    ck_assert_uint_eq(mdz_chunk_start(5), 253952);
    ck_assert_uint_eq(mdz_chunk_start(6), 253952 + 262144);
    ck_assert_uint_eq(mdz_chunk_end(3, 65537), 65537);
    ck_assert_uint_eq(mdz_chunk_end(0, 65537), 8192);
    mdz_write_block_header(b, MDZ_BLOCK_CHUNKED, 65537, 65524);
    ck_assert_int_eq(mdz_parse_block_header(b, 2, 17, &bh), MDZ_OK);
    ck_assert_uint_eq(mdz_block_rest(&bh), 65540);
    mdz_write_block_header(b, MDZ_BLOCK_CHUNKED, 65537, 65525);
    ck_assert_int_eq(mdz_parse_block_header(b, 2, 17, &bh), MDZ_ERR_CORRUPT);
    mdz_write_block_header(b, MDZ_BLOCK_CHUNKED, 100, 0);
    ck_assert_int_eq(mdz_parse_block_header(b, 2, 16, &bh), MDZ_ERR_CORRUPT);
    mdz_write_block_header(b, 4, 100, 50);                  /* unknown type */
    ck_assert_int_eq(mdz_parse_block_header(b, 2, 16, &bh), MDZ_ERR_CORRUPT);
}
END_TEST

START_TEST(test_end_marker)
{
    uint8_t e[MDZ_END_MARKER_SIZE];
    mdz_end_marker em;
    mdz_write_end_marker(e, UINT64_C(0x123456789A), 0xDEADBEEFu, 13 + 8 * 3);
    ck_assert_int_eq(mdz_parse_end_marker(e, 3, &em), MDZ_OK);
    ck_assert(em.total_len == UINT64_C(0x123456789A));
    ck_assert_uint_eq(em.content_crc, 0xDEADBEEFu);
    ck_assert_uint_eq(em.index_size, 37);
    /* little-endian on the wire */
    ck_assert_uint_eq(e[1], 0x9A);
    ck_assert_uint_eq(e[5], 0x12);
    ck_assert_uint_eq(e[13], 37);
    for (int i = 0; i < MDZ_END_MARKER_SIZE * 8; i++) {
        uint8_t c[MDZ_END_MARKER_SIZE];
        memcpy(c, e, sizeof c);
        c[i / 8] ^= (uint8_t)(1u << (i % 8));
        ck_assert_int_eq(mdz_parse_end_marker(c, 3, &em), MDZ_ERR_CORRUPT);
    }
    /* an index size that no index has, even with a good check */
    const uint32_t bad[] = { 1, 12, 14, 13 + 8 * 3 + 1, 13 + 8 * (MDZ_INDEX_MAX_BLOCKS + 1) };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mdz_write_end_marker(e, 5, 0, bad[i]);
        ck_assert_int_eq(mdz_parse_end_marker(e, 3, &em), MDZ_ERR_CORRUPT);
    }
    mdz_write_end_marker(e, 5, 0, 0);  /* no index */
    ck_assert_int_eq(mdz_parse_end_marker(e, 3, &em), MDZ_OK);
    ck_assert_uint_eq(em.index_size, 0);
    /* formats 1 and 2: 17 bytes, no index size */
    uint8_t v2[MDZ_END_MARKER_SIZE_V2];
    mdz_write_end_marker_v2(v2, 77, 0x1234u);
    ck_assert_int_eq(mdz_parse_end_marker(v2, 2, &em), MDZ_OK);
    ck_assert(em.total_len == 77 && em.content_crc == 0x1234u && em.index_size == 0);
    ck_assert_int_eq(mdz_parse_end_marker(v2, 1, &em), MDZ_OK);
}
END_TEST

START_TEST(test_frame_header)
{
    uint8_t f[MDZ_FRAME_HEADER_SIZE];
    mdz_frame_header fh;
    mdz_write_frame_header(f, MDZ_FRAME_INDEX, 16, 0xCAFEF00Du);
    ck_assert_int_eq(mdz_parse_frame_header(f, &fh), MDZ_OK);
    ck_assert_int_eq(fh.type, MDZ_FRAME_INDEX);
    ck_assert_uint_eq(fh.a, 16);
    ck_assert_uint_eq(fh.b, 0xCAFEF00Du);
    for (int i = 0; i < MDZ_FRAME_HEADER_SIZE * 8; i++) {
        uint8_t c[MDZ_FRAME_HEADER_SIZE];
        memcpy(c, f, sizeof c);
        c[i / 8] ^= (uint8_t)(1u << (i % 8));
        ck_assert_int_eq(mdz_parse_frame_header(c, &fh), MDZ_ERR_CORRUPT);
    }
    /* an index's length is a whole number of entries, within the limit */
    mdz_write_frame_header(f, MDZ_FRAME_INDEX, 12, 0);
    ck_assert_int_eq(mdz_parse_frame_header(f, &fh), MDZ_ERR_CORRUPT);
    mdz_write_frame_header(f, MDZ_FRAME_INDEX, 8 * (MDZ_INDEX_MAX_BLOCKS + 1), 0);
    ck_assert_int_eq(mdz_parse_frame_header(f, &fh), MDZ_ERR_CORRUPT);
    /* a reserved skippable type may have any length */
    mdz_write_frame_header(f, 9, 12, 0);
    ck_assert_int_eq(mdz_parse_frame_header(f, &fh), MDZ_OK);
}
END_TEST

START_TEST(test_params_and_memory)
{
    mdz_cparams p;
    ck_assert_int_eq(mdz_cparams_init(&p, 0), MDZ_OK);
    ck_assert_int_eq(p.level, MDZ_LEVEL_DEFAULT);
    ck_assert_int_eq(mdz_cparams_init(&p, 10), MDZ_ERR_PARAM);
    ck_assert_int_eq(mdz_cparams_init(&p, -1), MDZ_ERR_PARAM);
    ck_assert_int_eq(mdz_cparams_init(NULL, 1), MDZ_ERR_PARAM);
    for (int l = 1; l <= 9; l++) {
        mdz_cparams_init(&p, l);
        uint64_t m = mdz_decompress_memory(&p);
        ck_assert(m > ((uint64_t)2 << p.block_log));
        ck_assert(m >= mdz_codec_memory(l, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX));
    }
    p.block_log = 40;
    ck_assert(mdz_compress_memory(&p) == 0);
    /* header, dictionary frame, index frame and end marker; per block its
     * checksum and index entry */
    ck_assert_uint_eq(mdz_compress_bound(0, 16), 63);
    ck_assert_uint_eq(mdz_compress_bound(65536, 16), 63 + 25 + 65536);
    ck_assert_uint_eq(mdz_compress_bound(65537, 16), 63 + 50 + 65537);
    ck_assert_uint_eq(mdz_compress_bound(1, 99), 0);
    ck_assert_uint_eq(mdz_compress_bound(SIZE_MAX, 16), 0);
}
END_TEST

START_TEST(test_strerror_names_every_code)
{
    for (int c = MDZ_ERR_STAGE; c <= MDZ_OK; c++) {
        const char *s = mdz_strerror(c);
        ck_assert_ptr_nonnull(s);
        ck_assert_str_ne(s, "unknown error");
    }
    ck_assert_str_eq(mdz_strerror(MDZ_ERR_READ), "read error");
    ck_assert_str_eq(mdz_strerror(-1000), "unknown error");
    ck_assert_str_eq(mdz_strerror(MDZ_ERR_FORMAT), "not in .mdz format");
    ck_assert_str_eq(mdz_strerror(MDZ_ERR_TRUNCATED), "unexpected end of input");
    ck_assert_str_eq(mdz_version_string(), MDZ_VERSION_STRING);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("frame");
    TCase *tc = tcase_create("fields");
    tcase_add_test(tc, test_header_round_trip);
    tcase_add_test(tc, test_header_bad_fields);
    tcase_add_test(tc, test_block_header);
    tcase_add_test(tc, test_end_marker);
    tcase_add_test(tc, test_frame_header);
    tcase_add_test(tc, test_params_and_memory);
    tcase_add_test(tc, test_strerror_names_every_code);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
