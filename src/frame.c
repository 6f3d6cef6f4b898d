/*
 * frame.c -- encoding and checking of the fixed-size parts of a .mdz stream.
 * See frame.h and doc/format.md.
 */
#include "frame.h"

#include "codec.h"
#include "mdz.h"

int mdz_level_block_log(int level)
{
    if (level <= 3)
        return 22;  /* 4 MiB */
    if (level <= 6)
        return 24;  /* 16 MiB */
    return 25;      /* 32 MiB */
}

uint64_t mdz_stream_memory(int model, int level, int block_log)
{
    uint64_t codec = mdz_codec_memory(level, model, block_log);
    if (!codec) return 0;
    return codec + ((uint64_t)2 << block_log) + 4096;
}

uint64_t mdz_dict_thread_memory(uint64_t dict_size, int block_log)
{
    return dict_size + ((uint64_t)1 << block_log) + mdz_codec_dict_scratch();
}

uint32_t mdz_header_mem_mib(int model, int level, int block_log)
{
    uint64_t bytes = mdz_stream_memory(model, level, block_log);
    return (uint32_t)((bytes + (1u << 20) - 1) >> 20);
}

void mdz_write_stream_header(uint8_t *out, int level, int block_log)
{
    out[0] = MDZ_MAGIC_0;
    out[1] = MDZ_MAGIC_1;
    out[2] = MDZ_MAGIC_2;
    out[3] = MDZ_MAGIC_3;
    out[4] = MDZ_FORMAT_VERSION;
    out[5] = MDZ_MODEL_ID;
    out[6] = (uint8_t)level;
    out[7] = (uint8_t)block_log;
    mdz_put32(out + 8, mdz_header_mem_mib(MDZ_MODEL_ID, level, block_log));
    mdz_put32(out + 12, mdz_crc32c(0, out, 12));
}

int mdz_parse_stream_header(const uint8_t *in, mdz_stream_header *h)
{
    if (in[0] != MDZ_MAGIC_0 || in[1] != MDZ_MAGIC_1 || in[2] != MDZ_MAGIC_2 ||
        in[3] != MDZ_MAGIC_3)
        return MDZ_ERR_FORMAT;
    if (mdz_get32(in + 12) != mdz_crc32c(0, in, 12))
        return MDZ_ERR_HEADER;
    h->version = in[4];
    h->model = in[5];
    h->level = in[6];
    h->block_log = in[7];
    h->mem_mib = mdz_get32(in + 8);
    if (h->version < MDZ_FORMAT_VERSION_MIN || h->version > MDZ_FORMAT_VERSION ||
        h->model < 1 || h->model > MDZ_MODEL_ID)
        return MDZ_ERR_VERSION;
    if (h->level < MDZ_LEVEL_MIN || h->level > MDZ_LEVEL_MAX ||
        h->block_log < MDZ_BLOCK_LOG_MIN || h->block_log > MDZ_BLOCK_LOG_MAX)
        return MDZ_ERR_HEADER;
    /* streams of earlier development models are not read (codec.h) */
    if (!mdz_model_readable(h->model, h->level))
        return MDZ_ERR_VERSION;
    if (h->mem_mib != mdz_header_mem_mib(h->model, h->level, h->block_log))
        return MDZ_ERR_HEADER;
    return MDZ_OK;
}

void mdz_write_block_header(uint8_t *out, int type, uint32_t raw_len,
                            uint32_t coded_len)
{
    out[0] = (uint8_t)type;
    mdz_put32(out + 1, raw_len);
    mdz_put32(out + 5, coded_len);
    mdz_put32(out + 9, mdz_crc32c(0, out, 9));
}

int mdz_parse_block_header(const uint8_t *in, int version, int block_log,
                           mdz_block_header *b)
{
    if (mdz_get32(in + 9) != mdz_crc32c(0, in, 9))
        return MDZ_ERR_CORRUPT;
    b->type = in[0];
    b->raw_len = mdz_get32(in + 1);
    b->coded_len = mdz_get32(in + 5);
    if (b->raw_len == 0 || b->raw_len > (UINT32_C(1) << block_log))
        return MDZ_ERR_CORRUPT;
    switch (b->type) {
    case MDZ_BLOCK_STORED:
        return b->coded_len == b->raw_len ? MDZ_OK : MDZ_ERR_CORRUPT;
    case MDZ_BLOCK_MODELLED:
        /* format 1's modelled blocks; format 2 writes type 3 instead */
        return version == 1 && b->coded_len >= 1 && b->coded_len < b->raw_len
                   ? MDZ_OK : MDZ_ERR_CORRUPT;
    case MDZ_BLOCK_CHUNKED:
        /* smaller than the stored block: table and payload against
         * content and checksum */
        return version >= 2 && b->coded_len >= 1 &&
                       (uint64_t)b->coded_len + 4 * mdz_chunks(b->raw_len) <
                           (uint64_t)b->raw_len + MDZ_BLOCK_TRAILER_SIZE
                   ? MDZ_OK : MDZ_ERR_CORRUPT;
    default:
        return MDZ_ERR_CORRUPT;
    }
}

void mdz_write_end_marker(uint8_t *out, uint64_t total_len, uint32_t content_crc,
                          uint32_t index_size)
{
    out[0] = MDZ_BLOCK_END;
    mdz_put64(out + 1, total_len);
    mdz_put32(out + 9, content_crc);
    mdz_put32(out + 13, index_size);
    mdz_put32(out + 17, mdz_crc32c(0, out, 17));
}

int mdz_parse_end_marker(const uint8_t *in, int version, mdz_end_marker *e)
{
    size_t n = mdz_end_marker_size(version) - 4;
    if (in[0] != MDZ_BLOCK_END || mdz_get32(in + n) != mdz_crc32c(0, in, n))
        return MDZ_ERR_CORRUPT;
    e->total_len = mdz_get64(in + 1);
    e->content_crc = mdz_get32(in + 9);
    e->index_size = version >= 3 ? mdz_get32(in + 13) : 0;
    if (e->index_size &&
        (e->index_size < MDZ_FRAME_HEADER_SIZE ||
         (e->index_size - MDZ_FRAME_HEADER_SIZE) % MDZ_INDEX_ENTRY_SIZE ||
         e->index_size > mdz_index_frame_size(MDZ_INDEX_MAX_BLOCKS)))
        return MDZ_ERR_CORRUPT;
    return MDZ_OK;
}

void mdz_write_frame_header(uint8_t *out, int type, uint32_t a, uint32_t b)
{
    out[0] = (uint8_t)type;
    mdz_put32(out + 1, a);
    mdz_put32(out + 5, b);
    mdz_put32(out + 9, mdz_crc32c(0, out, 9));
}

int mdz_parse_frame_header(const uint8_t *in, mdz_frame_header *f)
{
    if (mdz_get32(in + 9) != mdz_crc32c(0, in, 9))
        return MDZ_ERR_CORRUPT;
    f->type = in[0];
    f->a = mdz_get32(in + 1);
    f->b = mdz_get32(in + 5);
    if (f->type == MDZ_FRAME_INDEX &&
        (f->a % MDZ_INDEX_ENTRY_SIZE ||
         f->a / MDZ_INDEX_ENTRY_SIZE > MDZ_INDEX_MAX_BLOCKS))
        return MDZ_ERR_CORRUPT;
    if (f->type == MDZ_FRAME_DICT && (f->a == 0 || f->a > MDZ_DICT_SIZE_MAX))
        return MDZ_ERR_CORRUPT;
    return MDZ_OK;
}
