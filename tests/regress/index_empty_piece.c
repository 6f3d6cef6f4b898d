/*
 * Regression: the streaming decoder reading a block index (format 3) must
 * accept an empty input piece with a NULL buffer, as it does everywhere
 * else ("zero-length buffers are allowed", mdz.h).  It computed the CRC of
 * the zero bytes at NULL + pos, pointer arithmetic on a null pointer, which
 * UBSan reports ("applying zero offset to null pointer").
 *
 * Found by fuzz_dstream on its first run with format 3 (control bytes
 * asking for one-byte pieces with empty calls between).  The input is built
 * here: 3000 bytes of text in a stream of several blocks, fed one byte at a
 * time with an empty NULL piece after each; run it under `make SAN=1
 * regress` for the UBSan verdict, and the bytes must come out right in any
 * build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdz.h"

int main(void)
{
    static unsigned char src[3000], c[8192], d[4096];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (unsigned char)("log line 42 ok\n"[i % 15]);
    size_t cl = sizeof c;
    mdz_cparams p = { .level = 1, .block_log = 16 };
    if (mdz_compress(c, &cl, src, sizeof src, &p) != MDZ_OK)
        return 1;
    mdz_dstream *ds = mdz_dstream_new(NULL);
    mdz_outbuf out = { d, sizeof d, 0 };
    int r = 1;
    for (size_t i = 0; i < cl && r >= 0; i++) {
        mdz_inbuf one = { c + i, 1, 0 }, none = { NULL, 0, 0 };
        while (one.pos < one.size && r >= 0)
            r = mdz_dstream_decompress(ds, &out, &one);
        if (r >= 0)
            r = mdz_dstream_decompress(ds, &out, &none);
    }
    mdz_dstream_free(ds);
    if (r != 0 || out.pos != sizeof src || memcmp(d, src, sizeof src) != 0) {
        printf("FAIL: decoding with empty pieces gave %d, %zu bytes\n", r, out.pos);
        return 1;
    }
    printf("ok\n");
    return 0;
}
