/* match.c -- see match.h. */
#include "models/match.h"
#include "state.h"

#define MATCH_K 0x9E3779B1u   /* multiplier of the context hashes */

void mdz_match_init(mdz_match *m, uint32_t *ts, uint32_t *tl, int bits)
{
    m->ts = ts;
    m->tl = tl;
    m->mask = (1u << bits) - 1;
    for (uint32_t i = 0; i <= m->mask; i++) ts[i] = tl[i] = 0;
    m->ptr = 0;
    m->len = 0;
    m->exp = 0;
    m->lenb = 0;
    m->hs = m->hl = 0;
    m->rs = m->rl = 0;
    m->rpos = 0;
    m->cptr = 0;
    m->cleft = 0;
    m->recover = 1;
    m->ks = m->kl = 1;
    for (int i = 0; i < MDZ_MATCH_MINS; i++) m->ks *= MATCH_K;
    for (int i = 0; i < MDZ_MATCH_MINL; i++) m->kl *= MATCH_K;
    for (int i = 0; i < 64; i++) {
        int bit = i & 1, lb = i >> 1;
        /* a prior: longer matches are more reliable */
        int conf = 32768 - 16384 / (lb + 2);
        m->sm[i] = mdz_sm_init_p(bit ? conf : 65536 - conf);
    }
}

/* Hash of the n bytes before pos: the polynomial
 *   H = sum_{i=1..n} (buf[pos-i] + 1) * K^i   (mod 2^32),
 * finished as H ^ (H >> 15).  H is rolled from one position to the next
 * (drop the byte n back, multiply by K, add the new byte), which gives
 * exactly the sum recomputed from scratch. */
static uint32_t hash_sum(const uint8_t *buf, size_t pos, int n)
{
    uint32_t h = 0;
    for (int i = n; i >= 1; i--) h = (h + buf[pos - i] + 1) * MATCH_K;
    return h;
}

static uint32_t hash_fin(uint32_t h) { return h ^ (h >> 15); }

static uint32_t hash_roll(uint32_t h, const uint8_t *buf, size_t pos, int n, uint32_t kn)
{
    /* h is the sum for pos - 1; the result is the sum for pos */
    if (pos - 1 >= (size_t)n) h -= (uint32_t)(buf[pos - 1 - n] + 1) * kn;
    return (h + buf[pos - 1] + 1) * MATCH_K;
}

static int verify(const uint8_t *buf, size_t cand, size_t pos)
{
    int n = 0;
    while (n < MDZ_MATCH_VERIFY && (size_t)n < cand && buf[cand - 1 - n] == buf[pos - 1 - n]) n++;
    return n;
}

void mdz_match_prepare(mdz_match *m, const uint8_t *buf, size_t pos)
{
    if (pos == m->rpos + 1) {
        m->rs = hash_roll(m->rs, buf, pos, MDZ_MATCH_MINS, m->ks);
        m->rl = hash_roll(m->rl, buf, pos, MDZ_MATCH_MINL, m->kl);
    } else {
        m->rs = hash_sum(buf, pos, pos < MDZ_MATCH_MINS ? (int)pos : MDZ_MATCH_MINS);
        m->rl = hash_sum(buf, pos, pos < MDZ_MATCH_MINL ? (int)pos : MDZ_MATCH_MINL);
    }
    m->rpos = pos;
    m->hs = m->hl = 0;
    if (pos >= MDZ_MATCH_MINS) m->hs = hash_fin(m->rs) & m->mask;
    if (pos >= MDZ_MATCH_MINL) m->hl = hash_fin(m->rl) & m->mask;
#if defined(__GNUC__)
    __builtin_prefetch(m->ts + m->hs, 1);
    __builtin_prefetch(m->tl + m->hl, 1);
#endif
}

void mdz_match_byte(mdz_match *m, const uint8_t *buf, size_t pos)
{
    if (m->len > 0) {
        /* the bit predictions all agreed, so buf[ptr] == buf[pos-1] */
        m->ptr++;
        if (m->len < 65535) m->len++;
    }
    uint32_t hs = m->hs, hl = m->hl;
    if (m->len == 0) {
        if (pos >= MDZ_MATCH_MINL && m->tl[hl] > 0) {
            int n = verify(buf, m->tl[hl], pos);
            if (n >= MDZ_MATCH_MINL) { m->len = n; m->ptr = m->tl[hl]; }
        }
        if (m->len == 0 && pos >= MDZ_MATCH_MINS && m->ts[hs] > 0) {
            int n = verify(buf, m->ts[hs], pos);
            if (n >= MDZ_MATCH_MINS) { m->len = n; m->ptr = m->ts[hs]; }
        }
    }
    if (m->len == 0 && m->cleft > 0) {
        /* the lost match's candidate moves on with the data; when its byte
         * agrees again, it resumes at length 1 (buckets 1-4 are only
         * ever recovered matches: the map learns how far to trust them) */
        m->cptr++;
        m->cleft--;
        if (buf[m->cptr - 1] == buf[pos - 1]) {
            m->ptr = m->cptr;
            m->len = 1;
            m->cleft = 0;
        }
    } else if (m->len > 0) {
        m->cleft = 0;
    }
    if (pos >= MDZ_MATCH_MINS) m->ts[hs] = (uint32_t)pos;
    if (pos >= MDZ_MATCH_MINL) m->tl[hl] = (uint32_t)pos;
}
