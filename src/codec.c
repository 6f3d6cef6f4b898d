/*
 * codec.c -- the block codec: the predictor of predictor.c driving the
 * binary arithmetic coder of arith.c, one block at a time (see codec.h).
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "mdz.h"
#include "arith.h"
#include "fastpred.h"
#include "predictor.h"

struct mdz_codec {
    int level;
    int block_log;        /* blocks of at most 2^block_log bytes */
    int flags;            /* mdz_codec_set_flags(); 0 in streams */
    mdz_predictor *pred;  /* the full model, or */
    mdz_fastpred *fast;   /* the fast one (levels 1-2 from model 6 on) */
    mdz_codec_progress_fn *progress;  /* mdz_codec_set_progress() */
    void *progress_opaque;
    mdz_arith_dec dec;    /* the block being decoded incrementally */
    uint8_t *dst;
    size_t n, done;
    /* a dictionary (mdz_codec_set_dict()): the caller's bytes, and the
     * history the model reads, the dictionary then the block */
    const uint8_t *dict;
    size_t dict_size;
    uint8_t *hist;
    uint8_t *scratch;     /* the dictionary tail's discarded code */
};

size_t mdz_codec_dict_scratch(void)
{
    /* a bit costs at most 11 bits of code (arith.h), so the coded tail
     * never fills this: the priming always runs to the end */
    return 11 * MDZ_DICT_LEARN_SIZE + 64;
}

/* Which model codes a level: the fast model (fastpred.c) at levels 1-2,
 * the full one (predictor.c) above. */
static int uses_fast(int level)
{
    return level <= 2;
}

/* Starts a block: fresh model, then the codec's flags if any; with a
 * dictionary, buf is the history (dictionary, then the block's n bytes)
 * and the model reads the dictionary first: all but its last
 * MDZ_DICT_LEARN_SIZE bytes walked into the contexts and the match model,
 * those coded in full into the scratch buffer (so the maps, mixers and
 * final stage learn them too), the code discarded.  Encoder and decoder do
 * the same, so they reach the block in the same state. */
static void start_block(mdz_codec *c, const uint8_t *buf, size_t n)
{
    size_t d = c->dict_size, learn = d < MDZ_DICT_LEARN_SIZE ? d : MDZ_DICT_LEARN_SIZE;
    mdz_arith_enc e;
    if (c->fast) {
        mdz_fastpred_reset(c->fast, buf, d + n);
        if (d) {
            mdz_fastpred_walk(c->fast, 0, d - learn);
            mdz_arith_enc_init(&e, c->scratch, mdz_codec_dict_scratch());
            (void)mdz_fastpred_encode(c->fast, &e, d - learn, d);
        }
        return;
    }
    mdz_predictor_reset(c->pred, buf, d + n);
    if (c->flags)
        mdz_predictor_set_flags(c->pred, c->flags);
    if (d) {
        mdz_predictor_walk(c->pred, 0, d - learn);
        mdz_arith_enc_init(&e, c->scratch, mdz_codec_dict_scratch());
        (void)mdz_predictor_encode(c->pred, &e, d - learn, d);
    }
}

int mdz_codec_set_dict(mdz_codec *c, const uint8_t *dict, size_t size)
{
    if (size > MDZ_DICT_SIZE_MAX || (size && !dict))
        return MDZ_ERR_PARAM;
    if (size == 0) {
        c->dict = NULL;
        c->dict_size = 0;
        return MDZ_OK;
    }
    if (!c->scratch) {
        c->scratch = malloc(mdz_codec_dict_scratch());
        if (!c->scratch)
            return MDZ_ERR_MEMORY;
    }
    if (!c->hist || size > c->dict_size) {
        uint8_t *h = realloc(c->hist, size + ((size_t)1 << c->block_log));
        if (!h)
            return MDZ_ERR_MEMORY;
        c->hist = h;
    }
    memcpy(c->hist, dict, size);
    c->dict = dict;
    c->dict_size = size;
    return MDZ_OK;
}

int mdz_codec_has_dict(const mdz_codec *c, const uint8_t *dict, size_t size)
{
    return c->dict == dict && c->dict_size == size;
}

int mdz_codec_set_flags(mdz_codec *c, int flags)
{
    if (c->fast) return flags ? -1 : 0;
    c->flags = flags;
    mdz_predictor_set_flags(c->pred, flags);
    return mdz_predictor_flags_ok(c->pred) ? 0 : -1;
}

int mdz_model_readable(int model, int level)
{
    return model == MDZ_MODEL_ID && level >= 1 && level <= 9;
}

uint64_t mdz_codec_memory(int level, int model, int block_log)
{
    if (!mdz_model_readable(model, level) || block_log < MDZ_BLOCK_LOG_MIN ||
        block_log > MDZ_BLOCK_LOG_MAX)
        return 0;
    if (uses_fast(level))
        return sizeof(mdz_codec) + mdz_fastpred_memory(level, block_log);
    return sizeof(mdz_codec) + mdz_predictor_memory(level, block_log);
}

mdz_codec *mdz_codec_new(int level, int model, int block_log)
{
    if (!mdz_codec_memory(level, model, block_log)) return NULL;
    mdz_codec *c = malloc(sizeof *c);
    if (!c) return NULL;
    c->level = level;
    c->block_log = block_log;
    c->flags = 0;
    c->progress = NULL;
    c->progress_opaque = NULL;
    c->dst = NULL;
    c->n = c->done = 0;
    c->pred = NULL;
    c->fast = NULL;
    c->dict = NULL;
    c->dict_size = 0;
    c->hist = NULL;
    c->scratch = NULL;
    if (uses_fast(level))
        c->fast = mdz_fastpred_new(level, block_log);
    else
        c->pred = mdz_predictor_new(level, block_log);
    if (!c->pred && !c->fast) {
        free(c);
        return NULL;
    }
    return c;
}

int mdz_codec_block_log(const mdz_codec *c)
{
    return c->block_log;
}

void mdz_codec_free(mdz_codec *c)
{
    if (!c) return;
    mdz_predictor_free(c->pred);
    mdz_fastpred_free(c->fast);
    free(c->hist);
    free(c->scratch);
    free(c);
}

size_t mdz_codec_encode(mdz_codec *c, const uint8_t *src, size_t n,
                        uint8_t *dst, size_t cap)
{
    if (!c || !src || !dst || n == 0 || cap < 2 || n > ((size_t)1 << c->block_log))
        return 0;
    mdz_arith_enc e;
    size_t d = c->dict_size;
    if (d) {
        memcpy(c->hist + d, src, n);
        start_block(c, c->hist, n);
    } else {
        start_block(c, src, n);
    }
    mdz_arith_enc_init(&e, dst, cap);
    for (size_t at = 0; at < n;) {
        /* a section at a time, reporting progress between sections */
        size_t end = n - at > MDZ_CODEC_SECTION ? at + MDZ_CODEC_SECTION : n;
        int r = c->fast ? mdz_fastpred_encode(c->fast, &e, d + at, d + end)
                        : mdz_predictor_encode(c->pred, &e, d + at, d + end);
        if (r != 0) return 0;
        at = end;
        if (c->progress && c->progress(c->progress_opaque, at))
            return 0;
    }
    return mdz_arith_enc_flush(&e);
}

void mdz_codec_set_progress(mdz_codec *c, mdz_codec_progress_fn *fn, void *opaque)
{
    c->progress = fn;
    c->progress_opaque = opaque;
}

int mdz_codec_decode_start(mdz_codec *c, const uint8_t *src, size_t len,
                           uint8_t *dst, size_t n)
{
    if (!c || (!src && len) || !dst || n > ((size_t)1 << c->block_log))
        return MDZ_ERR_CORRUPT;
    mdz_arith_dec_init(&c->dec, src, len);
    c->dst = dst;
    c->n = n;
    c->done = 0;
    if (n)
        start_block(c, c->dict_size ? c->hist : dst, n);
    return MDZ_OK;
}

int mdz_codec_decode_run(mdz_codec *c, size_t upto)
{
    if (upto > c->n)
        upto = c->n;
    size_t d = c->dict_size, at;
    uint8_t *buf = d ? c->hist : c->dst;
    at = c->fast ? mdz_fastpred_decode(c->fast, &c->dec, buf, d + c->done, d + upto)
                 : mdz_predictor_decode(c->pred, &c->dec, buf, d + c->done, d + upto);
    at -= d;
    if (d)
        memcpy(c->dst + c->done, c->hist + d + c->done, at - c->done);
    c->done = at;
    return at < upto ? MDZ_ERR_CORRUPT : MDZ_OK;
}

int mdz_codec_decode_finish(mdz_codec *c)
{
    if (c->done != c->n)
        return MDZ_ERR_CORRUPT;
    /* In sync, the decoder has read exactly the payload plus the 3 bytes
     * its initial fill reads beyond what the encoder's flush wrote. */
    if (c->n && !mdz_arith_dec_exact(&c->dec)) return MDZ_ERR_CORRUPT;
    return MDZ_OK;
}

int mdz_codec_decode(mdz_codec *c, const uint8_t *src, size_t len,
                     uint8_t *dst, size_t n)
{
    int r = mdz_codec_decode_start(c, src, len, dst, n);
    if (r == MDZ_OK)
        r = mdz_codec_decode_run(c, n);
    if (r == MDZ_OK)
        r = mdz_codec_decode_finish(c);
    return r;
}
