/*
 * predictor.h -- the whole model for one block: contexts -> states ->
 * adaptive maps -> mixers -> SSE -> P(next bit = 1).  See the essay at the
 * top of predictor.c.
 *
 * Usage, per block:
 *   mdz_predictor_reset(p, buf, n);
 *   mdz_predictor_encode(p, &enc, from, to) for successive ranges, or
 *   mdz_predictor_decode(p, &dec, buf, from, to)   (the block codec's way:
 *       bits, and whole bytes as one decision where a match is sure), or,
 *   bit by bit (no whole-byte decisions; what a calibration study uses):
 *   for each bit y of buf (MSB first):
 *       pr = mdz_predictor_p(p);          P(1) in 16 bits, clipped
 *       ... code y with pr ...
 *       (decoder: when y is the 8th bit of byte i, store buf[i] first)
 *       mdz_predictor_update(p, y);
 *
 * Ablation: mdz_predictor_set_flags() switches components off (their mixer
 * inputs become 0 and they are not updated); flags must be set right after
 * reset and identically on both sides.  Levels 3-6 add their own flags
 * (see level_flags() in predictor.c).
 *
 * The final stage after the mixers (predictor.c's final_stage()) is the
 * SSE/APM chain at levels 3-5 and the micro-diffusion denoiser (tweedie.h)
 * at levels 6-9; the
 * MDZ_PF_STAGE flags below choose either, or both in either order, at any
 * level.  The denoiser's table is part of mdz_predictor_memory() where the
 * level ends in it; at the others it is allocated by
 * mdz_predictor_set_flags() when first asked for (not counted: only the
 * ablation does that).  After mdz_predictor_p(), mdz_predictor_info()
 * reports the mixer network's output (before the final stage) and the
 * natural bucket contexts: the PPM order, its confidence, the partial
 * byte and the bit position.
 */
#ifndef MDZ_PREDICTOR_H
#define MDZ_PREDICTOR_H

#include <stddef.h>
#include <stdint.h>

#include "arith.h"

#define MDZ_PF_NO_PPMX   0x01  /* PPM-with-exclusion input */
#define MDZ_PF_NO_HIGH   0x02  /* orders 6, 8 and the sparse context */
#define MDZ_PF_NO_WORD   0x04  /* word / column / shape contexts */
#define MDZ_PF_NO_MATCH  0x08  /* match model */
#define MDZ_PF_NO_SSE    0x10  /* final SSE stage */
#define MDZ_PF_ONE_MIXER 0x20  /* only the c0-selected mixer, no 2nd layer */
#define MDZ_PF_NO_MIX4   0x40  /* no 4th first-layer mixer (selected by c2) */
#define MDZ_PF_NO_SSE1   0x80  /* final stage: only the c0 x c1 SSE map */
#define MDZ_PF_NO_CTX0  0x100  /* MDZ_PF_NO_CTX0 << i: context i (0..11, listed
                                  in predictor.c) off */

/* The final stage (tweedie.h, doc/denoiser.md).  0 in these bits: the
 * level's own (levels 3-5 the SSE/APM chain, 6-9 the denoiser); otherwise
 * the stage named.  The "APM" is the SSE chain of final_stage() in
 * predictor.c (lpaq-style interpolated maps averaged with their input);
 * MDZ_PF_NO_SSE switches it off wherever it stands (MDZ_PF_APM |
 * MDZ_PF_NO_SSE: no final stage at all). */
#define MDZ_PF_STAGE_MASK (7 << 20)
#define MDZ_PF_DEN      (1 << 20)  /* the denoiser alone */
#define MDZ_PF_APM_DEN  (2 << 20)  /* the SSE/APM chain, then the denoiser */
#define MDZ_PF_DEN_APM  (3 << 20)  /* the denoiser, then the SSE/APM chain */
#define MDZ_PF_APM      (4 << 20)  /* the SSE/APM chain alone */
#define MDZ_PF_DEN_K(k) ((k) << 23) /* denoiser steps k = 1..5 (0: the levels' 3) */
#define MDZ_PF_DEN_K_MASK (7 << 23)
#define MDZ_PF_NO_SC    (1 << 26)  /* no whole-byte decisions (models/shortcut.h) */
#define MDZ_PF_NO_RECOVER (1 << 27) /* the match model does not recover (models/match.h) */

typedef struct mdz_predictor mdz_predictor;

/* Bytes allocated by a predictor at this level (3..9; 1 and 2 are the fast
 * model's, fastpred.h, and run level 3 here) whose blocks hold at most
 * 2^block_log bytes (the tables are capped at what such a block uses;
 * blocks must not be longer). */
uint64_t mdz_predictor_memory(int level, int block_log);
mdz_predictor *mdz_predictor_new(int level, int block_log);
void mdz_predictor_free(mdz_predictor *p);

/* Starts a block of n bytes whose history lives in buf (read only; the
 * decoder fills it as it goes).  Table sizes used are min(level's, what n
 * needs), a pure function of (level, n). */
void mdz_predictor_reset(mdz_predictor *p, const uint8_t *buf, size_t n);
void mdz_predictor_set_flags(mdz_predictor *p, int flags);
/* 0 if the flags asked for a stage whose table could not be allocated
 * (the stage is then off: do not code with this predictor). */
int mdz_predictor_flags_ok(const mdz_predictor *p);

typedef struct {
    int p_mix;    /* mixer network output, P(1) in 16 bits */
    int st_mix;   /* the same, stretched (1/256 nat) */
    int ord;      /* highest order seen at this node: 0..7 = o0..o4,o5,o6,o8 */
    int conf;     /* its confidence: count bucket 0..3, +4 if deterministic */
    int match;    /* match state 0..3 (none, <16, <32, longer) */
    int c0;       /* partial byte with leading 1 (1..255) */
    int bitpos;   /* 0..7 */
    int c1;       /* previous byte */
} mdz_pred_info;

void mdz_predictor_info(const mdz_predictor *p, mdz_pred_info *info);

int mdz_predictor_p(mdz_predictor *p);
void mdz_predictor_update(mdz_predictor *p, int y);

/* The coding loops: the bits above, and at byte boundaries where the match
 * model has a long, reliable match, the whole byte as one decision
 * (models/shortcut.h).  Encode buf[from..to) (buf as given to reset; from
 * = where the last call ended): 0, or -1 once the coder's output is full.
 * Decode dst[from..to) (dst: the buf given to reset): the position
 * reached, less than to if the decoder overran its payload. */
int mdz_predictor_encode(mdz_predictor *p, mdz_arith_enc *e, size_t from, size_t to);

/* Walks buf[from..to) (from = where the last call ended) into the
 * contexts' states and the match model without coding it, as bytes the
 * match model coded whole (skip_byte()): the maps, mixers and final stage
 * do not learn.  How a dictionary primes the model (codec.c). */
void mdz_predictor_walk(mdz_predictor *p, size_t from, size_t to);
size_t mdz_predictor_decode(mdz_predictor *p, mdz_arith_dec *d, uint8_t *dst, size_t from,
                            size_t to);

#endif
