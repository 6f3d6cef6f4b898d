/*
 * fuzz_common.h -- shared by the libFuzzer targets in tests/fuzz/.
 *
 * - FUZZ_CHECK(): an invariant of the library; on failure it prints the
 *   condition and aborts, which libFuzzer records as a crash.
 * - fz_rng: a tiny deterministic generator seeded from the input, for piece
 *   sizes and the like (the same input always replays the same way).
 * - ref_walk(): an independent reader of the .mdz container written from
 *   doc/format.md alone (its own bit-by-bit CRC-32C, its own field parsing,
 *   its own chunk arithmetic), for format versions 1, 2 and 3 (with its
 *   auxiliary frames: the block index checked entry by entry against the
 *   blocks, reserved types verified and skipped).  It cannot
 *   decode modelled payloads, but it knows every block's raw length, stored
 *   bytes, block checksum (types 1, 2) or chunk checks (type 3), which is
 *   enough to judge whatever the library's decoder outputs: bytes released
 *   must match the container's checks block by block (chunk by chunk for
 *   type 3, where a failed decode may stop at a chunk boundary); a
 *   well-formed file made only of stored blocks must decode; and a file
 *   the reference finds malformed must not decode.
 *   A stream's dictionary frame (format.md 3.5) is checked by its fields;
 *   decoding needs the fuzz dictionary (fz_dict()), which every target
 *   gives, so a frame naming any other is a stream that must not decode
 *   (MDZ_ERR_DICT), though it lists.
 * - fz_dict(): the dictionary the targets decode with, and the round trip
 *   codes with when its input asks (and gen_seeds writes seeds with).
 * - fz_progress: checks progress reports (calling thread, monotonic).
 */
#ifndef MDZ_FUZZ_COMMON_H
#define MDZ_FUZZ_COMMON_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdz.h"

#define FUZZ_CHECK(cond)                                                      \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,        \
                    __LINE__, #cond);                                         \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* ------------------------------------------------------------------ rng */

typedef struct {
    uint64_t s;
} fz_rng;

static inline void fz_seed(fz_rng *r, uint64_t seed)
{
    r->s = seed ^ 0x9E3779B97F4A7C15ull;
    if (!r->s)
        r->s = 1;
}

static inline uint32_t fz_next(fz_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 0x2545F4914F6CDD1Dull) >> 32);
}

/* Uniform-ish in [0, n]. */
static inline size_t fz_upto(fz_rng *r, size_t n)
{
    return (size_t)(fz_next(r) % (uint32_t)(n + 1));
}

/* A piece size for a mode: 0 = mostly 1 byte (with zero-length calls),
 * 1 = small, 2 = medium, 3 = everything at once. */
static inline size_t fz_piece(fz_rng *r, int mode, size_t remaining)
{
    size_t k;
    switch (mode & 3) {
    case 0: k = fz_next(r) % 8 == 0 ? 0 : 1; break;
    case 1: k = fz_upto(r, 17); break;
    case 2: k = fz_upto(r, 5000); break;
    default: k = remaining; break;
    }
    return k < remaining ? k : remaining;
}

/* ----------------------------------------------------------- dictionary */

/* FZ_DICT_SIZE bytes of log-like text, the same in every run: small, so
 * that priming (which every block with a dictionary pays) stays cheap
 * under the sanitizers. */
#define FZ_DICT_SIZE 3000

static inline const uint8_t *fz_dict(void)
{
    static uint8_t d[FZ_DICT_SIZE];
    static int made;
    if (!made) {
        static const char line[] = "2026-12-02 12:00:00 INFO dfs.DataNode: Receiving block blk_";
        fz_rng r;
        fz_seed(&r, 42);
        for (size_t at = 0; at < FZ_DICT_SIZE;) {
            char buf[96];
            int k = snprintf(buf, sizeof buf, "%s%u src: /10.0.%u.%u\n", line,
                             (unsigned)fz_next(&r) % 100000, (unsigned)fz_next(&r) % 256,
                             (unsigned)fz_next(&r) % 256);
            for (int i = 0; i < k && at < FZ_DICT_SIZE; i++)
                d[at++] = (uint8_t)buf[i];
        }
        made = 1;
    }
    return d;
}

/* ------------------------------------------------------ reference reader */

static inline uint32_t ref_crc32c(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static inline uint32_t ref_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Chunks of a type-3 block (format.md 3.2): 16 KiB, then doubling up to
 * 256 KiB, then 256 KiB each.  start(k) = 2^13 (2^k - 1) for k <= 5,
 * 2^13 * 31 + (k - 5) 2^18 from there on. */
static inline uint64_t ref_chunk_start(uint64_t k)
{
    if (k <= 4)
        return (((uint64_t)1 << k) - 1) << 13;
    return ((uint64_t)31 << 13) + ((k - 5) << 18);
}

/* chunks(raw_len): how many chunks start before raw_len. */
static inline uint32_t ref_chunks(uint64_t raw_len)
{
    if (raw_len > ref_chunk_start(4))  /* chunks 0..4, then one per 256 KiB */
        return (uint32_t)(4 + (raw_len - ref_chunk_start(4) + ((uint64_t)1 << 18) - 1) / ((uint64_t)1 << 18));
    uint32_t k = 0;
    while (ref_chunk_start(k) < raw_len)
        k++;
    return k;
}

/* Where chunk k of a block of raw_len bytes ends. */
static inline uint64_t ref_chunk_end(uint64_t k, uint64_t raw_len)
{
    uint64_t e = ref_chunk_start(k + 1);
    return e < raw_len ? e : raw_len;
}

typedef struct {
    int type;          /* 1 stored, 2 modelled (format 1), 3 modelled with
                          chunk checks (format 2) */
    uint32_t raw_len;
    size_t payload;    /* offset of the payload in the input (type 3: after
                          the chunk table) */
    uint32_t coded_len;
    uint32_t check;    /* types 1, 2: block_checksum */
    size_t table;      /* type 3: offset of chunk_checks in the input */
    uint32_t chunks;   /* type 3: chunks(raw_len); 0 otherwise */
    uint32_t size;     /* its bytes in the file: header to the end */
    uint32_t stream;   /* index of its stream */
} ref_block;

enum {
    REF_VALID = 0,     /* well formed; stored blocks only: content known */
    REF_MODELLED = 1,  /* well formed as far as the container shows, but has
                          modelled blocks the reference cannot decode */
    REF_BAD = 2        /* malformed: no conforming decoder may accept it */
};

typedef struct {
    int status;
    size_t nblocks;
    ref_block blocks[4096];  /* enough for fuzz inputs; more = REF_MODELLED */
    int overflow;            /* more blocks than the array holds */
    uint64_t raw_total;      /* content bytes of all well-formed blocks */
    uint64_t raw_declared;   /* raw_len of every block whose header is
                                valid, one cut short by the end of the
                                input included (a one-shot decoder refuses
                                a block its buffer cannot hold from the
                                header alone) */
    uint64_t max_memory;     /* largest memory (bytes) any header declares */
    size_t nstreams;         /* complete streams */
    uint32_t stream_crc[1024]; /* their content_crc (first 1024) */
    int versions;            /* bit v set: a stream of format version v */
    size_t dict_streams;     /* streams with a dictionary frame */
} ref_result;

/* The header's memory_mib (format.md section 6): the model's figure from
 * the public API, which counts the tables a block of 2^block_log bytes
 * uses, for one thread (mdz_decompress_memory() with threads 0).  Only
 * model 8 is read (format.md 5), so the model id does not enter. */
static inline uint32_t ref_mem_mib(int model, int level, int block_log)
{
    (void)model;
    mdz_cparams cp = { .level = level, .block_log = block_log };
    uint64_t mem = mdz_decompress_memory(&cp);
    return (uint32_t)((mem + (1u << 20) - 1) >> 20);
}

/* Is a data block of this type allowed in a stream of this format version
 * (format.md 3: 1 in all, 2 only in version 1, 3 in versions 2 and 3)? */
static inline int ref_type_ok(int type, int version)
{
    return type == 1 || (type == 2 && version == 1) || (type == 3 && version >= 2);
}

/* Walks src[0..n) as a .mdz file.  Stream content checksums are checked
 * against stored blocks only when every block of the stream is stored;
 * otherwise they are verified later against the decoder's output by
 * ref_check_output().  structure_only: check what a listing checks (every
 * fixed field and length) but no payload or content checksum. */
static inline void ref_walk(const uint8_t *src, size_t n, ref_result *res,
                            int structure_only)
{
    size_t pos = 0;
    int any_modelled = 0;
    memset(res, 0, sizeof *res);
    if (n == 0) {
        res->status = REF_BAD;
        return;
    }
    while (pos < n) {
        /* stream header */
        if (n - pos < 16) {
            res->status = REF_BAD;
            return;
        }
        const uint8_t *h = src + pos;
        int version = h[4];
        if (h[0] != 0x89 || h[1] != 'M' || h[2] != 'D' || h[3] != 'Z' ||
            ref_le32(h + 12) != ref_crc32c(0, h, 12) ||
            version < 1 || version > 3 ||
            h[6] < 1 || h[6] > 9 || h[7] < 16 || h[7] > 28 ||
            /* model 8 only (format.md 5) */
            h[5] != 8) {
            res->status = REF_BAD;
            return;
        }
        if (ref_le32(h + 8) != ref_mem_mib(h[5], h[6], h[7])) {
            res->status = REF_BAD;
            return;
        }
        res->versions |= 1 << version;
        uint64_t mem = (uint64_t)ref_le32(h + 8) << 20;
        if (mem > res->max_memory)
            res->max_memory = mem;
        uint32_t bmax = UINT32_C(1) << h[7];
        pos += 16;
        if (version >= 3 && pos < n && src[pos] == 4) {
            /* the dictionary frame: size 1..2^24; decoding needs ours */
            uint32_t dsize = n - pos >= 13 ? ref_le32(src + pos + 1) : 0;
            if (n - pos < 13 || ref_le32(src + pos + 9) != ref_crc32c(0, src + pos, 9) ||
                dsize == 0 || dsize > ((uint32_t)1 << 24) ||
                (!structure_only && (dsize != FZ_DICT_SIZE ||
                                     ref_le32(src + pos + 5) !=
                                         ref_crc32c(0, fz_dict(), FZ_DICT_SIZE)))) {
                res->status = REF_BAD;
                return;
            }
            res->dict_streams++;
            pos += 13;
        }
        uint64_t total = 0;
        uint32_t crc = 0;
        int stream_modelled = 0;
        size_t first_block = res->nblocks;  /* of this stream, in blocks[] */
        uint64_t stream_blocks = 0, index_size = 0;
        size_t em = version >= 3 ? 21 : 17;  /* end marker size */
        for (;;) {
            if (pos >= n) {
                res->status = REF_BAD;
                return;
            }
            if (index_size && src[pos] != 0) {  /* the index is the last frame */
                res->status = REF_BAD;
                return;
            }
            if (src[pos] == 0) {  /* end marker */
                if (n - pos < em ||
                    ref_le32(src + pos + em - 4) != ref_crc32c(0, src + pos, em - 4) ||
                    (version >= 3 && ref_le32(src + pos + 13) != index_size)) {
                    res->status = REF_BAD;
                    return;
                }
                uint64_t tl = (uint64_t)ref_le32(src + pos + 1) |
                              (uint64_t)ref_le32(src + pos + 5) << 32;
                if (tl != total || (!stream_modelled && !structure_only &&
                                    ref_le32(src + pos + 9) != crc)) {
                    res->status = REF_BAD;
                    return;
                }
                if (res->nstreams < sizeof res->stream_crc / sizeof *res->stream_crc)
                    res->stream_crc[res->nstreams] = ref_le32(src + pos + 9);
                else
                    res->overflow = 1;
                res->nstreams++;
                pos += em;
                break;
            }
            if (version >= 3 && src[pos] >= 8 && src[pos] <= 15) {
                /* an auxiliary frame: header, length bytes of payload */
                if (n - pos < 13 || ref_le32(src + pos + 9) != ref_crc32c(0, src + pos, 9)) {
                    res->status = REF_BAD;
                    return;
                }
                uint64_t len = ref_le32(src + pos + 1);
                if (n - pos - 13 < len ||
                    ref_crc32c(0, src + pos + 13, (size_t)len) != ref_le32(src + pos + 5)) {
                    res->status = REF_BAD;
                    return;
                }
                if (src[pos] == 8) {
                    /* the block index: an entry (raw_len, size) per block */
                    if (len != 8 * stream_blocks || stream_blocks > ((uint64_t)1 << 22)) {
                        res->status = REF_BAD;
                        return;
                    }
                    for (uint64_t i = 0; i < stream_blocks && !res->overflow; i++) {
                        const ref_block *x = &res->blocks[first_block + i];
                        const uint8_t *e = src + pos + 13 + 8 * i;
                        if (ref_le32(e) != x->raw_len || ref_le32(e + 4) != x->size) {
                            res->status = REF_BAD;
                            return;
                        }
                    }
                    index_size = 13 + len;
                }
                pos += 13 + (size_t)len;
                continue;
            }
            if (n - pos < 13 ||
                ref_le32(src + pos + 9) != ref_crc32c(0, src + pos, 9)) {
                res->status = REF_BAD;
                return;
            }
            ref_block b;
            memset(&b, 0, sizeof b);
            b.type = src[pos];
            b.raw_len = ref_le32(src + pos + 1);
            b.coded_len = ref_le32(src + pos + 5);
            if (b.type == 3)
                b.chunks = ref_chunks(b.raw_len);
            if (!ref_type_ok(b.type, version) || b.raw_len == 0 || b.raw_len > bmax ||
                (b.type == 1 && b.coded_len != b.raw_len) ||
                (b.type == 2 && (b.coded_len == 0 || b.coded_len >= b.raw_len)) ||
                (b.type == 3 && (b.coded_len == 0 ||
                                 (uint64_t)b.coded_len + 4 * (uint64_t)b.chunks >=
                                     (uint64_t)b.raw_len + 4))) {
                res->status = REF_BAD;
                return;
            }
            res->raw_declared += b.raw_len;
            pos += 13;
            /* types 1, 2: payload, block_checksum; type 3: chunk_checks,
             * payload, nothing after */
            uint64_t rest = b.type == 3 ? 4 * (uint64_t)b.chunks + b.coded_len
                                        : (uint64_t)b.coded_len + 4;
            if (n - pos < rest) {
                res->status = REF_BAD;
                return;
            }
            b.stream = (uint32_t)res->nstreams;
            if (b.type == 3) {
                b.table = pos;
                b.payload = pos + 4 * (size_t)b.chunks;
            } else {
                b.payload = pos;
                b.check = ref_le32(src + pos + b.coded_len);
            }
            if (b.type == 1) {
                if (!structure_only) {
                    if (ref_crc32c(0, src + pos, b.raw_len) != b.check) {
                        res->status = REF_BAD;
                        return;
                    }
                    crc = ref_crc32c(crc, src + pos, b.raw_len);
                }
            } else {
                stream_modelled = any_modelled = 1;
            }
            b.size = 13 + (uint32_t)rest;
            stream_blocks++;
            pos += (size_t)rest;
            total += b.raw_len;
            res->raw_total += b.raw_len;
            if (res->nblocks < sizeof res->blocks / sizeof *res->blocks)
                res->blocks[res->nblocks++] = b;
            else
                res->overflow = 1;
        }
    }
    res->status = any_modelled || res->overflow ? REF_MODELLED : REF_VALID;
}

/* Checks chunks [0, k) of type-3 block b, released as out[0..): each
 * against its entry in the chunk table.  Returns the bytes they cover. */
static inline size_t ref_check_chunks(const ref_block *b, const uint8_t *src,
                                      const uint8_t *out, uint32_t k)
{
    size_t at = 0;
    for (uint32_t i = 0; i < k; i++) {
        size_t end = (size_t)ref_chunk_end(i, b->raw_len);
        FUZZ_CHECK(ref_crc32c(0, out + at, end - at) == ref_le32(src + b->table + 4 * (size_t)i));
        at = end;
    }
    return at;
}

/* Checks bytes a decoder released, out[0..len): they must be the content
 * of the container's blocks in order, each block matching its checksum
 * (types 1, 2) or every chunk its check (type 3) and, when stored, its
 * payload; each stream's content CRC must hold.  A decoder that stops
 * with an error (complete = 0) may have released the first chunks of a
 * type-3 block (format.md 3.2: each chunk once it matches its check): the
 * output may then end inside that block, but only at a chunk boundary,
 * after chunks that each match.  Blocks of types 1 and 2 are released
 * whole or not at all, and a successful decode (complete = 1) releases
 * every block whole.  src is the compressed input the walk was made on. */
static inline void ref_check_output(const ref_result *res, const uint8_t *src,
                                    const uint8_t *out, size_t len, int complete)
{
    if (res->overflow)
        return;  /* too many blocks to follow: skip the check */
    size_t off = 0, i = 0;
    uint32_t scrc = 0, sidx = 0;
    while (off < len) {
        FUZZ_CHECK(i < res->nblocks);
        const ref_block *b = &res->blocks[i++];
        while (sidx < b->stream) {  /* the previous streams are complete */
            FUZZ_CHECK(res->stream_crc[sidx++] == scrc);
            scrc = 0;
        }
        size_t have = len - off;
        if (have < b->raw_len) {
            /* the last bytes released: a type-3 block cut at a chunk
             * boundary, each chunk before it checked */
            FUZZ_CHECK(!complete);
            FUZZ_CHECK(b->type == 3);
            uint32_t k = 0;
            while (ref_chunk_end(k, b->raw_len) <= have)
                k++;
            FUZZ_CHECK(ref_check_chunks(b, src, out + off, k) == have);
            off = len;
            break;
        }
        if (b->type == 3) {
            FUZZ_CHECK(ref_check_chunks(b, src, out + off, b->chunks) == b->raw_len);
        } else {
            FUZZ_CHECK(ref_crc32c(0, out + off, b->raw_len) == b->check);
            if (b->type == 1)
                FUZZ_CHECK(memcmp(out + off, src + b->payload, b->raw_len) == 0);
        }
        scrc = ref_crc32c(scrc, out + off, b->raw_len);
        off += b->raw_len;
    }
    if (complete) {
        FUZZ_CHECK(i == res->nblocks);
        FUZZ_CHECK(res->status != REF_BAD);
        while (sidx < res->nstreams) {
            FUZZ_CHECK(res->stream_crc[sidx++] == scrc);
            scrc = 0;
        }
    }
}

static inline void ref_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Bytes after a block header, as its type byte declares them (format.md
 * 3.2): chunk table and payload for type 3, payload and block checksum
 * for any other type (readers reject those before reaching them). */
static inline uint64_t ref_block_rest(const uint8_t *b)
{
    uint64_t raw = ref_le32(b + 1), coded = ref_le32(b + 5);
    return b[0] == 3 ? 4 * (uint64_t)ref_chunks(raw) + coded : coded + 4;
}

/* Makes the check fields of a (mutated) file consistent, so that mutations
 * of the fields they protect reach the decoder's validation of those
 * fields instead of stopping at a check-value mismatch.  Walks the file as
 * its (possibly absurd) fields declare and stops where it runs out.
 *   deep = 0: rewrite header_check, block_check, frame_check and
 *             end_check only;
 *   deep = 1: also memory_mib (from level and block_log, when in range),
 *             stored blocks' block_checksum, an index's entries (from the
 *             blocks before it, when its length fits them) and its
 *             payload_check (and any frame's), the end marker's
 *             index_size, and, for streams of stored blocks only, its
 *             total_len and content_crc.
 * Modelled content is unknown here, so the checksum of a type-2 block and
 * the chunk checks of a type-3 block are left as they are. */
static inline void ref_fix_checks(uint8_t *buf, size_t n, int deep)
{
    static uint32_t ent[4096][2];  /* the stream's blocks, for its index */
    size_t pos = 0;
    while (n - pos >= 16) {
        uint8_t *h = buf + pos;
        int version = h[4];
        size_t em = version >= 3 ? 21 : 17;
        if (deep && h[6] >= 1 && h[6] <= 9 && h[7] >= 16 && h[7] <= 28) {
            ref_put32(h + 8, ref_mem_mib(h[5], h[6], h[7]));
        }
        ref_put32(h + 12, ref_crc32c(0, h, 12));
        pos += 16;
        if (version >= 3 && n - pos >= 13 && buf[pos] == 4) {
            /* a dictionary frame; deep: naming the fuzz dictionary */
            if (deep) {
                ref_put32(buf + pos + 1, FZ_DICT_SIZE);
                ref_put32(buf + pos + 5, ref_crc32c(0, fz_dict(), FZ_DICT_SIZE));
            }
            ref_put32(buf + pos + 9, ref_crc32c(0, buf + pos, 9));
            pos += 13;
        }
        uint64_t total = 0, nblocks = 0, index_size = 0;
        uint32_t crc = 0;
        int modelled = 0;
        for (;;) {
            if (pos >= n)
                return;
            uint8_t *b = buf + pos;
            if (b[0] == 0) {
                if (n - pos < em)
                    return;
                if (deep && !modelled) {
                    ref_put32(b + 1, (uint32_t)total);
                    ref_put32(b + 5, (uint32_t)(total >> 32));
                    ref_put32(b + 9, crc);
                }
                if (deep && em == 21)
                    ref_put32(b + 13, (uint32_t)index_size);
                ref_put32(b + em - 4, ref_crc32c(0, b, em - 4));
                pos += em;
                break;
            }
            if (n - pos < 13)
                return;
            if (version >= 3 && b[0] >= 8 && b[0] <= 15) {
                /* an auxiliary frame; deep: the index made to list the
                 * blocks before it, and its payload check */
                uint64_t len = ref_le32(b + 1);
                if (n - pos - 13 < len)
                    return;
                if (deep && b[0] == 8 && len == 8 * nblocks && nblocks <= 4096) {
                    for (uint64_t i = 0; i < nblocks; i++) {
                        ref_put32(b + 13 + 8 * i, ent[i][0]);
                        ref_put32(b + 17 + 8 * i, ent[i][1]);
                    }
                }
                if (deep)
                    ref_put32(b + 5, ref_crc32c(0, b + 13, (size_t)len));
                ref_put32(b + 9, ref_crc32c(0, b, 9));
                if (b[0] == 8)
                    index_size = 13 + len;
                pos += 13 + (size_t)len;
                continue;
            }
            ref_put32(b + 9, ref_crc32c(0, b, 9));
            uint32_t raw = ref_le32(b + 1), coded = ref_le32(b + 5);
            uint64_t rest = ref_block_rest(b);
            pos += 13;
            if (n - pos < rest)
                return;
            if (b[0] == 1 && raw == coded) {
                uint32_t c = ref_crc32c(0, buf + pos, coded);
                if (deep)
                    ref_put32(buf + pos + coded, c);
                crc = ref_crc32c(crc, buf + pos, coded);
            } else {
                modelled = 1;
            }
            if (nblocks < 4096) {
                ent[nblocks][0] = raw;
                ent[nblocks][1] = (uint32_t)(13 + rest);
            }
            nblocks++;
            total += raw;
            pos += (size_t)rest;
        }
    }
}

/* An upper bound on the bytes the model would have to decode for this
 * input, walking it as leniently as ref_fix_checks() (check values are not
 * looked at; a modelled block counts when its type is the one its
 * stream's version byte allows, since a decoder stops at any other).  A
 * modelled block decodes at most raw_len bytes, and no more than about
 * 1420 bytes per payload byte (the coder clips P(bit) to [32, 65504]/65536,
 * so a bit costs at least 0.0007 bits; 4 bytes of slack are read past the
 * payload): the decoder's work is bounded by its input.  Worker threads
 * may decode blocks beyond the first bad one, so every block counts, not
 * only those up to a fault.  But at the model's speed under ASan
 * (~100-200 KB/s), a 64 KB input could legitimately take minutes, which
 * libFuzzer would report as a timeout.  The decode targets skip inputs
 * above FZ_WORK_MAX: that is the cost of a slow model, not a finding
 * (doc/reliability.md has the figures). */
#define FZ_WORK_MAX ((uint64_t)1 << 20)

static inline uint64_t fz_model_work(const uint8_t *buf, size_t n)
{
    size_t pos = 0;
    uint64_t work = 0;
    while (n - pos >= 16) {
        int version = buf[pos + 4];
        uint64_t prime = 0;  /* dictionary bytes each modelled block reads */
        pos += 16;
        if (version >= 3 && n - pos >= 13 && buf[pos] == 4) {
            prime = ref_le32(buf + pos + 1);
            pos += 13;
        }
        for (;;) {
            if (pos >= n)
                return work;
            const uint8_t *b = buf + pos;
            if (b[0] == 0) {
                pos += version >= 3 ? 21 : 17;
                if (pos > n)
                    return work;
                break;
            }
            if (n - pos < 13)
                return work;
            if (version >= 3 && b[0] >= 8 && b[0] <= 15) {
                uint64_t len = ref_le32(b + 1);
                if (n - pos - 13 < len)
                    return work;
                pos += 13 + (size_t)len;
                continue;
            }
            if (!ref_type_ok(b[0], version))
                return work;  /* the decoder stops here */
            uint64_t raw = ref_le32(b + 1), coded = ref_le32(b + 5);
            if (b[0] != 1) {
                uint64_t most = (coded + 4) * 1424;
                work += (raw < most ? raw : most) + prime;
            }
            uint64_t rest = ref_block_rest(b);
            pos += 13;
            if (n - pos < rest)
                return work;
            pos += (size_t)rest;
        }
    }
    return work;
}

/* Progress reports (mdz_cparams / mdz_dparams.progress_fn): from the
 * thread that called the library, never going backwards. */
typedef struct {
    pthread_t caller;
    uint64_t raw, coded;  /* the last report */
    unsigned long calls;
} fz_progress;

static inline void fz_progress_init(fz_progress *p)
{
    memset(p, 0, sizeof *p);
    p->caller = pthread_self();
}

static inline void fz_progress_fn(void *opaque, uint64_t raw_done, uint64_t coded_done)
{
    fz_progress *p = opaque;
    FUZZ_CHECK(pthread_equal(pthread_self(), p->caller));
    FUZZ_CHECK(raw_done >= p->raw && coded_done >= p->coded);
    p->raw = raw_done;
    p->coded = coded_done;
    p->calls++;
}

/* Is r one of the errors a decoder may return for bad input? */
static inline int fz_decode_error_ok(int r)
{
    return r == MDZ_ERR_FORMAT || r == MDZ_ERR_VERSION || r == MDZ_ERR_HEADER ||
           r == MDZ_ERR_CORRUPT || r == MDZ_ERR_CHECKSUM ||
           r == MDZ_ERR_TRUNCATED || r == MDZ_ERR_TRAILING || r == MDZ_ERR_DICT;
}

#endif
