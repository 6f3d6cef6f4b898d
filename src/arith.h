/*
 * arith.h -- carry-less binary arithmetic coder (32-bit low/high).
 *
 * The interval [lo, hi] is split in proportion to P(1) given with 16 bits of
 * precision; a 1 takes the lower part.  When the top bytes of lo and hi
 * agree that byte is final and shifted out, so no carry can occur.  The
 * caller clips P(1) to [MDZ_P_MIN, 65536 - MDZ_P_MIN]; a bit then costs at
 * most log2(65536 / MDZ_P_MIN) = 11 bits.
 *
 * Flush writes one byte (top byte of lo, plus one); the decoder reads bytes
 * past the payload's end as zero, so the value it sees is lo's top byte + 1
 * followed by zeros, which lies inside [lo, hi].  A decoder that stays in
 * sync therefore reads exactly len + 3 bytes (4 at start, 1 per shift); the
 * codec reports corruption as soon as it has read more, and at the end if
 * the count is not exact.
 */
#ifndef MDZ_ARITH_H
#define MDZ_ARITH_H

#include <stddef.h>
#include <stdint.h>

#define MDZ_P_MIN 32

typedef struct {
    uint32_t lo, hi;
    uint8_t *out;
    size_t pos, cap;
    int full;          /* output reached cap: the encoding has failed */
} mdz_arith_enc;

typedef struct {
    uint32_t lo, hi, x;
    const uint8_t *in;
    size_t len, pos;   /* pos may run past len: those bytes read as 0 */
} mdz_arith_dec;

void mdz_arith_enc_init(mdz_arith_enc *e, uint8_t *out, size_t cap);
/* Writes the final byte.  Returns the total size, or 0 if it reached cap. */
size_t mdz_arith_enc_flush(mdz_arith_enc *e);
void mdz_arith_dec_init(mdz_arith_dec *d, const uint8_t *in, size_t len);
/* Nonzero if the decoder has consumed more bytes than a valid payload of
 * this length can account for. */
int mdz_arith_dec_overrun(const mdz_arith_dec *d);
/* Nonzero if the decoder has read exactly what a valid payload of this
 * length accounts for (checked after the last bit). */
int mdz_arith_dec_exact(const mdz_arith_dec *d);

static inline uint32_t mdz_arith_split(uint32_t lo, uint32_t hi, int p16)
{
    uint32_t r = hi - lo;
    return lo + (r >> 16) * (uint32_t)p16 + (((r & 0xffff) * (uint32_t)p16) >> 16);
}

/* Codes bit y with P(1) = p16 / 65536. */
static inline void mdz_arith_encode(mdz_arith_enc *e, int y, int p16)
{
    uint32_t mid = mdz_arith_split(e->lo, e->hi, p16);
    uint32_t m = 0u - (uint32_t)y;   /* branch-free: y is data */
    e->hi = (mid & m) | (e->hi & ~m);
    e->lo = (e->lo & m) | ((mid + 1) & ~m);
    while (((e->lo ^ e->hi) & 0xff000000u) == 0) {
        if (e->pos + 1 >= e->cap) e->full = 1;
        else e->out[e->pos++] = (uint8_t)(e->hi >> 24);
        e->lo <<= 8;
        e->hi = (e->hi << 8) | 255;
    }
}

static inline int mdz_arith_decode(mdz_arith_dec *d, int p16)
{
    uint32_t mid = mdz_arith_split(d->lo, d->hi, p16);
    int y = d->x <= mid;
    uint32_t m = 0u - (uint32_t)y;
    d->hi = (mid & m) | (d->hi & ~m);
    d->lo = (d->lo & m) | ((mid + 1) & ~m);
    while (((d->lo ^ d->hi) & 0xff000000u) == 0) {
        d->lo <<= 8;
        d->hi = (d->hi << 8) | 255;
        d->x = (d->x << 8) | (d->pos < d->len ? d->in[d->pos] : 0u);
        d->pos++;
    }
    return y;
}

#endif
