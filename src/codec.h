/*
 * codec.h -- the block codec: model + arithmetic coder for one block.
 *
 * The frame layer (frame.c, stream.c) hands whole blocks to this interface;
 * it knows nothing about how a block is modelled.  Each call codes one block
 * from a freshly reset model, so blocks are independent.
 *
 * A codec is created for a level, a model id and a largest block size, and
 * reused for every block of a stream; its tables are allocated once
 * (mdz_codec_memory() bytes, capped by what the largest block can use) and
 * cleared at the start of each block.
 */
#ifndef MDZ_CODEC_H
#define MDZ_CODEC_H

#include <stddef.h>
#include <stdint.h>

/* Model revision written in the stream header.  A decoder refuses streams
 * whose model id it does not implement (MDZ_ERR_VERSION).  Bump it whenever
 * a change to the model changes the coded bits. */
#define MDZ_MODEL_ID 8

/* Streams of earlier development models (ids 1-7, mdz 0.1 before the
 * match model recovered after a difference) are not read: returns 1
 * only for the current id and a level 1..9. */
int mdz_model_readable(int model, int level);

typedef struct mdz_codec mdz_codec;

/* Bytes a codec allocates for a level (1..9) of the current model
 * (MDZ_MODEL_ID) or of a readable model id, coding blocks of at most
 * 2^block_log bytes (MDZ_BLOCK_LOG_MIN..MAX); 0 for a level, model or
 * block_log it does not implement. */
uint64_t mdz_codec_memory(int level, int model, int block_log);

/* Creates such a codec.  NULL on allocation failure or invalid arguments.
 * The coded bits do not depend on block_log, only the memory does. */
mdz_codec *mdz_codec_new(int level, int model, int block_log);
void mdz_codec_free(mdz_codec *c);

/* The block_log the codec was made for. */
int mdz_codec_block_log(const mdz_codec *c);

/* Sets predictor flags (predictor.h: ablation switches and the optional
 * final stages) for the blocks this codec codes from now on; 0, the
 * default, is the model the format specifies.  The decoder must use the same
 * flags as the encoder.  For measurement tools only: streams carry no
 * flags.  Returns 0, or -1 if a stage the flags ask for could not be
 * allocated. */
int mdz_codec_set_flags(mdz_codec *c, int flags);

/* Gives the codec a dictionary for the blocks it codes from now on (size
 * 0: none): the model reads it before each block (codec.c's
 * start_block()).  The codec keeps a copy, in the history buffer it reads
 * (size + 2^block_log bytes), and dict's address to tell it again
 * (mdz_codec_has_dict()).  Returns MDZ_OK, MDZ_ERR_PARAM (size over
 * MDZ_DICT_SIZE_MAX) or MDZ_ERR_MEMORY (the codec then has no dictionary
 * until a call succeeds). */
int mdz_codec_set_dict(mdz_codec *c, const uint8_t *dict, size_t size);
int mdz_codec_has_dict(const mdz_codec *c, const uint8_t *dict, size_t size);

/* Bytes of the scratch output a codec with a dictionary allocates (the
 * dictionary tail's code, discarded). */
size_t mdz_codec_dict_scratch(void);

/* Coding reports its progress every MDZ_CODEC_SECTION bytes of content
 * (and at the end) to fn, if set: done = bytes of the block coded so far.
 * Called from the thread that runs mdz_codec_encode(); a nonzero return
 * stops the coding (mdz_codec_encode() then returns 0). */
#define MDZ_CODEC_SECTION ((size_t)1 << 16)
typedef int mdz_codec_progress_fn(void *opaque, size_t done);
void mdz_codec_set_progress(mdz_codec *c, mdz_codec_progress_fn *fn, void *opaque);

/* Codes src[0..n) (1 <= n <= 2^block_log) into dst.  Returns the number of bytes written,
 * which is < cap; returns 0 if the coded form would need cap bytes or more
 * (the caller then stores the block raw). */
size_t mdz_codec_encode(mdz_codec *c, const uint8_t *src, size_t n,
                        uint8_t *dst, size_t cap);

/* Decodes exactly n bytes (n <= 2^block_log) into dst from the payload src[0..len).  Returns 0
 * on success, or MDZ_ERR_CORRUPT (negative) if the payload is inconsistent
 * (e.g. the decoder needed bytes beyond the payload's end).  Runs in time
 * proportional to n whatever the payload holds; never reads outside
 * src[0..len) and never writes outside dst[0..n). */
int mdz_codec_decode(mdz_codec *c, const uint8_t *src, size_t len,
                     uint8_t *dst, size_t n);

/* The same in steps, so that the bytes decoded so far can be checked and
 * released before the block ends: start (src and dst must stay valid
 * until finish), then run to successive positions upto (dst[0..upto) is
 * then decoded; MDZ_ERR_CORRUPT as soon as the payload is overrun), then
 * finish (MDZ_ERR_CORRUPT unless all n bytes were decoded and the payload
 * was consumed exactly).  The bytes are those of mdz_codec_decode(). */
int mdz_codec_decode_start(mdz_codec *c, const uint8_t *src, size_t len,
                           uint8_t *dst, size_t n);
int mdz_codec_decode_run(mdz_codec *c, size_t upto);
int mdz_codec_decode_finish(mdz_codec *c);

#endif
