/*
 * Regression: listing (mdz_dparams.list_only) must accept an empty input
 * piece with a NULL buffer while it skips a block's payload, as every
 * other state does ("zero-length buffers are allowed", mdz.h).  Inside the
 * 4 bytes it keeps for the block's record (a stored block's checksum), an
 * empty piece still reached the copy of those bytes: a memcpy of zero
 * bytes from NULL + pos, pointer arithmetic on a null pointer, which UBSan
 * reports ("applying zero offset to null pointer").
 *
 * Found by fuzz_dstream (list mode, one-byte pieces with empty calls
 * between).  The input is built here: random bytes, so the block is
 * stored, listed one byte at a time with an empty NULL piece after each;
 * run it under `make SAN=1 regress` for the UBSan verdict, and the listing
 * must see the whole stream in any build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdz.h"

int main(void)
{
    static unsigned char src[3000], c[8192];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof src; i++) {
        x = x * 1103515245u + 12345u;
        src[i] = (unsigned char)(x >> 23);
    }
    size_t cl = sizeof c;
    mdz_cparams p = { .level = 1, .block_log = 16 };
    if (mdz_compress(c, &cl, src, sizeof src, &p) != MDZ_OK)
        return 1;
    mdz_dparams dp = { .list_only = 1 };
    mdz_dstream *ds = mdz_dstream_new(&dp);
    mdz_outbuf out = { NULL, 0, 0 };
    int r = 1;
    for (size_t i = 0; i < cl && r >= 0; i++) {
        mdz_inbuf one = { c + i, 1, 0 }, none = { NULL, 0, 0 };
        while (one.pos < one.size && r >= 0)
            r = mdz_dstream_decompress(ds, &out, &one);
        if (r >= 0)
            r = mdz_dstream_decompress(ds, &out, &none);
    }
    mdz_info info;
    mdz_dstream_info(ds, &info);
    mdz_dstream_free(ds);
    if (r != 0 || info.streams != 1 || info.blocks_stored != 1 || info.raw_bytes != sizeof src) {
        printf("FAIL: listing with empty pieces gave %d, %llu streams, %llu stored blocks\n", r,
               (unsigned long long)info.streams, (unsigned long long)info.blocks_stored);
        return 1;
    }
    printf("ok\n");
    return 0;
}
