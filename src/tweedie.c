/*
 * tweedie.c -- micro-diffusion calibration stage: configuration and table
 * set-up.  The per-bit work is inline in tweedie.h.
 */
#include <string.h>

#include "tweedie.h"

static void clamp(mdz_tw_config *c)
{
    if (c->k < 1) c->k = 1;
    if (c->k > MDZ_TW_KMAX) c->k = MDZ_TW_KMAX;
    for (int s = 0; s < MDZ_TW_KMAX; s++) {
        if (s >= c->k) c->nctx[s] = 0;
        else if (c->nctx[s] < 1) c->nctx[s] = 1;
    }
    if (c->n0 < 1) c->n0 = 1;
    if (c->n0 > MDZ_TW_N0MAX) c->n0 = MDZ_TW_N0MAX;
    if (c->limit < 2) c->limit = 2;
    if (c->limit > MDZ_TW_LIMITMAX) c->limit = MDZ_TW_LIMITMAX;
    if (c->edge < 0) c->edge = 0;
    if (c->edge > MDZ_TW_EDGEMAX) c->edge = MDZ_TW_EDGEMAX;
}

void mdz_tweedie_config(mdz_tw_config *c, int k, int nctx)
{
    memset(c, 0, sizeof *c);
    c->k = k;
    for (int s = 0; s < MDZ_TW_KMAX; s++) c->nctx[s] = nctx;
    c->n0 = MDZ_TW_N0;
    c->limit = MDZ_TW_LIMIT;
    c->edge = MDZ_TW_EDGE;
    clamp(c);
}

static size_t points(const mdz_tw_config *c)
{
    size_t n = 0;
    for (int s = 0; s < c->k; s++) n += (size_t)c->nctx[s] * MDZ_TW_BINS;
    return n;
}

size_t mdz_tweedie_bytes(const mdz_tw_config *cin)
{
    mdz_tw_config c = *cin;
    clamp(&c);
    return points(&c) * sizeof(mdz_tw_point) + (size_t)c.limit * sizeof(uint32_t);
}

void mdz_tweedie_init(mdz_tweedie *d, void *mem, const mdz_tw_config *c)
{
    memset(d, 0, sizeof *d);
    d->c = *c;
    clamp(&d->c);
    size_t np = points(&d->c);
    d->t = mem;
    memset(d->t, 0, np * sizeof(mdz_tw_point));
    d->recip = (uint32_t *)(void *)(d->t + np);
    /* n < limit always holds when a point is read (halved at limit) */
    for (uint32_t i = 0; i < d->c.limit; i++)
        d->recip[i] = (uint32_t)((((uint64_t)1 << 32) - 1) / (i + 1 + d->c.n0));
    size_t b = 0;
    for (int s = 0; s < d->c.k; s++) {
        d->base[s] = b;
        b += (size_t)d->c.nctx[s] * MDZ_TW_BINS;
    }
}
