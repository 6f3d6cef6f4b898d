/*
 * mixer.h -- logistic mixing in fixed point.
 *
 * p = squash(sum_i w_i * x_i), with x_i stretched predictions (1/256 nat,
 * |x_i| <= 2047, int16) and w_i int16 in units of 1/8192 (so |w_i| < 4).
 * The dot product is summed in pairs, each pair's sum shifted right by 8
 * (as SSE2's pmaddwd + psrad would), then by 5 more: st = x.w / 8192.
 * After the bit y is known each weight of the selected set moves along the
 * gradient of coding cost:
 *   e = ((y << 12) - p12) * lr / 4        (clamped to int16)
 *   w_i += round(x_i * e / 65536)         (saturating at int16)
 * The SSE2 path and the portable path compute identical integers; a build
 * with -DMDZ_PORTABLE takes the portable path on x86 too (MDZ_SSE2 below
 * is the one switch), and tests/cli/portable.sh compares their streams.
 * A mixer owns several weight sets; a small context picks the set used for
 * each bit.  n must be a multiple of 8; pass it as a constant so loops
 * unroll.
 */
#ifndef MDZ_MIXER_H
#define MDZ_MIXER_H

#include <stdint.h>
#include "squash.h"

#if defined(__SSE2__) && !defined(MDZ_PORTABLE)
#define MDZ_SSE2 1
#include <emmintrin.h>
#else
#define MDZ_SSE2 0
#endif

typedef struct {
    int n;            /* inputs, multiple of 8 */
    int nsets;        /* weight sets */
    int16_t *w;       /* nsets * n weights, 16-byte aligned */
    int16_t *ws;      /* selected set */
    int lr;           /* learning rate, see above */
    int st;           /* last output, stretched */
    int pr;           /* last output, P(1) in 16 bits */
} mdz_mixer;

/* w must hold nsets * n entries (16-byte aligned); each weight starts at w0. */
void mdz_mixer_init(mdz_mixer *m, int16_t *w, int n, int nsets, int lr, int w0);

static inline int32_t mdz_dot16(const int16_t *x, const int16_t *w, int n)
{
#if MDZ_SSE2
    __m128i acc = _mm_setzero_si128();
    for (int i = 0; i < n; i += 8) {
        __m128i a = _mm_load_si128((const __m128i *)(const void *)(x + i));
        __m128i b = _mm_load_si128((const __m128i *)(const void *)(w + i));
        acc = _mm_add_epi32(acc, _mm_srai_epi32(_mm_madd_epi16(a, b), 8));
    }
    acc = _mm_add_epi32(acc, _mm_srli_si128(acc, 8));
    acc = _mm_add_epi32(acc, _mm_srli_si128(acc, 4));
    return _mm_cvtsi128_si32(acc);
#else
    int32_t acc = 0;
    for (int i = 0; i < n; i += 2)
        acc += (x[i] * w[i] + x[i + 1] * w[i + 1]) >> 8;
    return acc;
#endif
}

static inline void mdz_train16(const int16_t *x, int16_t *w, int n, int e)
{
#if MDZ_SSE2
    __m128i ev = _mm_set1_epi16((int16_t)e);
    __m128i one = _mm_set1_epi16(1);
    for (int i = 0; i < n; i += 8) {
        __m128i a = _mm_load_si128((const __m128i *)(const void *)(x + i));
        __m128i b = _mm_load_si128((const __m128i *)(const void *)(w + i));
        __m128i t = _mm_mulhi_epi16(_mm_add_epi16(a, a), ev);
        t = _mm_srai_epi16(_mm_add_epi16(t, one), 1);
        _mm_store_si128((__m128i *)(void *)(w + i), _mm_adds_epi16(b, t));
    }
#else
    for (int i = 0; i < n; i++) {
        int t = (2 * x[i] * e) >> 16;
        int v = w[i] + ((t + 1) >> 1);
        w[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
#endif
}

/* Rewrites x[0..16) in two 16-byte stores.  Inputs written one 2-byte
 * store at a time and then read by a mixer's 16-byte loads stall those
 * loads until every store has completed (a store cannot be forwarded to a
 * wider load); after this they forward.  Same values: a no-op elsewhere. */
static inline void mdz_mixer_pack16(int16_t *x)
{
#if MDZ_SSE2
    __m128i a = _mm_set_epi16(x[7], x[6], x[5], x[4], x[3], x[2], x[1], x[0]);
    __m128i b = _mm_set_epi16(x[15], x[14], x[13], x[12], x[11], x[10], x[9], x[8]);
    _mm_store_si128((__m128i *)(void *)x, a);
    _mm_store_si128((__m128i *)(void *)(x + 8), b);
#else
    (void)x;
#endif
}

/* Computes the output for inputs x[0..n) with weight set `set`; n must
 * equal m->n. */
static inline int mdz_mixer_pn(mdz_mixer *m, const int16_t *x, int set, int n)
{
    m->ws = m->w + (int64_t)set * n;
    int st = mdz_dot16(x, m->ws, n) >> 5;
    if (st > MDZ_ST_MAX) st = MDZ_ST_MAX;
    if (st < -MDZ_ST_MAX) st = -MDZ_ST_MAX;
    m->st = st;
    m->pr = mdz_squash_tab[st + MDZ_ST_MAX];
    return m->pr;
}

/* Four mixers over the same 16 inputs (n = 16), weight sets s0..s3: the
 * same integers as four mdz_mixer_pn() calls, with x loaded once and the
 * four horizontal sums done together.  Writes each mixer's st and pr, and
 * the four stretched outputs to out[0..3] (the next layer's inputs). */
static inline void mdz_mixer_pn4x16(mdz_mixer *m, const int16_t *x, int s0, int s1,
                                    int s2, int s3, int16_t *out)
{
    const int16_t *w0 = m[0].ws = m[0].w + (int64_t)s0 * 16;
    const int16_t *w1 = m[1].ws = m[1].w + (int64_t)s1 * 16;
    const int16_t *w2 = m[2].ws = m[2].w + (int64_t)s2 * 16;
    const int16_t *w3 = m[3].ws = m[3].w + (int64_t)s3 * 16;
#if MDZ_SSE2
    __m128i xa = _mm_load_si128((const __m128i *)(const void *)x);
    __m128i xb = _mm_load_si128((const __m128i *)(const void *)(x + 8));
#define MDZ_DOT2(w) _mm_add_epi32( \
        _mm_srai_epi32(_mm_madd_epi16(xa, _mm_load_si128((const __m128i *)(const void *)(w))), 8), \
        _mm_srai_epi32(_mm_madd_epi16(xb, _mm_load_si128((const __m128i *)(const void *)((w) + 8))), 8))
    __m128i a0 = MDZ_DOT2(w0), a1 = MDZ_DOT2(w1), a2 = MDZ_DOT2(w2), a3 = MDZ_DOT2(w3);
#undef MDZ_DOT2
    __m128i t0 = _mm_add_epi32(_mm_unpacklo_epi32(a0, a1), _mm_unpackhi_epi32(a0, a1));
    __m128i t1 = _mm_add_epi32(_mm_unpacklo_epi32(a2, a3), _mm_unpackhi_epi32(a2, a3));
    __m128i sum = _mm_add_epi32(_mm_unpacklo_epi64(t0, t1), _mm_unpackhi_epi64(t0, t1));
    sum = _mm_srai_epi32(sum, 5);
    /* saturating pack, then clamp: the same as clamping the int32 */
    __m128i st = _mm_packs_epi32(sum, sum);
    st = _mm_min_epi16(_mm_max_epi16(st, _mm_set1_epi16(-MDZ_ST_MAX)), _mm_set1_epi16(MDZ_ST_MAX));
    _mm_storel_epi64((__m128i *)(void *)out, st);
#else
    int32_t d[4] = {mdz_dot16(x, w0, 16), mdz_dot16(x, w1, 16), mdz_dot16(x, w2, 16),
                    mdz_dot16(x, w3, 16)};
    for (int j = 0; j < 4; j++) {
        int v = d[j] >> 5;
        if (v > MDZ_ST_MAX) v = MDZ_ST_MAX;
        if (v < -MDZ_ST_MAX) v = -MDZ_ST_MAX;
        out[j] = (int16_t)v;
    }
#endif
    m[0].st = out[0];
    m[1].st = out[1];
    m[2].st = out[2];
    m[3].st = out[3];
    m[0].pr = mdz_squash_tab[out[0] + MDZ_ST_MAX];
    m[1].pr = mdz_squash_tab[out[1] + MDZ_ST_MAX];
    m[2].pr = mdz_squash_tab[out[2] + MDZ_ST_MAX];
    m[3].pr = mdz_squash_tab[out[3] + MDZ_ST_MAX];
}

static inline int mdz_mixer_err(const mdz_mixer *m, int y)
{
    int e = (((y << 12) - (m->pr >> 4)) * m->lr) >> 2;
    if (e > 32767) e = 32767;
    if (e < -32768) e = -32768;
    return e;
}

/* Bits predicted within skip/4096 of their value leave the weights alone:
 * the step would be tiny, and skipping saves time (MDZ_MIX_SKIP is the
 * default). */
#define MDZ_MIX_SKIP 32

static inline void mdz_mixer_updaten_skip(mdz_mixer *m, const int16_t *x, int y, int n, int skip)
{
    int err = (y << 12) - (m->pr >> 4);
    if (err > -skip && err < skip) return;
    mdz_train16(x, m->ws, n, mdz_mixer_err(m, y));
}

static inline void mdz_mixer_updaten(mdz_mixer *m, const int16_t *x, int y, int n)
{
    mdz_mixer_updaten_skip(m, x, y, n, MDZ_MIX_SKIP);
}

static inline int mdz_mixer_p(mdz_mixer *m, const int16_t *x, int set)
{
    return mdz_mixer_pn(m, x, set, m->n);
}

static inline void mdz_mixer_update(mdz_mixer *m, const int16_t *x, int y)
{
    mdz_mixer_updaten(m, x, y, m->n);
}

#endif
