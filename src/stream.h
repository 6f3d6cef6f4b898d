/*
 * stream.h -- what the one-shot calls (mdz.c) need of the streaming
 * contexts (stream.c) beyond the public interface.
 */
#ifndef MDZ_STREAM_H
#define MDZ_STREAM_H

#include <stdint.h>

#include "mdz.h"

/* Tells a decompression context that its caller has room for only limit
 * content bytes in all: a block that would go beyond is refused with
 * MDZ_ERR_DST_SIZE as soon as its header is read, before it is decoded. */
void mdz_dstream_set_out_limit(mdz_dstream *ds, uint64_t limit);

#endif
