/*
 * codec_bench -- measure the block codec on files without the frame layer.
 *   codec_bench [-L level] [-F flags] FILE...
 * Codes each file as one block, decodes it, verifies, and prints the coded
 * size, bits per byte, CPU seconds for each direction and an FNV-1a hash of
 * the coded bytes (to compare builds), then the total.  With -F, encodes
 * only, with predictor ablation flags (predictor.h), e.g. -F 0x10 = no SSE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec.h"
#include "mdz.h"
#include "predictor.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Encode-only with predictor flags (ablation); returns the coded size. */
static size_t encode_flags(int level, int flags, const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    mdz_codec *c = mdz_codec_new(level, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX);
    size_t z = 0;
    if (c && mdz_codec_set_flags(c, flags) == 0)
        z = mdz_codec_encode(c, in, n, out, cap);
    mdz_codec_free(c);
    return z;
}

int main(int argc, char **argv)
{
    int flags = -1;
    int level = 6;
    unsigned long long total = 0, total_in = 0;
    int bad = 0;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "-L") && a + 1 < argc) { level = atoi(argv[++a]); continue; }
        if (!strcmp(argv[a], "-F") && a + 1 < argc) { flags = (int)strtol(argv[++a], NULL, 0); continue; }
        FILE *f = fopen(argv[a], "rb");
        if (!f) { perror(argv[a]); return 2; }
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *in = malloc((size_t)n + 1), *out = malloc((size_t)n + 1024), *back = malloc((size_t)n + 1);
        if (fread(in, 1, (size_t)n, f) != (size_t)n) { perror("read"); return 2; }
        fclose(f);
        if (flags >= 0) {
            double s0 = now();
            size_t zf = encode_flags(level, flags, in, (size_t)n, out, (size_t)n + 1024);
            printf("%-40s %10ld -> %9zu  %.4f bpc  enc %.2fs (flags 0x%x)\n", argv[a], n, zf,
                   n ? 8.0 * zf / n : 0.0, now() - s0, flags);
            total += zf;
            total_in += (unsigned long long)n;
            free(in); free(out); free(back);
            continue;
        }
        mdz_codec *c = mdz_codec_new(level, MDZ_MODEL_ID, MDZ_BLOCK_LOG_MAX);
        if (!c) { fprintf(stderr, "codec_new failed\n"); return 2; }
        double t0 = now();
        size_t z = mdz_codec_encode(c, in, (size_t)n, out, (size_t)n + 1024);
        double t1 = now();
        int r = mdz_codec_decode(c, out, z, back, (size_t)n);
        double t2 = now();
        int ok = z > 0 && r == 0 && memcmp(in, back, (size_t)n) == 0;
        uint64_t fnv = 14695981039346656037ull;
        for (size_t i = 0; i < z; i++) fnv = (fnv ^ out[i]) * 1099511628211ull;
        if (!ok) bad = 1;
        printf("%-40s %10ld -> %9zu  %.4f bpc  enc %.2fs dec %.2fs %s %016llx\n", argv[a], n, z,
               n ? 8.0 * z / n : 0.0, t1 - t0, t2 - t1, ok ? "OK" : "FAIL", (unsigned long long)fnv);
        fflush(stdout);
        total += z;
        total_in += (unsigned long long)n;
        mdz_codec_free(c);
        free(in); free(out); free(back);
    }
    printf("TOTAL %llu -> %llu\n", total_in, total);
    return bad;
}
