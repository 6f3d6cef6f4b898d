/*
 * dict.c -- dictionaries: the ID a stream records for one, mdz_dict_id(),
 * and building one from samples, mdz_train_dict().
 *
 * A dictionary is history the model reads before each block (mdz.h,
 * "Dictionaries"), so the best dictionary is the content that the data to
 * come will repeat: the lines, keys and phrases that recur in most inputs
 * of a kind, not what one input happens to hold many times.  The trainer
 * picks such content out of sample inputs in the manner of the COVER
 * algorithm (Liao, Petri, Moffat and Wirth, "Effective construction of
 * Relative Lempel-Ziv dictionaries", 2016), which zstd's trainer uses,
 * written here afresh and cut to lines: it measures, for every short
 * string, in how many samples it occurs, and then takes the pieces of
 * sample text that hold the most of those strings per byte, greedily,
 * each piece counting only what the pieces taken before it do not
 * already hold.  Everything is integer arithmetic over the bytes
 * given, with ties broken by position, so the result is a pure function
 * of the input: the same samples give the same dictionary on every
 * machine.  There is no global mutable state.
 *
 * 1. THE TRIVIAL CASE
 *
 * If all the samples together fit in the capacity, the dictionary is their
 * concatenation, in the order given: nothing has to be left out, and the
 * order is the caller's (a caller that wants the most typical sample
 * nearest the data can put it last).
 *
 * 2. DOCUMENT FREQUENCY
 *
 * The strings counted are k-mers, the K = 8 byte substrings at every
 * position of a sample (never across two samples).  Eight bytes is long
 * enough that a k-mer shared by two samples is rarely chance ("INFO dfs",
 * " user=ro", a timestamp's "2015-10-") and short enough that the parts
 * shared between lines that differ in their fields still count (COVER
 * and zstd's fast trainer use 6 to 8 by default).
 *
 * A k-mer's value is its document frequency df: the number of counting
 * units it occurs in, however often it occurs in each.  A unit is a
 * sample, or, for a sample longer than UNIT = 16 KiB, each 16 KiB piece of
 * it: someone who trains on a few whole log files rather than on many
 * small pieces still gets "recurs in many places" rather than "recurs in
 * one file", and 16 KiB is a few times the pieces a dictionary is for
 * (records, 4 KiB log chunks) while still holding a few dozen lines.  A
 * k-mer is attributed to the unit it starts in.
 *
 * k-mers are not stored: each is hashed (its 8 bytes as a 64-bit word,
 * mixed and multiplied, the top bits taken) to a slot of a table of
 * 2^bits counters, and the k-mers that share a slot share a count.  The
 * table has at least four times as many slots as there are k-mer
 * positions, from 2^12 up to 2^TAB_BITS_MAX = 2^22 slots: a k-mer then
 * rarely shares its slot, and at the largest size a few MB of samples
 * (far more than a 110 KiB dictionary needs; text and logs repeat most of
 * their k-mers, so the distinct ones are far fewer than the positions)
 * still leave most distinct k-mers a slot of their own.  A collision only
 * ever inflates a count: it can give a k-mer seen in one unit df 2, a
 * small score that matters only among segments that have nothing better.  Each slot also has a stamp: the number of the last
 * unit that counted it, so that a k-mer counts once per unit.  Two u32
 * arrays of 2^22 entries make 32 MiB, the most the table takes whatever
 * the input.
 *
 * 3. SEGMENTS
 *
 * The pieces the dictionary is made of are segments: each sample is cut
 * into consecutive segments, each ending just after a newline, so that a
 * dictionary of logs or records is made of whole lines, which is what the
 * data will repeat (and the model's line-based contexts, such as the column
 * context, see whole lines).  A segment is at least SEG_MIN = 48 bytes: a
 * newline before that does not end it (short lines join the next), since
 * a very short piece carries more edge (k-mers that cross its ends are
 * lost) than content.  It is at most SEG_MAX = 1 KiB: text without
 * newlines is cut there, so that one long line cannot crowd out a dozen
 * better ones, and the choice stays fine-grained.  The last segment of a
 * sample is what remains of it, whatever its length.  The segments
 * partition the samples, so when the samples do not fit, the segments
 * always suffice to fill the capacity.
 *
 * 4. SCORE
 *
 * The score of a segment is the sum of df over the distinct k-mers that
 * lie wholly inside it, counting only those with df >= 2 (content that
 * recurs in at least two units; a k-mer of one unit is no evidence of
 * what other data will hold) and not yet covered, divided by the
 * segment's length: value per byte of dictionary spent.  A k-mer is
 * covered once a segment holding it has been taken: its slot's df is then
 * set to 0, so the next segments gain nothing for repeating it, and the
 * dictionary spends its bytes on different content.  The division is
 * done in fixed point (the sum times 2^16), so scores of short and long
 * segments compare exactly and alike everywhere.
 *
 * A k-mer that occurs twice in a segment counts once there: while a
 * segment is scored, the slots it has counted are marked with the number
 * of that scoring in the stamp array, which is free once the counting of
 * section 2 is done.
 *
 * Ties are broken by a second score, the number of distinct k-mers not yet
 * covered (df >= 1) per byte, then by position (the earlier segment
 * first).  Ties are common at the end: once the recurring content is used
 * up, every segment left scores 0, and the second score then prefers new
 * content, seen once, to repeats of what is taken.
 *
 * 5. LAZY GREEDY SELECTION
 *
 * Taking at each step the segment of best score against the current
 * coverage would mean rescoring every segment after each choice.  But a
 * score can only fall as coverage grows, so a score computed earlier is an
 * upper bound of the current one.  The segments wait in a max-heap by
 * their last score; the top is popped and rescored (unless nothing has
 * been covered since it was scored): if it is still at least the score
 * of the new top, no other segment can beat it, and it is taken;
 * otherwise it goes back into the heap with its new score.  Each return to
 * the heap lowers that segment's score, so this ends; in practice few
 * segments are rescored more than once or twice.  Selection stops when
 * the segments taken hold at least the capacity.
 *
 * The heap lives in one array of all segments; the segments taken are
 * kept at its far end, in the slots the heap gives up as it shrinks (the
 * first one taken in the last slot), so no other list is needed.
 *
 * 6. OUTPUT
 *
 * The dictionary is the segments taken, the first one taken last: the
 * model reads the dictionary from its start, and what it read last is
 * what its match model and adaptive statistics hold most strongly when
 * the data begins, so the most valuable content belongs nearest the data.
 * The segment taken last is the least valuable; if it does not fit, it is
 * cut from its start (its end, a line's end, is kept), so the dictionary
 * has exactly the capacity's size.
 *
 * 7. COST
 *
 * Time: one pass over the samples to count (a multiply and two table
 * accesses per byte), one to score every segment, and a rescoring per
 * heap return, each linear in the segment's length: about 0.1 s per MB
 * of samples (the table's random accesses dominate).  Memory, besides the output: the
 * table (8 bytes per slot, at most 32 MiB) and 24 bytes per segment (at
 * most one per 48 bytes of sample, plus one per sample): half the size of
 * the samples for samples of lines, 24 bytes per sample for tiny ones.
 */
#include "mdz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define K 8                          /* bytes of a k-mer */
#define UNIT ((size_t)16 << 10)      /* the longest counting unit */
#define SEG_MIN 48                   /* a segment's least length (but a
                                        sample's last one) */
#define SEG_MAX 1024                 /* a segment's greatest length */
#define TAB_BITS_MIN 12
#define TAB_BITS_MAX 22              /* 2^22 slots x 8 bytes = 32 MiB */
#define SCORE_SHIFT 16               /* fixed point of the per-byte scores */

MDZ_API uint32_t mdz_dict_id(const void *dict, size_t size)
{
    return mdz_crc32c(0, dict, size);
}

/* A segment and its last scores. */
typedef struct {
    uint64_t score;   /* sum of df (df >= 2, uncovered) << SCORE_SHIFT / len */
    uint32_t fresh;   /* distinct uncovered k-mers << SCORE_SHIFT / len */
    uint32_t len;     /* bytes, 1..SEG_MAX */
    size_t start;     /* offset in the samples */
    uint64_t epoch;   /* the number of segments taken when it was scored */
} seg;

typedef struct {
    const unsigned char *src;
    uint32_t *df;     /* per slot: document frequency, 0 once covered */
    uint32_t *stamp;  /* per slot: last unit counted, then last scoring */
    size_t slots;
    int bits;
    uint32_t mark;    /* the current unit's or scoring's stamp */
} trainer;

/* The slot of a k-mer (its bytes as a big-endian word). */
static size_t slot_of(const trainer *t, uint64_t w)
{
    w ^= w >> 29;
    w *= 0x9E3779B97F4A7C15ull;
    return (size_t)(w >> (64 - t->bits));
}

/* A new stamp value; on wrap-around, the stamps are cleared so that an
 * old value cannot be mistaken for the new one. */
static uint32_t next_mark(trainer *t)
{
    if (t->mark == UINT32_MAX) {
        memset(t->stamp, 0, t->slots * sizeof *t->stamp);
        t->mark = 0;
    }
    return ++t->mark;
}

/* Counts the units each k-mer of a sample occurs in. */
static void count_sample(trainer *t, const unsigned char *p, size_t size)
{
    uint64_t w = 0;
    uint32_t mark = 0;
    size_t j;
    for (j = 0; j < size; j++) {
        w = (w << 8) | p[j];
        if (j + 1 >= K) {
            size_t start = j + 1 - K, s;
            if (start % UNIT == 0)
                mark = next_mark(t);
            s = slot_of(t, w);
            if (t->stamp[s] != mark) {
                t->stamp[s] = mark;
                if (t->df[s] < UINT32_MAX)
                    t->df[s]++;
            }
        }
    }
}

/* Where the segment that starts at start (before end) ends. */
static size_t seg_end(const unsigned char *src, size_t start, size_t end)
{
    size_t i, lim = end - start > SEG_MAX ? start + SEG_MAX : end;
    for (i = start + SEG_MIN - 1; i < lim; i++)
        if (src[i] == '\n')
            return i + 1;
    return lim;
}

/* Scores a segment against the current coverage. */
static void score(trainer *t, seg *g, uint64_t epoch)
{
    const unsigned char *p = t->src + g->start;
    uint64_t w = 0, sum = 0;
    uint32_t fresh = 0, mark = next_mark(t), j;
    for (j = 0; j < g->len; j++) {
        w = (w << 8) | p[j];
        if (j + 1 >= K) {
            size_t s = slot_of(t, w);
            uint32_t d;
            if (t->stamp[s] == mark)
                continue;
            t->stamp[s] = mark;
            d = t->df[s];
            if (d >= 2)
                sum += d;
            if (d >= 1)
                fresh++;
        }
    }
    g->score = (sum << SCORE_SHIFT) / g->len;
    g->fresh = (uint32_t)(((uint64_t)fresh << SCORE_SHIFT) / g->len);
    g->epoch = epoch;
}

/* Marks the k-mers of a segment taken as covered. */
static void cover(trainer *t, const seg *g)
{
    const unsigned char *p = t->src + g->start;
    uint64_t w = 0;
    uint32_t j;
    for (j = 0; j < g->len; j++) {
        w = (w << 8) | p[j];
        if (j + 1 >= K)
            t->df[slot_of(t, w)] = 0;
    }
}

/* 1 if a ranks before b: higher score, then more fresh k-mers, then
 * earlier. */
static int better(const seg *a, const seg *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    if (a->fresh != b->fresh)
        return a->fresh > b->fresh;
    return a->start < b->start;
}

static void sift_down(seg *h, size_t n, size_t i)
{
    seg x = h[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && better(&h[c + 1], &h[c]))
            c++;
        if (!better(&h[c], &x))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

static void sift_up(seg *h, size_t i)
{
    seg x = h[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!better(&x, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = x;
}

MDZ_API int mdz_train_dict(void *dst, size_t *dst_len, const void *samples, const size_t *sizes,
                           size_t n)
{
    const unsigned char *src = samples;
    unsigned char *out = dst;
    size_t total = 0, cap, i, nseg, hn, off, pos;
    uint64_t taken = 0, filled = 0;
    seg *h;
    trainer t;

    if (!dst || !dst_len || !sizes || n == 0)
        return MDZ_ERR_PARAM;
    cap = *dst_len;
    if (cap == 0 || cap > MDZ_DICT_SIZE_MAX)
        return MDZ_ERR_PARAM;
    for (i = 0; i < n; i++) {
        if (sizes[i] > SIZE_MAX - total)
            return MDZ_ERR_PARAM;
        total += sizes[i];
    }
    if (total == 0 || !src)
        return MDZ_ERR_PARAM;
    if (total <= cap) {
        memcpy(out, src, total);
        *dst_len = total;
        return MDZ_OK;
    }

    /* the segments: counted, then laid out */
    nseg = 0;
    for (i = 0, off = 0; i < n; off += sizes[i], i++) {
        size_t s = off, end = off + sizes[i];
        while (s < end) {
            s = seg_end(src, s, end);
            nseg++;
        }
    }
    h = malloc(nseg * sizeof *h);
    memset(&t, 0, sizeof t);
    t.src = src;
    t.bits = TAB_BITS_MIN;
    while (t.bits < TAB_BITS_MAX && ((size_t)1 << t.bits) / 4 < total)
        t.bits++;
    t.slots = (size_t)1 << t.bits;
    t.df = calloc(t.slots, sizeof *t.df);
    t.stamp = calloc(t.slots, sizeof *t.stamp);
    if (!h || !t.df || !t.stamp) {
        free(h);
        free(t.df);
        free(t.stamp);
        return MDZ_ERR_MEMORY;
    }

    /* document frequencies */
    for (i = 0, off = 0; i < n; off += sizes[i], i++)
        count_sample(&t, src + off, sizes[i]);
    memset(t.stamp, 0, t.slots * sizeof *t.stamp);
    t.mark = 0;

    /* every segment scored, into a heap */
    nseg = 0;
    for (i = 0, off = 0; i < n; off += sizes[i], i++) {
        size_t s = off, end = off + sizes[i];
        while (s < end) {
            size_t e = seg_end(src, s, end);
            h[nseg].start = s;
            h[nseg].len = (uint32_t)(e - s);
            score(&t, &h[nseg], 0);
            nseg++;
            s = e;
        }
    }
    for (i = nseg / 2; i-- > 0;)
        sift_down(h, nseg, i);

    /* lazy greedy selection; the segments taken go to h[hn..nseg), the
     * first one taken at the end */
    hn = nseg;
    while (filled < cap && hn > 0) {
        seg top = h[0];
        h[0] = h[--hn];
        if (hn > 0)
            sift_down(h, hn, 0);
        if (top.epoch != taken)
            score(&t, &top, taken);
        if (hn == 0 || !better(&h[0], &top)) {
            cover(&t, &top);
            taken++;
            filled += top.len;
            h[hn] = top;
        } else {
            h[hn] = top;
            sift_up(h, hn);
            hn++;
        }
    }

    /* the output: the first taken last, the last taken cut from its start */
    pos = cap;
    for (i = nseg; i-- > hn && pos > 0;) {
        const seg *g = &h[i];
        size_t take = g->len < pos ? g->len : pos;
        memcpy(out + pos - take, src + g->start + g->len - take, take);
        pos -= take;
    }
    *dst_len = cap - pos;
    if (pos > 0)  /* cannot happen: the segments hold more than cap */
        memmove(out, out + pos, cap - pos);
    free(h);
    free(t.df);
    free(t.stamp);
    return MDZ_OK;
}
