/*
 * list.c -- the -l table.
 *
 *   streams  blocks  stored  compressed  uncompressed   ratio  level  block  check    name
 *         1       3       0       43210        152089  28.41%      6    16M  CRC-32C  alice29.txt.mdz
 *
 * Sizes are plain byte counts (easy to parse); ratio is compressed /
 * uncompressed; level and block are those of the last stream header.
 */
#include "list.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static int header_done;
static unsigned files;
static mdz_info total;
static int same_level = 1, same_block = 1;

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
           " %7s %6s %6s  %-7s  %s\n",
           in->streams, in->blocks, in->blocks_stored, in->coded_bytes,
           in->raw_bytes, ratio, level, block, "CRC-32C", name);
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

void list_totals(void)
{
    char name[48];
    if (files < 2)
        return;
    snprintf(name, sizeof name, "(totals, %u files)", files);
    line(&total, same_level, same_block, name);
}
