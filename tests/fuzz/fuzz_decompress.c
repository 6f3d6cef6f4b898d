/*
 * fuzz_decompress -- libFuzzer target: arbitrary bytes through the one-shot
 * decoder, mdz_decompress_ex(), with 1, 2 or 3 worker threads.
 *
 * The input is the would-be .mdz file itself; the thread count is taken
 * from it (1 + (size + last byte) mod 3), so that every input replays the
 * same way.  Besides "no crash, no leak, no undefined behaviour, no data
 * race the sanitizers see, no read past the input" (ASan + UBSan), the
 * target checks the decoder against the reference container reader of
 * fuzz_common.h:
 *   - success => the output is the container's blocks in order, each
 *     matching its checksum or chunk checks (and its bytes, for stored
 *     blocks), each stream's content checksum matches, and the reference
 *     found no fault;
 *   - a well-formed file of stored blocks only => success with those bytes;
 *   - failure => one of the documented decode errors;
 *   - the output buffer is respected: an exactly sized buffer works, one
 *     byte less gives MDZ_ERR_DST_SIZE; these two decodes use the other two
 *     thread counts, so a file that decodes is decoded with 1, 2 and 3
 *     threads and must give the same bytes each time.
 *
 * The one-shot call has no memory limit here, so a header may legitimately
 * make it allocate up to the format's documented maximum (the model at
 * level 9 plus two 256 MiB block buffers, about 1.5 GiB, only when a block
 * declares that size); run this target with -rss_limit_mb=2560 (fuzz.mk
 * does).  Threads beyond the first are allowed only while the total stays
 * under 640 MiB (mdz_dparams.memlimit_threads), so they never raise that
 * ceiling.  The streaming target runs with a 512 MiB memlimit instead.
 */
#include "fuzz_common.h"

#define OUT_CAP ((size_t)8 << 20)
#define THREADS_MEM ((uint64_t)640 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int decode(uint8_t *dst, size_t *dlen, const uint8_t *src, size_t n, int threads)
{
    mdz_dparams dp = { .threads = threads, .memlimit_threads = THREADS_MEM,
                       .dict = fz_dict(), .dict_size = FZ_DICT_SIZE };
    return mdz_decompress_ex(dst, dlen, src, n, &dp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *out;
    static ref_result ref;
    if (!out) {
        out = malloc(OUT_CAP);
        FUZZ_CHECK(out != NULL);
    }

    if (fz_model_work(data, size) > FZ_WORK_MAX)
        return 0;  /* legitimately slow: see fuzz_common.h */
    ref_walk(data, size, &ref, 0);
    int threads = 1 + (int)((size + (size ? data[size - 1] : 0)) % 3);

    size_t n = OUT_CAP;
    int r = decode(out, &n, data, size, threads);
    if (r == MDZ_OK) {
        FUZZ_CHECK(n <= OUT_CAP);
        ref_check_output(&ref, data, out, n, 1);
        if (!ref.overflow)
            FUZZ_CHECK(n == ref.raw_total);
        /* exactly sized output buffer, then one byte short, with the
         * other thread counts */
        uint8_t *exact = malloc(n ? n : 1);
        FUZZ_CHECK(exact != NULL);
        size_t m = n;
        FUZZ_CHECK(decode(exact, &m, data, size, threads % 3 + 1) == MDZ_OK);
        FUZZ_CHECK(m == n && memcmp(exact, out, n) == 0);
        if (n > 0) {
            m = n - 1;
            FUZZ_CHECK(decode(exact, &m, data, size, (threads + 1) % 3 + 1) ==
                       MDZ_ERR_DST_SIZE);
        }
        free(exact);
    } else {
        FUZZ_CHECK(fz_decode_error_ok(r) || r == MDZ_ERR_DST_SIZE ||
                   r == MDZ_ERR_MEMORY);
        FUZZ_CHECK(strcmp(mdz_strerror(r), "unknown error") != 0);
        if (r == MDZ_ERR_DST_SIZE) {
            /* refused from the block headers: those the decoder read
             * (every one up to the first fault of structure, the payloads
             * of earlier blocks possibly not yet checked) claim more */
            static ref_result sref;
            ref_walk(data, size, &sref, 1);
            FUZZ_CHECK(sref.raw_declared > OUT_CAP);
        }
        /* a well-formed stored-only file must decode */
        if (ref.status == REF_VALID && ref.raw_total <= OUT_CAP)
            FUZZ_CHECK(r == MDZ_ERR_MEMORY);
    }
    return 0;
}
