/*
 * tweedie.h -- micro-diffusion calibration: K steps of online empirical-
 * Bayes (Tweedie) correction with shrinkage (DESIGN.md 1.6; the design
 * note with every variant measured is doc/denoiser.md).
 *
 * The probability p coming out of the mixers is treated as a noisy
 * observation of the true P(1).  Tweedie's formula says the best estimate
 * of the truth given p is p plus a correction that depends only on how
 * the observations near p behave; here that correction is learnt online,
 * per context, as the mean residual y - p of the bits seen near p.
 *
 * Step s (0..K-1) takes the p left by step s-1 and looks at the row of
 * its table picked by the step's own context (the caller's, 0..nctx[s]-1,
 * turned into a row by mdz_tweedie_row() so the caller can prefetch it
 * early; the predictor gives each step a different context, so each adds
 * what the mixer did not see).  A row has MDZ_TW_BINS points spread evenly
 * over stretch(p) in [-8, 8] nats.  Step 0 reads its row at the position
 * of its own input p; steps 1..K-1 all at the position of step 0's output
 * (one stretch for them all, so their reads do not wait on one another:
 * within 0.03% of a position per step, and a shorter chain).  The position
 * falls between two points, at weight w (0..255) from the lower.  A point
 * stands for two statistics of the bits it has seen,
 *     r = sum of wt * (y - p)    (weighted residuals, wt <= 1)
 *     n = count of updates,
 * both halved when n reaches the limit, so the table keeps adapting.  Its
 * correction is the posterior mean of the residual under a prior centred
 * on "no correction" worth n0 observations:
 *     delta = r / (n + n0)
 * -- empirical-Bayes shrinkage: a point that has seen little is pulled
 * toward 0, one that has seen much keeps its own mean.  A point stores
 * delta itself (22 bits, 2^-20 units) and n (10 bits) in one 32-bit word,
 * a row in one cache line; an update r += wt e, n += 1 is
 * delta += (wt e - delta) / (n + 1 + n0), the division a multiplication by
 * a reciprocal from a table built at init.
 *
 * The step outputs clip(p + (1 - w) delta_lo + w delta_hi), interpolating
 * as an APM does; after the bit both points learn the residual of the p
 * that step saw, the lower at weight 1 - w, the upper at w (+1/256).  An
 * observation counts fully in both counts but only by its weight in the
 * sums, which shrinks a point further where it is only partly responsible:
 * this measured better than the exact weighted mean (doc/denoiser.md), as
 * did this rule against the variance-scaled James-Stein rule first
 * specified (delta * min(1, SNR/4) with a minimum count), a binomial-
 * variance James-Stein rule and a logit-domain Newton step.
 *
 * Beyond the edge, |stretch(p)| > edge (7 nats by default: the mixer
 * already all but certain), the stage passes p through and learns
 * nothing: about a quarter of the bits of text, a fifth of the stage's
 * work, at no measurable cost in size.
 *
 * Everything is integer arithmetic (divisions only at init), so results
 * are bit-identical on every compiler and CPU.  There is no global state:
 * the caller owns the memory (mdz_tweedie_bytes()).
 */
#ifndef MDZ_TWEEDIE_H
#define MDZ_TWEEDIE_H

#include <stddef.h>
#include <stdint.h>
#include "squash.h"

#define MDZ_TW_KMAX 7        /* steps at most */
#define MDZ_TW_BINS 16       /* points per row (a row is 64 bytes) */
#define MDZ_TW_PMIN 32       /* outputs are clipped to [PMIN, 65536 - PMIN] */
#define MDZ_TW_N0 20         /* default prior strength (observations) */
#define MDZ_TW_LIMIT 1024    /* default halving limit */
#define MDZ_TW_N0MAX 4096
#define MDZ_TW_LIMITMAX 1024
#define MDZ_TW_EDGE 1792     /* default edge: 7 nats */
#define MDZ_TW_EDGEMAX 2048  /* no edge: stretch(p) is within +-2047 */

/* A point: bits 0-9 the count n, bits 10-31 the correction delta as a
 * signed 22-bit number in 2^-20 units (|delta| < 1 = 2^20). */
typedef uint32_t mdz_tw_point;

typedef struct {
    int k;                   /* steps, 1..MDZ_TW_KMAX */
    int nctx[MDZ_TW_KMAX];   /* contexts of each step (>= 1) */
    unsigned n0;             /* prior strength, 1..MDZ_TW_N0MAX */
    unsigned limit;          /* halve a point's statistics at this count,
                                2..MDZ_TW_LIMITMAX */
    int edge;                /* correct only where |stretch(p)| <= edge
                                (1/256 nats, 0..MDZ_TW_EDGEMAX) */
} mdz_tw_config;

typedef struct {
    mdz_tw_point *t;         /* the steps' rows, one after the other */
    uint32_t *recip;         /* recip[i] = 2^32 / (i + 1 + n0), i < limit */
    mdz_tw_config c;
    size_t base[MDZ_TW_KMAX]; /* first point of each step */
    /* the last prediction, per step: lower point used, weight of the
     * upper one (0..255) and the p the step saw */
    mdz_tw_point *q[MDZ_TW_KMAX];
    int wt[MDZ_TW_KMAX];
    int pin[MDZ_TW_KMAX];
    int idle;                /* the last p was beyond the edge */
} mdz_tweedie;

/* The defaults: k steps, all of nctx contexts, n0 = MDZ_TW_N0, limit =
 * MDZ_TW_LIMIT. */
void mdz_tweedie_config(mdz_tw_config *c, int k, int nctx);

/* Bytes of memory for a configuration (points + reciprocals). */
size_t mdz_tweedie_bytes(const mdz_tw_config *c);

/* mem holds mdz_tweedie_bytes(c) bytes (aligned for uint32_t; 128-byte
 * alignment keeps every row in two cache lines), cleared and filled here;
 * c is copied with its fields clamped to their ranges. */
void mdz_tweedie_init(mdz_tweedie *d, void *mem, const mdz_tw_config *c);

/* The correction of a point, 2^-20 units.  (>> of a negative value is an
 * arithmetic shift, and uint32 -> int32 keeps the bits, on every
 * compiler mdz supports, as elsewhere in the model.) */
static inline int32_t mdz_tw_delta(mdz_tw_point q)
{
    return (int32_t)q >> 10;
}

/* A point learns t (2^-20 units, the residual already scaled by the
 * point's weight): with r = delta (n + n0) the weighted residual sum,
 * r += t and n += 1 give delta += (t - delta) / (n + 1 + n0).  Packed:
 * the new delta and count are the old word plus (increment << 10) + 1,
 * except when the count reaches the limit, where it is halved. */
static inline void mdz_tw_learn_t(const mdz_tweedie *d, mdz_tw_point *q, int32_t t)
{
    uint32_t v = *q, n = v & 1023;
    int32_t dl = mdz_tw_delta(v);
    int32_t inc = (int32_t)(((int64_t)(t - dl) * d->recip[n]) >> 32);
    if (n + 1 < d->c.limit)
        *q = v + ((uint32_t)inc << 10) + 1;
    else
        *q = (uint32_t)(dl + inc) << 10 | (n + 1) >> 1;
}

static inline int mdz_tw_clip(int p)
{
    if (p < MDZ_TW_PMIN) return MDZ_TW_PMIN;
    if (p > 65536 - MDZ_TW_PMIN) return 65536 - MDZ_TW_PMIN;
    return p;
}

/* The row of step s for context ctx (0..nctx[s]-1). */
static inline mdz_tw_point *mdz_tweedie_row(const mdz_tweedie *d, int s, int ctx)
{
    return d->t + d->base[s] + (size_t)ctx * MDZ_TW_BINS;
}

/* The position of p among a row's points: x = stretch(p) + 2048 in
 * 1..4095 scaled by BINS - 1, so that points sit at multiples of 4096 (the
 * point below is u >> 12, the weight of the one above (u & 4095) >> 4). */
static inline int mdz_tw_pos(int p)
{
    return (mdz_stretch(p) + 2048) * (MDZ_TW_BINS - 1);
}

/* One step at position u: corrects p with the two points of row around u,
 * remembering them for the update.  The interpolation lo (256 - w) + hi w
 * is written lo 256 + (hi - lo) w (the same integer). */
static inline int mdz_tw_step_at(mdz_tweedie *d, int s, int p, mdz_tw_point *row, int u)
{
    int w = (u & 4095) >> 4;
    mdz_tw_point *q = row + (u >> 12);
    d->q[s] = q;
    d->wt[s] = w;
    d->pin[s] = p;
    int32_t lo = mdz_tw_delta(q[0]), hi = mdz_tw_delta(q[1]);
    return mdz_tw_clip(p + ((lo * 256 + (hi - lo) * w) >> 12));
}

/* Corrects p16 (P(1) in 16 bits) in k steps (k = d->c.k; passing it as a
 * constant lets the compiler unroll), step s in row rows[s] (from
 * mdz_tweedie_row()).  Step 0 reads its row at the position of p; the
 * later steps all at the position of step 0's output (one stretch for
 * them all: their reads do not wait for one another; measured within
 * 0.03% of a position per step).  Beyond the edge (|stretch(p)| > edge,
 * the mixer's output already all but certain) nothing is corrected or
 * learnt. */
static inline int mdz_tweedie_pk(mdz_tweedie *d, int p, mdz_tw_point *const *rows, int k)
{
    p = mdz_tw_clip(p);
    int st = mdz_stretch(p);
    d->idle = st > d->c.edge || st < -d->c.edge;
    if (d->idle) return p;
    p = mdz_tw_step_at(d, 0, p, rows[0], (st + 2048) * (MDZ_TW_BINS - 1));
    if (k > 1) {
        int u = mdz_tw_pos(p);
        p = mdz_tw_step_at(d, 1, p, rows[1], u);
        if (k > 2) p = mdz_tw_step_at(d, 2, p, rows[2], u);
        for (int s = 3; s < k; s++) p = mdz_tw_step_at(d, s, p, rows[s], u);
    }
    return p;
}

static inline int mdz_tweedie_p(mdz_tweedie *d, int p, mdz_tw_point *const *rows)
{
    return mdz_tweedie_pk(d, p, rows, d->c.k);
}

/* Hints the memory of a row (one cache line). */
static inline void mdz_tweedie_prefetch(const mdz_tw_point *row)
{
#if defined(__GNUC__)
    __builtin_prefetch(row);
#else
    (void)row;
#endif
}

/* After the bit: the two points of each step learn e = y - (the p the
 * step saw), the lower at weight 256 - w, the upper at w + 1 (e w computed
 * once: e (256 - w) = 256 e - e w, e (w + 1) = e w + e).  k = d->c.k, as
 * in mdz_tweedie_pk(). */
static inline void mdz_tw_step_update(mdz_tweedie *d, int s, int y)
{
    mdz_tw_point *q = d->q[s];
    int e = (y << 16) - d->pin[s];
    int ew = e * d->wt[s];
    mdz_tw_learn_t(d, q, (e * 256 - ew) >> 4);
    mdz_tw_learn_t(d, q + 1, (ew + e) >> 4);
}

static inline void mdz_tweedie_updatek(mdz_tweedie *d, int y, int k)
{
    if (d->idle) return;
    mdz_tw_step_update(d, 0, y);
    if (k > 1) mdz_tw_step_update(d, 1, y);
    if (k > 2) mdz_tw_step_update(d, 2, y);
    for (int s = 3; s < k; s++) mdz_tw_step_update(d, s, y);
}

static inline void mdz_tweedie_update(mdz_tweedie *d, int y)
{
    mdz_tweedie_updatek(d, y, d->c.k);
}

#endif
