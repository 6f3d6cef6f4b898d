/*
 * squash.h -- the logistic domain in fixed point.
 *
 * stretch(p) = ln(p/(1-p)) and its inverse squash(x) = 1/(1+e^-x), with
 * probabilities as 16-bit integers (P(1) * 65536, 1..65535) and stretched
 * values in units of 1/256 nat, clamped to [-2047, 2047] (|ln odds| < 8).
 * Both are lookup tables computed once offline and compiled in as constants,
 * so every compiler and CPU computes bit-identical results.
 */
#ifndef MDZ_SQUASH_H
#define MDZ_SQUASH_H

#include <stdint.h>

#define MDZ_ST_MAX 2047

extern const uint16_t mdz_squash_tab[4095]; /* index x + 2047 */
extern const int16_t mdz_stretch_tab[4096]; /* index p16 >> 4 */

/* x in 1/256 nat (any int) -> P(1) in 1..65535. */
static inline int mdz_squash(int x)
{
    if (x > MDZ_ST_MAX) x = MDZ_ST_MAX;
    if (x < -MDZ_ST_MAX) x = -MDZ_ST_MAX;
    return mdz_squash_tab[x + MDZ_ST_MAX];
}

/* p16 in 0..65535 -> ln(p/(1-p)) in 1/256 nat, -2047..2047. */
static inline int mdz_stretch(int p16)
{
    return mdz_stretch_tab[p16 >> 4];
}

#endif
