/*
 * fuzz_dstream -- libFuzzer target: arbitrary bytes through the streaming
 * decoder, mdz_dstream_decompress(), fed in pieces of fuzzer-chosen sizes
 * with output windows of fuzzer-chosen sizes (zero-length calls and
 * one-byte buffers included), with 1, 2 or 3 worker threads.
 *
 * Input layout: 4 control bytes, then the would-be .mdz file.
 *   byte 0: bits 0-1 input piece mode, bits 2-3 output window mode
 *           (0 = mostly one byte with zero-length calls, 1 = 0..17 bytes,
 *            2 = 0..5000 bytes, 3 = all at once); bit 4: list_only;
 *           bit 5: repair the check fields first (ref_fix_checks), bit 6:
 *           deeply (memory figure, stored blocks' checksums too)
 *   bytes 1-3: seed of the piece-size generator
 *   threads: 1 + bit 7 of byte 0 + bit 7 of byte 3 (1, 2 or 3)
 *
 * The decoder runs with mdz_dparams.memlimit = 512 MiB, so hostile headers
 * cannot make it allocate more than that (streams needing more are refused
 * with MDZ_ERR_MEMLIMIT before any allocation; threads are only as many
 * as fit), and with a progress function.
 *
 * Checks, besides the sanitizers:
 *   - progress: a call with input left and output room either consumes,
 *     produces, completes a stream or fails; no call spins; the decoder
 *     may return after releasing a chunk with input left, so the input
 *     counts as exhausted only when a call without input produces
 *     nothing (mdz.h);
 *   - errors are sticky and documented;
 *   - bytes released are verified blocks, or verified chunks of a type-3
 *     block up to a chunk boundary before an error (reference reader);
 *   - the outcome (success with the same bytes, or the same error) agrees
 *     with the one-shot mdz_decompress_ex() on the same bytes, run with
 *     another thread count;
 *   - list mode reaches the same verdict on the container structure;
 *   - mdz_info.threads is between 1 and the count asked for; progress
 *     reports come from the calling thread and never go back.
 */
#include "fuzz_common.h"

#define OUT_CAP ((size_t)8 << 20)
#define MEMLIMIT ((uint64_t)512 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *out, *one, *fixed;
    static size_t fixed_cap;
    static ref_result ref;
    if (!out) {
        out = malloc(OUT_CAP);
        one = malloc(OUT_CAP);
        FUZZ_CHECK(out && one);
    }
    if (size < 4)
        return 0;
    int in_mode = data[0] & 3, out_mode = (data[0] >> 2) & 3;
    int list_only = (data[0] >> 4) & 1;
    fz_rng rng;
    fz_seed(&rng, (uint64_t)data[1] | (uint64_t)data[2] << 8 | (uint64_t)data[3] << 16);
    int fix = (data[0] >> 5) & 1, deep = (data[0] >> 6) & 1;
    int threads = 1 + ((data[0] >> 7) & 1) + ((data[3] >> 7) & 1);
    data += 4;
    size -= 4;
    if (fix) {
        if (fixed_cap < size) {
            free(fixed);
            fixed = malloc(size);
            FUZZ_CHECK(fixed != NULL);
            fixed_cap = size;
        }
        memcpy(fixed, data, size);
        ref_fix_checks(fixed, size, deep);
        data = fixed;
    }

    if (!list_only && fz_model_work(data, size) > FZ_WORK_MAX)
        return 0;  /* legitimately slow: see fuzz_common.h */
    ref_walk(data, size, &ref, list_only);

    fz_progress prog;
    fz_progress_init(&prog);
    mdz_dparams dp = { .memlimit = MEMLIMIT, .list_only = list_only, .threads = threads,
                       .progress_fn = fz_progress_fn, .progress_opaque = &prog,
                       .dict = fz_dict(), .dict_size = FZ_DICT_SIZE };
    mdz_dstream *ds = mdz_dstream_new(&dp);
    FUZZ_CHECK(ds != NULL);

    size_t ipos = 0, opos = 0;
    int r = 1, idle = 0, stalled = 0, zero_at_end = 0, over = 0;
    for (;;) {
        size_t ik = fz_piece(&rng, in_mode, size - ipos);
        size_t ok = fz_piece(&rng, out_mode, OUT_CAP - opos);
        if (ipos == size && ok == 0 && ++zero_at_end > 4)
            ok = 1;
        /* a fresh, exactly sized window each call: ASan catches any access
         * past it (the input piece is likewise its own allocation) */
        uint8_t *ibuf = malloc(ik ? ik : 1), *obuf = malloc(ok ? ok : 1);
        FUZZ_CHECK(ibuf && obuf);
        memcpy(ibuf, data + ipos, ik);
        mdz_inbuf in = { ik ? ibuf : NULL, ik, 0 };
        mdz_outbuf o = { ok ? obuf : NULL, ok, 0 };
        r = mdz_dstream_decompress(ds, &o, &in);
        FUZZ_CHECK(in.pos <= ik && o.pos <= ok);
        memcpy(out + opos, obuf, o.pos);
        free(ibuf);
        free(obuf);
        ipos += in.pos;
        opos += o.pos;
        if (list_only)
            FUZZ_CHECK(opos == 0);
        if (r < 0)
            break;
        if (in.pos || o.pos) {
            idle = stalled = 0;
        } else if (ik && ok) {
            /* input and room, yet nothing happened: allowed only as the
             * report of a stream end, and never twice in a row */
            FUZZ_CHECK(r == 0 && !stalled);
            stalled = 1;
        } else if (++idle > 64) {
            in_mode = out_mode = 3;  /* too many empty pieces: move on */
        }
        if (ipos == size) {
            if (r == 0)
                break;  /* complete and valid */
            if (!ik && ok && !o.pos)
                break;  /* no input, room, nothing released: truncated */
        }
        if (opos == OUT_CAP) {
            over = 1;   /* content larger than this test keeps */
            break;
        }
    }

    /* zero-length calls after the end (or after an error) change nothing */
    {
        mdz_inbuf in = { NULL, 0, 0 };
        mdz_outbuf o = { NULL, 0, 0 };
        int r2 = mdz_dstream_decompress(ds, &o, &in);
        if (r < 0)
            FUZZ_CHECK(r2 == r);
        else if (!over && r == 0)
            FUZZ_CHECK(r2 == 0);
    }
    uint64_t err_block = mdz_dstream_error_block(ds);
    mdz_info info;
    FUZZ_CHECK(mdz_dstream_info(ds, &info) == MDZ_OK);
    mdz_dstream_free(ds);
    FUZZ_CHECK(info.threads >= 1 && info.threads <= threads);
    FUZZ_CHECK(prog.coded <= size);
    if (over)
        return 0;

    /* the verdict: 0 = valid, < 0 an error (truncation reported as such) */
    int verdict = r < 0 ? r : (r == 0 ? 0 : MDZ_ERR_TRUNCATED);
    if (size == 0)
        FUZZ_CHECK(verdict == MDZ_ERR_TRUNCATED);
    if (verdict < 0) {
        FUZZ_CHECK(fz_decode_error_ok(verdict) || verdict == MDZ_ERR_MEMLIMIT ||
                   verdict == MDZ_ERR_MEMORY);
        FUZZ_CHECK(err_block <= info.blocks + 1);
    }
    if (verdict == MDZ_ERR_MEMLIMIT) {
        FUZZ_CHECK(ref.max_memory > MEMLIMIT);
        return 0;
    }
    if (list_only) {
        /* structure only: the listing accepts exactly the files whose
         * container the reference accepts */
        FUZZ_CHECK((ref.status == REF_BAD) == (verdict < 0));
        return 0;
    }
    ref_check_output(&ref, data, out, opos, verdict == 0);
    if (verdict == 0)
        FUZZ_CHECK(info.raw_bytes == opos && info.coded_bytes == size &&
                   prog.raw <= opos);

    /* differential: the one-shot call, with another thread count (and
     * the same memory limit), reaches the same verdict */
    size_t n = OUT_CAP;
    mdz_dparams dp1 = { .memlimit = MEMLIMIT, .threads = threads % 3 + 1,
                        .memlimit_threads = MEMLIMIT, .dict = fz_dict(),
                        .dict_size = FZ_DICT_SIZE };
    int r1 = mdz_decompress_ex(one, &n, data, size, &dp1);
    if (r1 == MDZ_ERR_DST_SIZE)
        return 0;
    FUZZ_CHECK(r1 == verdict);
    if (r1 == MDZ_OK)
        FUZZ_CHECK(n == opos && memcmp(one, out, n) == 0);
    return 0;
}
