/*
 * fastpred.c -- the fast model: levels 1 and 2 (model ids 6 on).
 *
 * The full model (predictor.c) spends ~1,000 instructions on a bit: twelve
 * contexts, a PPM view, four mixers and a second layer.  This one is built
 * for speed from the start -- six contexts at level 1, eight at level 2,
 * the match model, one mixer, one SSE map -- and it codes a byte that a
 * long, reliable match predicts as a single decision.  Everything is
 * integer arithmetic, so every platform codes the same bits.
 *
 * 1. CONTEXTS
 *
 * Each context maps (context, partial byte c0) to a one-byte bit-history
 * state (state.h: bounded counts n0, n1).  Level 1 uses the first six,
 * level 2 all eight:
 *
 *   0  order 1      direct: 17 nibble slots per previous byte c1
 *   1  order 2      hashed, as are all below
 *   2  order 4
 *   3  word         the current word (letters case-folded, bytes >= 128
 *                   count as letters), or between words the last byte
 *   4  column       the byte above in the previous line, the last byte,
 *                   the column (to 255) -- the context of fixed layouts
 *   5  shape        the last ten character-class runs (letter, digit,
 *                   blank, newline, 8 punctuation classes) + the last byte
 *   6  order 3      (level 2)
 *   7  order 6      (level 2)
 *
 * Measured on the first MB of enwik and the eight corpus logs, each is
 * worth 0.3% to 3% on text (the word context most), and the column
 * context 14% on logs.  Order 0 gained 0.5% and was replaced by the shape
 * context, which gains more on both (-0.45% text, -1.7% logs).  Orders 3
 * and 6 are worth 1.1% on enwik_4m for 17% more instructions, so level 1
 * goes without them; a ninth context (word bigram, order 5, order 7, a
 * sparse one) gained 0.1-0.4% and was not kept.
 *
 * Contexts 1-7 share one hash table of 64-byte buckets (hash.h: 4 slots of
 * a check byte and the 15 states of one nibble), looked up once per
 * nibble; the buckets of the next byte are prefetched as soon as the
 * byte is known, those of the second nibble when three of its four
 * determining bits are (both candidates).  Table: 2^(16+level) buckets
 * (level 1: 8 MiB, 2: 16 MiB; twice that measured 1.6% and 2.1% smaller
 * on enwik_4m and no slower, but levels 3-5 must need more memory than
 * 1-2), capped at a quarter of a bucket per byte of the block, so small
 * blocks clear little.
 *
 * 2. INPUTS, MIXER, SSE
 *
 * Each context's state goes through its own adaptive map (state -> P(1),
 * 22 bits, rate 1/128) and is stretched; a map that never learns (fixed
 * state probabilities, as TPAQ does) measured 2.0% larger on text and 2.8%
 * on logs for ~10% less time, so the maps learn.  The match model
 * (models/match.h) adds its expected bit with a learnt strength by length
 * bucket; a bias input makes eight or ten of the mixer's 16 int16 slots.
 *
 * One mixer (mixer.h; weights 1200/8192 at first, learning rate fast for
 * the first ~100 KB, no training within 128/4096 of the bit), its weight set
 * chosen by c0 x match state (none, <16, <32, longer): 1024 sets.  The
 * match state in the selector is worth 0.5% on text.  Its output goes
 * through one SSE map indexed by c0 x the top 6 bits of c1 (16384 x 32
 * points, rate 1/64), averaged 1:3 with its input: 1.3% on text, 1.5% on
 * logs (all of c1: 0.2% better on text, 0.1% worse on logs, 3 MiB more).
 *
 * 3. WHOLE BYTES (models/shortcut.h, shared with the full model)
 *
 * At a byte boundary where the match model has a match of 16 bytes or
 * more, the byte is first coded as one decision, "it is the match's
 * byte", if the shortcut's adaptive map (indexed by a hash of the
 * predicted byte, c1 and the length bucket, x the last two outcomes;
 * 256K entries) gives that at least 0.97 (the full model, whose bits are
 * cheaper, waits for 0.998; here a higher threshold is smaller on the
 * logs -- 0.99: -1.1%, 0.998: -1.4% -- but slower, +10% and +19% on
 * them, and levels 1-2 are for speed).  A hit skips the eight bit
 * predictions: only the states along the byte's path in the contexts
 * learn it (so the contexts know the text when the match ends);
 * the maps, the mixer and the SSE map learn from coded bits only.  A miss
 * drops the match (the byte is not the one it predicts) and codes the byte
 * bit by bit.  Below the threshold the byte is coded bit by bit and the
 * map still learns whether the match was right, so a match can earn the
 * shortcut back (entries start at 0.75, below the threshold: a match is
 * not trusted before it has been right).  On the logs 57% of the bytes
 * take it, on enwik 7%; it
 * costs 0.6% on logs and nothing on text, and saves ~40% of the
 * instructions on logs.
 *
 * 4. SPEED
 *
 * The coding loops are here, with the per-bit work inlined into them and
 * instantiated for each context count, so the per-context work unrolls
 * with constant offsets; what a prediction leaves for the update is a
 * local of the loop (fp_bit), and in the update every load comes before
 * the stores (a store through a byte pointer could alias anything).  The
 * inputs reach the mixer in two 16-byte stores: eight 2-byte stores read
 * back by the mixer's 16-byte loads stalled them (no store forwarding),
 * which had cost a fifth of the time.  Per bit of input (callgrind, first
 * MB of enwik): level 1 ~480 instructions, level 2 ~575 -- the contexts'
 * own work (~25 each: slot, state, map, stretch; map and state updates)
 * is half of it, the mixer, the SSE map and the coder most of the rest.
 * Memory is not the limit: a 1 MiB table runs as fast as a 64 MiB one.
 */
#include <stdlib.h>
#include <string.h>

#include "fastpred.h"
#include "bigtab.h"
#include "hash.h"
#include "mixer.h"
#include "squash.h"
#include "state.h"
#include "models/match.h"
#include "models/shortcut.h"
#include "models/word.h"

#if defined(__GNUC__)
#define FP_HOT static inline __attribute__((always_inline))
#else
#define FP_HOT static inline
#endif

#define NC_FAST 6
#define NC 8          /* bit-history contexts, at most (level 2; level 1: 6) */
#define ND 1          /* of which direct (order 1) */
#define NIN 16        /* mixer inputs, at most (nc + match + bias, padded to 8) */
#define NIN_OF(nc) ((nc) + 2 <= 8 ? 8 : 16)
#define MIX_SETS 1024
#define SSE_CTX 16384
#define SM_RATE 7
#define MIX_LR 4
#define MIX_LR_BOOST 30
#define MIX_W0 1200
#define MIX_SKIP 128
#define MATCH_LIMIT 255
#define DIRECT_BYTES (256 * 17 * 16)
#define SC_THRESH 63570   /* the shortcut's threshold: P(hit) >= 0.97 */

struct mdz_fastpred {
    int nc;                  /* contexts in use: NC_FAST (level 1) or NC */
    const uint8_t *buf;
    size_t pos;
    uint64_t c8;
    int c0, bitpos, node;
    mdz_hashtab ht;
    int ht_bits_max;
    uint64_t h[NC];          /* byte-level hashes of contexts ND.. */
    uint8_t *slot[NC];       /* current nibble slot of each context */
    int32_t sm[NC][256];
    uint8_t direct[DIRECT_BYTES];
    /* word and column */
    uint64_t word;
    uint64_t shape;          /* class-run history */
    int lastclass;
    size_t line0, line1;
    /* match */
    mdz_match match;
    int match_bits_max;
    mdz_shortcut sc;         /* whole bytes (models/shortcut.h) */
    /* mixer, SSE */
    _Alignas(16) int16_t x[NIN];
    mdz_mixer mx;
    int16_t *mw;
    mdz_sse sse;
    uint16_t *sse_t;
    void *mw_mem, *sse_mem;
    uint8_t *ht_mem;
    uint32_t *match_mem;
};

static int ht_bits_for_level(int level) { return 16 + level; }
static int match_bits_for_level(int level) { return 17 + level; }

static int cap_bits(int b, int block_log, int extra)
{
    int c = block_log + extra < 10 ? 10 : block_log + extra;
    return b < c ? b : c;
}


#define MW_BYTES ((size_t)MIX_SETS * NIN * 2 + 16)
#define SSE_BYTES ((size_t)SSE_CTX * MDZ_SSE_POINTS * 2 + 64)

uint64_t mdz_fastpred_memory(int level, int block_log)
{
    uint64_t m = sizeof(mdz_fastpred);
    m += mdz_big_bytes((uint64_t)64 << cap_bits(ht_bits_for_level(level), block_log, -2));
    m += mdz_big_bytes((uint64_t)2 * 4 << cap_bits(match_bits_for_level(level), block_log, -1));
    m += MW_BYTES + SSE_BYTES;
    return m;
}

mdz_fastpred *mdz_fastpred_new(int level, int block_log)
{
    mdz_fastpred *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->nc = level <= 1 ? NC_FAST : NC;
    p->ht_bits_max = cap_bits(ht_bits_for_level(level), block_log, -2);
    p->match_bits_max = cap_bits(match_bits_for_level(level), block_log, -1);
    p->ht_mem = mdz_big_alloc((size_t)64 << p->ht_bits_max);
    p->match_mem = mdz_big_alloc((size_t)2 * 4 << p->match_bits_max);
    p->mw_mem = malloc(MW_BYTES);
    p->sse_mem = malloc(SSE_BYTES);
    if (!p->ht_mem || !p->match_mem || !p->mw_mem || !p->sse_mem) {
        mdz_fastpred_free(p);
        return NULL;
    }
    p->ht.t = p->ht_mem;
    p->sse_t = mdz_aligned(p->sse_mem, 64);
    p->mw = mdz_aligned(p->mw_mem, 16);
    return p;
}

void mdz_fastpred_free(mdz_fastpred *p)
{
    if (!p) return;
    free(p->ht_mem);
    free(p->match_mem);
    free(p->mw_mem);
    free(p->sse_mem);
    free(p);
}

/* ------------------------------------------------------------ contexts */

/* Order 1's slot for nibble nib (0: the first; 1 + high nibble: the second) */
static inline uint8_t *o1_slot(mdz_fastpred *p, int nib)
{
    return p->direct + ((size_t)(p->c8 & 255) * 17 + (size_t)nib) * 16;
}

/* The byte buf[pos-1] is complete: the byte-level context hashes of
 * contexts 2..7, and their buckets prefetched. */
FP_HOT void byte_contexts(mdz_fastpred *p, int c, int nc)
{
    uint64_t c8 = (p->c8 << 8) | (uint64_t)c;
    p->c8 = c8;
    size_t pos = ++p->pos;
    int cls = mdz_byte_class(c);
    if (cls == 1) p->word = (p->word + (uint64_t)(c | 32) + 1) * 0x100000001b3ull;
    else p->word = 0;
    if (c == '\n') {
        p->line1 = p->line0;
        p->line0 = pos;
    }
    size_t col = pos - p->line0;
    uint64_t above = p->line1 + col < p->line0 ? p->buf[p->line1 + col] : 256;
    if (cls != p->lastclass || cls >= 5)
        p->shape = (p->shape << 4 | (uint64_t)cls) & 0xffffffffffull;
    p->lastclass = cls;
    const uint64_t K = 0x9e3779b97f4a7c15ull;
    p->h[1] = mdz_hash64((c8 & 0xffff) * K + 2);
    p->h[2] = mdz_hash64((c8 & 0xffffffff) * K + 4);
    p->h[3] = mdz_hash64((p->word ? p->word : (uint64_t)c << 40) * K + 7);
    p->h[4] = mdz_hash64(((above << 8 | (uint64_t)c) << 8 | (col < 255 ? col : 255)) * K + 8);
    p->h[5] = mdz_hash64((p->shape << 8 | (uint64_t)c) * K + 9);
    if (nc > NC_FAST) {
        p->h[6] = mdz_hash64((c8 & 0xffffff) * K + 3);
        p->h[7] = mdz_hash64((c8 & 0xffffffffffffull) * K + 6);
    }
    for (int i = ND; i < nc; i++) mdz_hash_prefetch(&p->ht, p->h[i]);
}

/* The slots of the nibble starting now (bitpos 0 or 4). */
FP_HOT void lookup_nibble(mdz_fastpred *p, int nc)
{
    p->slot[0] = o1_slot(p, p->bitpos == 0 ? 0 : 1 + (p->c0 & 15));
    if (p->bitpos == 0) {
        for (int i = ND; i < nc; i++) p->slot[i] = mdz_hash_slot(&p->ht, p->h[i]);
    } else {
        for (int i = ND; i < nc; i++)
            p->slot[i] = mdz_hash_slot(&p->ht, mdz_hash_nibble(p->h[i], p->c0));
    }
}

/* Prefetches the second nibble's buckets once its first bit is known... the
 * second nibble depends on 4 bits; at bitpos 3 both candidates are fetched. */
FP_HOT void prefetch_second(mdz_fastpred *p, int c0, int nc)
{
    for (int i = ND; i < nc; i++) {
        mdz_hash_prefetch(&p->ht, mdz_hash_nibble(p->h[i], c0 * 2));
        mdz_hash_prefetch(&p->ht, mdz_hash_nibble(p->h[i], c0 * 2 + 1));
    }
}

void mdz_fastpred_reset(mdz_fastpred *p, const uint8_t *buf, size_t n)
{
    p->buf = buf;
    p->pos = 0;
    p->c8 = 0;
    p->c0 = 1;
    p->bitpos = 0;
    p->node = 1;
    int hb = mdz_ceil_log2(n) - 2;
    if (hb < 10) hb = 10;
    if (hb > p->ht_bits_max) hb = p->ht_bits_max;
    p->ht.bits = hb;
    p->ht.mask = ((uint64_t)1 << hb) - 1;
    memset(p->ht.t, 0, (size_t)64 << hb);
    memset(p->direct, 0, sizeof p->direct);
    int mb = mdz_ceil_log2(n) - 1;
    if (mb < 10) mb = 10;
    if (mb > p->match_bits_max) mb = p->match_bits_max;
    mdz_match_init(&p->match, p->match_mem, p->match_mem + ((size_t)1 << mb), mb);
    for (int i = 0; i < NC; i++) mdz_sm_init_states22(p->sm[i]);
    mdz_mixer_init(&p->mx, p->mw, NIN_OF(p->nc), MIX_SETS, MIX_LR + MIX_LR_BOOST, MIX_W0);
    mdz_sse_init(&p->sse, p->sse_t, SSE_CTX);
    memset(p->x, 0, sizeof p->x);
    mdz_sc_init(&p->sc);
    p->word = 0;
    p->shape = 0;
    p->lastclass = 0;
    p->line0 = p->line1 = 0;
    for (int i = ND; i < NC; i++) p->h[i] = mdz_hash2(0x7000 + (uint64_t)i, 0);
    lookup_nibble(p, p->nc);
}

/* ------------------------------------------------------------- per bit */


/* What a prediction leaves for the update: each context's state at the
 * node and its map entry, and the match's entry (NULL: no match).  A local
 * of the coding loop, so no store can alias it. */
typedef struct {
    uint8_t *sp[NC];
    int32_t *q[NC];
    uint32_t *mq;
} fp_bit;

FP_HOT int predict(mdz_fastpred *p, fp_bit *b, int nc)
{
    int node = p->node;
    int16_t v[NIN] = {0};
#if defined(__GNUC__)
#pragma GCC unroll 16
#endif
    for (int i = 0; i < nc; i++) {
        uint8_t *sp = p->slot[i] + node;
        int32_t *q = p->sm[i] + *sp;
        b->sp[i] = sp;
        b->q[i] = q;
        v[i] = mdz_stretch_tab[*q >> 10];
    }
    mdz_match *m = &p->match;
    mdz_match_predict(m, p->buf, p->c0, p->bitpos);
    if (m->len > 0) {
        b->mq = &m->sm[m->lenb * 2 + m->exp];
        v[nc] = (int16_t)mdz_stretch(mdz_sm_p(b->mq));
    } else {
        b->mq = NULL;
        v[nc] = 0;
    }
    v[nc + 1] = 256;
    int16_t *x = p->x;
#if MDZ_SSE2
    /* the inputs go to x as two 16-byte stores: the mixer's 16-byte loads
     * of eight 2-byte stores would wait for each (no store forwarding) */
    _mm_store_si128((__m128i *)(void *)x,
                    _mm_set_epi16(v[7], v[6], v[5], v[4], v[3], v[2], v[1], v[0]));
    if (NIN_OF(nc) > 8)
        _mm_store_si128((__m128i *)(void *)(x + 8),
                        _mm_set_epi16(v[15], v[14], v[13], v[12], v[11], v[10], v[9], v[8]));
#else
    for (int i = 0; i < NIN; i++) x[i] = v[i];
#endif
    int ms = m->len == 0 ? 0 : m->len < 16 ? 1 : m->len < 32 ? 2 : 3;
    int pm = mdz_mixer_pn(&p->mx, x, p->c0 | ms << 8, NIN_OF(nc));
    int c1 = (int)(p->c8 & 255);
    int ps = mdz_sse_p(&p->sse, p->mx.st, p->c0 | (c1 >> 2) << 8);
    int pr = (pm + 3 * ps + 2) >> 2;
    if (pr < MDZ_P_MIN) pr = MDZ_P_MIN;
    if (pr > 65536 - MDZ_P_MIN) pr = 65536 - MDZ_P_MIN;
    return pr;
}

FP_HOT void update(mdz_fastpred *p, const fp_bit *b, int y, int nc)
{
    int c0 = p->c0 * 2 + y;
    int bitpos = p->bitpos + 1;
    if (bitpos == 8) {
        byte_contexts(p, c0 & 255, nc);
        mdz_match_prepare(&p->match, p->buf, p->pos);
    } else if (bitpos == 3) {
        prefetch_second(p, c0, nc);
    }
    const uint8_t *next = mdz_state_next + y;
    int32_t target = (y << 22) - y;
    /* all loads before the stores: a store through a byte pointer could
     * alias anything */
    uint8_t ns[NC];
    int32_t nv[NC];
#if defined(__GNUC__)
#pragma GCC unroll 16
#endif
    for (int i = 0; i < nc; i++) {
        int s = *b->sp[i];
        int32_t v = *b->q[i];
        nv[i] = v + ((target - v) >> SM_RATE);
        ns[i] = next[2 * s];
    }
#if defined(__GNUC__)
#pragma GCC unroll 16
#endif
    for (int i = 0; i < nc; i++) {
        *b->q[i] = nv[i];
        *b->sp[i] = ns[i];
    }
    if (b->mq) mdz_sm_update(b->mq, y, MATCH_LIMIT);
    mdz_mixer_updaten_skip(&p->mx, p->x, y, NIN_OF(nc), MIX_SKIP);
    mdz_sse_update(&p->sse, y, 6);
    if (bitpos == 8) {
        mdz_match_byte(&p->match, p->buf, p->pos);
        p->mx.lr = MIX_LR + (int)(MIX_LR_BOOST * 8192 / (p->pos + 8192));
        c0 = 1;
        bitpos = 0;
    }
    p->c0 = c0;
    p->bitpos = bitpos;
    p->node = (bitpos & 3) == 0 ? 1 : p->node * 2 + y;
    if ((bitpos & 3) == 0) lookup_nibble(p, nc);
    mdz_sse_prefetch(&p->sse, c0 | (int)(p->c8 & 252) << 6);
}

/* ------------------------------------------------------- whole bytes */

/* Four bits of c walked through the states of every context, from node 1
 * of the current nibble (no predictions, no learning but the states). */
FP_HOT void walk_nibble(mdz_fastpred *p, int nib, int nc)
{
    int node = 1;
    for (int j = 3; j >= 0; j--) {
        int y = (nib >> j) & 1;
#if defined(__GNUC__)
#pragma GCC unroll 16
#endif
        for (int i = 0; i < nc; i++) {
            uint8_t *sp = p->slot[i] + node;
            *sp = mdz_state_next[2 * *sp + y];
        }
        node = node * 2 + y;
    }
}

/* The byte c matched: the states along its path learn it; the mixer, the
 * maps and the SSE stage are left alone (they learn from coded bits). */
FP_HOT void skip_byte(mdz_fastpred *p, int c, int nc)
{
    uint64_t nh[NC];
    for (int i = ND; i < nc; i++) {
        nh[i] = mdz_hash_nibble(p->h[i], 16 | c >> 4);
        mdz_hash_prefetch(&p->ht, nh[i]);
    }
    walk_nibble(p, c >> 4, nc);
    p->c0 = 16 | c >> 4;
    p->slot[0] = o1_slot(p, 1 + (c >> 4));
    for (int i = ND; i < nc; i++) p->slot[i] = mdz_hash_slot(&p->ht, nh[i]);
    walk_nibble(p, c & 15, nc);
    byte_contexts(p, c, nc);
    mdz_match_prepare(&p->match, p->buf, p->pos);
    mdz_match_byte(&p->match, p->buf, p->pos);
    p->mx.lr = MIX_LR + (int)(MIX_LR_BOOST * 8192 / (p->pos + 8192));
    p->c0 = 1;
    p->bitpos = 0;
    p->node = 1;
    lookup_nibble(p, nc);
}

FP_HOT int encode_nc(mdz_fastpred *p, mdz_arith_enc *e, size_t from, size_t to, int nc)
{
    const uint8_t *src = p->buf;
    for (size_t i = from; i < to; i++) {
        int byte = src[i];
        if (mdz_sc_encode(&p->sc, &p->match, src, (uint32_t)(p->c8 & 255), SC_THRESH, e, byte)) {
            skip_byte(p, byte, nc);
        } else {
            for (int j = 7; j >= 0; j--) {
                int y = (byte >> j) & 1;
                fp_bit b;
                mdz_arith_encode(e, y, predict(p, &b, nc));
                update(p, &b, y, nc);
            }
            mdz_sc_settle(&p->sc, byte);
        }
        if (e->full) return -1;
    }
    return 0;
}

/* Priming (a dictionary): buf[from..to) walked into the contexts and the
 * match model, as bytes the match would have coded whole. */
void mdz_fastpred_walk(mdz_fastpred *p, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) skip_byte(p, p->buf[i], p->nc);
}

/* The loops are instantiated for each context count, so the per-context
 * work unrolls with constant offsets. */
int mdz_fastpred_encode(mdz_fastpred *p, mdz_arith_enc *e, size_t from, size_t to)
{
    return p->nc == NC_FAST ? encode_nc(p, e, from, to, NC_FAST) : encode_nc(p, e, from, to, NC);
}

FP_HOT size_t decode_nc(mdz_fastpred *p, mdz_arith_dec *dec, uint8_t *dst, size_t from,
                        size_t to, int nc)
{
    mdz_arith_dec d = *dec;
    size_t i;
    for (i = from; i < to; i++) {
        int byte = mdz_sc_decode(&p->sc, &p->match, dst, (uint32_t)(p->c8 & 255), SC_THRESH, &d);
        if (byte >= 0) {
            dst[i] = (uint8_t)byte;
            skip_byte(p, byte, nc);
        } else {
            byte = 0;
            for (int j = 0; j < 8; j++) {
                fp_bit b;
                int y = mdz_arith_decode(&d, predict(p, &b, nc));
                byte = byte * 2 + y;
                if (j == 7) dst[i] = (uint8_t)byte;
                update(p, &b, y, nc);
            }
            mdz_sc_settle(&p->sc, byte);
        }
        if (mdz_arith_dec_overrun(&d)) break;
    }
    *dec = d;
    return i;
}

size_t mdz_fastpred_decode(mdz_fastpred *p, mdz_arith_dec *dec, uint8_t *dst, size_t from,
                           size_t to)
{
    return p->nc == NC_FAST ? decode_nc(p, dec, dst, from, to, NC_FAST)
                            : decode_nc(p, dec, dst, from, to, NC);
}
