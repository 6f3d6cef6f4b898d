/*
 * gen_seeds -- writes the seed corpora of the fuzz targets, from code.
 *
 *   gen_seeds OUTDIR [SAMPLES_DIR]
 *
 * Writes OUTDIR/decompress/, OUTDIR/dstream/ and OUTDIR/roundtrip/.  The
 * content comes from buffers made here (edge cases of the format) and, when
 * SAMPLES_DIR is given, from prefixes of the samples that
 * tests/tools/gen_samples writes (empty, one-byte, run-1m, random-64k,
 * all-bytes, records.bin, text.txt, syslog.log).  Prefixes are kept small
 * (a few KiB) so that every seed decodes in milliseconds under ASan; the
 * fuzzer grows them.  The seeds are small valid .mdz files:
 *   - each sample prefix at levels 1, 2, 3 (block_log 16) and 6, 9;
 *   - multi-block streams (blocks cut short by MDZ_FLUSH), stored and
 *     modelled blocks mixed, two streams concatenated, an empty stream at
 *     every level, a stream at the largest block_log.
 * dstream seeds carry the 4 control bytes that target expects (a few piece
 * modes per file); roundtrip seeds are control bytes + raw content.
 * Deterministic: the same build writes the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mdz.h"
#include "fuzz_common.h"   /* ref_crc32c */

static const char *outdir;
static unsigned nseeds[3];
static const char *const tname[3] = { "decompress", "dstream", "roundtrip" };

static void die(const char *what)
{
    fprintf(stderr, "gen_seeds: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void put_file(int t, const char *name, const uint8_t *pre, size_t plen,
                     const uint8_t *buf, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", outdir, tname[t], name);
    FILE *f = fopen(path, "wb");
    if (!f)
        die(path);
    if ((plen && fwrite(pre, 1, plen, f) != plen) ||
        (n && fwrite(buf, 1, n, f) != n) || fclose(f) != 0)
        die(path);
    nseeds[t]++;
}

/* Streaming compression with a flush every `flush` bytes (0 = none). */
static uint8_t *compress(const uint8_t *src, size_t n, int level, int block_log,
                         size_t flush, size_t *clen)
{
    mdz_cparams p;
    if (mdz_cparams_init(&p, level) != MDZ_OK)
        exit(1);
    if (block_log)
        p.block_log = block_log;
    mdz_cstream *cs = mdz_cstream_new(&p);
    size_t cap = mdz_compress_bound(n, p.block_log) + (n / (flush ? flush : n + 1) + 1) * 17 + 64;
    uint8_t *dst = malloc(cap);
    if (!cs || !dst)
        die("out of memory");
    size_t pos = 0, opos = 0;
    for (;;) {
        size_t k = flush && n - pos > flush ? flush : n - pos;
        mdz_end_op op = pos + k == n ? MDZ_FINISH : MDZ_FLUSH;
        mdz_inbuf in = { src + pos, k, 0 };
        int r;
        do {
            mdz_outbuf out = { dst + opos, cap - opos, 0 };
            r = mdz_cstream_compress(cs, &out, &in, op);
            if (r < 0) {
                fprintf(stderr, "gen_seeds: compress: %s\n", mdz_strerror(r));
                exit(1);
            }
            opos += out.pos;
        } while (r > 0);
        pos += k;
        if (op == MDZ_FINISH)
            break;
    }
    mdz_cstream_free(cs);
    *clen = opos;
    return dst;
}

/* One valid .mdz file: a decompress seed and dstream seeds. */
static void emit_mdz(const char *name, const uint8_t *c, size_t clen)
{
    static const uint8_t modes[4][4] = {
        { 0x00, 1, 2, 3 },   /* byte by byte */
        { 0x05, 4, 5, 6 },   /* small pieces */
        { 0x0f, 7, 8, 9 },   /* whole */
        { 0x1a, 10, 11, 12 } /* list mode, medium pieces */
    };
    put_file(0, name, NULL, 0, c, clen);
    for (int m = 0; m < 4; m++) {
        char nm[256];
        snprintf(nm, sizeof nm, "%s.m%d", name, m);
        put_file(1, nm, modes[m], 4, c, clen);
    }
}

static void seed_content(const char *name, const uint8_t *src, size_t n)
{
    static const int levels[] = { 1, 2, 3, 6, 9 };
    char nm[256];
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++) {
        size_t clen;
        uint8_t *c = compress(src, n, levels[i], 16, 0, &clen);
        snprintf(nm, sizeof nm, "%s.l%d", name, levels[i]);
        emit_mdz(nm, c, clen);
        free(c);
    }
    /* roundtrip: level 1 / 2 / 3 via the table's low nibble, block_log 16,
     * one-shot, streaming, flushing, two streams */
    static const uint8_t ctl[4][4] = {
        { 0x00, 0x00, 0x00, 1 }, { 0x05, 0x00, 0x45, 2 },
        { 0x09, 0x00, 0x16, 3 }, { 0x00, 0x07, 0x7b, 4 }
    };
    for (int k = 0; k < 4; k++) {
        snprintf(nm, sizeof nm, "%s.r%d", name, k);
        put_file(2, nm, ctl[k], 4, src, n);
    }
}

static uint8_t *read_prefix(const char *path, size_t max, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *b = malloc(max ? max : 1);
    if (!b)
        die("out of memory");
    *n = fread(b, 1, max, f);
    fclose(f);
    return b;
}

static uint64_t rng_s = 0x66757a7a5eedULL;
static uint32_t rnd(void)
{
    rng_s ^= rng_s << 13;
    rng_s ^= rng_s >> 7;
    rng_s ^= rng_s << 17;
    return (uint32_t)rng_s;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: gen_seeds OUTDIR [SAMPLES_DIR]\n");
        return 2;
    }
    outdir = argv[1];
    char path[4096];
    mkdir(outdir, 0777);
    for (int t = 0; t < 3; t++) {
        snprintf(path, sizeof path, "%s/%s", outdir, tname[t]);
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            die(path);
    }

    /* buffers made here */
    uint8_t buf[8192];
    seed_content("empty", buf, 0);
    buf[0] = 'x';
    seed_content("one", buf, 1);
    memset(buf, 'a', 4096);
    seed_content("run4k", buf, 4096);
    for (int i = 0; i < 2048; i++)
        buf[i] = (uint8_t)rnd();
    seed_content("rand2k", buf, 2048);
    for (int i = 0; i < 512; i++)
        buf[i] = (uint8_t)i, buf[1023 - i] = (uint8_t)i;
    seed_content("bytes", buf, 1024);
    static const char text[] =
        "Nov 23 13:24:47 host sshd[1234]: Accepted publickey for root from "
        "10.0.0.1 port 52231 ssh2\nNov 23 13:24:48 host CRON[1240]: "
        "(root) CMD (run-parts /etc/cron.hourly)\n";
    size_t tl = 0;
    while (tl + sizeof text - 1 < 6000) {
        memcpy(buf + tl, text, sizeof text - 1);
        tl += sizeof text - 1;
    }
    seed_content("log", buf, tl);

    /* structure: flushed short blocks, stored + modelled, concatenation */
    size_t clen, clen2;
    uint8_t *c = compress(buf, tl, 1, 16, 700, &clen);
    emit_mdz("flushed", c, clen);
    for (int i = 0; i < 1500; i++)  /* a random stretch: a stored block */
        buf[2000 + i] = (uint8_t)rnd();
    free(c);
    c = compress(buf, tl, 2, 16, 1000, &clen);
    emit_mdz("mixed", c, clen);
    uint8_t *c2 = compress(buf, 300, 3, 17, 0, &clen2);
    uint8_t *cat = malloc(clen + clen2);
    memcpy(cat, c, clen);
    memcpy(cat + clen, c2, clen2);
    emit_mdz("concat", cat, clen + clen2);
    free(cat);
    free(c);
    free(c2);
    for (int level = 1; level <= 9; level++) {
        char nm[64];
        snprintf(nm, sizeof nm, "empty-l%d-b%d", level, 16 + level);
        c = compress(buf, 0, level, 16 + level, 0, &clen);
        emit_mdz(nm, c, clen);
        free(c);
    }
    c = compress(buf, 64, 1, 28, 0, &clen);  /* largest block_log */
    emit_mdz("b28", c, clen);
    free(c);
    /* older model ids (header byte 5): 1 and 2 still read at levels 1-6
     * and refused at 7-9, 3 and 4 read at every level (format.md section
     * 5), each with its own memory figure.  Relabelled streams: at level 5
     * and 7 they decode (the same coded bits, or model 3 = 4 = 5), at
     * level 6 the payload is the current model's, so ids 1-3's SSE chain
     * meets a denoiser's code and fails its checksum (4 decodes); at 7
     * ids 1 and 2 are refused */
    for (int model = 1; model <= 4; model++)
        for (int level = 5; level <= 7; level++) {
            char nm[64];
            c = compress(buf, 2000, level, 16, 0, &clen);
            c[5] = (uint8_t)model;
            ref_put32(c + 8, ref_mem_mib(model, level, 16));
            uint32_t crc = ref_crc32c(0, c, 12);
            for (int i = 0; i < 4; i++) c[12 + i] = (uint8_t)(crc >> (8 * i));
            snprintf(nm, sizeof nm, "model%d-l%d", model, level);
            emit_mdz(nm, c, clen);
            free(c);
        }

    /* prefixes of the generated samples */
    if (argc == 3) {
        static const struct {
            const char *name;
            size_t max;
        } samples[] = {
            { "empty", 0 }, { "one-byte", 1 }, { "run-1m", 16384 },
            { "random-64k", 3000 }, { "all-bytes", 1024 },
            { "records.bin", 4096 }, { "text.txt", 6000 },
            { "syslog.log", 8000 }
        };
        for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
            size_t n = 0;
            snprintf(path, sizeof path, "%s/%s", argv[2], samples[i].name);
            uint8_t *b = read_prefix(path, samples[i].max, &n);
            if (!b) {
                fprintf(stderr, "gen_seeds: %s: %s (skipped)\n", path, strerror(errno));
                continue;
            }
            char nm[256];
            snprintf(nm, sizeof nm, "s-%s", samples[i].name);
            seed_content(nm, b, n);
            free(b);
        }
    }
    printf("gen_seeds: %u decompress, %u dstream, %u roundtrip seeds in %s\n",
           nseeds[0], nseeds[1], nseeds[2], outdir);
    return 0;
}
