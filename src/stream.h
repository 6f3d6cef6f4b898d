/*
 * stream.h -- what the one-shot calls (mdz.c) and the random-access reader
 * (reader.c) need of the streaming contexts (stream.c) beyond the public
 * interface.
 */
#ifndef MDZ_STREAM_H
#define MDZ_STREAM_H

#include <stdint.h>

#include "codec.h"
#include "frame.h"
#include "mdz.h"

/* Threads: a count clamped to 1..MDZ_THREADS_MAX; the memory of t
 * threads when one thread needs one bytes (a codec and a block's two
 * buffers: mdz_stream_memory()) for blocks of 2^block_log bytes; the most
 * threads, up to threads, whose memory fits limit (0: no limit), at least
 * one. */
int mdz_threads_clamp(int threads);
uint64_t mdz_threads_memory(uint64_t one, int block_log, int threads);
int mdz_threads_fit(uint64_t one, int block_log, int threads, uint64_t limit);

/* A context's copy of the dictionary its parameters give (none: size 0),
 * and the dictionary's ID (mdz_dict_id()). */
typedef struct {
    uint8_t *bytes;
    size_t size;
    uint32_t id;
} mdz_dict_copy;

/* Fills *d with a copy of dict[0..size) (size 0: none).  Returns MDZ_OK,
 * MDZ_ERR_PARAM (size beyond MDZ_DICT_SIZE_MAX, or bytes missing) or
 * MDZ_ERR_MEMORY. */
int mdz_dict_copy_init(mdz_dict_copy *d, const void *dict, size_t size);
void mdz_dict_copy_free(mdz_dict_copy *d);

/* Grows *buf (*cap bytes) to hold at least need bytes: doubling from 64
 * KiB, capped at limit (>= need), so buffers grow with the bytes actually
 * received rather than with what a header claims.  MDZ_OK or
 * MDZ_ERR_MEMORY (*buf then unchanged). */
int mdz_grow_bytes(uint8_t **buf, size_t *cap, size_t need, size_t limit);

/* Tells a decompression context that its caller has room for only limit
 * content bytes in all: a block that would go beyond is refused with
 * MDZ_ERR_DST_SIZE as soon as its header is read, before it is decoded. */
void mdz_dstream_set_out_limit(mdz_dstream *ds, uint64_t limit);

/* A codec for (level, model) that holds blocks of 2^block_log bytes and
 * primes them with the dictionary dict[0..dict_size) (none if dict_size is
 * 0; dict must stay where it is while the codec uses it): *c if it does
 * (its level and model in *c_level, *c_model), else *c or a new one in its
 * place made so.  NULL (and *c NULL) on allocation failure. */
mdz_codec *mdz_codec_get(mdz_codec **c, int *c_level, int *c_model, int level, int model,
                         int block_log, const uint8_t *dict, size_t dict_size);

/* Where the decoding of a data block has got to (mdz_block_step()). */
typedef struct {
    int started;        /* 0: not yet (set it so to start a block) */
    size_t next_chunk;  /* type 3: the chunk to decode next */
} mdz_block_pos;

/* One step of decoding a data block whose header bh is checked, from
 * pbuf (chunk table, payload, block checksum: mdz_block_rest() bytes)
 * into rbuf (raw_len bytes; unused for a stored block, whose content is
 * pbuf's first raw_len bytes) with codec c (a codec for the stream's
 * level and model; NULL for a stored block): the next chunk of a type-3
 * block, or the whole of the others.  *verified is set to the bytes
 * decoded and checked so far.  Returns 0 while steps remain, 1 when the
 * block is complete and verified, or MDZ_ERR_CORRUPT / MDZ_ERR_CHECKSUM. */
int mdz_block_step(const mdz_block_header *bh, const uint8_t *pbuf, uint8_t *rbuf,
                   mdz_codec *c, mdz_block_pos *pos, size_t *verified);

#endif
