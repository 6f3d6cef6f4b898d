/*
 * crc32c.c -- CRC-32C (Castagnoli), the checksum of the .mdz format.
 *
 * Reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF
 * (the CRC used by iSCSI, ext4 and SSE4.2's crc32 instruction).  The lookup
 * table is a compile-time constant, built by the preprocessor from the
 * bit-by-bit definition, so there is no initialisation step and no mutable
 * state.  Slicing-by-4 over that table would need further tables; the
 * byte-at-a-time loop already runs far faster than the model codes, so it is
 * kept simple.
 */
#include "mdz.h"

#define CRC_POLY 0x82F63B78u
#define CRC_STEP(c) (((c) >> 1) ^ (((c) & 1u) ? CRC_POLY : 0u))
#define CRC_BYTE(c) \
    CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP((uint32_t)(c)))))))))
#define CRC_R4(n) CRC_BYTE(n), CRC_BYTE((n) + 1), CRC_BYTE((n) + 2), CRC_BYTE((n) + 3)
#define CRC_R16(n) CRC_R4(n), CRC_R4((n) + 4), CRC_R4((n) + 8), CRC_R4((n) + 12)
#define CRC_R64(n) CRC_R16(n), CRC_R16((n) + 16), CRC_R16((n) + 32), CRC_R16((n) + 48)

static const uint32_t crc_table[256] = {
    CRC_R64(0), CRC_R64(64), CRC_R64(128), CRC_R64(192)
};

MDZ_API uint32_t mdz_crc32c(uint32_t crc, const void *data, size_t len)
{
    const unsigned char *p = data;
    uint32_t c = ~crc;
    while (len >= 4) {
        c = crc_table[(c ^ p[0]) & 0xFF] ^ (c >> 8);
        c = crc_table[(c ^ p[1]) & 0xFF] ^ (c >> 8);
        c = crc_table[(c ^ p[2]) & 0xFF] ^ (c >> 8);
        c = crc_table[(c ^ p[3]) & 0xFF] ^ (c >> 8);
        p += 4;
        len -= 4;
    }
    while (len--)
        c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return ~c;
}
