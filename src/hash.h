/*
 * hash.h -- hashed context tables of bit-history states.
 *
 * The table is an array of 64-byte buckets (one cache line), each holding 4
 * slots of 16 bytes: a check byte and the 15 bit-history states of one
 * nibble's binary tree (node 1, nodes 2..3, 4..7, 8..15).  A context is
 * looked up once per nibble: the hash's top bits pick the bucket, its low
 * byte (the check byte) picks the slot.  On a miss, the slot whose first node has the least history
 * (smallest n0 + n1) is cleared and taken, so contexts with more history
 * survive.  Check byte 0 is never used, so an empty slot never matches.
 */
#ifndef MDZ_HASH_H
#define MDZ_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *t;       /* 64-byte aligned buckets */
    uint64_t mask;    /* buckets - 1 */
    int bits;         /* log2(buckets) */
} mdz_hashtab;

extern const uint8_t mdz_state_prio[256];

/* 64-bit finalizer (good avalanche) used for all context hashes. */
static inline uint64_t mdz_hash64(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ull;
    x ^= x >> 27;
    x *= 0x81dadef4bc2dd44dull;
    x ^= x >> 33;
    return x;
}

static inline uint64_t mdz_hash2(uint64_t a, uint64_t b)
{
    return mdz_hash64(a * 0x9e3779b97f4a7c15ull + b + 0x632be59bd9b4e019ull);
}

/* Hash of the second nibble's context: the byte context's hash and the
 * first nibble (c0 = 16..31).  One multiply: the bucket comes from the top
 * bits of the product, which depend on every input bit. */
static inline uint64_t mdz_hash_nibble(uint64_t h, int c0)
{
    return (h + (uint64_t)c0 * 0x9e3779b97f4a7c15ull) * 0xd6e8feb86659fd93ull;
}

static inline uint8_t *mdz_hash_bucket(const mdz_hashtab *ht, uint64_t h)
{
    return ht->t + ((h >> (64 - ht->bits)) << 6);
}

static inline void mdz_hash_prefetch(const mdz_hashtab *ht, uint64_t h)
{
#if defined(__GNUC__)
    __builtin_prefetch(mdz_hash_bucket(ht, h));
#else
    (void)ht;
    (void)h;
#endif
}

/* Returns the 16-byte slot for hash h (slot[0] is the check byte, slot[1..15]
 * the states). */
static inline uint8_t *mdz_hash_slot(mdz_hashtab *ht, uint64_t h)
{
    uint8_t chk = (uint8_t)((h & 255) | ((h & 255) == 0));
    uint8_t *b = mdz_hash_bucket(ht, h);
    if (b[0] == chk) return b;
    if (b[16] == chk) return b + 16;
    if (b[32] == chk) return b + 32;
    if (b[48] == chk) return b + 48;
    int best = 0, bp = mdz_state_prio[b[1]];
    for (int i = 1; i < 4; i++) {
        int pr = mdz_state_prio[b[i * 16 + 1]];
        if (pr < bp) { bp = pr; best = i; }
    }
    uint8_t *s = b + best * 16;
    for (int i = 0; i < 16; i++) s[i] = 0;
    s[0] = chk;
    return s;
}

#endif
