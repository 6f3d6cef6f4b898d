/*
 * testutil.h -- small helpers shared by the Check unit tests: a
 * deterministic PRNG, generated sample buffers, file loading, and the corpus
 * directory (MDZ_CORPUS_DIR, set by `make check`).
 */
#ifndef MDZ_TESTUTIL_H
#define MDZ_TESTUTIL_H

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64*: deterministic, seedable, good enough for test data. */
typedef struct { uint64_t s; } tu_rng;

static inline void tu_seed(tu_rng *r, uint64_t seed)
{
    r->s = seed * 0x9E3779B97F4A7C15ull + 1;
}

static inline uint64_t tu_next(tu_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1Dull;
}

static inline void tu_random_bytes(tu_rng *r, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(tu_next(r) >> 56);
}

/* English-like text from a small vocabulary: compressible, not trivial. */
static inline void tu_text(tu_rng *r, uint8_t *p, size_t n)
{
    static const char *words[] = {
        "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
        "and", "a", "model", "predicts", "every", "bit", "of", "input",
        "mixer", "weights", "context", "order", "match", "word", "log",
        "2026-11-23", "INFO", "WARN", "request", "id=", "42", "\n"
    };
    size_t i = 0;
    while (i < n) {
        const char *w = words[tu_next(r) % (sizeof words / sizeof *words)];
        for (size_t j = 0; w[j] && i < n; j++)
            p[i++] = (uint8_t)w[j];
        if (i < n)
            p[i++] = ' ';
    }
}

/* Reads a whole file; NULL if it cannot be read. */
static inline uint8_t *tu_load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        if (k == 0)
            break;
        n += k;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* The corpus directory, or NULL when it is absent. */
static inline const char *tu_corpus_dir(void)
{
    const char *d = getenv("MDZ_CORPUS_DIR");
    if (!d || !*d)
        d = "../shared/corpora";
    FILE *f;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/README.md", d);
    f = fopen(probe, "rb");
    if (!f)
        return NULL;
    fclose(f);
    return d;
}

/* True when running under sanitizers (MDZ_SAN=1): tests trim big inputs. */
static inline int tu_sanitized(void)
{
    const char *s = getenv("MDZ_SAN");
    return s && s[0] == '1';
}

/* Runs one suite; returns the process exit status. */
static inline int tu_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
