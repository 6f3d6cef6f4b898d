/*
 * ppm.h -- the PPM view of the order-0..4 (and higher) contexts.
 *
 * The order-N contexts themselves are ordinary hashed bit-history contexts
 * (see predictor.c).  This module supplies what makes them "PPM": the
 * highest order whose context has been seen at the current tree node (its
 * state is nonzero), the confidence of that order (a bucket of its count and
 * whether it is deterministic), and a PPM-with-exclusion estimate: an
 * adaptive map indexed by (highest order, its state, quantised state of the
 * next lower order).  The map learns how much to trust the highest order
 * given what the order below it says, i.e. the escape/exclusion behaviour,
 * as its own mixer input.
 */
#ifndef MDZ_PPM_H
#define MDZ_PPM_H

#include <stdint.h>

#define MDZ_PPM_QSTATES 16

/* Quantised state: 0 unseen; 1..4 only ones seen (n1 bucket); 5..8 only
 * zeros seen; 9..15 mixed, by n1/(n0+n1). */
extern const uint8_t mdz_ppm_qstate[256];

/* Confidence of a state 0..3: count bucket (1, 2-3, 4-7, 8+), which the
 * predictor combines with determinism. */
static inline int mdz_ppm_conf(int n0, int n1)
{
    int n = n0 + n1;
    int c = (n >= 2) + (n >= 4) + (n >= 8);   /* branch-free */
    return c + 4 * ((n0 == 0) | (n1 == 0));
}

/* Context hashes of orders 0..4 from the last 8 bytes (c8, newest lowest). */
void mdz_ppm_contexts(uint64_t c8, uint64_t *ctx);

#endif
