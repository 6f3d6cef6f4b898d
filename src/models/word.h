/*
 * word.h -- word and text-layout contexts.
 *
 * Tracks, byte by byte: the hash of the current word so far (letters,
 * case-folded; bytes >= 128 count as letters so UTF-8 words stay whole),
 * the hashes of the two previous words (w2 is kept for experiments; no
 * context uses it yet), the column (bytes since the last
 * newline), the byte at the same column of the previous line, and a hash of
 * the recent "shape" (character classes: letter, digit, space, punctuation,
 * each run collapsed).  Produces the hashed contexts listed in word.c.
 */
#ifndef MDZ_WORD_H
#define MDZ_WORD_H

#include <stddef.h>
#include <stdint.h>

#define MDZ_WORD_NCTX 4

typedef struct {
    uint64_t w0, w1, w2;  /* current word, previous words (0: none) */
    uint64_t shape;       /* class-run history */
    size_t line0, line1;  /* start of current / previous line */
    int lastclass;
} mdz_word;

void mdz_word_init(mdz_word *w);
/* After byte buf[pos-1] was appended; writes MDZ_WORD_NCTX context hashes. */
void mdz_word_byte(mdz_word *w, const uint8_t *buf, size_t pos, uint64_t *ctx);

#endif
