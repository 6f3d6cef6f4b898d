/*
 * list.h -- the -l table (one line per file, a totals line for several)
 * and, with -v, the detailed listing of -lv: per file its figures, then a
 * row per stream and a row per block (offsets, sizes, level, model, memory,
 * check value), in the manner of xz -lv.
 */
#ifndef MDZ_CLI_LIST_H
#define MDZ_CLI_LIST_H

#include "mdz.h"

/* Prints the header line (once) and the line of one file. */
void list_file(const char *name, const mdz_info *info);

/* Prints the totals line if more than one file was listed. */
void list_totals(void);

/* -lv: a record callback (mdz_dparams.record_fn) that keeps the records of
 * the file being listed; list_verbose_file() prints and forgets them. */
void list_record(void *opaque, const mdz_record *record);
void list_verbose_file(const char *name, const mdz_info *info);
void list_verbose_totals(void);

/* Forgets the records kept so far (a file that failed). */
void list_discard(void);

/* Formats n bytes as "1.5 KiB", "3.2 MiB", ... (bytes below 1 KiB as
 * "N B"). */
void list_fmt_size(char *buf, size_t len, uint64_t n);

#endif
