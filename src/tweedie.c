/*
 * tweedie.c -- micro-diffusion calibration stage: table set-up.  The
 * per-bit work is inline in tweedie.h.
 */
#include <string.h>

#include "tweedie.h"

static int clamp_k(int k)
{
    if (k < 1) return 1;
    if (k > MDZ_TW_KMAX) return MDZ_TW_KMAX;
    return k;
}

size_t mdz_tweedie_bytes(int k)
{
    return (size_t)clamp_k(k) * MDZ_TW_CTX * MDZ_TW_BINS * sizeof(mdz_tw_bucket);
}

void mdz_tweedie_init(mdz_tweedie *d, void *mem, int k, int interp,
                      unsigned nmin, unsigned limit)
{
    memset(d, 0, sizeof *d);
    d->k = clamp_k(k);
    d->t = mem;
    d->interp = interp != 0;
    d->nmin = nmin ? nmin : MDZ_TW_NMIN;
    d->limit = limit ? limit : MDZ_TW_LIMIT;
    if (d->limit < 2) d->limit = 2;
    if (d->limit > 32768) d->limit = 32768;   /* sums stay < 2^31 */
    memset(mem, 0, mdz_tweedie_bytes(d->k));
}
