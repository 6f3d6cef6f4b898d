/*
 * mdz.c -- the library's small public entry points: version, error names,
 * parameters and memory figures, and the one-shot calls (built on the
 * streaming contexts of stream.c).
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "frame.h"
#include "mdz.h"
#include "stream.h"

MDZ_API const char *mdz_version_string(void)
{
    return MDZ_VERSION_STRING;
}

MDZ_API const char *mdz_strerror(int code)
{
    switch (code) {
    case MDZ_OK: return "success";
    case MDZ_ERR_PARAM: return "invalid argument";
    case MDZ_ERR_MEMORY: return "out of memory";
    case MDZ_ERR_DST_SIZE: return "output buffer too small";
    case MDZ_ERR_FORMAT: return "not in .mdz format";
    case MDZ_ERR_VERSION: return "unsupported format version or model";
    case MDZ_ERR_HEADER: return "corrupt stream header";
    case MDZ_ERR_CORRUPT: return "compressed data is corrupt";
    case MDZ_ERR_CHECKSUM: return "checksum mismatch";
    case MDZ_ERR_TRUNCATED: return "unexpected end of input";
    case MDZ_ERR_TRAILING: return "trailing garbage after end of stream";
    case MDZ_ERR_MEMLIMIT: return "memory usage limit reached";
    case MDZ_ERR_STAGE: return "call out of sequence";
    case MDZ_ERR_DICT: return "dictionary missing or not the one the data was compressed with";
    case MDZ_ERR_READ: return "read error";
    default: return "unknown error";
    }
}

MDZ_API int mdz_cparams_init(mdz_cparams *p, int level)
{
    if (!p)
        return MDZ_ERR_PARAM;
    if (level == 0)
        level = MDZ_LEVEL_DEFAULT;
    if (level < MDZ_LEVEL_MIN || level > MDZ_LEVEL_MAX)
        return MDZ_ERR_PARAM;
    memset(p, 0, sizeof *p);
    p->level = level;
    p->block_log = mdz_level_block_log(level);
    p->threads = 1;
    return MDZ_OK;
}

/* Resolves defaults; returns 0 if the parameters are invalid. */
static int resolve(const mdz_cparams *in, mdz_cparams *out)
{
    if (!in)
        return mdz_cparams_init(out, 0) == MDZ_OK;
    *out = *in;
    if (out->level == 0)
        out->level = MDZ_LEVEL_DEFAULT;
    if (out->level < MDZ_LEVEL_MIN || out->level > MDZ_LEVEL_MAX)
        return 0;
    if (out->block_log == 0)
        out->block_log = mdz_level_block_log(out->level);
    return out->block_log >= MDZ_BLOCK_LOG_MIN && out->block_log <= MDZ_BLOCK_LOG_MAX &&
           out->threads >= 0 && out->dict_size <= MDZ_DICT_SIZE_MAX &&
           (out->dict || !out->dict_size);
}

/* Both directions hold the model and two block-sized buffers per thread
 * (mdz_stream_memory() in frame.c), and with threads one block more
 * (stream.c); with a dictionary, each thread its history buffer and the
 * context a copy of the dictionary. */
static uint64_t memory(const mdz_cparams *params)
{
    mdz_cparams p;
    if (!resolve(params, &p))
        return 0;
    uint64_t one = mdz_stream_memory(MDZ_MODEL_ID, p.level, p.block_log);
    if (p.dict_size)
        one += mdz_dict_thread_memory(p.dict_size, p.block_log);
    int t = mdz_threads_fit(one, p.block_log, p.threads, p.memlimit_threads);
    return mdz_threads_memory(one, p.block_log, t) + mdz_dict_context_memory(p.dict_size);
}

MDZ_API uint64_t mdz_compress_memory(const mdz_cparams *p)
{
    return memory(p);
}

MDZ_API uint64_t mdz_decompress_memory(const mdz_cparams *p)
{
    return memory(p);
}

MDZ_API size_t mdz_compress_bound(size_t src_len, int block_log)
{
    if (block_log == 0)
        block_log = mdz_level_block_log(MDZ_LEVEL_DEFAULT);
    if (block_log < MDZ_BLOCK_LOG_MIN || block_log > MDZ_BLOCK_LOG_MAX)
        return 0;
    size_t bs = (size_t)1 << block_log;
    size_t blocks = src_len / bs + (src_len % bs != 0);
    size_t per = MDZ_BLOCK_HEADER_SIZE + MDZ_BLOCK_TRAILER_SIZE + MDZ_INDEX_ENTRY_SIZE;
    /* header, dictionary frame (if any), index frame, end marker */
    size_t fixed = MDZ_STREAM_HEADER_SIZE + 2 * MDZ_FRAME_HEADER_SIZE + MDZ_END_MARKER_SIZE;
    if (blocks > (SIZE_MAX - fixed) / per)
        return 0;
    size_t over = fixed + blocks * per;
    if (src_len > SIZE_MAX - over)
        return 0;
    return src_len + over;
}

MDZ_API int mdz_compress(void *dst, size_t *dst_len, const void *src,
                         size_t src_len, const mdz_cparams *params)
{
    if (!dst_len || (!dst && *dst_len) || (!src && src_len))
        return MDZ_ERR_PARAM;
    mdz_cparams p;
    if (!resolve(params, &p))
        return MDZ_ERR_PARAM;
    mdz_cstream *cs = mdz_cstream_new(&p);
    if (!cs)
        return MDZ_ERR_MEMORY;
    mdz_inbuf in = { src, src_len, 0 };
    mdz_outbuf out = { dst, *dst_len, 0 };
    int r;
    do {
        r = mdz_cstream_compress(cs, &out, &in, MDZ_FINISH);
    } while (r > 0 && out.pos < out.size);
    mdz_cstream_free(cs);
    if (r > 0)
        return MDZ_ERR_DST_SIZE;
    if (r < 0)
        return r;
    *dst_len = out.pos;
    return MDZ_OK;
}

MDZ_API int mdz_decompress(void *dst, size_t *dst_len, const void *src,
                           size_t src_len)
{
    return mdz_decompress_ex(dst, dst_len, src, src_len, NULL);
}

MDZ_API int mdz_decompress_ex(void *dst, size_t *dst_len, const void *src,
                              size_t src_len, const mdz_dparams *params)
{
    if (!dst_len || (!dst && *dst_len) || (!src && src_len) ||
        (params && params->list_only))
        return MDZ_ERR_PARAM;
    if (src_len == 0)
        return MDZ_ERR_TRUNCATED;
    mdz_dstream *ds = mdz_dstream_new(params);
    if (!ds)
        return MDZ_ERR_MEMORY;
    mdz_dstream_set_out_limit(ds, *dst_len);
    mdz_inbuf in = { src, src_len, 0 };
    mdz_outbuf out = { dst, *dst_len, 0 };
    int r;
    for (;;) {
        size_t in0 = in.pos, out0 = out.pos;
        r = mdz_dstream_decompress(ds, &out, &in);
        if (r < 0)
            break;
        if (r == 0 && in.pos == in.size)
            break;
        if (in.pos != in0 || out.pos != out0)
            continue;  /* progress: call again */
        /* a call that consumed and produced nothing: the input is
         * exhausted inside a stream, or dst is full.  If both, the context
         * may be holding verified output (dst too small) or waiting for
         * input (truncated): a one-byte probe tells. */
        if (out.pos == out.size) {
            uint8_t probe;
            mdz_outbuf one = { &probe, 1, 0 };
            r = mdz_dstream_decompress(ds, &one, &in);
            if (r >= 0)
                r = one.pos ? MDZ_ERR_DST_SIZE : MDZ_ERR_TRUNCATED;
        } else {
            r = MDZ_ERR_TRUNCATED;
        }
        break;
    }
    mdz_dstream_free(ds);
    if (r < 0)
        return r;
    *dst_len = out.pos;
    return MDZ_OK;
}
