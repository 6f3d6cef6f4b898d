/*
 * list.c -- the -l table and the -lv listing.
 *
 *   streams  blocks  stored  compressed  uncompressed   ratio  level  block  check    name
 *         1       3       0       43210        152089  28.41%      6    16M  CRC-32C  alice29.txt.mdz
 *
 * Sizes in the -l table are plain byte counts (easy to parse); ratio is
 * compressed / uncompressed; level and block are those of the last stream
 * header.  -lv prints, per file, its totals in KiB/MiB and bytes, then the
 * streams, the blocks with their offsets and each stream's block index
 * (checked against the blocks by the decoder), from the decoder's records
 * (mdz_record).
 *
 * A file whose streams were compressed with a dictionary (mdz -D) has, in
 * the -l table, a line after its row naming it (the last stream's: ID and
 * size); -lv says it in the file's figures and lists each stream's
 * dictionary frame.
 */
#include "list.h"
#include "message.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int header_done;
static unsigned files;
static mdz_info total;
static int same_level = 1, same_block = 1;

static mdz_record *recs;
static size_t nrecs, caprecs;
static int recs_lost;  /* out of memory: the listing says so */

static void fmt_ratio(char *buf, size_t n, uint64_t comp, uint64_t raw)
{
    if (raw == 0)
        snprintf(buf, n, "---");
    else
        snprintf(buf, n, "%.2f%%", 100.0 * (double)comp / (double)raw);
}

static void fmt_block(char *buf, size_t n, int log)
{
    if (log <= 0)
        snprintf(buf, n, "-");
    else if (log >= 20)
        snprintf(buf, n, "%dM", 1 << (log - 20));
    else
        snprintf(buf, n, "%dK", 1 << (log - 10));
}

void list_fmt_size(char *buf, size_t len, uint64_t n)
{
    static const char *unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double v = (double)n;
    int u = -1;
    if (n < 1024) {
        snprintf(buf, len, "%" PRIu64 " B", n);
        return;
    }
    while (v >= 1024.0 && u < 5) {
        v /= 1024.0;
        u++;
    }
    snprintf(buf, len, "%.1f %s", v, unit[u]);
}

static void line(const mdz_info *in, int level_known, int block_known, const char *name)
{
    char ratio[32], block[16], level[16];
    fmt_ratio(ratio, sizeof ratio, in->coded_bytes, in->raw_bytes);
    fmt_block(block, sizeof block, block_known ? in->block_log : 0);
    if (level_known && in->level > 0)
        snprintf(level, sizeof level, "%d", in->level);
    else
        snprintf(level, sizeof level, "-");
    printf("%7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %11" PRIu64 " %13" PRIu64
           " %7s %6s %6s  %-7s  ",
           in->streams, in->blocks, in->blocks_stored, in->coded_bytes,
           in->raw_bytes, ratio, level, block, "CRC-32C");
    msg_fput_name(stdout, name);
    putchar('\n');
}

static void add_total(const mdz_info *info)
{
    if (files > 0) {
        if (info->level != total.level)
            same_level = 0;
        if (info->block_log != total.block_log)
            same_block = 0;
    } else {
        total.level = info->level;
        total.block_log = info->block_log;
    }
    total.streams += info->streams;
    total.blocks += info->blocks;
    total.blocks_stored += info->blocks_stored;
    total.coded_bytes += info->coded_bytes;
    total.raw_bytes += info->raw_bytes;
    files++;
}

void list_file(const char *name, const mdz_info *info)
{
    if (!header_done) {
        printf("%7s %7s %7s %11s %13s %7s %6s %6s  %-7s  %s\n", "streams",
               "blocks", "stored", "compressed", "uncompressed", "ratio",
               "level", "block", "check", "name");
        header_done = 1;
    }
    line(info, 1, 1, name);
    if (info->dict_size)
        printf("%7s dictionary: ID %08" PRIx32 ", %" PRIu64 " bytes\n", "", info->dict_id,
               info->dict_size);
    add_total(info);
}

void list_totals(void)
{
    char name[48];
    if (files < 2)
        return;
    snprintf(name, sizeof name, "(totals, %u files)", files);
    line(&total, same_level, same_block, name);
}

/* ------------------------------------------------------------------------ */
/* -lv                                                                      */

void list_record(void *opaque, const mdz_record *record)
{
    (void)opaque;
    if (recs_lost)
        return;
    if (nrecs == caprecs) {
        size_t n = caprecs ? 2 * caprecs : 64;
        mdz_record *r = realloc(recs, n * sizeof *r);
        if (!r) {
            recs_lost = 1;
            return;
        }
        recs = r;
        caprecs = n;
    }
    recs[nrecs++] = *record;
}

void list_discard(void)
{
    nrecs = 0;
    recs_lost = 0;
}

/* "1,234,567": byte counts in the -lv rows. */
static void fmt_count(char *buf, size_t len, uint64_t v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, v), i, o = 0;
    for (i = 0; i < n && (size_t)o + 2 < len; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

static void size_line(const char *label, uint64_t v)
{
    char h[32], b[32];
    list_fmt_size(h, sizeof h, v);
    fmt_count(b, sizeof b, v);
    if (v < 1024)
        printf("  %-19s%s\n", label, h);
    else
        printf("  %-19s%s (%s B)\n", label, h, b);
}

static void summary(const mdz_info *info)
{
    char ratio[32];
    fmt_ratio(ratio, sizeof ratio, info->coded_bytes, info->raw_bytes);
    printf("  %-19s%" PRIu64 "\n", "Streams:", info->streams);
    printf("  %-19s%" PRIu64 " (%" PRIu64 " stored)\n", "Blocks:", info->blocks,
           info->blocks_stored);
    size_line("Compressed size:", info->coded_bytes);
    size_line("Uncompressed size:", info->raw_bytes);
    printf("  %-19s%s\n", "Ratio:", ratio);
    printf("  %-19s%s\n", "Check:", "CRC-32C");
    if (info->dict_size) {
        char h[32], b[32];
        list_fmt_size(h, sizeof h, info->dict_size);
        fmt_count(b, sizeof b, info->dict_size);
        if (info->dict_size < 1024)
            printf("  %-19sID %08" PRIx32 ", %s\n", "Dictionary:", info->dict_id, h);
        else
            printf("  %-19sID %08" PRIx32 ", %s (%s B)\n", "Dictionary:", info->dict_id, h, b);
    }
}

void list_verbose_file(const char *name, const mdz_info *info)
{
    char a[32], b[32], c[32], d[32], ratio[32], blk[16], mem[32];
    size_t i;

    if (files > 0)
        putchar('\n');
    msg_fput_name(stdout, name);
    putchar('\n');
    summary(info);
    add_total(info);
    if (recs_lost) {
        printf("  (out of memory: no per-stream detail)\n");
        list_discard();
        return;
    }

    printf("  Streams:\n    %6s %7s %14s %14s %14s %14s %7s %5s %5s %5s %8s  %s\n",
           "Stream", "Blocks", "CompOffset", "UncompOffset", "CompSize", "UncompSize",
           "Ratio", "Level", "Model", "Block", "Memory", "Check");
    for (i = 0; i < nrecs; i++) {
        const mdz_record *s = &recs[i], *e = NULL;
        size_t j;
        if (s->kind != MDZ_RECORD_STREAM)
            continue;
        for (j = i + 1; j < nrecs; j++)
            if (recs[j].kind == MDZ_RECORD_END) {
                e = &recs[j];
                break;
            }
        if (!e)
            continue;  /* listing stopped inside the stream */
        fmt_count(a, sizeof a, s->coded_offset);
        fmt_count(b, sizeof b, s->raw_offset);
        fmt_count(c, sizeof c, e->coded_offset + e->coded_size - s->coded_offset);
        fmt_count(d, sizeof d, e->raw_size);
        fmt_ratio(ratio, sizeof ratio, e->coded_offset + e->coded_size - s->coded_offset,
                  e->raw_size);
        fmt_block(blk, sizeof blk, s->block_log);
        snprintf(mem, sizeof mem, "%" PRIu64 " MiB", (s->memory + (1u << 20) - 1) >> 20);
        printf("    %6" PRIu64 " %7" PRIu64 " %14s %14s %14s %14s %7s %5d %5d %5s %8s  "
               "CRC-32C %08" PRIx32 "\n",
               s->stream, e->block, a, b, c, d, ratio, s->level, s->model, blk, mem,
               e->check);
    }
    printf("  Blocks:\n    %6s %7s %14s %14s %14s %14s %7s %-8s  %s\n", "Stream", "Block",
           "CompOffset", "UncompOffset", "TotalSize", "UncompSize", "Ratio", "Type",
           "Check");
    for (i = 0; i < nrecs; i++) {
        const mdz_record *r = &recs[i];
        if (r->kind != MDZ_RECORD_BLOCK)
            continue;
        fmt_count(a, sizeof a, r->coded_offset);
        fmt_count(b, sizeof b, r->raw_offset);
        fmt_count(c, sizeof c, r->coded_size);
        fmt_count(d, sizeof d, r->raw_size);
        fmt_ratio(ratio, sizeof ratio, r->coded_size, r->raw_size);
        char check[48];
        if (r->chunks > 1)
            snprintf(check, sizeof check, "CRC-32C x %" PRIu32 " chunks", r->chunks);
        else
            snprintf(check, sizeof check, "CRC-32C %08" PRIx32, r->check);
        printf("    %6" PRIu64 " %7" PRIu64 " %14s %14s %14s %14s %7s %-8s  %s\n", r->stream,
               r->block, a, b, c, d, ratio, r->stored ? "stored" : "modelled", check);
    }
    /* the index: an entry per block above (the decoder has checked that it
     * lists exactly them), so its place, size and check */
    printf("  Index:\n    %6s %7s %14s %14s  %s\n", "Stream", "Entries", "CompOffset",
           "Size", "Check");
    for (i = 0; i < nrecs; i++) {
        const mdz_record *s = &recs[i], *x = NULL;
        size_t j;
        if (s->kind != MDZ_RECORD_STREAM)
            continue;
        for (j = i + 1; j < nrecs && recs[j].kind != MDZ_RECORD_STREAM; j++)
            if (recs[j].kind == MDZ_RECORD_INDEX)
                x = &recs[j];
        if (!x) {
            printf("    %6" PRIu64 " %7s %14s %14s  %s\n", s->stream, "-", "-", "-",
                   "none (format 1 or 2, or too many blocks)");
            continue;
        }
        fmt_count(a, sizeof a, x->coded_offset);
        fmt_count(c, sizeof c, x->coded_size);
        printf("    %6" PRIu64 " %7" PRIu64 " %14s %14s  CRC-32C %08" PRIx32 "\n", x->stream,
               x->block, a, c, x->check);
    }
    /* the dictionary frames (only for files that have them): their fields
     * are checked; a listing needs no dictionary */
    for (i = 0; i < nrecs && recs[i].kind != MDZ_RECORD_DICT; i++)
        ;
    if (i < nrecs) {
        printf("  Dictionaries:\n    %6s %14s %14s %14s  %s\n", "Stream", "CompOffset", "Size",
               "DictSize", "ID");
        for (; i < nrecs; i++) {
            const mdz_record *r = &recs[i];
            if (r->kind != MDZ_RECORD_DICT)
                continue;
            fmt_count(a, sizeof a, r->coded_offset);
            fmt_count(c, sizeof c, r->coded_size);
            fmt_count(d, sizeof d, r->raw_size);
            printf("    %6" PRIu64 " %14s %14s %14s  %08" PRIx32 "\n", r->stream, a, c, d,
                   r->check);
        }
    }
    list_discard();
}

void list_verbose_totals(void)
{
    if (files < 2)
        return;
    printf("\nTotals (%u files):\n", files);
    summary(&total);
}
