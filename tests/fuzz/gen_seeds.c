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
 * fuzzer grows them.  The decode seeds:
 *   - format 3, written by the compressor (with its block index): each
 *     sample prefix at levels
 *     1, 2, 3 (block_log 16) and 6, 9; multi-block streams (blocks cut
 *     short by MDZ_FLUSH), stored and modelled blocks mixed, two streams
 *     concatenated, an empty stream at every level, a stream at the
 *     largest block_log; type-3 blocks of 2 chunks (40 KiB) and of 5
 *     chunks (260 KiB of a repeated line, block_log 20); older model ids
 *     relabelled in the header (refused);
 *   - format 1, built here with the library's codec the way mdz wrote it
 *     before format 2 (modelled blocks of type 2: payload, then the block
 *     checksum): one block at levels 1, 6 and 9, flushed
 *     blocks with stored and modelled ones mixed, a version-1 stream
 *     followed by a version-2 one;
 *   - invalid on purpose, one fault each with every check value right:
 *     a type-3 block in a version-1 stream, a type-2 block in a version-2
 *     stream, format version 3, the second chunk check of a 2-chunk block
 *     damaged (a decoder releases the first 8 KiB, then fails), the first
 *     chunk check damaged (nothing released).
 * dstream seeds carry the 4 control bytes that target expects (a few piece
 * modes and thread counts per file); roundtrip seeds are control bytes +
 * raw content, with 1, 2 and 3 threads each way.
 * Deterministic: the same build writes the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mdz.h"
#include "fuzz_common.h"   /* ref_crc32c, ref_put32, ref_mem_mib */
#include "codec.h"         /* mdz_codec_*: version-1 payloads */
#include "frame.h"         /* mdz_write_*: their framing */

static const char *outdir;
static unsigned nseeds[4];
/* the reader's seeds are the one-shot decoder's: .mdz files */
static const char *const tname[4] = { "decompress", "dstream", "roundtrip", "reader" };

static void die(const char *what)
{
    fprintf(stderr, "gen_seeds: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void put_file(int t, const char *name, const uint8_t *pre, size_t plen,
                     const uint8_t *buf, size_t n)
{
    char path[4096];
    if (t == 0)
        put_file(3, name, pre, plen, buf, n);
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
/* with_dict: code with the fuzz dictionary (fz_dict()). */
static uint8_t *compress_as(const uint8_t *src, size_t n, int level, int block_log,
                            size_t flush, int with_dict, size_t *clen)
{
    mdz_cparams p;
    if (mdz_cparams_init(&p, level) != MDZ_OK)
        exit(1);
    if (block_log)
        p.block_log = block_log;
    if (with_dict) {
        p.dict = fz_dict();
        p.dict_size = FZ_DICT_SIZE;
    }
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

static uint8_t *compress(const uint8_t *src, size_t n, int level, int block_log,
                         size_t flush, size_t *clen)
{
    return compress_as(src, n, level, block_log, flush, 0, clen);
}

/* One .mdz file: a decompress seed and dstream seeds.  The dstream
 * control bytes: byte 0 = piece modes, list mode, check repair and (bit
 * 7) a thread more; byte 3's bit 7 another thread (fuzz_dstream.c).
 * big: content of 100 KiB or more, not released a byte per call. */
static void emit_mdz_as(const char *name, const uint8_t *c, size_t clen, int big)
{
    static const uint8_t modes[5][4] = {
        { 0x00, 1, 2, 3 },      /* byte by byte, 1 thread */
        { 0x85, 4, 5, 6 },      /* small pieces, 2 threads */
        { 0x8f, 7, 8, 0x89 },   /* whole, 3 threads */
        { 0x1a, 10, 11, 12 },   /* list mode, medium pieces */
        { 0x6a, 13, 14, 0x8f }  /* medium pieces, checks repaired, 2 threads */
    };
    put_file(0, name, NULL, 0, c, clen);
    for (int m = big ? 1 : 0; m < 5; m++) {
        char nm[256];
        snprintf(nm, sizeof nm, "%s.m%d", name, m);
        put_file(1, nm, modes[m], 4, c, clen);
    }
}

static void emit_mdz(const char *name, const uint8_t *c, size_t clen)
{
    emit_mdz_as(name, c, clen, 0);
}

/* Rewrites a stream header's check after a field was changed. */
static void fix_header(uint8_t *h)
{
    ref_put32(h + 12, ref_crc32c(0, h, 12));
}

/* A version-1 stream of src[0..n): blocks of `flush` bytes (0: one block),
 * each modelled (type 2: header, payload, block checksum) when its code
 * is shorter than the content, else stored; the header names format 1,
 * the model id and its memory figure.  This is what mdz wrote before
 * format 2 (tests/unit/test_frame.c builds them the same way). */
static uint8_t *v1_stream(const uint8_t *src, size_t n, int model, int level,
                          int block_log, size_t flush, size_t *clen)
{
    size_t per = flush ? flush : (n ? n : 1);
    size_t cap = MDZ_STREAM_HEADER_SIZE + MDZ_END_MARKER_SIZE_V2 + n +
                 (n / per + 1) * (MDZ_BLOCK_HEADER_SIZE + MDZ_BLOCK_TRAILER_SIZE);
    uint8_t *out = malloc(cap);
    mdz_codec *codec = mdz_codec_new(level, model, block_log);
    if (!out || !codec)
        die("v1 stream");
    mdz_write_stream_header(out, level, block_log);
    out[4] = 1;
    out[5] = (uint8_t)model;
    mdz_put32(out + 8, mdz_header_mem_mib(model, level, block_log));
    fix_header(out);
    size_t pos = 0, o = MDZ_STREAM_HEADER_SIZE;
    while (pos < n) {
        size_t k = n - pos < per ? n - pos : per;
        uint8_t *b = out + o;
        size_t coded = k >= 2 ? mdz_codec_encode(codec, src + pos, k,
                                                 b + MDZ_BLOCK_HEADER_SIZE, k) : 0;
        if (coded) {
            mdz_write_block_header(b, MDZ_BLOCK_MODELLED, (uint32_t)k, (uint32_t)coded);
        } else {
            memcpy(b + MDZ_BLOCK_HEADER_SIZE, src + pos, k);
            coded = k;
            mdz_write_block_header(b, MDZ_BLOCK_STORED, (uint32_t)k, (uint32_t)k);
        }
        mdz_put32(b + MDZ_BLOCK_HEADER_SIZE + coded, mdz_crc32c(0, src + pos, k));
        o += MDZ_BLOCK_HEADER_SIZE + coded + MDZ_BLOCK_TRAILER_SIZE;
        pos += k;
    }
    mdz_write_end_marker_v2(out + o, n, mdz_crc32c(0, src, n));
    mdz_codec_free(codec);
    *clen = o + MDZ_END_MARKER_SIZE_V2;
    return out;
}

/* The same stream labelled with another format version (the blocks as
 * they are: a reader must refuse the types the version does not have). */
static void set_version(uint8_t *c, int version)
{
    c[4] = (uint8_t)version;
    fix_header(c);
}

/* What a seed is said to be, checked: the one-shot decoder's result
 * (want: an mdz_error, or ANY_ERROR), the content when it succeeds, and,
 * released != SIZE_MAX, how many bytes the streaming decoder releases
 * before it stops. */
#define ANY_ERROR 1
static void expect(const char *name, const uint8_t *c, size_t clen, int want,
                   const uint8_t *content, size_t n, size_t released)
{
    size_t cap = n + 1, dlen = cap;
    uint8_t *d = malloc(cap);
    if (!d)
        die("out of memory");
    /* decoded as the targets decode: with the fuzz dictionary */
    mdz_dparams dp = { .dict = fz_dict(), .dict_size = FZ_DICT_SIZE };
    int r = mdz_decompress_ex(d, &dlen, c, clen, &dp);
    int ok = want == ANY_ERROR ? r < 0 : r == want;
    if (ok && r == MDZ_OK)
        ok = dlen == n && memcmp(d, content, n) == 0;
    if (ok && released != SIZE_MAX) {
        mdz_dstream *ds = mdz_dstream_new(&dp);
        mdz_inbuf in = { c, clen, 0 };
        mdz_outbuf out = { d, cap, 0 };
        int k;
        do {
            size_t i0 = in.pos, o0 = out.pos;
            k = mdz_dstream_decompress(ds, &out, &in);
            if (k > 0 && in.pos == i0 && out.pos == o0)
                break;
        } while (k > 0 || (k == 0 && in.pos < in.size));  /* 0: a stream ended */
        mdz_dstream_free(ds);
        ok = out.pos == released && memcmp(d, content, released) == 0;
    }
    free(d);
    if (!ok) {
        fprintf(stderr, "gen_seeds: %s: decodes as %d (%s), not as described\n", name, r,
                mdz_strerror(r));
        exit(1);
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
    /* roundtrip: level 1 / 2 / 3 via the table's low nibble, block_log 16
     * (17 for the last), one-shot, streaming, flushing, two streams; the
     * high nibbles pick the threads: 1/1, 2/2, 3/3, 2/3 (compress /
     * decompress) */
    static const uint8_t ctl[4][4] = {
        { 0x00, 0x00, 0x00, 1 }, { 0x15, 0x10, 0x45, 2 },
        { 0x29, 0x20, 0x16, 3 }, { 0x10, 0x27, 0x7b, 4 }
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
    for (int t = 0; t < 4; t++) {
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
    /* older model ids (header byte 5): 1-7 are refused at every level
     * (format.md section 5), whatever memory figure they carry */
    for (int model = 3; model <= 7; model += 2)
        for (int level = 1; level <= 9; level += 4) {
            char nm[64];
            c = compress(buf, 2000, level, 16, 0, &clen);
            c[5] = (uint8_t)model;
            uint32_t crc = ref_crc32c(0, c, 12);
            for (int i = 0; i < 4; i++) c[12 + i] = (uint8_t)(crc >> (8 * i));
            snprintf(nm, sizeof nm, "model%d-l%d", model, level);
            expect(nm, c, clen, MDZ_ERR_VERSION, buf, 2000, SIZE_MAX);
            emit_mdz(nm, c, clen);
            free(c);
        }

    /* format 2's chunks: a type-3 block of 2 chunks (20 KiB of log lines,
     * one byte in 997 changed), and one of 5 (200 KiB, block_log 20: the
     * header names 18, the one block's size); the 2-chunk one again with
     * its second chunk check damaged (the first 8 KiB are released, then
     * a checksum mismatch) and with its first (nothing is released) */
    size_t big = 200 * 1024, two = 20 * 1024;
    uint8_t *lines = malloc(big);
    if (!lines)
        die("out of memory");
    for (size_t i = 0; i < big; i++)
        lines[i] = (uint8_t)(text[i % (sizeof text - 1)] ^ (i % 997 == 0));
    c = compress(lines, two, 1, 16, 0, &clen);
    if (c[16] != 3 || ref_chunks(ref_le32(c + 17)) != 2)
        die("chunks2: not a 2-chunk type-3 block");
    expect("chunks2", c, clen, MDZ_OK, lines, two, two);
    emit_mdz("chunks2", c, clen);
    c[16 + 13 + 4] ^= 0x01;
    expect("chunks2-bad1", c, clen, MDZ_ERR_CHECKSUM, lines, two, 8192);
    emit_mdz("chunks2-bad1", c, clen);
    c[16 + 13 + 4] ^= 0x01;
    c[16 + 13] ^= 0x80;
    expect("chunks2-bad0", c, clen, MDZ_ERR_CHECKSUM, lines, two, 0);
    emit_mdz("chunks2-bad0", c, clen);
    free(c);
    c = compress(lines, big, 1, 20, 0, &clen);
    if (c[7] != 18 || c[16] != 3 || ref_chunks(ref_le32(c + 17)) != 5)
        die("chunks5: not a 5-chunk type-3 block");
    expect("chunks5", c, clen, MDZ_OK, lines, big, big);
    emit_mdz_as("chunks5", c, clen, 1);
    free(c);
    free(lines);

    /* format 1: modelled blocks of type 2, built with the codec; one block
     * at levels 1, 6 and 9; 1000-byte blocks over the random stretch
     * (stored blocks among modelled ones); a version-1 stream then a
     * version-2 one */
    static const struct {
        const char *name;
        int model, level;
        size_t n, flush;
    } v1[] = {
        { "v1-l1", MDZ_MODEL_ID, 1, 6000, 0 }, { "v1-l6", MDZ_MODEL_ID, 6, 3000, 0 },
        { "v1-l9", MDZ_MODEL_ID, 9, 2000, 0 }, { "v1-flushed-l2", MDZ_MODEL_ID, 2, 6000, 1000 },
    };
    for (size_t i = 0; i < sizeof v1 / sizeof *v1; i++) {
        c = v1_stream(buf, v1[i].n, v1[i].model, v1[i].level, 16, v1[i].flush, &clen);
        expect(v1[i].name, c, clen, MDZ_OK, buf, v1[i].n, v1[i].n);
        emit_mdz(v1[i].name, c, clen);
        free(c);
    }
    {
        ref_result *rr = malloc(sizeof *rr);
        c = v1_stream(buf, 6000, MDZ_MODEL_ID, 2, 16, 1000, &clen);
        if (!rr)
            die("out of memory");
        ref_walk(c, clen, rr, 0);
        int stored = 0, modelled = 0;
        for (size_t i = 0; i < rr->nblocks; i++)
            stored += rr->blocks[i].type == 1, modelled += rr->blocks[i].type == 2;
        if (rr->status != REF_MODELLED || !stored || !modelled)
            die("v1-flushed-l2: not stored and modelled blocks mixed");
        free(rr);
        free(c);
    }
    c = v1_stream(buf, 2500, MDZ_MODEL_ID, 3, 16, 0, &clen);
    c2 = compress(buf + 2500, 2000, 2, 16, 0, &clen2);
    cat = malloc(clen + clen2);
    memcpy(cat, c, clen);
    memcpy(cat + clen, c2, clen2);
    expect("v1v2-concat", cat, clen + clen2, MDZ_OK, buf, 4500, 4500);
    emit_mdz("v1v2-concat", cat, clen + clen2);
    free(cat);
    free(c2);
    free(c);

    /* invalid: a version-3 stream labelled version 1 (its type-3 block is
     * corrupt there) or 2 (its index frame is), a version-1 stream
     * labelled 2 (likewise its type-2 block), and version 4 (not read) */
    c = compress(buf, 2000, 1, 16, 0, &clen);
    set_version(c, 1);
    expect("v1-type3", c, clen, MDZ_ERR_CORRUPT, buf, 2000, 0);
    emit_mdz("v1-type3", c, clen);
    set_version(c, 2);
    expect("v2-index", c, clen, MDZ_ERR_CORRUPT, buf, 2000, 2000);
    emit_mdz("v2-index", c, clen);
    set_version(c, 4);
    expect("version4", c, clen, MDZ_ERR_VERSION, buf, 2000, 0);
    emit_mdz("version4", c, clen);
    set_version(c, 3);
    /* valid: a reserved frame (type 9, skipped) before the index; invalid:
     * one after it (the index is the last frame) */
    {
        size_t isize = ref_le32(c + clen - 21 + 13), at = clen - 21 - isize;
        static const uint8_t extra[3] = { 'a', 'b', 'c' };
        uint8_t *x = malloc(clen + 16);
        if (!x)
            die("out of memory");
        for (int after = 0; after <= 1; after++) {
            size_t cut = after ? clen - 21 : at;
            memcpy(x, c, cut);
            mdz_write_frame_header(x + cut, 9, 3, mdz_crc32c(0, extra, 3));
            memcpy(x + cut + 13, extra, 3);
            memcpy(x + cut + 16, c + cut, clen - cut);
            expect(after ? "frame9-after-index" : "frame9", x, clen + 16,
                   after ? MDZ_ERR_CORRUPT : MDZ_OK, buf, 2000, 2000);
            emit_mdz(after ? "frame9-after-index" : "frame9", x, clen + 16);
        }
        free(x);
    }
    free(c);

    /* dictionaries (format.md 3.5): valid, coded with the fuzz
     * dictionary at each model, in blocks with flushes; invalid: a frame
     * naming another dictionary (MDZ_ERR_DICT), one after the first block
     * (corrupt), one in a version-2 stream */
    {
        static const int dl[3] = { 1, 3, 6 };
        for (int k = 0; k < 3; k++) {
            char nm[64];
            c = compress_as(buf, 4500, dl[k], 16, k == 0 ? 1500 : 0, 1, &clen);
            snprintf(nm, sizeof nm, "dict.l%d", dl[k]);
            expect(nm, c, clen, MDZ_OK, buf, 4500, 4500);
            emit_mdz(nm, c, clen);
            free(c);
        }
        c = compress_as(buf, 2000, 1, 16, 0, 1, &clen);
        uint8_t *x = malloc(clen);
        if (!x)
            die("out of memory");
        memcpy(x, c, clen);
        mdz_write_frame_header(x + 16, 4, FZ_DICT_SIZE, mdz_dict_id(fz_dict(), FZ_DICT_SIZE) ^ 1);
        expect("dict-other", x, clen, MDZ_ERR_DICT, buf, 2000, 0);
        emit_mdz("dict-other", x, clen);
        set_version(x, 2);
        memcpy(x + 16, c + 16, 13);
        expect("dict-v2", x, clen, MDZ_ERR_CORRUPT, buf, 2000, 0);
        emit_mdz("dict-v2", x, clen);
        free(x);
        /* header, block, frame, index, end marker */
        size_t blk = clen - 16 - 13 - 21 - 21;
        x = malloc(clen);
        if (!x)
            die("out of memory");
        memcpy(x, c, 16);
        memcpy(x + 16, c + 29, blk);
        memcpy(x + 16 + blk, c + 16, 13);
        memcpy(x + 29 + blk, c + 29 + blk, clen - 29 - blk);
        expect("dict-late", x, clen, ANY_ERROR, buf, 2000, SIZE_MAX);
        emit_mdz("dict-late", x, clen);
        free(x);
        free(c);
        /* round trips with the dictionary (control byte 2, bit 7) */
        static const uint8_t dctl[2][4] = { { 0x00, 0x00, 0x80, 5 }, { 0x1e, 0x17, 0xc6, 6 } };
        for (int k = 0; k < 2; k++) {
            char nm[64];
            snprintf(nm, sizeof nm, "dict.r%d", k);
            put_file(2, nm, dctl[k], 4, buf, 4500);
        }
    }

    c = v1_stream(buf, 2000, MDZ_MODEL_ID, 1, 16, 0, &clen);
    set_version(c, 2);
    expect("v2-type2", c, clen, MDZ_ERR_CORRUPT, buf, 2000, 0);
    emit_mdz("v2-type2", c, clen);
    free(c);

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
    printf("gen_seeds: %u decompress, %u dstream, %u roundtrip, %u reader seeds in %s\n",
           nseeds[0], nseeds[1], nseeds[2], nseeds[3], outdir);
    return 0;
}
