/*
 * frame.h -- the .mdz format on the wire: stream header, block headers,
 * auxiliary frames (the block index), end marker (doc/format.md is the
 * specification; this is its code).
 *
 * Every function here works on complete fixed-size byte arrays; the state
 * machines that gather those bytes from arbitrary input pieces are in
 * stream.c.  All multi-byte fields are little-endian.
 */
#ifndef MDZ_FRAME_H
#define MDZ_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "mdz.h"

#define MDZ_MAGIC_0 0x89
#define MDZ_MAGIC_1 0x4D /* 'M' */
#define MDZ_MAGIC_2 0x44 /* 'D' */
#define MDZ_MAGIC_3 0x5A /* 'Z' */

#define MDZ_STREAM_HEADER_SIZE 16
#define MDZ_BLOCK_HEADER_SIZE 13
#define MDZ_BLOCK_TRAILER_SIZE 4
#define MDZ_END_MARKER_SIZE 21     /* format 3: with the index's size */
#define MDZ_END_MARKER_SIZE_V2 17  /* formats 1 and 2 */
#define MDZ_FRAME_HEADER_SIZE 13   /* auxiliary frames (types 4..15) */

enum {
    MDZ_BLOCK_END = 0,       /* end marker */
    MDZ_BLOCK_STORED = 1,    /* payload is the raw bytes */
    MDZ_BLOCK_MODELLED = 2,  /* payload is arithmetic-coded (format 1) */
    MDZ_BLOCK_CHUNKED = 3,   /* a CRC-32C per chunk, then the arithmetic
                                code, no trailer (formats 2, 3) */
    MDZ_FRAME_DICT = 4,      /* the dictionary the blocks were coded with:
                                size and ID (format 3; only right after
                                the stream header) */
    MDZ_FRAME_INDEX = 8,     /* the block index (format 3) */
    MDZ_FRAME_SKIP_MIN = 8,  /* types 8..15: frames a reader that does not */
    MDZ_FRAME_SKIP_MAX = 15  /* know them verifies and skips (format 3) */
};

/* The block index: an entry per data block, 4 bytes of raw_len and 4 of
 * the block's whole size in the stream (header, table, payload, trailer).
 * A writer indexes at most this many blocks (32 MiB of entries); a stream
 * with more carries no index (its end marker says index size 0). */
#define MDZ_INDEX_ENTRY_SIZE 8
#define MDZ_INDEX_MAX_BLOCKS ((uint32_t)1 << 22)

/* The end marker's size in a stream of format version v. */
static inline size_t mdz_end_marker_size(int version)
{
    return version >= 3 ? MDZ_END_MARKER_SIZE : MDZ_END_MARKER_SIZE_V2;
}

/* Chunks of a type-3 block, each with its CRC-32C in the table ahead of
 * the payload, so that a reader can release a chunk's bytes as soon as it
 * has decoded and checked them.  They grow from 8 KiB (the first bytes of
 * a block come out at once) by doubling to 256 KiB, then stay there:
 * 8, 16, 32, 64, 128, 256, 256, ... KiB; the last one ends with the block.
 * The table replaces the block checksum of the other types. */
#define MDZ_CHUNK_FIRST_LOG 13
#define MDZ_CHUNK_LOG 18

/* Where chunk k starts (for any k, whether the block reaches it or not). */
static inline uint64_t mdz_chunk_start(size_t k)
{
    if (k <= MDZ_CHUNK_LOG - MDZ_CHUNK_FIRST_LOG)
        return ((((uint64_t)1 << k) - 1) << MDZ_CHUNK_FIRST_LOG);
    k -= MDZ_CHUNK_LOG - MDZ_CHUNK_FIRST_LOG;
    return ((((uint64_t)1 << (MDZ_CHUNK_LOG - MDZ_CHUNK_FIRST_LOG)) - 1) << MDZ_CHUNK_FIRST_LOG) +
           ((uint64_t)k << MDZ_CHUNK_LOG);
}

/* Where chunk k of a block of raw_len bytes ends. */
static inline size_t mdz_chunk_end(size_t k, uint32_t raw_len)
{
    uint64_t e = mdz_chunk_start(k + 1);
    return e < raw_len ? (size_t)e : (size_t)raw_len;
}

/* Chunks in a block of raw_len bytes. */
static inline size_t mdz_chunks(uint32_t raw_len)
{
    uint64_t first = mdz_chunk_start(MDZ_CHUNK_LOG - MDZ_CHUNK_FIRST_LOG);
    size_t k = 0;
    if (raw_len > first)
        return (MDZ_CHUNK_LOG - MDZ_CHUNK_FIRST_LOG) +
               (size_t)((raw_len - first + ((uint64_t)1 << MDZ_CHUNK_LOG) - 1) >> MDZ_CHUNK_LOG);
    while (mdz_chunk_start(k) < raw_len)
        k++;
    return k;
}

/* The oldest format version read, and the one written (MDZ_FORMAT_VERSION
 * in mdz.h). */
#define MDZ_FORMAT_VERSION_MIN 1

typedef struct {
    int version;
    int model;
    int level;
    int block_log;
    uint32_t mem_mib;   /* decoder memory, MiB, rounded up */
} mdz_stream_header;

typedef struct {
    int type;
    uint32_t raw_len;
    uint32_t coded_len;  /* the arithmetic code's bytes (type 3: after the
                            chunk table) */
} mdz_block_header;

/* Bytes of a block's chunk table (type 3; 0 for the others). */
static inline size_t mdz_block_table(const mdz_block_header *b)
{
    return b->type == MDZ_BLOCK_CHUNKED ? 4 * mdz_chunks(b->raw_len) : 0;
}

/* Bytes after a block header: chunk table, payload, and for types 1 and 2
 * the block checksum. */
static inline size_t mdz_block_rest(const mdz_block_header *b)
{
    return mdz_block_table(b) + b->coded_len +
           (b->type == MDZ_BLOCK_CHUNKED ? 0 : MDZ_BLOCK_TRAILER_SIZE);
}

typedef struct {
    uint64_t total_len;
    uint32_t content_crc;
    uint32_t index_size;   /* format 3: bytes of the index frame just
                              before the marker (0: none); 0 before */
} mdz_end_marker;

/* An auxiliary frame's header (types 4..15, format 3): two u32 fields
 * whose meaning depends on the type (skippable types: payload length and
 * its CRC-32C). */
typedef struct {
    int type;
    uint32_t a, b;
} mdz_frame_header;

/* Little-endian field access. */
static inline uint32_t mdz_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}
static inline uint64_t mdz_get64(const uint8_t *p)
{
    return (uint64_t)mdz_get32(p) | (uint64_t)mdz_get32(p + 4) << 32;
}
static inline void mdz_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static inline void mdz_put64(uint8_t *p, uint64_t v)
{
    mdz_put32(p, (uint32_t)v);
    mdz_put32(p + 4, (uint32_t)(v >> 32));
}

/* Default block_log for a level (1..9). */
int mdz_level_block_log(int level);

/* Bytes a stream of this model id, level and block_log takes to code or
 * decode: the codec and two block-sized buffers (input and staged output
 * when compressing; payload and decoded block when decompressing), plus a
 * small fixed overhead.  The codec's tables are those of a block of
 * 2^block_log bytes (streams whose content fits one block get the smallest
 * block_log that holds it, so small streams declare little).  0 for a
 * (model, level) this build does not read. */
uint64_t mdz_stream_memory(int model, int level, int block_log);

/* Bytes a stream coded with a dictionary of dict_size bytes takes beyond
 * mdz_stream_memory(), per thread coding or decoding (the codec's history
 * of dictionary and block together, and its scratch output for the
 * dictionary's coded tail), and once per context (its copy of the
 * dictionary). */
uint64_t mdz_dict_thread_memory(uint64_t dict_size, int block_log);
static inline uint64_t mdz_dict_context_memory(uint64_t dict_size)
{
    return dict_size;
}

/* Decoder memory in MiB (rounded up) for a stream of this model id, level
 * and block_log, as written in (and checked against) the stream header. */
uint32_t mdz_header_mem_mib(int model, int level, int block_log);

/* Writes the 16-byte stream header. */
void mdz_write_stream_header(uint8_t *out, int level, int block_log);

/* Checks a 16-byte stream header.  Returns MDZ_OK, MDZ_ERR_FORMAT (magic),
 * MDZ_ERR_HEADER (check value or a field out of range) or MDZ_ERR_VERSION
 * (format version or model id this library does not implement). */
int mdz_parse_stream_header(const uint8_t *in, mdz_stream_header *h);

/* Writes a 13-byte block header. */
void mdz_write_block_header(uint8_t *out, int type, uint32_t raw_len,
                            uint32_t coded_len);

/* Checks a 13-byte block header of a data block (type 1, 2 in format 1,
 * 3 in format 2) for a stream of the given format version and block_log.
 * Returns MDZ_OK or MDZ_ERR_CORRUPT. */
int mdz_parse_block_header(const uint8_t *in, int version, int block_log,
                           mdz_block_header *b);

/* Writes the 21-byte end marker of format 3. */
void mdz_write_end_marker(uint8_t *out, uint64_t total_len,
                          uint32_t content_crc, uint32_t index_size);

/* Writes the 17-byte end marker of formats 1 and 2 (for the tests and
 * tools that build streams of those versions; mdz writes format 3). */
static inline void mdz_write_end_marker_v2(uint8_t *out, uint64_t total_len,
                                           uint32_t content_crc)
{
    out[0] = MDZ_BLOCK_END;
    mdz_put64(out + 1, total_len);
    mdz_put32(out + 9, content_crc);
    mdz_put32(out + 13, mdz_crc32c(0, out, 13));
}

/* Checks an end marker (mdz_end_marker_size(version) bytes) of a stream of
 * that format version: type and check value, and in format 3 that an index
 * size is that of a possible index frame (13 + 8 * n bytes, n <=
 * MDZ_INDEX_MAX_BLOCKS).  Returns MDZ_OK or MDZ_ERR_CORRUPT; the caller
 * compares the fields with what it decoded. */
int mdz_parse_end_marker(const uint8_t *in, int version, mdz_end_marker *e);

/* Writes a 13-byte auxiliary frame header. */
void mdz_write_frame_header(uint8_t *out, int type, uint32_t a, uint32_t b);

/* Checks a 13-byte auxiliary frame header's check value, for the index
 * (type 8) that its payload length is a whole number of entries, at most
 * MDZ_INDEX_MAX_BLOCKS, and for the dictionary frame (type 4) that its
 * size is 1..MDZ_DICT_SIZE_MAX.  The type is the caller's to judge.  Returns
 * MDZ_OK or MDZ_ERR_CORRUPT. */
int mdz_parse_frame_header(const uint8_t *in, mdz_frame_header *f);

/* Size of the index frame of a stream of n blocks. */
static inline uint64_t mdz_index_frame_size(uint64_t n)
{
    return MDZ_FRAME_HEADER_SIZE + n * MDZ_INDEX_ENTRY_SIZE;
}

/* Appends one index entry to an 8-byte buffer. */
static inline void mdz_put_index_entry(uint8_t *out, uint32_t raw_len, uint32_t size)
{
    mdz_put32(out, raw_len);
    mdz_put32(out + 4, size);
}

#endif
