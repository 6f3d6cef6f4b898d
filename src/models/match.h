/*
 * match.h -- match model: predicts the byte that followed the most recent
 * earlier occurrence of the current context.
 *
 * Two hash tables map a hash of the last MDZ_MATCH_MINL (long) or
 * MDZ_MATCH_MINS (short) bytes to the position that followed them.  When no
 * match is active, the long table is tried first, then the short one; the
 * candidate is verified by comparing bytes backwards (at most
 * MDZ_MATCH_VERIFY), and that count is the initial length.  While a match is
 * active its expected bit is predicted with a strength learned by an
 * adaptive map indexed by (length bucket, expected bit); a wrong bit ends
 * the match, and the next byte boundary looks it up again.
 *
 * Recovery: a match that ends keeps its place.  For MDZ_MATCH_RECOVER bytes
 * its candidate moves on in step with the data (the byte after the one it
 * got wrong, then the next, ...); if no lookup has found a new match and
 * the byte just coded equals the candidate's, the match resumes there at
 * length 1.  Lengths 1-4 never come from a lookup (which needs
 * MDZ_MATCH_MINS verified bytes), so their buckets are the recovered
 * matches' own: the map learns how far to trust a match past a
 * difference.  What it is for: records and log lines that repeat a line
 * but for a field of the same width (a digit, a counter, a time), where the
 * old match is right again one or a few bytes later but a lookup needs
 * MDZ_MATCH_MINS bytes of agreement to find it.  Measured on the corpora
 * (model 8 against 7, sizes summed per file): level 6 logs 91,459 ->
 * 91,184 B (-0.30%), text 1,152,346 -> 1,151,810 (-0.05%), binary and web
 * 372,235 -> 371,314 (-0.25%); level 1 logs -0.33%, text -0.05%; 16 bytes
 * did no better than 8, and recovering only matches of 8 or 16 bytes or
 * more did worse than recovering every one.
 */
#ifndef MDZ_MATCH_H
#define MDZ_MATCH_H

#include <stddef.h>
#include <stdint.h>

#define MDZ_MATCH_MINS 5
#define MDZ_MATCH_MINL 12
#define MDZ_MATCH_VERIFY 48
#define MDZ_MATCH_RECOVER 8   /* a lost match is kept in step this many bytes */

typedef struct {
    uint32_t *ts, *tl;   /* short / long hash -> position */
    uint32_t mask;
    size_t ptr;          /* position of the predicted byte */
    int len;             /* 0: no match */
    int exp;             /* expected bit (valid if len > 0) */
    int lenb;            /* length bucket of the current prediction */
    uint32_t hs, hl;     /* table indexes for the current position */
    uint32_t rs, rl;     /* rolling sums behind hs, hl (see match.c) */
    uint32_t ks, kl;     /* K^MINS, K^MINL */
    size_t rpos;         /* position rs, rl belong to */
    size_t cptr;         /* recovery: the lost match's candidate for the
                            next byte, kept in step for */
    int cleft;           /* this many more bytes (0: none) */
    int recover;         /* 1: recovery on (always, but in the ablation) */
    uint32_t sm[64];     /* (length bucket, expected bit) -> P(1) */
} mdz_match;

/* Entries per table for a table of 2^bits. */
void mdz_match_init(mdz_match *m, uint32_t *ts, uint32_t *tl, int bits);
/* After byte buf[pos-1] was appended (pos = bytes of history): first
 * mdz_match_prepare() (hashes the context, prefetches the table entries),
 * then, after other work, mdz_match_byte(). */
void mdz_match_prepare(mdz_match *m, const uint8_t *buf, size_t pos);
void mdz_match_byte(mdz_match *m, const uint8_t *buf, size_t pos);

static inline int mdz_match_bucket(int len)
{
    if (len < 16) return len;
    if (len < 32) return 16 + ((len - 16) >> 2);
    if (len < 64) return 20 + ((len - 32) >> 3);
    len = 24 + ((len - 64) >> 5);
    return len > 31 ? 31 : len;
}

/* Match state for mixer selection: 0 none, 1 short, 2 medium, 3 long. */
static inline int mdz_match_state(const mdz_match *m)
{
    if (m->len == 0) return 0;
    return m->len < 16 ? 1 : m->len < 32 ? 2 : 3;
}

/* Before coding a bit: c0 = partial byte with leading 1, bitpos 0..7. */
static inline void mdz_match_predict(mdz_match *m, const uint8_t *buf, int c0, int bitpos)
{
    if (m->len > 0) {
        int b = buf[m->ptr] | 256;
        if ((b >> (8 - bitpos)) != c0) {
            /* a match that fails keeps its place for a while: if the
             * bytes agree again, it resumes (match.c) */
            m->cptr = m->ptr;
            m->cleft = m->recover ? MDZ_MATCH_RECOVER : 0;
            m->len = 0;
        } else {
            m->exp = (b >> (7 - bitpos)) & 1;
            m->lenb = mdz_match_bucket(m->len);
        }
    }
}

#endif
