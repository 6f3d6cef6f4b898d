/*
 * shortcut.h -- whole bytes as one decision: "the next byte is the match
 * model's predicted byte".
 *
 * Where the match model (match.h) has a long match, most bytes are the one
 * it predicts, and coding them bit by bit spends the whole model's work
 * eight times on a near-certainty.  At a byte boundary with a match of at
 * least MDZ_SC_MINLEN bytes, this map gives P(hit), the probability that
 * the byte is the match's; when that is at least the caller's threshold,
 * the byte is coded as that single binary decision (LZP-style; mcm and
 * lpaq's descendants do the same), and only a miss falls back to the
 * eight-bit tree, with the match dropped (its byte is known to be wrong).
 * Below the threshold the byte is coded bit by bit and the map still
 * learns whether the match was right, so a match can earn the shortcut
 * back; entries start at 0.75, below any threshold used, so no match is
 * trusted before it has been right.
 *
 * Context: a hash of (the predicted byte, the last byte, the match length
 * bucket / 4) to MDZ_SC_BITS bits, x the last two outcomes (hit/miss) of
 * the shortcut anywhere: 4 x 64K entries (1 MiB), each a 22-bit
 * probability with a 10-bit count (state.h's mdz_sm), adapting at rate
 * 1/(n + 1.5) down to 1/1024 (slow at the end: the decision must be
 * sure).  The predicted byte and the last byte tell where in the format
 * the match is (a match through a timestamp's digits fails more often
 * than one through a fixed word); the outcome history tells whether the
 * matches of the moment are holding.
 *
 * What the caller does on a hit (fastpred.c, predictor.c): the byte's
 * path through its contexts' bit-history states is walked, so the
 * contexts know the text when the match ends; the adaptive maps, mixers
 * and final stages learn from coded bits only.
 */
#ifndef MDZ_MODELS_SHORTCUT_H
#define MDZ_MODELS_SHORTCUT_H

#include <stdint.h>

#include "arith.h"
#include "state.h"
#include "models/match.h"

#define MDZ_SC_MINLEN 16
#define MDZ_SC_BITS 16
#define MDZ_SC_LIMIT 1023

typedef struct {
    uint32_t t[4u << MDZ_SC_BITS];  /* (context, history) -> P(hit), 22 bits */
    int hist;                       /* the last two outcomes */
    uint32_t *pend;                 /* entry that learns the byte being coded
                                       bit by bit (NULL: none) */
    int pexp;                       /* ... and the byte it predicted */
} mdz_shortcut;

static inline void mdz_sc_init(mdz_shortcut *s)
{
    for (uint32_t i = 0; i < (4u << MDZ_SC_BITS); i++) s->t[i] = mdz_sm_init_p(49152);
    s->hist = 3;
    s->pend = 0;
    s->pexp = -1;
}

/* At a byte boundary, c1 the last byte: the entry for the match m, or NULL
 * when there is no long match.  buf[m->ptr] is the predicted byte. */
static inline uint32_t *mdz_sc_candidate(mdz_shortcut *s, const mdz_match *m,
                                         const uint8_t *buf, uint32_t c1)
{
    if (m->len < MDZ_SC_MINLEN) return 0;
    uint32_t lb = (uint32_t)mdz_match_bucket(m->len) >> 2;
    uint32_t h = ((uint32_t)buf[m->ptr] << 8 | c1) << 3 | lb;
    return &s->t[((h * 0x9E3779B1u) >> (32 - MDZ_SC_BITS)) << 2 | (uint32_t)s->hist];
}

/* The decision is taken when P(hit) >= thresh (1/65536 units). */
static inline int mdz_sc_on(const uint32_t *f, int thresh)
{
    return mdz_sm_p(f) >= thresh;
}

/* P(hit) for the coder, clipped like every probability coded. */
static inline int mdz_sc_p(const uint32_t *f)
{
    int pr = mdz_sm_p(f);
    return pr > 65536 - MDZ_P_MIN ? 65536 - MDZ_P_MIN : pr;
}

static inline void mdz_sc_learn(mdz_shortcut *s, uint32_t *f, int hit)
{
    mdz_sm_update(f, hit, MDZ_SC_LIMIT);
    s->hist = (s->hist * 2 + hit) & 3;
}

/* The coding loops' side, at a byte boundary; thresh 0: never.
 *
 * Encoder, before byte: 1 when the byte was coded as a hit (the caller
 * walks it through its contexts); 0 when it must be coded bit by bit (the
 * decision was not taken, or missed, which drops the match), after which
 * the caller calls mdz_sc_settle(). */
static inline int mdz_sc_encode(mdz_shortcut *s, mdz_match *m, const uint8_t *buf, uint32_t c1,
                                int thresh, mdz_arith_enc *e, int byte)
{
    uint32_t *f = thresh ? mdz_sc_candidate(s, m, buf, c1) : 0;
    s->pend = f;
    if (!f) return 0;
    s->pexp = buf[m->ptr];
    if (!mdz_sc_on(f, thresh)) return 0;
    int hit = byte == s->pexp;
    mdz_arith_encode(e, hit, mdz_sc_p(f));
    mdz_sc_learn(s, f, hit);
    s->pend = 0;
    if (hit) return 1;
    m->len = 0;   /* the byte is not the match's */
    return 0;
}

/* Decoder: the byte when the decision was taken and hit (the caller
 * stores and walks it); else -1: decode it bit by bit, then
 * mdz_sc_settle(). */
static inline int mdz_sc_decode(mdz_shortcut *s, mdz_match *m, const uint8_t *buf, uint32_t c1,
                                int thresh, mdz_arith_dec *d)
{
    uint32_t *f = thresh ? mdz_sc_candidate(s, m, buf, c1) : 0;
    s->pend = f;
    if (!f) return -1;
    s->pexp = buf[m->ptr];
    if (!mdz_sc_on(f, thresh)) return -1;
    int hit = mdz_arith_decode(d, mdz_sc_p(f));
    mdz_sc_learn(s, f, hit);
    s->pend = 0;
    if (hit) return s->pexp;
    m->len = 0;
    return -1;
}

/* After a byte coded bit by bit: the map learns whether the match (below
 * the threshold) was right. */
static inline void mdz_sc_settle(mdz_shortcut *s, int byte)
{
    if (s->pend) mdz_sc_learn(s, s->pend, byte == s->pexp);
}

#endif
