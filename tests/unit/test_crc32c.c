/* Unit tests: CRC-32C against published test vectors (RFC 3720 B.4). */
#include "testutil.h"
#include "mdz.h"

START_TEST(test_check_value)
{
    ck_assert_uint_eq(mdz_crc32c(0, "123456789", 9), 0xE3069283u);
    ck_assert_uint_eq(mdz_crc32c(0, "", 0), 0u);
    ck_assert_uint_eq(mdz_crc32c(0, "a", 1), 0xC1D04330u);
}
END_TEST

START_TEST(test_rfc3720_vectors)
{
    uint8_t buf[32];
    memset(buf, 0, sizeof buf);
    ck_assert_uint_eq(mdz_crc32c(0, buf, 32), 0x8A9136AAu);
    memset(buf, 0xFF, sizeof buf);
    ck_assert_uint_eq(mdz_crc32c(0, buf, 32), 0x62A8AB43u);
    for (int i = 0; i < 32; i++)
        buf[i] = (uint8_t)i;
    ck_assert_uint_eq(mdz_crc32c(0, buf, 32), 0x46DD794Eu);
    for (int i = 0; i < 32; i++)
        buf[i] = (uint8_t)(31 - i);
    ck_assert_uint_eq(mdz_crc32c(0, buf, 32), 0x113FDB5Cu);
}
END_TEST

START_TEST(test_incremental_equals_whole)
{
    tu_rng r;
    tu_seed(&r, 7);
    uint8_t buf[1000];
    tu_random_bytes(&r, buf, sizeof buf);
    uint32_t whole = mdz_crc32c(0, buf, sizeof buf);
    for (size_t cut = 0; cut <= sizeof buf; cut += 37) {
        uint32_t c = mdz_crc32c(0, buf, cut);
        c = mdz_crc32c(c, buf + cut, sizeof buf - cut);
        ck_assert_uint_eq(c, whole);
    }
    buf[500] ^= 1;
    ck_assert_uint_ne(mdz_crc32c(0, buf, sizeof buf), whole);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("crc32c");
    TCase *tc = tcase_create("vectors");
    tcase_add_test(tc, test_check_value);
    tcase_add_test(tc, test_rfc3720_vectors);
    tcase_add_test(tc, test_incremental_equals_whole);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
