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

/* Character class: 1 letter (ASCII letters and bytes >= 128), 2 digit,
 * 3 blank, 4 newline, 5 + (c & 7) punctuation and the rest; shared with the
 * fast model's shape context (fastpred.c). */
static inline int mdz_byte_class(int c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 128) return 1;
    if (c >= '0' && c <= '9') return 2;
    if (c == ' ' || c == '\t') return 3;
    if (c == '\n' || c == '\r') return 4;
    return 5 + (c & 7);
}

void mdz_word_init(mdz_word *w);
/* After byte buf[pos-1] was appended; writes MDZ_WORD_NCTX context hashes. */
void mdz_word_byte(mdz_word *w, const uint8_t *buf, size_t pos, uint64_t *ctx);

#endif
