/*
 * highorder.h -- hashed contexts of orders 5..8 and sparse (skip) contexts.
 * See highorder.c for the list.
 */
#ifndef MDZ_HIGHORDER_H
#define MDZ_HIGHORDER_H

#include <stdint.h>

#define MDZ_HIGH_NCTX 3

/* From the last 8 bytes (c8, newest in the low byte). */
void mdz_high_contexts(uint64_t c8, uint64_t *ctx);

#endif
