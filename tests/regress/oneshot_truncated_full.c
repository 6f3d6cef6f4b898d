/*
 * Regression: mdz_decompress() on a truncated stream whose decodable part
 * exactly fills the output buffer must report MDZ_ERR_TRUNCATED, not
 * MDZ_ERR_DST_SIZE ("output buffer too small" sends the caller off to grow
 * a buffer that was big enough; the input is what is wrong).
 *
 * Found while checking the one-shot wrapper against the streaming decoder
 * (tests/fuzz/fuzz_dstream.c compares their verdicts).  The input is built
 * here: "abc" compressed, end marker cut off, decoded into exactly 3 bytes.
 */
#include <stdio.h>
#include <string.h>

#include "mdz.h"

static int fails;

static void expect(const char *what, int got, int want)
{
    if (got != want) {
        printf("FAIL %s: got %d (%s), want %d (%s)\n", what, got, mdz_strerror(got),
               want, mdz_strerror(want));
        fails++;
    }
}

int main(void)
{
    unsigned char c[256], d[64];
    size_t cl = sizeof c;
    mdz_cparams p = { .level = 1, .block_log = 16 };
    if (mdz_compress(c, &cl, "abc", 3, &p) != MDZ_OK)
        return 1;

    /* the block and the index are complete, the end marker (21 bytes)
     * missing */
    size_t dl = 3;
    expect("no end marker, exact buffer",
           mdz_decompress(d, &dl, c, cl - 21), MDZ_ERR_TRUNCATED);
    dl = sizeof d;
    expect("no end marker, large buffer",
           mdz_decompress(d, &dl, c, cl - 21), MDZ_ERR_TRUNCATED);
    /* a complete stream into a buffer one byte short is DST_SIZE */
    dl = 2;
    expect("complete, short buffer", mdz_decompress(d, &dl, c, cl), MDZ_ERR_DST_SIZE);
    /* and one into a zero-length buffer too */
    dl = 0;
    expect("complete, empty buffer", mdz_decompress(d, &dl, c, cl), MDZ_ERR_DST_SIZE);
    /* a truncated empty stream (header only) into a zero-length buffer */
    unsigned char e[64];
    size_t el = sizeof e;
    if (mdz_compress(e, &el, NULL, 0, &p) != MDZ_OK)
        return 1;
    dl = 0;
    expect("empty stream, no end marker, empty buffer",
           mdz_decompress(d, &dl, e, el - 17), MDZ_ERR_TRUNCATED);
    if (!fails)
        printf("ok\n");
    return fails != 0;
}
