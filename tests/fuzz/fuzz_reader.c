/*
 * fuzz_reader -- libFuzzer target: arbitrary bytes as a .mdz file opened
 * for random access (mdz_reader, src/reader.c), on a source of known size
 * (the map from the block indexes, or the walk from the start) and on a
 * forward-only one, with 1 or 2 threads.
 *
 * Besides what the sanitizers see, the target checks the reader against
 * the one-shot decoder and the reference container reader of
 * fuzz_common.h:
 *   - a file the one-shot decoder accepts opens, has the same content
 *     length, and every range read (the whole content, then a few ranges
 *     drawn from the input) gives the decoder's bytes, in both modes;
 *   - a file the reference finds malformed in its structure (a listing's
 *     checks: every fixed field, length and index entry) is not mapped by
 *     a walk: a reader that walks a source of known size checks every
 *     frame and must find what the reference finds (one mapped from its
 *     indexes checks each block's header when it reads the block);
 *   - whatever a read returns before an error is what the decoder gives
 *     there, when the decoder accepts the file;
 *   - errors are documented codes.
 */
#include "fuzz_common.h"

#define OUT_CAP ((size_t)8 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const uint8_t *p;
    size_t n;
    uint64_t floor;   /* forward-only: reads never go before this */
    int forward;
} src_t;

static int64_t src_read(void *opaque, void *buf, size_t len, uint64_t off)
{
    src_t *s = opaque;
    /* forward-only: never before the end of what was returned */
    if (s->forward)
        FUZZ_CHECK(off >= s->floor);
    size_t k = off >= s->n ? 0 : s->n - off < len ? (size_t)(s->n - off) : len;
    if (s->forward)
        s->floor = off + k;
    if (k)
        memcpy(buf, s->p + off, k);
    return (int64_t)k;
}

static int read_error_ok(int r)
{
    return fz_decode_error_ok(r) || r == MDZ_ERR_MEMORY || r == MDZ_ERR_PARAM;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *ref_out, *buf;
    static ref_result sref;
    if (!ref_out) {
        ref_out = malloc(OUT_CAP);
        buf = malloc(OUT_CAP);
        FUZZ_CHECK(ref_out && buf);
    }
    if (fz_model_work(data, size) > FZ_WORK_MAX)
        return 0;  /* legitimately slow: see fuzz_common.h */
    size_t n = OUT_CAP;
    mdz_dparams one = { .memlimit = (uint64_t)512 << 20, .dict = fz_dict(),
                        .dict_size = FZ_DICT_SIZE };
    int whole = mdz_decompress_ex(ref_out, &n, data, size, &one);
    ref_walk(data, size, &sref, 1);
    fz_rng g;
    fz_seed(&g, size * 131 + (size ? data[size - 1] : 0));
    /* the content's length if known, else a span to draw ranges from */
    if (whole != MDZ_OK)
        n = (size_t)1 << 16;

    for (int forward = 0; forward <= 1; forward++) {
        src_t s = { data, size, 0, forward };
        mdz_source src = { src_read, &s, forward ? MDZ_SOURCE_SIZE_UNKNOWN : size };
        mdz_dparams dp = { .memlimit = (uint64_t)512 << 20, .threads = 1 + (int)(size % 2),
                           .dict = fz_dict(), .dict_size = FZ_DICT_SIZE };
        mdz_reader *r;
        int rc = mdz_reader_open(&r, &src, &dp);
        if (rc < 0) {
            FUZZ_CHECK(r == NULL && read_error_ok(rc));
            FUZZ_CHECK(whole != MDZ_OK);
            continue;
        }
        /* a walked file was checked frame by frame as the reference does
         * (one mapped from its indexes has its blocks' headers checked
         * only when they are read) */
        if (!forward && !mdz_reader_indexed(r))
            FUZZ_CHECK(sref.status != REF_BAD);
        if (whole == MDZ_OK && !forward) {
            uint64_t len;
            FUZZ_CHECK(mdz_reader_size(r, &len) == MDZ_OK && len == n);
        }
        /* ranges: in increasing order (a forward-only source needs it) */
        uint64_t at = 0;
        for (int k = 0; k < 4; k++) {
            uint64_t off = at + fz_next(&g) % (n + 2);
            size_t len = (size_t)(fz_next(&g) % (k == 0 ? n + 2 : 70000));
            if (k == 0)
                off = 0, len = n < OUT_CAP ? n + 1 : n;
            size_t got = 0;
            rc = mdz_reader_read(r, buf, len, off, &got);
            FUZZ_CHECK(got <= len);
            if (whole == MDZ_OK) {
                size_t expect = off >= n ? 0 : (n - off < len ? (size_t)(n - off) : len);
                if (rc == MDZ_OK)
                    FUZZ_CHECK(got == expect);
                else
                    FUZZ_CHECK(got <= expect && (rc == MDZ_ERR_PARAM || rc == MDZ_ERR_MEMORY));
                FUZZ_CHECK(got == 0 || memcmp(buf, ref_out + off, got) == 0);
            } else if (rc < 0) {
                FUZZ_CHECK(read_error_ok(rc));
            }
            if (rc < 0)
                break;
            at = off + got;
        }
        mdz_reader_free(r);
    }
    return 0;
}
