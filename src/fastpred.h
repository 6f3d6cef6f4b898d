/*
 * fastpred.h -- the fast model of levels 1 and 2: a handful of contexts,
 * the match model, one mixer and one SSE map, built for speed.  See the
 * essay at the top of fastpred.c.
 *
 * The coding loops live with the model (mdz_fastpred_encode() /
 * mdz_fastpred_decode()), so the per-bit work is inlined into them.
 *
 * Usage, per block:
 *   mdz_fastpred_reset(p, buf, n);       buf: the block (decoder: its output)
 *   mdz_fastpred_encode(p, &enc, from, to) for successive ranges, or
 *   mdz_fastpred_decode(p, &dec, buf, from, to)
 */
#ifndef MDZ_FASTPRED_H
#define MDZ_FASTPRED_H

#include <stddef.h>
#include <stdint.h>

#include "arith.h"

typedef struct mdz_fastpred mdz_fastpred;

/* Bytes allocated for a level (1..2) and blocks of at most 2^block_log
 * bytes (the tables are capped at what such a block uses). */
uint64_t mdz_fastpred_memory(int level, int block_log);
mdz_fastpred *mdz_fastpred_new(int level, int block_log);
void mdz_fastpred_free(mdz_fastpred *p);

/* Starts a block of n bytes whose history lives in buf.  The table sizes
 * used are a pure function of (level, n). */
void mdz_fastpred_reset(mdz_fastpred *p, const uint8_t *buf, size_t n);

/* Codes buf[from..to) (buf as given to reset; from = where the last call
 * ended).  Returns 0, or -1 once the coder's output is full. */
int mdz_fastpred_encode(mdz_fastpred *p, mdz_arith_enc *e, size_t from, size_t to);

/* Walks buf[from..to) (from = where the last call ended) into the
 * contexts and the match model without coding it, as bytes the match
 * model coded whole: how a dictionary primes the model (codec.c). */
void mdz_fastpred_walk(mdz_fastpred *p, size_t from, size_t to);

/* Decodes dst[from..to) (dst: the buf given to reset).  Returns the
 * position reached: to, or less if the decoder overran its payload (the
 * block is then corrupt). */
size_t mdz_fastpred_decode(mdz_fastpred *p, mdz_arith_dec *d, uint8_t *dst, size_t from,
                           size_t to);

#endif
