/*
 * ablate -- what each model component is worth.
 *   ablate [-L level] [-x flags] [-v v1,v2,...] [-f] [-n] FILE...
 * Codes each file as one block with every variant of the model below,
 * decodes it again in memory with the same flags, verifies the round trip,
 * and prints one machine-readable row per variant:
 *     variant,bytes,bpb          (with -f: file,variant,bytes,bpb)
 * after a header line.  "full" is the model with the micro-diffusion
 * denoiser as its final stage (MDZ_PF_DEN, tweedie.h; what levels 6-9
 * ship); the component ablations are taken from it.  "apm-instead" has the
 * SSE/APM chain there instead (what levels 1-5 ship, and level 6 of model
 * 3), "no-denoiser" no final stage at all.  So at -L 1..5 "apm-instead",
 * and at -L 6..9 "full", equals the level's default output.  -x ORs extra
 * predictor flags (predictor.h) into every denoiser variant, e.g.
 * -x 0x1000000 for a 2-step denoiser; -v runs only the named variants; -n
 * omits the header.
 * Exit status 1 if any variant fails to round-trip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "mdz.h"
#include "predictor.h"

#define CTX(i) (MDZ_PF_NO_CTX0 << (i))

typedef struct {
    const char *name;
    int flags;
    int den;      /* 1: the extra -x flags apply */
} variant;

static const variant variants[] = {
    {"full", MDZ_PF_DEN, 1},
    {"no-denoiser", MDZ_PF_APM | MDZ_PF_NO_SSE, 0},
    {"apm-instead", MDZ_PF_APM, 0},
    {"apm+denoiser", MDZ_PF_APM_DEN, 1},
    {"denoiser+apm", MDZ_PF_DEN_APM, 1},
    {"no-ppm", MDZ_PF_DEN | MDZ_PF_NO_PPMX | CTX(2) | CTX(3) | CTX(4), 1},
    {"no-highorder", MDZ_PF_DEN | MDZ_PF_NO_HIGH, 1},
    {"no-match", MDZ_PF_DEN | MDZ_PF_NO_MATCH, 1},
    {"no-whole-bytes", MDZ_PF_DEN | MDZ_PF_NO_SC, 1},
    {"no-match-recovery", MDZ_PF_DEN | MDZ_PF_NO_RECOVER, 1},
    {"no-word", MDZ_PF_DEN | MDZ_PF_NO_WORD, 1},
    {"ppm-only", MDZ_PF_DEN | MDZ_PF_NO_HIGH | MDZ_PF_NO_WORD | MDZ_PF_NO_MATCH, 1},
    {"single-mixer", MDZ_PF_DEN | MDZ_PF_ONE_MIXER, 1},
    {"denoiser-k1", MDZ_PF_DEN | MDZ_PF_DEN_K(1), 1},
    {"denoiser-k3", MDZ_PF_DEN | MDZ_PF_DEN_K(3), 1},
    {"denoiser-k5", MDZ_PF_DEN | MDZ_PF_DEN_K(5), 1},
};

/* Returns the coded size, 0 on failure (allocation, or the round trip). */
/* Codes in[0..n) with the given predictor flags through the block codec,
 * decodes it again and compares; returns the coded size, 0 on failure. */
static size_t code_variant(mdz_codec *c, int flags, const uint8_t *in, size_t n,
                           uint8_t *out, size_t cap, uint8_t *back)
{
    if (mdz_codec_set_flags(c, flags) != 0) return 0;
    size_t z = mdz_codec_encode(c, in, n, out, cap);
    if (z == 0) return 0;
    if (mdz_codec_decode(c, out, z, back, n) != 0 || memcmp(in, back, n) != 0) return 0;
    return z;
}

/* Is name one of the comma-separated names in list? */
static int listed(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *s = list; *s;) {
        const char *e = strchr(s, ',');
        size_t l = e ? (size_t)(e - s) : strlen(s);
        if (l == len && !strncmp(s, name, len)) return 1;
        if (!e) break;
        s = e + 1;
    }
    return 0;
}

static uint8_t *load(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return NULL; }
    size_t cap = 1 << 16, len = 0;
    uint8_t *b = malloc(cap);
    for (;;) {
        if (!b) { fclose(f); return NULL; }
        len += fread(b + len, 1, cap - len, f);
        if (len < cap) break;
        cap *= 2;
        uint8_t *nb = realloc(b, cap);
        if (!nb) free(b);
        b = nb;
    }
    int err = ferror(f);
    fclose(f);
    if (err) { perror(path); free(b); return NULL; }
    *n = len;
    return b;
}

int main(int argc, char **argv)
{
    int level = 6, extra = 0, with_file = 0, header = 1, bad = 0;
    const char *only = NULL;
    int a = 1;
    for (; a < argc && argv[a][0] == '-' && argv[a][1]; a++) {
        if (!strcmp(argv[a], "-L") && a + 1 < argc) level = atoi(argv[++a]);
        else if (!strcmp(argv[a], "-x") && a + 1 < argc) extra = (int)strtol(argv[++a], NULL, 0);
        else if (!strcmp(argv[a], "-v") && a + 1 < argc) only = argv[++a];
        else if (!strcmp(argv[a], "-f")) with_file = 1;
        else if (!strcmp(argv[a], "-n")) header = 0;
        else {
            fprintf(stderr, "usage: ablate [-L level] [-x flags] [-v variants] [-f] [-n] FILE...\n");
            return 2;
        }
    }
    if (a >= argc) {
        fprintf(stderr, "usage: ablate [-L level] [-x flags] [-v variants] [-f] [-n] FILE...\n");
        return 2;
    }
    mdz_codec *p = mdz_codec_new(level, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX);
    if (!p) { fprintf(stderr, "ablate: out of memory\n"); return 2; }
    if (header) printf(with_file ? "file,variant,bytes,bpb\n" : "variant,bytes,bpb\n");
    for (; a < argc; a++) {
        size_t n = 0;
        uint8_t *in = load(argv[a], &n);
        if (!in) { bad = 1; continue; }
        if (n == 0) { free(in); continue; }
        size_t cap = n + n / 8 + 1024;
        uint8_t *out = malloc(cap), *back = malloc(n);
        if (!out || !back) { fprintf(stderr, "ablate: out of memory\n"); return 2; }
        for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
            if (only && !listed(only, variants[v].name)) continue;
            int flags = variants[v].flags | (variants[v].den ? extra : 0);
            size_t z = code_variant(p, flags, in, n, out, cap, back);
            if (with_file) printf("%s,", argv[a]);
            if (z == 0) {
                printf("%s,FAIL,FAIL\n", variants[v].name);
                bad = 1;
            } else {
                printf("%s,%zu,%.4f\n", variants[v].name, z, 8.0 * (double)z / (double)n);
            }
            fflush(stdout);
        }
        free(in);
        free(out);
        free(back);
    }
    mdz_codec_free(p);
    return bad;
}
