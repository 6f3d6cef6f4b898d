/*
 * stream.h -- what the one-shot calls (mdz.c) need of the streaming
 * contexts (stream.c) beyond the public interface.
 */
#ifndef MDZ_STREAM_H
#define MDZ_STREAM_H

#include <stdint.h>

#include "mdz.h"

/* Threads: a count clamped to 1..MDZ_THREADS_MAX; the memory of t
 * threads when one thread needs one bytes (a codec and a block's two
 * buffers: mdz_stream_memory()) for blocks of 2^block_log bytes; the most
 * threads, up to threads, whose memory fits limit (0: no limit), at least
 * one. */
int mdz_threads_clamp(int threads);
uint64_t mdz_threads_memory(uint64_t one, int block_log, int threads);
int mdz_threads_fit(uint64_t one, int block_log, int threads, uint64_t limit);

/* Tells a decompression context that its caller has room for only limit
 * content bytes in all: a block that would go beyond is refused with
 * MDZ_ERR_DST_SIZE as soon as its header is read, before it is decoded. */
void mdz_dstream_set_out_limit(mdz_dstream *ds, uint64_t limit);

#endif
