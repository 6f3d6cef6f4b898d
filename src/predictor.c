/*
 * predictor.c -- the full mdz model (levels 3-9): how every bit is predicted.
 * Levels 1 and 2 run the fast model of fastpred.c instead (codec.c picks
 * the model by level).
 *
 * mdz codes a block as a sequence of bits, most significant bit of each
 * byte first, and predicts each bit from what came before.  The partial
 * byte c0 (1, then 1b, 1bb, ... with a leading 1) names the node of the
 * byte's binary tree; c1, c2, ... are the previous bytes.  Everything here
 * is integer arithmetic, so encoder and decoder agree on every platform.
 * Probabilities are 16-bit (P(1) * 65536); "stretched" values are
 * ln(p/(1-p)) in 1/256 units, clamped to +-2047 (squash.c).
 *
 * 1. CONTEXTS AND BIT HISTORIES (hash.c, state.c)
 *
 * Twelve contexts each map (context, c0) to a one-byte bit-history state:
 *
 *   0  order 0         direct table, 17 nibble slots
 *   1  order 1         direct table, 17 nibble slots per c1
 *   2  order 2         \
 *   3  order 3          | PPM orders (models/ppm.c)
 *   4  order 4         /
 *   5  order 6         \  high orders (models/highorder.c)
 *   6  order 8          |
 *   7  sparse: c2,c3,c4 (skips c1) -- pays off on logs and tables;
 *      levels 7-9 only (the least gain per cycle: +0.1% on text)
 *   8  word: current word prefix (letters case-folded, bytes >= 128 are
 *      letters), or, between words, the last byte   (models/word.c)
 *   9  word bigram: current word prefix + previous word
 *  10  text column: byte above in the previous line, last byte, column
 *      bucket (exact to 31, then /16) -- strong on fixed-layout logs
 *  11  shape: the last 10 character-class runs (letter, digit, space,
 *      newline, 8 punctuation classes) + last byte -- tokens of logs
 *
 * Orders 5 and 7 and a c2,c3 sparse context were tried and dropped: next
 * to their neighbours they cost time and gained nothing.
 *
 * Contexts 2..11 live in one hash table of 64-byte buckets (one cache
 * line), 4 slots per bucket, a slot being a check byte and the 15 states of
 * one nibble's subtree.  A context is looked up twice per byte: at bit 0
 * with its byte-context hash, at bit 4 with that hash combined with the
 * first nibble.  The hashes of the next nibble are computed and their
 * buckets prefetched at the start of the update of the bit before, so the
 * memory latency overlaps the updates.  On a miss the slot whose first
 * node has the smallest n0+n1 is replaced, so contexts with more history
 * survive.  Table: 2^(15+level) buckets, levels 3-5 2^(16+level) (levels
 * 3 and 6: 32 and 128 MiB), but only
 * 64-128 bytes per input byte are used and cleared (a pure function of the
 * block length), so small blocks stay fast; a predictor made for blocks of
 * at most 2^block_log bytes allocates no more than such a block can use
 * (2^block_log buckets), so the memory a stream declares is what it needs.
 *
 * A state is a pair of bounded counts (n0, n1) plus, for short mixed
 * histories, the last bit: 187 states.  On bit y, n_y grows and the
 * opposite count above 2 is halved toward 2, so the state tracks recent
 * statistics (nonstationary).  Bounds keep the larger count <= 40, 24, 12,
 * 8, 6, 5 when the smaller is 0..5.
 *
 * 2. FROM STATES TO MIXER INPUTS
 *
 *  - Each context i has its own state map sm[i][state] -> P(1), initialised
 *    to (n1 + 1/2) / (n0 + n1 + 1) and adapted at rate 1/256 (SM_RATE 8:
 *    count-based 1/n rates measured no better and cost time), kept as a
 *    bare 22-bit probability.  Input: stretch(P).  An unseen state (0) has an entry too, which learns what
 *    "this context is new" implies.
 *  - Order 1 enters as a direct adaptive probability of (c1, c0) instead of
 *    its state (measured better); its state still feeds the PPM order.
 *  - PPM: the order ladder is o0..o4, o6, o8.  The PPM order is the highest
 *    order whose state at this node is nonzero; its confidence (count
 *    bucket 1 / 2-3 / 4-7 / 8+, +4 if deterministic) is exposed with it.
 *    The PPM-with-exclusion input is an adaptive map indexed by (PPM order,
 *    its state, the quantised state of the next lower order): it learns how
 *    far to trust the highest order given what the order below says -- the
 *    escape/exclusion behaviour of PPM, as a single input (rate 1/n to
 *    1/256).
 *  - Run/deterministic input: the sum over contexts 2..11 of +min(n1,8)
 *    for states that saw only ones and -min(n0,8) for only zeros, x16.
 *  - Match model (models/match.c): the most recent occurrence of the last
 *    12 bytes (else of the last 5), found through two hash tables of
 *    positions (2^(14+level) entries each) and verified backwards; while the
 *    predicted byte agrees with c0, the expected bit is predicted with the
 *    strength of an adaptive map indexed by (length bucket, expected bit);
 *    a wrong bit ends the match and the next byte boundary looks it up
 *    again, while the lost match keeps its place for 8 bytes and resumes
 *    (at length 1, buckets of its own) where the data agrees with it again
 *    (a field of the same width that differs: models/match.h).  The block
 *    being coded is the history, so no copy is kept.
 *  - A bias input (256).
 * That makes 16 inputs.
 *
 * 3. MIXING (mixer.h)
 *
 * Four logistic mixers see the same 16 inputs, each with weight sets
 * chosen by a small context (their four dot products are computed together,
 * mdz_mixer_pn4x16()):
 *   m0: c0 (256 sets)      m1: PPM order x match state (none, <16, <32,
 *   m2: c1 (256 sets)          longer) x deterministic (56 sets)
 *   m3: c2 (256 sets)
 * Weights are int16 (1/8192), start at 800/8192 ~ 0.1; the learning rate
 * (lr in mixer.h) is 4 + 30 * 8192 / (pos + 8192) -- fast at the start of
 * a block, settling after ~100 KB.  A first-layer mixer whose output was
 * within 128/4096 of the bit does not train (MIX_SKIP: saves time and
 * measured slightly better than 32 or 256); the final mixer's threshold is
 * 32/4096.  The four
 * stretched outputs go to a final mixer (weight set by c0, lr 4)
 * -- worth ~6% over a single mixer.  Dot products and training use SSE2
 * where available and an exactly equivalent portable path elsewhere.
 *
 * 4. FINAL STAGE (final_stage())
 *
 * Levels 3-5: the SSE (APM) chain.  Two SSE maps refine the mixer output
 * p_mix: one indexed by c0 x PPM order x match state, one by c0 x the top
 * 6 bits of c1; each interpolates between 32 adaptive points (one cache
 * line) along the stretched p_mix and adapts at rate 1/64 (both maps read
 * the same point, so it is found once).  Output: (p_mix + sse1 + 2 sse2)
 * / 4.  Levels 3-5 use only the second map, (p_mix + 3 sse2) / 4: the
 * first costs ~4% of the time for 0.15% on text.
 *
 * Levels 6-9: the micro-diffusion denoiser (tweedie.h) instead.  Three
 * steps, each correcting the p left by the one before by the learnt mean
 * residual of the bits seen near that p in its own context, shrunk toward
 * 0 by a prior worth 20 observations, interpolated between 16 points
 * along stretch(p) (den_prefetch(); 64-byte rows, 16 MiB in all):
 *   0 model state: c0 x the state of the bit before (match state and
 *     expected bit, PPM order, confidence, column bucket), hashed to
 *     64K rows -- the state of the bit before measured as good as the
 *     bit's own, and it is known a bit ahead, so the row is prefetched;
 *   1 order 2: c0 x hashed c1,c2 (64K rows);
 *   2 order 1 and the match: c0 x c1 x expected bit (128K rows).
 * Steps 1 and 2 read at the same position (step 0's output), and beyond
 * 7 nats the stage is idle.  Over no final stage it gains 1.6% on text
 * and 3.8% on logs at level 7, where the SSE chain gains 0.6-0.7% and
 * 1.8%; at level 6 the denoiser is 1.2% smaller than the one-map chain on
 * text and 2.4% on logs, and 0.2% larger on jpeg and pdf data.  It costs
 * about 22% of the compress time at level 7 and 23-24% at level 6
 * (callgrind), which is why levels 3-5, built for speed, keep the SSE
 * chain (doc/denoiser.md has the ablation tables and the timing).  Flags
 * can put either stage at any level, or both in either order, and set the
 * number of steps (MDZ_PF_STAGE_MASK, MDZ_PF_DEN_K), for the ablation;
 * steps 3 and 4 (column, tree node) exist for K = 4, 5.
 *
 * The result is clipped to [32, 65504] / 65536 so no bit costs more than
 * 11 bits.
 *
 * 5. WHOLE BYTES (models/shortcut.h; mdz_predictor_encode/decode)
 *
 * At a byte boundary where the match model has a match of 16 bytes or
 * more, the shortcut's map gives P(the byte is the match's) from the
 * predicted byte, c1, the length bucket and the last two outcomes.  When
 * that is at least 0.998 the byte is coded as that one decision: a hit
 * walks the byte's path through the states of every active context
 * (walk_set(), so the contexts know the text when the match ends) and
 * moves the byte-level state on; the maps, mixers, PPM view and final
 * stage learn from coded bits only.  A miss drops the match and codes the
 * byte bit by bit.  Below the threshold the byte is coded bit by bit and
 * the map learns the outcome all the same.  The threshold is far higher
 * than the fast model's 0.97: the full model codes a byte the match
 * predicts cheaply bit by bit (and keeps learning from it), so only a
 * near-certain decision pays for its misses (the fast model's bits cost
 * more, and it gains from a lower threshold).  Measured over the corpus
 * (sizes summed per file, level 6): thresholds 0.97 / 0.99 / 0.995 /
 * 0.998 / 0.999 gave logs +1.7% / +0.24% / -0.19% / -0.43% / -0.40%,
 * 1 MB of enwik +0.16% / +0.06% / +0.03% / +0.003% / -0.002%.  At
 * 0.998, 43% of the bytes of the eight logs take it and 2.5% of enwik's;
 * level 6 on the logs concatenated drops from 18.2 G to 12.2 G
 * instructions (-33%), on 1 MB of enwik from 9.97 G to 9.79 G.
 *
 * 6. LEVELS
 *
 * Levels 3-9 set the table sizes (hash table 2^(21+level) bytes, levels
 * 3-5 2^(22+level), match tables 2^(17+level) bytes, each capped by what
 * the block length can use) and, for speed, switch parts off: levels 3-5
 * drop the sparse context and the first SSE map; level 6 drops the sparse
 * context and ends in the denoiser; 7-9 run everything and end in the
 * denoiser.  Levels 1 and 2 are the fast model's (fastpred.c); asked for
 * them, this predictor runs level 3.
 *
 * 7. SPEED
 *
 * The work per bit is dominated by the contexts (state, map, stretch, and
 * the update: ~45%), the mixers (~20%) and the final stage (the denoiser:
 * ~15% of the instructions at level 6); the hash-table traffic is
 * prefetched and costs little (a table that fits the cache runs no
 * faster).  Where long matches hold (logs), whole-byte decisions (5.)
 * remove most of the per-bit work.  So the hot paths are written for few
 * instructions and few mispredicted branches: the per-context work is
 * spelled out per context for the context sets the levels use
 * (ctx_predict(), lookup_set(), walk_set(), ...: fixed offsets, no list
 * to walk; any other set, from ablation flags, takes the general loop
 * over act[], which computes the same numbers); data-dependent choices
 * (SSE point updates, the coder's interval, the PPM confidence) are
 * computed without branches; the coding loops live here
 * (mdz_predictor_encode/decode), with the per-bit work inlined into them.
 * Level 6 on 1 MB of enwik: 9.7 G instructions, the denoiser included
 * (7.9 G without it, 10.6 G before this work); on the eight logs
 * concatenated 12.2 G (18.2 G before whole bytes).  Details and timings
 * in doc/model.md.
 *
 * Ablation: mdz_predictor_set_flags() switches components off
 * (predictor.h); scripts/ablate measures each variant.  The figures
 * behind every choice above are in doc/model.md and doc/denoiser.md.
 */
#include <stdlib.h>
#include <string.h>

#include "predictor.h"
#include "arith.h"
#include "bigtab.h"
#include "hash.h"
#include "mixer.h"
#include "squash.h"
#include "state.h"
#include "tweedie.h"
#include "models/highorder.h"
#include "models/match.h"
#include "models/ppm.h"
#include "models/shortcut.h"
#include "models/word.h"

#define NPPM 5                       /* orders 0..4 */
#define NDIRECT 2                    /* orders 0, 1 live in direct tables */
#define NHIGH MDZ_HIGH_NCTX
#define NWORD MDZ_WORD_NCTX
#define NCTX (NPPM + NHIGH + NWORD)  /* bit-history contexts */
#define NLADDER 7                    /* o0..o4, o6, o8 = contexts 0..6 */
#define X_PPM NCTX                   /* mixer input slots */
#define X_MATCH (NCTX + 1)
#define X_BIAS (NCTX + 2)
#define X_RUN (NCTX + 3)
#define NIN_USED (NCTX + 4)
#define NIN ((NIN_USED + 7) & ~7)
#if NIN != 16
#error "the mixers are written for 16 inputs (mdz_mixer_pn4x16)"
#endif
#define NMIX 4

/* context sets with their own code (see ctx_predict()) */
#if defined(__GNUC__)
#define MDZ_HOT static inline __attribute__((always_inline))
#else
#define MDZ_HOT static inline
#endif
#define CTX_ALL 0xfffu                                   /* levels 7-9 */
#define CTX_NOSPARSE (CTX_ALL & ~(1u << (NPPM + 2)))      /* levels 3-6 */

#define DIRECT_BYTES (257 * 17 * 16)

#define M0_SETS 256                  /* c0 */
#define M1_SETS (NLADDER * 4 * 2)    /* order x match state x deterministic */
#define M2_SETS 256                  /* c1 */
#define M3_SETS 256                  /* c2 */
#define FIN_SETS 256

#define SSE1_CTX (256 * NLADDER * 4)  /* c0 x order x match state */
#define SSE2_CTX 16384              /* c0 x top 6 bits of c1 */

#define MIX_LR 4
#define MIX_LR_BOOST 30
#define MIX_W0 800
#define MIX_SKIP 128              /* first-layer mixers: no training within 128/4096 */
#define FIN_LR 4
#define SM_RATE 8
#define CNT_LIMIT 255
#define PPM_LIMIT 255
#define MATCH_LIMIT 255
#define SC_THRESH 65405              /* whole bytes: P(hit) >= 0.998 */

struct mdz_predictor {
    int level, flags;
    int stage;               /* the final stage level and model call for */
    /* history */
    const uint8_t *buf;
    size_t pos;
    uint64_t c8;
    int c0, bitpos, node;
    /* bit-history contexts */
    mdz_hashtab ht;
    int ht_bits_max;
    uint64_t ctxh[NCTX];     /* byte-level context hashes */
    uint64_t nh[NCTX];       /* hashes of the nibble being looked up */
    uint8_t *slot[NCTX];     /* current nibble slot of each context */
    int st[NCTX];            /* states at the current node */
    int active[NCTX];
    int act[NCTX], nact;     /* indexes of the active contexts */
    int hact[NCTX], nhact;   /* ... of the active hashed contexts */
    unsigned ctxmask;        /* bit i: context i active */
    int ctxset;              /* 1-3: a CTX_* set with its own code, 0: other */
    int32_t sm[NCTX][256];   /* state -> P(1) (22 bits), one map per context */
    uint8_t direct[DIRECT_BYTES];
    uint32_t cnt1[65536];    /* order-1 direct probabilities, (c1, c0) */
    int cnt1_idx;
    /* PPM view */
    int ord, conf, ms;
    uint32_t *ppm_sm;
    int ppm_idx;
    /* match */
    mdz_match match;
    int match_bits_max;
    int match_on;
    /* word */
    mdz_word word;
    /* whole bytes (models/shortcut.h) */
    mdz_shortcut sc;
    int sc_thresh;           /* P(hit) to take it, 1/65536; 0: off */
    /* mixers */
    _Alignas(16) int16_t x[NIN];
    _Alignas(16) int16_t x2[8];
    mdz_mixer mx[NMIX], fin;
    int nmix;                /* first-layer mixers in use */
    int16_t *mw;
    void *mw_mem;
    /* final stage */
    mdz_sse sse1, sse2;
    uint16_t *sse_t;
    void *sse_mem;
    int p_mix, st_mix;
    int pr;
    /* the final stage: the SSE chain and/or the micro-diffusion denoiser
     * (tweedie.h), chosen by level_stage() or the MDZ_PF_STAGE flags */
    struct {
        int stage;           /* MDZ_PF_APM, MDZ_PF_DEN, MDZ_PF_APM_DEN or
                                MDZ_PF_DEN_APM */
        int sse_on;          /* the SSE chain runs */
        int den_on;          /* the denoiser runs */
        int err;             /* the denoiser's table could not be allocated */
        mdz_tweedie tw;
        mdz_tw_point *row[MDZ_TW_KMAX]; /* each step's row for the coming bit */
        mdz_tw_point *base[MDZ_TW_KMAX]; /* each step's first row */
        uint32_t mlag;       /* step 0: the state fields of the bit before */
        uint32_t h2, cq, h4; /* the byte-constant parts of the contexts
                                (den_byte()) */
        void *mem;
        size_t cap;          /* bytes at mem */
    } fs;
    /* memory */
    uint8_t *ht_mem;
    uint32_t *match_mem;
};

/* ---------------------------------------------------------------- sizes */

/* 64 B buckets: 2^(15+level), levels 3-5 one step more (2^(16+level):
 * 1.5% smaller on enwik_4m at level 3, and more than the fast model of
 * levels 1-2, fastpred.c, takes) */
static int ht_bits_for_level(int level)
{
    return 15 + level + (level >= 3 && level <= 5);
}
static int match_bits_for_level(int level) { return 14 + level; }   /* uint32 entries */

/* The table sizes allocated for blocks of at most 2^block_log bytes: the
 * level's, capped by what mdz_predictor_reset() uses for the largest such
 * block (so the coded bits do not depend on block_log). */
static int ht_bits_alloc(int level, int block_log)
{
    int b = ht_bits_for_level(level), c = block_log < 10 ? 10 : block_log;
    return b < c ? b : c;
}

static int match_bits_alloc(int level, int block_log)
{
    int b = match_bits_for_level(level), c = block_log + 1 < 10 ? 10 : block_log + 1;
    return b < c ? b : c;
}


/* The denoiser's steps, in order, and their contexts (measured choices:
 * doc/denoiser.md).  Each brings what the mixer's output does not carry:
 *   0 model state: c0 x (of the bit before: match state x expected bit x
 *     PPM order x confidence (count bucket 0-1 / 2+, x deterministic) x
 *     column bucket (bits of the column, 0..7)), hashed to 16 bits: 65536.
 *     The bit before's state measured as good as the bit's own (slightly
 *     better), and it is known a bit ahead, so the row can be prefetched.
 *   1 order 2: c0, c1, c2 hashed to 16 bits: 65536
 *   2 order 1 and the match: c0 x c1 x expected bit: 131072
 * The levels use these three; steps 3 and 4 exist for the ablation (K = 4
 * and 5), and measured no better:
 *   3 text column: the column context's hash (context 10) with c0, to 16
 *     bits: 65536
 *   4 tree node (bit position, and the node itself in the first nibble;
 *     in the second the last two bits) x PPM order group (o0-1, o2-3, o4,
 *     higher) x confidence: 512
 * Rows are 64 bytes: 16 MiB of points for the three steps. */
#define DEN_STEPS 3
#define DEN_STEPS_MAX 5
static const int den_nctx[DEN_STEPS_MAX] = {65536, 65536, 131072, 65536, 512};

static void den_config(mdz_tw_config *c, int k)
{
    if (k > DEN_STEPS_MAX) k = DEN_STEPS_MAX;
    mdz_tweedie_config(c, k, 1);
    for (int s = 0; s < c->k; s++) c->nctx[s] = den_nctx[s];
}

static size_t den_bytes(int k)
{
    mdz_tw_config c;
    den_config(&c, k);
    return mdz_tweedie_bytes(&c);
}

/* The final stage a level uses (when the flags do not choose one): the
 * denoiser at levels 6-9, the SSE chain below. */
static int level_stage(int level)
{
    return level >= 6 ? MDZ_PF_DEN : MDZ_PF_APM;
}

/* Step 1's hash of the last two bytes h16 */
static inline uint32_t den_h2(uint32_t h16)
{
    return (h16 * 0x9E3779B1u) >> 16;
}

/* The byte-constant parts of the contexts: the hash of the last two bytes
 * (step 1), the column bucket (step 0) and the hash of the text-column
 * context (step 3), computed once a byte. */
static inline void den_byte(mdz_predictor *p)
{
    p->fs.h2 = den_h2((uint32_t)(p->c8 & 0xffff));
    size_t col = p->pos - p->word.line0;
    int cq = col >= 64 ? 7 : col >= 8 ? 4 + (col >= 16) + (col >= 32)
                                      : (col >= 1) + (col >= 2) + (col >= 4);
    p->fs.cq = (uint32_t)cq << 16;
    p->fs.h4 = (uint32_t)(p->ctxh[NPPM + NHIGH + 2] >> 32) * 0x9E3779B1u;
}

/* Step 1's context: c0 with the last two bytes' hash h2 */
static inline size_t den_ctx1(uint32_t h2, int c0)
{
    return h2 ^ (uint32_t)c0 * 0x2F;
}

/* Step 2's row pair: c0 x c1 (the expected bit picks one of the two) */
static inline size_t den_ctx2(uint32_t c1, int c0)
{
    return ((size_t)c1 << 8 | (size_t)c0) << 1;
}

/* Step 4's order group (o0-1, o2-3, o4, higher) by PPM order. */
static const uint8_t den_og[8] = {0, 0, 1, 1, 2, 3, 3, 3};

/* Step 0's row from c0 and the state fields of the bit before (mlag) */
static inline size_t den_ctx0(uint32_t mlag, int c0)
{
    return (size_t)(((uint32_t)c0 | mlag) * 0x9E3779B1u >> 16);
}

/* Step 0's confidence field by PPM confidence (mdz_ppm_conf(): count
 * bucket 0-3, + 4 if deterministic): count 0-1 / 2+, x deterministic */
static const uint32_t den_cb[8] = {
    0, 0, 1u << 14, 1u << 14, 2u << 14, 2u << 14, 3u << 14, 3u << 14
};

/* Finds the rows of the coming bit and prefetches those of the bit after,
 * for k steps (a constant where the levels call it).  Steps 0 and 1
 * depend only on c0, the byte history and the state of the bit before:
 * their rows are found at the end of the update (late = 0).  Step 2 needs
 * the match's expected bit: found, and prefetched, before the mixing
 * (late = 1; its rows for one c1 lie together, so they are mostly
 * cached).  Also then (late = 1) the state of this bit is recorded for
 * step 0, and the rows of steps 0 and 1 for both possible next nodes are
 * prefetched, a bit ahead (at the last bit of a byte, for the first node
 * of both possible next bytes). */
MDZ_HOT void den_prefetch_k(mdz_predictor *p, int late, int k)
{
    mdz_tw_point *const *base = p->fs.base;
    mdz_tw_point **row = p->fs.row;
    int c0 = p->c0;
    uint32_t c1 = (uint32_t)(p->c8 & 255);
    if (!late) {
        if (p->bitpos == 0) den_byte(p);
        row[0] = base[0] + den_ctx0(p->fs.mlag, c0) * MDZ_TW_BINS;
        if (k > 1) row[1] = base[1] + den_ctx1(p->fs.h2, c0) * MDZ_TW_BINS;
        return;
    }
    int ex = p->match.len > 0 ? p->match.exp : 0;
    if (k > 2) {
        row[2] = base[2] + (den_ctx2(c1, c0) + (size_t)ex) * MDZ_TW_BINS;
        mdz_tweedie_prefetch(row[2]);
    }
    if (k > 3) {
        row[3] = base[3] + (size_t)((p->fs.h4 + (uint32_t)c0 * 0x3C6EF372u) >> 16) * MDZ_TW_BINS;
        mdz_tweedie_prefetch(row[3]);
    }
    if (k > 4) {
        int b = p->bitpos, cf = p->conf;
        int node = b < 4 ? c0 : 4 * b + (c0 & 3);
        int cb = ((cf >> 1) & 1) | (cf >> 2) << 1;
        row[4] = base[4] + (size_t)((node * 4 + den_og[p->ord & 7]) * 4 + cb) * MDZ_TW_BINS;
    }
    uint32_t mlag = (uint32_t)((p->ms * 2 + ex) << 8 | p->ord << 11) | den_cb[p->conf & 7] | p->fs.cq;
    p->fs.mlag = mlag;
    /* a bit ahead */
    if (p->bitpos < 7) {
        int n0 = c0 * 2, n1 = n0 + 1;
        mdz_tweedie_prefetch(base[0] + den_ctx0(mlag, n0) * MDZ_TW_BINS);
        mdz_tweedie_prefetch(base[0] + den_ctx0(mlag, n1) * MDZ_TW_BINS);
        if (k > 1) {
            mdz_tweedie_prefetch(base[1] + den_ctx1(p->fs.h2, n0) * MDZ_TW_BINS);
            mdz_tweedie_prefetch(base[1] + den_ctx1(p->fs.h2, n1) * MDZ_TW_BINS);
        }
    } else {
        uint32_t b0 = (uint32_t)(c0 * 2) & 255, b1 = b0 | 1;
        mdz_tweedie_prefetch(base[0] + den_ctx0(mlag, 1) * MDZ_TW_BINS);
        if (k > 1) {
            mdz_tweedie_prefetch(base[1] + den_ctx1(den_h2(c1 << 8 | b0), 1) * MDZ_TW_BINS);
            mdz_tweedie_prefetch(base[1] + den_ctx1(den_h2(c1 << 8 | b1), 1) * MDZ_TW_BINS);
        }
    }
}

static inline void den_prefetch(mdz_predictor *p, int late)
{
    if (p->fs.tw.c.k == DEN_STEPS) den_prefetch_k(p, late, DEN_STEPS);
    else den_prefetch_k(p, late, p->fs.tw.c.k);
}

static size_t mixer_weights(void)
{
    return (size_t)(M0_SETS + M1_SETS + M2_SETS + M3_SETS) * NIN + (size_t)FIN_SETS * 8;
}

uint64_t mdz_predictor_memory(int level, int block_log)
{
    if (level < 3) level = 3;
    if (level > 9) level = 9;
    uint64_t m = sizeof(mdz_predictor);
    m += mdz_big_bytes((uint64_t)64 << ht_bits_alloc(level, block_log));
    m += mdz_big_bytes((uint64_t)2 * 4 << match_bits_alloc(level, block_log));
    m += (uint64_t)NLADDER * 256 * MDZ_PPM_QSTATES * 4;
    m += (uint64_t)mixer_weights() * 2 + 16;
    m += (uint64_t)(SSE1_CTX + SSE2_CTX) * MDZ_SSE_POINTS * 2 + 64;
    if (level_stage(level) != MDZ_PF_APM) m += mdz_big_bytes(den_bytes(DEN_STEPS));
    return m;
}

mdz_predictor *mdz_predictor_new(int level, int block_log)
{
    if (level < 3) level = 3;
    if (level > 9) level = 9;
    mdz_predictor *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->level = level;
    p->stage = level_stage(level);
    p->ht_bits_max = ht_bits_alloc(level, block_log);
    p->match_bits_max = match_bits_alloc(level, block_log);
    p->ht_mem = mdz_big_alloc((size_t)64 << p->ht_bits_max);
    p->match_mem = mdz_big_alloc((size_t)2 * 4 << p->match_bits_max);
    p->ppm_sm = malloc((size_t)NLADDER * 256 * MDZ_PPM_QSTATES * 4);
    p->mw_mem = malloc(mixer_weights() * 2 + 16);
    p->sse_mem = malloc((size_t)(SSE1_CTX + SSE2_CTX) * MDZ_SSE_POINTS * 2 + 64);
    if (p->stage != MDZ_PF_APM) {
        p->fs.cap = den_bytes(DEN_STEPS);
        p->fs.mem = mdz_big_alloc(p->fs.cap);
    }
    if (!p->ht_mem || !p->match_mem || !p->ppm_sm || !p->mw_mem || !p->sse_mem ||
        (p->fs.cap && !p->fs.mem)) {
        mdz_predictor_free(p);
        return NULL;
    }
    p->ht.t = p->ht_mem;
    p->sse_t = mdz_aligned(p->sse_mem, 64);
    p->mw = mdz_aligned(p->mw_mem, 16);
    return p;
}

void mdz_predictor_free(mdz_predictor *p)
{
    if (!p) return;
    free(p->ht_mem);
    free(p->match_mem);
    free(p->ppm_sm);
    free(p->mw_mem);
    free(p->sse_mem);
    free(p->fs.mem);
    free(p);
}

/* ---------------------------------------------------------- byte / nibble */

/* Computes the hashes of the nibble about to start and prefetches their
 * buckets; lookup_nibble() later binds the slots.  In between, the caller
 * does the updates of the last bit, hiding the memory latency. */
#define HASHED_CTX(F) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9) F(10) F(11)

MDZ_HOT void prepare_set(mdz_predictor *p, int c0, int first, unsigned mask)
{
#define PREP1(i)                                                        \
    if (mask & (1u << (i))) {                                           \
        p->nh[i] = first ? p->ctxh[i] : mdz_hash_nibble(p->ctxh[i], c0); \
        mdz_hash_prefetch(&p->ht, p->nh[i]);                            \
    }
    HASHED_CTX(PREP1)
#undef PREP1
}

static void prepare_nibble(mdz_predictor *p, int c0, int first)
{
    switch (p->ctxset) {
    case 1: prepare_set(p, c0, first, CTX_ALL); break;
    case 2: prepare_set(p, c0, first, CTX_NOSPARSE); break;
    default:
        for (int k = 0; k < p->nhact; k++) {
            int i = p->hact[k];
            p->nh[i] = first ? p->ctxh[i] : mdz_hash_nibble(p->ctxh[i], c0);
            mdz_hash_prefetch(&p->ht, p->nh[i]);
        }
    }
}

/* One bit before the second nibble: both of its possible buckets. */
MDZ_HOT void prefetch_set(mdz_predictor *p, int c0, unsigned mask)
{
#define PREF1(i)                                                        \
    if (mask & (1u << (i))) {                                           \
        mdz_hash_prefetch(&p->ht, mdz_hash_nibble(p->ctxh[i], c0 * 2));     \
        mdz_hash_prefetch(&p->ht, mdz_hash_nibble(p->ctxh[i], c0 * 2 + 1)); \
    }
    HASHED_CTX(PREF1)
#undef PREF1
}

static void prefetch_both(mdz_predictor *p, int c0)
{
    switch (p->ctxset) {
    case 1: prefetch_set(p, c0, CTX_ALL); break;
    case 2: prefetch_set(p, c0, CTX_NOSPARSE); break;
    default:
        for (int k = 0; k < p->nhact; k++) {
            uint64_t h = p->ctxh[p->hact[k]];
            mdz_hash_prefetch(&p->ht, mdz_hash_nibble(h, c0 * 2));
            mdz_hash_prefetch(&p->ht, mdz_hash_nibble(h, c0 * 2 + 1));
        }
    }
}

MDZ_HOT void lookup_set(mdz_predictor *p, unsigned mask)
{
#define LOOK1(i) \
    if (mask & (1u << (i))) p->slot[i] = mdz_hash_slot(&p->ht, p->nh[i]);
    HASHED_CTX(LOOK1)
#undef LOOK1
}

static void lookup_nibble(mdz_predictor *p)
{
    /* orders 0 and 1: 17 nibble slots per context (first nibble, then one
     * per value of the first nibble) */
    int nib = p->bitpos == 0 ? 0 : 1 + (p->c0 & 15);
    p->slot[0] = p->direct + nib * 16;
    p->slot[1] = p->direct + (size_t)(17 + (int)(p->c8 & 255) * 17 + nib) * 16;
    switch (p->ctxset) {
    case 1: lookup_set(p, CTX_ALL); break;
    case 2: lookup_set(p, CTX_NOSPARSE); break;
    default:
        for (int k = 0; k < p->nhact; k++) {
            int i = p->hact[k];
            p->slot[i] = mdz_hash_slot(&p->ht, p->nh[i]);
        }
    }
}

/* The byte buf[pos] is complete: new byte-level contexts. */
static void byte_contexts(mdz_predictor *p, int c)
{
    p->c8 = (p->c8 << 8) | (uint64_t)c;
    p->pos++;
    mdz_ppm_contexts(p->c8, p->ctxh);
    mdz_high_contexts(p->c8, p->ctxh + NPPM);
    mdz_word_byte(&p->word, p->buf, p->pos, p->ctxh + NPPM + NHIGH);
    /* mixer learning rate: fast at first, settling over the first ~100 KB */
    int lr = MIX_LR + (int)(MIX_LR_BOOST * 8192 / (p->pos + 8192));
    for (int j = 0; j < NMIX; j++) p->mx[j].lr = lr;
}

/* Components a level leaves out, for speed: levels 3-6 drop the sparse
 * context and the first SSE map (which level 6 does not run: it ends in
 * the denoiser); 7-9 run everything (they differ in table sizes). */
static int level_flags(int level)
{
    int sparse = MDZ_PF_NO_CTX0 << (NPPM + 2);
    if (level <= 6) return sparse | MDZ_PF_NO_SSE1;
    return 0;
}

void mdz_predictor_set_flags(mdz_predictor *p, int flags)
{
    flags |= level_flags(p->level);
    p->flags = flags;
    p->nact = p->nhact = 0;
    for (int i = 0; i < NCTX; i++) {
        int on = 1;
        if (i >= NPPM && i < NPPM + NHIGH && (flags & MDZ_PF_NO_HIGH)) on = 0;
        if (i >= NPPM + NHIGH && (flags & MDZ_PF_NO_WORD)) on = 0;
        if (flags & (MDZ_PF_NO_CTX0 << i)) on = 0;
        p->active[i] = on;
        p->st[i] = 0;
        p->x[i] = 0;
        if (on && i != 1) p->act[p->nact++] = i; /* order 1: see below */
        if (on && i >= NDIRECT) p->hact[p->nhact++] = i;
    }
    unsigned mask = 0;
    for (int i = 0; i < NCTX; i++)
        if (p->active[i]) mask |= 1u << i;
    p->ctxmask = mask;
    p->ctxset = mask == CTX_ALL ? 1 : mask == CTX_NOSPARSE ? 2 : 0;
    p->match_on = !(flags & MDZ_PF_NO_MATCH);
    p->match.recover = !(flags & MDZ_PF_NO_RECOVER);
    p->sc_thresh = p->match_on && !(flags & MDZ_PF_NO_SC) ? SC_THRESH : 0;
    p->x[X_PPM] = 0;
    p->x[X_MATCH] = 0;
    p->nmix = (flags & MDZ_PF_NO_MIX4) ? 3 : 4;
    for (int j = p->nmix; j < NMIX; j++) p->x2[j] = 0;
    /* the final stage; the denoiser's table is the level's (allocated by
     * mdz_predictor_new) or, for a stage the level does not use, allocated
     * here when first asked for; cleared here (flags are set right after
     * reset) */
    int stage = flags & MDZ_PF_STAGE_MASK;
    if (!stage) stage = p->stage;
    p->fs.stage = stage;
    p->fs.sse_on = stage != MDZ_PF_DEN && !(flags & MDZ_PF_NO_SSE);
    p->fs.den_on = stage != MDZ_PF_APM;
    p->fs.err = 0;
    if (p->fs.den_on) {
        int k = (flags & MDZ_PF_DEN_K_MASK) >> 23;
        mdz_tw_config c;
        den_config(&c, k ? k : DEN_STEPS);
        size_t need = mdz_tweedie_bytes(&c);
        if (need > p->fs.cap) {
            free(p->fs.mem);
            p->fs.mem = mdz_big_alloc(need);
            p->fs.cap = p->fs.mem ? need : 0;
        }
        if (p->fs.mem) {
            mdz_tweedie_init(&p->fs.tw, p->fs.mem, &c);
            for (int i = 0; i < c.k; i++) p->fs.base[i] = mdz_tweedie_row(&p->fs.tw, i, 0);
            den_byte(p);
            p->fs.mlag = 0;
            den_prefetch(p, 0);
        } else {
            p->fs.err = 1;
            p->fs.den_on = 0;
        }
    }
    prepare_nibble(p, p->c0, p->bitpos == 0);
    lookup_nibble(p);
}

void mdz_predictor_reset(mdz_predictor *p, const uint8_t *buf, size_t n)
{
    p->buf = buf;
    p->pos = 0;
    p->c8 = 0;
    p->c0 = 1;
    p->bitpos = 0;
    p->node = 1;

    int hb = mdz_ceil_log2(n);
    if (hb < 10) hb = 10;
    if (hb > p->ht_bits_max) hb = p->ht_bits_max;
    p->ht.bits = hb;
    p->ht.mask = ((uint64_t)1 << hb) - 1;
    memset(p->ht.t, 0, (size_t)64 << hb);
    memset(p->direct, 0, sizeof p->direct);
    for (int i = 0; i < 65536; i++) p->cnt1[i] = mdz_sm_init_p(32768);

    int mb = mdz_ceil_log2(n) + 1;
    if (mb < 10) mb = 10;
    if (mb > p->match_bits_max) mb = p->match_bits_max;
    mdz_match_init(&p->match, p->match_mem, p->match_mem + ((size_t)1 << mb), mb);

    mdz_word_init(&p->word);
    mdz_sc_init(&p->sc);
    uint32_t init[256];
    mdz_sm_init_states(init);
    for (int i = 0; i < NCTX; i++)
        mdz_sm_init_states22(p->sm[i]);
    for (int o = 0; o < NLADDER; o++)
        for (int s = 0; s < 256; s++) {
            uint32_t v = init[s];
            for (int q = 0; q < MDZ_PPM_QSTATES; q++)
                p->ppm_sm[(o * 256 + s) * MDZ_PPM_QSTATES + q] = v;
        }
    p->ord = 0;
    p->conf = 0;
    p->ppm_idx = 0;

    int16_t *w = p->mw;
    mdz_mixer_init(&p->mx[0], w, NIN, M0_SETS, MIX_LR + MIX_LR_BOOST, MIX_W0);
    w += M0_SETS * NIN;
    mdz_mixer_init(&p->mx[1], w, NIN, M1_SETS, MIX_LR + MIX_LR_BOOST, MIX_W0);
    w += M1_SETS * NIN;
    mdz_mixer_init(&p->mx[2], w, NIN, M2_SETS, MIX_LR + MIX_LR_BOOST, MIX_W0);
    w += M2_SETS * NIN;
    mdz_mixer_init(&p->mx[3], w, NIN, M3_SETS, MIX_LR + MIX_LR_BOOST, MIX_W0);
    w += M3_SETS * NIN;
    mdz_mixer_init(&p->fin, w, 8, FIN_SETS, FIN_LR, 8192 / NMIX);
    memset(p->x, 0, sizeof p->x);
    memset(p->x2, 0, sizeof p->x2);

    mdz_sse_init(&p->sse1, p->sse_t, SSE1_CTX);
    mdz_sse_init(&p->sse2, p->sse_t + SSE1_CTX * MDZ_SSE_POINTS, SSE2_CTX);
    p->p_mix = p->pr = 32768;
    p->st_mix = 0;

    mdz_ppm_contexts(0, p->ctxh);
    mdz_high_contexts(0, p->ctxh + NPPM);
    for (int i = 0; i < NWORD; i++) p->ctxh[NPPM + NHIGH + i] = mdz_hash2(0x5000 + (uint64_t)i, 0);
    mdz_predictor_set_flags(p, 0);
}

/* -------------------------------------------------------------- per bit */

int mdz_predictor_flags_ok(const mdz_predictor *p)
{
    return !p->fs.err;
}

/* After the mixer network: a classic SSE (APM) chain. */
static inline int sse_stage(mdz_predictor *p, int st, int pm)
{
    if (!p->fs.sse_on) return pm;
    int c1 = (int)(p->c8 & 255);
    if (p->flags & MDZ_PF_NO_SSE1) {
        int s2 = mdz_sse_p(&p->sse2, st, p->c0 | (c1 >> 2) << 8);
        return (pm + 3 * s2 + 2) >> 2;
    }
    int s1, s2;
    mdz_sse_p2(&p->sse1, &p->sse2, st, p->c0 + 256 * (p->ord * 4 + p->ms),
               p->c0 | (c1 >> 2) << 8, &s1, &s2);
    return (pm + s1 + 2 * s2 + 2) >> 2;
}

/* The final stage: the SSE chain, the denoiser, or one after the other. */
static inline int final_stage(mdz_predictor *p, int st, int pm)
{
    if (!p->fs.den_on) return sse_stage(p, st, pm);
    switch (p->fs.stage) {
    case MDZ_PF_APM_DEN:
        return mdz_tweedie_p(&p->fs.tw, sse_stage(p, st, pm), p->fs.row);
    case MDZ_PF_DEN_APM: {
        int pd = mdz_tweedie_p(&p->fs.tw, pm, p->fs.row);
        return sse_stage(p, mdz_stretch(pd), pd);
    }
    default:
        /* the levels' three steps, unrolled */
        if (p->fs.tw.c.k == DEN_STEPS) {
            mdz_tweedie *d = &p->fs.tw;
            mdz_tw_point **row = p->fs.row;
            return mdz_tweedie_pk(d, pm, row, DEN_STEPS);
        }
        return mdz_tweedie_p(&p->fs.tw, pm, p->fs.row);
    }
}

/* The per-context work of a bit, for the context sets the levels use:
 * written out per context with a constant mask, so each context's state
 * map and slot pointer sit at fixed offsets (no list to walk).  Other sets
 * (ablation flags) take the general loop over act[].  Either way the
 * contexts are visited in increasing order, so slots shared by two
 * contexts end up the same. */


/* order 1 (context 1) is not among them: see mdz_predictor_p() */
#define CTX_P1(i)                                                       \
    if (mask & (1u << (i))) {                                           \
        int s = p->slot[i][node];                                       \
        p->st[i] = s;                                                   \
        x[i] = (int16_t)mdz_stretch(mdz_sm22_p(&p->sm[i][s]));            \
        if ((i) != 0) run += mdz_state_run[s];                          \
    }

MDZ_HOT int ctx_predict(mdz_predictor *p, int16_t *x, int node, unsigned mask)
{
    int run = 0;
    CTX_P1(0) CTX_P1(2) CTX_P1(3) CTX_P1(4) CTX_P1(5) CTX_P1(6)
    CTX_P1(7) CTX_P1(8) CTX_P1(9) CTX_P1(10) CTX_P1(11)
    return run;
}

#define CTX_U1(i)                                                       \
    if (mask & (1u << (i))) {                                           \
        int s = p->st[i];                                               \
        mdz_sm22_update(&p->sm[i][s], y, SM_RATE);                   \
        p->slot[i][node] = next[2 * s];                                 \
    }

MDZ_HOT void ctx_update(mdz_predictor *p, int y, int node, unsigned mask)
{
    const uint8_t *next = mdz_state_next + y;
    CTX_U1(0) CTX_U1(2) CTX_U1(3) CTX_U1(4) CTX_U1(5) CTX_U1(6)
    CTX_U1(7) CTX_U1(8) CTX_U1(9) CTX_U1(10) CTX_U1(11)
}

MDZ_HOT int predict_bit(mdz_predictor *p)
{
    int16_t *x = p->x;
    const int node = p->node;
    int run;
    switch (p->ctxset) {
    case 1: run = ctx_predict(p, x, node, CTX_ALL); break;
    case 2: run = ctx_predict(p, x, node, CTX_NOSPARSE); break;
    default:
        run = 0;
        for (int k = 0; k < p->nact; k++) {
            int i = p->act[k];
            int s = p->slot[i][node];
            p->st[i] = s;
            x[i] = (int16_t)mdz_stretch(mdz_sm22_p(&p->sm[i][s]));
            run += mdz_state_run[s];
        }
        run -= mdz_state_run[p->st[0]];
    }
    /* order 1: its state counts for the PPM order, its input is the direct
     * probability of (c1, c0) */
    p->st[1] = p->active[1] ? p->slot[1][node] : 0;
    /* PPM: highest order seen, its confidence, exclusion estimate */
    int ord = 0;
    for (int k = NLADDER - 1; k > 0; k--)
        if (p->st[k]) { ord = k; break; }
    int sh = p->st[ord];
    p->ord = ord;
    p->conf = mdz_ppm_conf(mdz_state_n0[sh], mdz_state_n1[sh]);
    /* match (early: the denoiser's prefetch needs its state) */
    int ms = 0;
    if (p->match_on) {
        mdz_match_predict(&p->match, p->buf, p->c0, p->bitpos);
        if (p->match.len > 0) {
            int mp = mdz_sm_p(&p->match.sm[p->match.lenb * 2 + p->match.exp]);
            x[X_MATCH] = (int16_t)mdz_stretch(mp);
            ms = mdz_match_state(&p->match);
        } else {
            x[X_MATCH] = 0;
        }
    }
    p->ms = ms;
    if (p->fs.den_on) den_prefetch(p, 1);
    x[X_RUN] = (int16_t)(run * 16);
    p->cnt1_idx = (int)(p->c8 & 255) << 8 | p->c0;
    x[1] = (int16_t)mdz_stretch(mdz_sm_p(&p->cnt1[p->cnt1_idx]));
    if (!(p->flags & MDZ_PF_NO_PPMX)) {
        int lower = ord > 0 ? p->st[ord - 1] : 0;
        p->ppm_idx = (ord * 256 + sh) * MDZ_PPM_QSTATES + mdz_ppm_qstate[lower];
        x[X_PPM] = (int16_t)mdz_stretch(mdz_sm_p(&p->ppm_sm[p->ppm_idx]));
    }
    x[X_BIAS] = 256;

    int c1 = (int)(p->c8 & 255);
    mdz_mixer_pack16(x);
    int pm;
    if (p->flags & MDZ_PF_ONE_MIXER) {
        pm = mdz_mixer_pn(&p->mx[0], x, p->c0, NIN);
        p->st_mix = p->mx[0].st;
    } else {
        mdz_mixer_pn4x16(p->mx, x, p->c0, (ord * 4 + ms) * 2 + (p->conf >= 4), c1,
                         (int)(p->c8 >> 8) & 255, p->x2);
        if (p->nmix < 4) p->x2[3] = 0;
        pm = mdz_mixer_pn(&p->fin, p->x2, p->c0, 8);
        p->st_mix = p->fin.st;
    }
    p->p_mix = pm;
    int pr = final_stage(p, p->st_mix, pm);
    if (pr < MDZ_P_MIN) pr = MDZ_P_MIN;
    if (pr > 65536 - MDZ_P_MIN) pr = 65536 - MDZ_P_MIN;
    p->pr = pr;
    return pr;
}

MDZ_HOT void update_bit(mdz_predictor *p, int y)
{
    int c0 = p->c0 * 2 + y;
    int bitpos = p->bitpos + 1;

    /* Start the next nibble's memory traffic before the updates. */
    if (bitpos == 8) {
        byte_contexts(p, c0 & 255);
        prepare_nibble(p, 1, 1);
        if (p->match_on) mdz_match_prepare(&p->match, p->buf, p->pos);
    } else if (bitpos == 4) {
        prepare_nibble(p, c0, 0);
    } else if (bitpos == 3) {
        prefetch_both(p, c0);
    }

    int node = p->node;
    switch (p->ctxset) {
    case 1: ctx_update(p, y, node, CTX_ALL); break;
    case 2: ctx_update(p, y, node, CTX_NOSPARSE); break;
    default: {
        const uint8_t *next = mdz_state_next + y;
        for (int k = 0; k < p->nact; k++) {
            int i = p->act[k];
            int s = p->st[i];
            mdz_sm22_update(&p->sm[i][s], y, SM_RATE);
            p->slot[i][node] = next[2 * s];
        }
    }
    }
    if (p->active[1]) p->slot[1][node] = (uint8_t)mdz_state_next_of(p->st[1], y);
    if (!(p->flags & MDZ_PF_NO_PPMX)) mdz_sm_update(&p->ppm_sm[p->ppm_idx], y, PPM_LIMIT);
    mdz_sm_update(&p->cnt1[p->cnt1_idx], y, CNT_LIMIT);
    if (p->match_on && p->match.len > 0)
        mdz_sm_update(&p->match.sm[p->match.lenb * 2 + p->match.exp], y, MATCH_LIMIT);

    if (p->flags & MDZ_PF_ONE_MIXER) {
        mdz_mixer_updaten(&p->mx[0], p->x, y, NIN);
    } else {
        mdz_mixer_updaten_skip(&p->mx[0], p->x, y, NIN, MIX_SKIP);
        mdz_mixer_updaten_skip(&p->mx[1], p->x, y, NIN, MIX_SKIP);
        mdz_mixer_updaten_skip(&p->mx[2], p->x, y, NIN, MIX_SKIP);
        if (p->nmix > 3) mdz_mixer_updaten_skip(&p->mx[3], p->x, y, NIN, MIX_SKIP);
        mdz_mixer_updaten(&p->fin, p->x2, y, 8);
    }
    if (p->fs.den_on) {
        mdz_tweedie *d = &p->fs.tw;
        if (d->c.k == DEN_STEPS) mdz_tweedie_updatek(d, y, DEN_STEPS);
        else mdz_tweedie_update(d, y);
    }
    if (p->fs.sse_on) {
        if (p->flags & MDZ_PF_NO_SSE1) mdz_sse_update(&p->sse2, y, 6);
        else mdz_sse_update2(&p->sse1, &p->sse2, y, 6);
    }

    if (bitpos == 8) {
        if (p->match_on) mdz_match_byte(&p->match, p->buf, p->pos);
        c0 = 1;
        bitpos = 0;
    }
    p->c0 = c0;
    p->bitpos = bitpos;
    if (p->fs.sse_on)
        mdz_sse_prefetch(&p->sse2, c0 | (int)(p->c8 & 252) << 6);
    p->node = (bitpos & 3) == 0 ? 1 : p->node * 2 + y;
    if ((bitpos & 3) == 0) lookup_nibble(p);
    if (p->fs.den_on) den_prefetch(p, 0);
}

int mdz_predictor_p(mdz_predictor *p)
{
    return predict_bit(p);
}

void mdz_predictor_update(mdz_predictor *p, int y)
{
    update_bit(p, y);
}

void mdz_predictor_info(const mdz_predictor *p, mdz_pred_info *info)
{
    info->p_mix = p->p_mix;
    info->st_mix = p->st_mix;
    info->ord = p->ord;
    info->conf = p->conf;
    info->match = p->match_on ? mdz_match_state(&p->match) : 0;
    info->c0 = p->c0;
    info->bitpos = p->bitpos;
    info->c1 = (int)(p->c8 & 255);
}

/* ---------------------------------------------------------- whole bytes */

/* The four states along nibble nib's path from node 1 of each context in
 * mask, in increasing order of context (as ctx_update() visits them). */
#define WALK1(i)                                                        \
    if (mask & (1u << (i))) {                                           \
        uint8_t *sp = p->slot[i];                                       \
        sp[1] = mdz_state_next[2 * sp[1] + y1];                         \
        sp[n2] = mdz_state_next[2 * sp[n2] + y2];                       \
        sp[n3] = mdz_state_next[2 * sp[n3] + y3];                       \
        sp[n4] = mdz_state_next[2 * sp[n4] + y4];                       \
    }

MDZ_HOT void walk_set(mdz_predictor *p, int nib, unsigned mask)
{
    int y1 = nib >> 3, y2 = (nib >> 2) & 1, y3 = (nib >> 1) & 1, y4 = nib & 1;
    int n2 = 2 | y1, n3 = 4 | nib >> 2, n4 = 8 | nib >> 1;
    WALK1(0) WALK1(1) WALK1(2) WALK1(3) WALK1(4) WALK1(5)
    WALK1(6) WALK1(7) WALK1(8) WALK1(9) WALK1(10) WALK1(11)
}
#undef WALK1

static void walk_nibble(mdz_predictor *p, int nib)
{
    switch (p->ctxset) {
    case 1: walk_set(p, nib, CTX_ALL); break;
    case 2: walk_set(p, nib, CTX_NOSPARSE); break;
    default: walk_set(p, nib, p->ctxmask);
    }
}

/* The byte c matched (models/shortcut.h): each active context's states
 * along its path learn it, a nibble at a time, and the byte-level state
 * moves on as after its eighth bit; the maps, mixers and final stage learn
 * from coded bits only.  Called at a byte boundary. */
static inline void skip_byte_ex(mdz_predictor *p, int c, int coding)
{
    walk_nibble(p, c >> 4);
    p->c0 = 16 | c >> 4;
    p->bitpos = 4;
    prepare_nibble(p, p->c0, 0);
    lookup_nibble(p);
    walk_nibble(p, c & 15);
    byte_contexts(p, c);
    prepare_nibble(p, 1, 1);
    mdz_match_prepare(&p->match, p->buf, p->pos);
    mdz_match_byte(&p->match, p->buf, p->pos);
    p->c0 = 1;
    p->bitpos = 0;
    p->node = 1;
    if (p->fs.sse_on)
        mdz_sse_prefetch(&p->sse2, 1 | (int)(p->c8 & 252) << 6);
    lookup_nibble(p);
    if (coding && p->fs.den_on) den_prefetch(p, 0);
}

static void skip_byte(mdz_predictor *p, int c)
{
    skip_byte_ex(p, c, 1);
}

void mdz_predictor_walk(mdz_predictor *p, size_t from, size_t to)
{
    /* the denoiser's byte state and rows only after the last byte: they
     * are a function of the state then (den_prefetch(p, 0)), so the bits
     * are those of skip_byte() on every byte, without fetching rows no
     * prediction reads */
    for (size_t i = from; i < to; i++) skip_byte_ex(p, p->buf[i], 0);
    if (to > from && p->fs.den_on) den_prefetch(p, 0);
}

int mdz_predictor_encode(mdz_predictor *p, mdz_arith_enc *e, size_t from, size_t to)
{
    const uint8_t *src = p->buf;
    for (size_t i = from; i < to; i++) {
        int byte = src[i];
        if (mdz_sc_encode(&p->sc, &p->match, src, (uint32_t)(p->c8 & 255), p->sc_thresh, e,
                          byte)) {
            skip_byte(p, byte);
        } else {
            for (int j = 7; j >= 0; j--) {
                int y = (byte >> j) & 1;
                mdz_arith_encode(e, y, predict_bit(p));
                update_bit(p, y);
            }
            mdz_sc_settle(&p->sc, byte);
        }
        if (e->full) return -1;
    }
    return 0;
}

size_t mdz_predictor_decode(mdz_predictor *p, mdz_arith_dec *dec, uint8_t *dst, size_t from,
                            size_t to)
{
    mdz_arith_dec d = *dec;   /* in registers for the loop */
    size_t i;
    for (i = from; i < to; i++) {
        int byte = mdz_sc_decode(&p->sc, &p->match, dst, (uint32_t)(p->c8 & 255), p->sc_thresh,
                                 &d);
        if (byte >= 0) {
            dst[i] = (uint8_t)byte;
            skip_byte(p, byte);
        } else {
            byte = 0;
            for (int j = 0; j < 8; j++) {
                int y = mdz_arith_decode(&d, predict_bit(p));
                byte = byte * 2 + y;
                if (j == 7) dst[i] = (uint8_t)byte;
                update_bit(p, y);
            }
            mdz_sc_settle(&p->sc, byte);
        }
        if (mdz_arith_dec_overrun(&d)) break;
    }
    *dec = d;
    return i;
}
