/*
 * word.c -- see word.h.  Contexts produced (each hashed with its own seed):
 *   0: current word prefix + (if between words) the last byte
 *   1: current word prefix + previous word (bigram)
 *   2: column bucket + byte above in the previous line + last byte
 *   3: class-shape history + last byte
 */
#include "models/word.h"
#include "hash.h"

void mdz_word_init(mdz_word *w)
{
    w->w0 = w->w1 = w->w2 = 0;
    w->shape = 0;
    w->line0 = w->line1 = 0;
    w->lastclass = 0;
}

void mdz_word_byte(mdz_word *w, const uint8_t *buf, size_t pos, uint64_t *ctx)
{
    int c = buf[pos - 1];
    int cls = mdz_byte_class(c);
    if (cls == 1) {
        int lc = (c >= 'A' && c <= 'Z') ? c + 32 : c;
        w->w0 = (w->w0 + (uint64_t)lc + 1) * 0x100000001b3ull;
    } else if (w->w0 != 0) {
        w->w2 = w->w1;
        w->w1 = w->w0;
        w->w0 = 0;
    }
    if (cls != w->lastclass || cls >= 5)
        w->shape = (w->shape << 4 | (uint64_t)(cls >= 5 ? 5 + (c & 7) : cls)) & 0xffffffffffull;
    w->lastclass = cls;
    if (c == '\n') {
        w->line1 = w->line0;
        w->line0 = pos;
    }
    size_t col = pos - w->line0;
    int above = 0;
    if (w->line1 + col < w->line0) above = buf[w->line1 + col];
    else above = 256;
    uint64_t cb = col < 32 ? col : 32 + (col >> 4);
    if (cb > 63) cb = 63;

    ctx[0] = mdz_hash2(w->w0 + 0x1000, w->w0 ? 0 : (uint64_t)c + 1);
    ctx[1] = mdz_hash2(w->w0 + 0x2000, w->w1);
    ctx[2] = mdz_hash2(0x3000 + ((uint64_t)above << 8 | (uint64_t)c), cb);
    ctx[3] = mdz_hash2(0x4000 + w->shape, (uint64_t)c);
}
