/*
 * tweedie.h -- micro-diffusion calibration: K steps of online empirical-
 * Bayes (Tweedie) correction with James-Stein shrinkage (DESIGN.md 1.6).
 *
 * The probability p coming out of the mixers is treated as a noisy
 * observation of the true P(1).  Step k (1..K) takes the p left by step
 * k-1 and looks up a bucket chosen by a small context (the caller's: tree
 * node, PPM order group, confidence bin; see mdz_tweedie_ctx()) and by
 * which of MDZ_TW_BINS equal bins of stretch(p) over [-8, 8] nats p falls
 * in.  A bucket holds the integer sufficient statistics of the bits it
 * has seen, with the p that step saw:
 *     sp = sum of p            (16-bit units)
 *     hy = sum of y * 65536    (the "hits", same units)
 *     n  = count
 *     se = sum of (y - p)^2    (16-bit units: (y16 - p16)^2 >> 16)
 * all halved together when n reaches the limit, so the table keeps
 * adapting.  The correction is
 *     delta = hy/n - sp/n,  SNR = delta^2 n / var,  var = se/n,
 *     delta *= min(1, SNR / 4),   delta = 0 while n < nmin,
 * and the step outputs clip(p + delta).  With D = hy - sp the shrink
 * factor is D^2 / (4 * 65536 * se): no division by n is needed for it.
 * delta is recomputed when the bucket is updated, so a prediction is a
 * table read and an add per step.
 *
 * Optionally (logit = 1) the correction is applied to stretch(p) instead,
 * converted through the slope of squash at the bucket's mean prediction.
 *
 * Optionally (interp = 1) the bins are points and a step interpolates the
 * deltas of the two points around stretch(p), as an APM does, and
 * updates the point(s) near p (the lower if its weight >= 1/4, the upper
 * likewise).
 *
 * Everything is integer arithmetic with divisions of non-negative values
 * only, so results are bit-identical on every compiler and CPU.  There is
 * no global state: the caller owns the memory (mdz_tweedie_bytes()).
 */
#ifndef MDZ_TWEEDIE_H
#define MDZ_TWEEDIE_H

#include <stddef.h>
#include <stdint.h>
#include "squash.h"

#define MDZ_TW_KMAX 7        /* steps at most */
#define MDZ_TW_BINS 20       /* logit bins (or points, interpolated) */
#define MDZ_TW_NODES 32      /* tree-node classes, see mdz_tweedie_ctx() */
#define MDZ_TW_ORDS 4        /* PPM order groups */
#define MDZ_TW_CONFS 4       /* confidence bins */
#define MDZ_TW_CTX (MDZ_TW_NODES * MDZ_TW_ORDS * MDZ_TW_CONFS)
#define MDZ_TW_PMIN 32       /* outputs are clipped to [PMIN, 65536 - PMIN] */

typedef struct {
    uint32_t sp, hy, n, se;
    int32_t delta;           /* shrunk correction, 16-bit units */
} mdz_tw_bucket;

typedef struct {
    mdz_tw_bucket *t;        /* k tables of MDZ_TW_CTX * MDZ_TW_BINS buckets */
    int k;                   /* steps, 1..MDZ_TW_KMAX */
    int interp;              /* 1: interpolate between neighbouring bins */
    int logit;               /* 1: apply the correction in the stretched domain
                                (set after init; off by default) */
    uint32_t nmin;           /* delta = 0 while n < nmin */
    uint32_t limit;          /* halve the statistics when n reaches it */
    /* the last prediction, per step: buckets used, their update masks,
     * interpolation weight and the p that step saw */
    int idx[MDZ_TW_KMAX];
    int use[MDZ_TW_KMAX];    /* bit 0: bucket idx, bit 1: bucket idx + 1 */
    int pin[MDZ_TW_KMAX];
} mdz_tweedie;

/* Bytes of table for k steps. */
size_t mdz_tweedie_bytes(int k);

/* k steps (clamped to 1..MDZ_TW_KMAX); mem holds mdz_tweedie_bytes(k)
 * bytes, cleared here.  nmin = 0 and limit = 0 pick the defaults. */
void mdz_tweedie_init(mdz_tweedie *d, void *mem, int k, int interp,
                      unsigned nmin, unsigned limit);

#define MDZ_TW_NMIN 128      /* measured: 32 and 16 lose on text, see doc/denoiser.md */
#define MDZ_TW_LIMIT 1024

/* The bucket context: tree node (bit position and, in the first nibble,
 * which node; in the second nibble the last two bits), PPM order group
 * (0-1, 2-3, 4, higher), confidence bin (count bucket 0-1 / 2-3, x
 * deterministic).  c0 is the partial byte with its leading 1, bitpos
 * 0..7, ord 0..7, conf 0..7 as in mdz_pred_info. */
static inline int mdz_tweedie_ctx(int c0, int bitpos, int ord, int conf)
{
    int node = bitpos < 4 ? c0 : 16 + (bitpos - 4) * 4 + (c0 & 3);
    int og = ord <= 1 ? 0 : ord <= 3 ? 1 : ord == 4 ? 2 : 3;
    int cb = ((conf & 3) >> 1) | (conf >= 4) << 1;
    return (node * MDZ_TW_ORDS + og) * MDZ_TW_CONFS + cb;
}

/* The shrunk correction of a bucket. */
static inline int32_t mdz_tw_delta(const mdz_tw_bucket *b, uint32_t nmin)
{
    if (b->n < nmin || b->n == 0) return 0;
    int64_t D = (int64_t)b->hy - (int64_t)b->sp;
    int neg = D < 0;
    uint64_t m = (uint64_t)(neg ? -D : D);
    /* shrink factor min(1, SNR/4) = min(1, D^2 / (4 * 65536 * se)), in
     * 1/65536: D^2 / (4 se); |D| < 2^31 (limit <= 32768): no overflow */
    uint64_t f = b->se ? m * m / ((uint64_t)b->se * 4) : 65536;
    if (f > 65536) f = 65536;
    uint64_t d = m * f / ((uint64_t)b->n << 16);  /* |delta|, 16-bit units */
    return neg ? -(int32_t)d : (int32_t)d;
}

/* The same correction as a shift of stretch(p) (1/256 nat), through the
 * slope of squash at the bucket's mean prediction pbar:
 * delta_st = delta / (pbar (1 - pbar)). */
static inline int32_t mdz_tw_delta_st(const mdz_tw_bucket *b, int32_t delta)
{
    if (delta == 0) return 0;
    int64_t pbar = (int64_t)(b->sp / b->n);
    if (pbar < MDZ_TW_PMIN) pbar = MDZ_TW_PMIN;
    if (pbar > 65536 - MDZ_TW_PMIN) pbar = 65536 - MDZ_TW_PMIN;
    int64_t v = pbar * (65536 - pbar);          /* 2^32 p (1 - p) */
    int neg = delta < 0;
    int64_t m = ((int64_t)(neg ? -delta : delta) << 24) / v;
    if (m > 2 * MDZ_ST_MAX) m = 2 * MDZ_ST_MAX;
    return neg ? -(int32_t)m : (int32_t)m;
}

static inline void mdz_tw_add(mdz_tw_bucket *b, int p, int y, uint32_t nmin, uint32_t limit,
                              int logit)
{
    int e = (y << 16) - p;
    b->sp += (uint32_t)p;
    b->hy += (uint32_t)y << 16;
    b->se += (uint32_t)(((int64_t)e * e) >> 16);
    b->n++;
    if (b->n >= limit) {
        b->sp >>= 1;
        b->hy >>= 1;
        b->se >>= 1;
        b->n >>= 1;
    }
    b->delta = mdz_tw_delta(b, nmin);
    if (logit) b->delta = mdz_tw_delta_st(b, b->delta);
}

static inline int mdz_tw_clip(int p)
{
    if (p < MDZ_TW_PMIN) return MDZ_TW_PMIN;
    if (p > 65536 - MDZ_TW_PMIN) return 65536 - MDZ_TW_PMIN;
    return p;
}

static inline int mdz_tw_apply(int p, int32_t delta, int logit)
{
    if (logit) return mdz_tw_clip(mdz_squash(mdz_stretch(p) + delta));
    return mdz_tw_clip(p + delta);
}

/* Corrects p16 (P(1) in 16 bits) in d->k steps under context ctx
 * (0..MDZ_TW_CTX-1). */
static inline int mdz_tweedie_p(mdz_tweedie *d, int p, int ctx)
{
    p = mdz_tw_clip(p);
    for (int s = 0; s < d->k; s++) {
        mdz_tw_bucket *t = d->t + (size_t)s * MDZ_TW_CTX * MDZ_TW_BINS;
        int x = mdz_stretch(p) + 2048;               /* 1..4095 */
        d->pin[s] = p;
        if (d->interp) {
            /* points at x = j * 4096 / (BINS - 1), j = 0..BINS-1 */
            int u = x * (MDZ_TW_BINS - 1);               /* / 4096 */
            int j = u >> 12, w = (u & 4095) >> 4;        /* w: 0..255 */
            int i = ctx * MDZ_TW_BINS + j;
            d->idx[s] = i;
            d->use[s] = (w < 192) | (w > 64) << 1;
            int32_t dl = (t[i].delta * (256 - w) + t[i + 1].delta * w) / 256;
            p = mdz_tw_apply(p, dl, d->logit);
        } else {
            int i = ctx * MDZ_TW_BINS + ((x * MDZ_TW_BINS) >> 12);
            d->idx[s] = i;
            d->use[s] = 1;
            p = mdz_tw_apply(p, t[i].delta, d->logit);
        }
    }
    return p;
}

/* After the bit: every bucket used by the last prediction learns y with
 * the p its step saw. */
static inline void mdz_tweedie_update(mdz_tweedie *d, int y)
{
    for (int s = 0; s < d->k; s++) {
        mdz_tw_bucket *t = d->t + (size_t)s * MDZ_TW_CTX * MDZ_TW_BINS + d->idx[s];
        if (d->use[s] & 1) mdz_tw_add(t, d->pin[s], y, d->nmin, d->limit, d->logit);
        if (d->use[s] & 2) mdz_tw_add(t + 1, d->pin[s], y, d->nmin, d->limit, d->logit);
    }
}

#endif
