/*
 * state.h -- bit histories and adaptive probability maps.
 *
 * Bit-history state: one byte summarising the bits seen in a context as a
 * pair of counts (n0, n1), bounded so that 187 states fit in a byte, plus
 * the last bit for short mixed histories.  The machine is nonstationary:
 * when a bit is seen, the opposite count above 2 is roughly halved
 * (n -> 2 + (n-2)/2), so old statistics fade.  Bounds: with the smaller
 * count b = 0,1,2,3,4,5 the larger may reach 40,24,12,8,6,5.  State 0 is
 * "never seen".  The tables are generated offline (see state.c).
 *
 * State map: maps a small context (usually a state) to P(1), learning each
 * entry at rate 1/(n + 1.5) where n is the number of updates, capped at a
 * limit (so it keeps adapting).  An entry is a uint32: 22-bit probability
 * in the high bits, 10-bit count in the low bits.
 *
 * SSE (secondary estimation): maps (context, stretched probability) to a
 * refined probability by interpolating between 32 adaptive points.
 */
#ifndef MDZ_STATE_H
#define MDZ_STATE_H

#include <stdint.h>
#include "squash.h"

extern const uint8_t mdz_state_next[512];
extern const uint8_t mdz_state_n0[256];
extern const uint8_t mdz_state_n1[256];
extern const int8_t mdz_state_run[256];   /* +-min(n,8) if deterministic */
extern const uint16_t mdz_rec_tab[1024]; /* 131072 / (2n + 3) */

static inline int mdz_state_next_of(int s, int y) { return mdz_state_next[2 * s + y]; }

/* ---- state map ---- */

static inline int mdz_sm_p(const uint32_t *t) { return (int)(*t >> 16); }

static inline void mdz_sm_update(uint32_t *t, int y, int limit)
{
    uint32_t v = *t;
    int n = (int)(v & 1023);
    int p = (int)(v >> 10);
    int target = (y << 22) - y;
    p += (int)(((int64_t)(target - p) * mdz_rec_tab[n]) >> 16);
    n += n < limit;
    *t = ((uint32_t)p << 10) | (uint32_t)n;
}

/* Fixed-rate variant: P += (y - P) / 2^rate; the count bits are unused. */
static inline void mdz_sm_update_fast(uint32_t *t, int y, int rate)
{
    int32_t v = (int32_t)(*t >> 10);
    v += (((y << 22) - y) - v) >> rate;
    *t = (uint32_t)v << 10;
}

/* Fixed-rate maps kept as the bare 22-bit probability (no count bits):
 * the same numbers as mdz_sm_update_fast() on (entry >> 10), with two
 * shifts fewer per bit.  Fill with mdz_sm_init_states22(). */
static inline int mdz_sm22_p(const int32_t *t) { return (int)(*t >> 6); }

static inline void mdz_sm22_update(int32_t *t, int y, int rate)
{
    int32_t v = *t;
    *t = v + ((((y << 22) - y) - v) >> rate);
}

/* Initial entry for probability p16. */
static inline uint32_t mdz_sm_init_p(int p16) { return (uint32_t)p16 << 16; }

/* Fills a state-indexed map with each state's count-based estimate. */
void mdz_sm_init_states(uint32_t *t);
void mdz_sm_init_states22(int32_t *t);

/* ---- SSE ---- */

/* Each context has 32 points, one 64-byte cache line, at stretched values
 * (j * 128 - 1984), j = 0..31; the input is clamped to that range. */
#define MDZ_SSE_POINTS 32

typedef struct {
    uint16_t *t;     /* n contexts x 32 points, P(1) in 16 bits, 64-byte aligned */
    int idx;         /* lower point used by the last prediction */
    int wt;          /* interpolation weight of the upper point, 0..127 */
} mdz_sse;

/* n contexts; t must hold n * MDZ_SSE_POINTS entries. */
void mdz_sse_init(mdz_sse *a, uint16_t *t, int n);

static inline int mdz_sse_p(mdz_sse *a, int st, int cx)
{
    int x = st + 1984;
    if (x < 0) x = 0;
    if (x > 3967) x = 3967;
    a->wt = x & 127;
    a->idx = cx * MDZ_SSE_POINTS + (x >> 7);
    return (a->t[a->idx] * (128 - a->wt) + a->t[a->idx + 1] * a->wt) >> 7;
}

static inline void mdz_sse_prefetch(const mdz_sse *a, int cx)
{
#if defined(__GNUC__)
    __builtin_prefetch(a->t + cx * MDZ_SSE_POINTS);
#else
    (void)a;
    (void)cx;
#endif
}

/* rate: larger is slower (shift). */
static inline void mdz_sse_update(mdz_sse *a, int y, int rate)
{
    int g = y ? 65535 : 0;
    uint16_t *t = a->t + a->idx;
    int t0 = t[0], t1 = t[1];
    /* branch-free: which points move depends on the data */
    int d0 = ((g - t0) >> rate) & -(a->wt < 96);
    int d1 = ((g - t1) >> rate) & -(a->wt > 32);
    t[0] = (uint16_t)(t0 + d0);
    t[1] = (uint16_t)(t1 + d1);
}

/* Two maps read at the same stretched input (so the same point and weight)
 * in one go: the same numbers as mdz_sse_p() / mdz_sse_update() on each. */
static inline void mdz_sse_p2(mdz_sse *a, mdz_sse *b, int st, int cxa, int cxb, int *pa, int *pb)
{
    int x = st + 1984;
    if (x < 0) x = 0;
    if (x > 3967) x = 3967;
    int wt = x & 127, j = x >> 7;
    a->wt = b->wt = wt;
    a->idx = cxa * MDZ_SSE_POINTS + j;
    b->idx = cxb * MDZ_SSE_POINTS + j;
    const uint16_t *ta = a->t + a->idx, *tb = b->t + b->idx;
    *pa = (ta[0] * (128 - wt) + ta[1] * wt) >> 7;
    *pb = (tb[0] * (128 - wt) + tb[1] * wt) >> 7;
}

static inline void mdz_sse_update2(mdz_sse *a, mdz_sse *b, int y, int rate)
{
    int g = y ? 65535 : 0;
    int m0 = -(a->wt < 96), m1 = -(a->wt > 32);
    uint16_t *ta = a->t + a->idx, *tb = b->t + b->idx;
    int a0 = ta[0], a1 = ta[1], b0 = tb[0], b1 = tb[1];
    ta[0] = (uint16_t)(a0 + (((g - a0) >> rate) & m0));
    ta[1] = (uint16_t)(a1 + (((g - a1) >> rate) & m1));
    tb[0] = (uint16_t)(b0 + (((g - b0) >> rate) & m0));
    tb[1] = (uint16_t)(b1 + (((g - b1) >> rate) & m1));
}

#endif
