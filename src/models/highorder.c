/*
 * highorder.c -- orders 6 and 8, plus one sparse context:
 *   0: order 6     1: order 8
 *   2: bytes 2..4 back (skipping the last byte)
 * Orders 5 and 7 and a bytes-2..3 sparse context were measured and dropped:
 * next to their neighbours they cost time and gained nothing.
 */
#include "models/highorder.h"
#include "hash.h"

void mdz_high_contexts(uint64_t c8, uint64_t *ctx)
{
    ctx[0] = mdz_hash2(c8 & 0xffffffffffffull, 0x206);
    ctx[1] = mdz_hash2(c8, 0x208);
    ctx[2] = mdz_hash2(c8 & 0xffffff00ull, 0x302);
}
