/* arith.c -- see arith.h. */
#include "arith.h"

void mdz_arith_enc_init(mdz_arith_enc *e, uint8_t *out, size_t cap)
{
    e->lo = 0;
    e->hi = 0xffffffffu;
    e->out = out;
    e->pos = 0;
    e->cap = cap;
    e->full = 0;
}

size_t mdz_arith_enc_flush(mdz_arith_enc *e)
{
    if (e->full || e->pos + 1 >= e->cap) return 0;
    /* lo and hi differ in the top byte, so (lo >> 24) + 1 <= hi >> 24. */
    e->out[e->pos++] = (uint8_t)((e->lo >> 24) + 1);
    return e->pos;
}

void mdz_arith_dec_init(mdz_arith_dec *d, const uint8_t *in, size_t len)
{
    d->lo = 0;
    d->hi = 0xffffffffu;
    d->x = 0;
    d->in = in;
    d->len = len;
    d->pos = 0;
    for (int i = 0; i < 4; i++) {
        d->x = (d->x << 8) | (d->pos < len ? in[d->pos] : 0u);
        d->pos++;
    }
}

int mdz_arith_dec_overrun(const mdz_arith_dec *d)
{
    return d->pos > d->len + 3;
}

int mdz_arith_dec_exact(const mdz_arith_dec *d)
{
    /* In sync, x now holds the flush byte followed by the three zero bytes
     * read past the end, and the flush byte is the one the encoder derives
     * from lo.  Checking it makes the payload canonical: a changed byte that
     * happens to decode to the same content is still rejected. */
    return d->pos == d->len + 3 && d->x == ((d->lo >> 24) + 1) << 24;
}
