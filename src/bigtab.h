/*
 * bigtab.h -- allocation of the models' big tables (hash tables, match
 * tables, the denoiser's rows), shared by predictor.c and fastpred.c.
 *
 * Big tables are 2 MiB aligned and sized in whole 2 MiB pages, and on
 * Linux backed by huge pages where the kernel allows it (random access over
 * hundreds of MiB otherwise spends much of its time in TLB misses).
 * Contents are unaffected: callers clear what they use.
 */
#ifndef MDZ_BIGTAB_H
#define MDZ_BIGTAB_H

#include <stddef.h>
#include <stdint.h>

/* A table of at least `bytes` bytes (free() it), or NULL. */
void *mdz_big_alloc(size_t bytes);

/* The bytes mdz_big_alloc() takes for a table of b bytes. */
static inline uint64_t mdz_big_bytes(uint64_t b)
{
    uint64_t align = (uint64_t)2 << 20;
    return (b + align - 1) & ~(align - 1);
}

/* The first address at or after m that is a multiple of align (a power of
 * two): small tables are malloc()ed with align - 1 bytes to spare. */
static inline void *mdz_aligned(void *m, size_t align)
{
    uintptr_t a = (uintptr_t)m;
    return (uint8_t *)m + ((align - (a & (align - 1))) & (align - 1));
}

/* The least b (at most 40) with 2^b >= n. */
static inline int mdz_ceil_log2(size_t n)
{
    int b = 0;
    while (b < 40 && ((size_t)1 << b) < n) b++;
    return b;
}

#endif
