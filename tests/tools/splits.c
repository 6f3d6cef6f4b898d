/*
 * splits.c -- the worked example of doc/splitting.md: a .mdz file cut into
 * N splits of its compressed bytes, as a distributed job would cut it, each
 * split read on its own through the block index, lines counted the way a
 * line-record reader counts them.
 *
 *   splits FILE.mdz N          per split: its bytes, the blocks it owns,
 *                              their content range, the lines it counts;
 *                              then the total (equal to wc -l of the
 *                              content, and each split's content hash)
 *   splits FILE.mdz N --cat    writes the splits' content, split after
 *                              split, to stdout (equal to mdz -dc FILE.mdz)
 *
 * A split [s, e) of the file owns the data blocks whose header starts in
 * it.  A line belongs to the split whose owned content holds its first
 * byte: a split skips the tail of a line begun before its content (unless
 * it starts at content offset 0) and reads on past its content, into the
 * next blocks, to finish its last line.  Every split works from the file
 * alone: mdz_reader_open() maps the blocks from the index at the file's
 * end, and mdz_reader_read() decodes only the blocks a range needs.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mdz.h"

#define PIECE ((size_t)1 << 20)

static void die(const char *what, int rc)
{
    fprintf(stderr, "splits: %s: %s\n", what, mdz_strerror(rc));
    exit(1);
}

/* The content range a split of the file's bytes [s, e) owns: the blocks
 * whose header starts in it.  *n = 0 if it owns none. */
static void owned(mdz_reader *r, uint64_t s, uint64_t e, uint64_t *raw0, uint64_t *raw1,
                  uint64_t *n)
{
    uint64_t blocks, i;
    mdz_block_info b;
    int rc = mdz_reader_blocks(r, &blocks);
    if (rc < 0)
        die("mapping", rc);
    *n = 0;
    for (i = 0; i < blocks; i++) {
        if ((rc = mdz_reader_block(r, i, &b)) < 0)
            die("block", rc);
        if (b.coded_offset < s || b.coded_offset >= e)
            continue;
        if (*n == 0)
            *raw0 = b.raw_offset;
        *raw1 = b.raw_offset + b.raw_size;
        (*n)++;
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: splits FILE.mdz N [--cat]\n");
        return 2;
    }
    int cat = argc > 3 && strcmp(argv[3], "--cat") == 0;
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    uint64_t nsplits = strtoull(argv[2], NULL, 10), size = (uint64_t)st.st_size;
    uint64_t total_lines = 0;
    uint8_t *buf = malloc(PIECE);
    if (!buf || nsplits == 0)
        return 2;
    for (uint64_t k = 0; k < nsplits; k++) {
        /* each split opens the file for itself, as a worker would */
        mdz_reader *r;
        int rc = mdz_reader_open_fd(&r, fd, NULL);
        if (rc < 0)
            die(argv[1], rc);
        uint64_t s = size * k / nsplits, e = size * (k + 1) / nsplits;
        uint64_t raw0 = 0, raw1 = 0, nb, lines = 0;
        owned(r, s, e, &raw0, &raw1, &nb);
        if (nb && cat) {
            for (uint64_t at = raw0; at < raw1;) {
                size_t want = raw1 - at < PIECE ? (size_t)(raw1 - at) : PIECE, got;
                if ((rc = mdz_reader_read(r, buf, want, at, &got)) < 0)
                    die("reading", rc);
                if (got != want || fwrite(buf, 1, got, stdout) != got)
                    die("short read", MDZ_ERR_TRUNCATED);
                at += got;
            }
        } else if (nb) {
            /* lines starting in [raw0, raw1): skip the tail of a line begun
             * before raw0, and finish the last one past raw1 */
            uint64_t at = raw0;
            int skipping = 0, line_start = 1, done = 0;
            if (raw0 > 0) {
                size_t got;
                if ((rc = mdz_reader_read(r, buf, 1, raw0 - 1, &got)) < 0)
                    die("reading", rc);
                skipping = buf[0] != '\n';
            }
            while (!done) {
                size_t got;
                if ((rc = mdz_reader_read(r, buf, PIECE, at, &got)) < 0)
                    die("reading", rc);
                if (got == 0)
                    break;
                for (size_t i = 0; i < got && !done; i++) {
                    uint64_t p = at + i;
                    if (skipping) {
                        /* the end of a line another split owns */
                        if (p >= raw1)
                            done = 1;
                        else if (buf[i] == '\n')
                            skipping = 0;
                        continue;
                    }
                    if (line_start && p >= raw1) {
                        done = 1;  /* the next split's line */
                        break;
                    }
                    line_start = buf[i] == '\n';
                    lines += line_start;
                }
                at += got;
            }
        }
        if (!cat)
            printf("split %" PRIu64 ": bytes [%" PRIu64 ", %" PRIu64 "), %" PRIu64
                   " blocks, content [%" PRIu64 ", %" PRIu64 "), %" PRIu64 " lines, %s\n",
                   k + 1, s, e, nb, nb ? raw0 : 0, nb ? raw1 : 0, lines,
                   mdz_reader_indexed(r) ? "indexed" : "walked");
        total_lines += lines;
        mdz_reader_free(r);
    }
    if (!cat)
        printf("total: %" PRIu64 " lines\n", total_lines);
    free(buf);
    close(fd);
    return 0;
}
