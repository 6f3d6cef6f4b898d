/*
 * list.h -- the -l table: one line per file, a totals line for several.
 */
#ifndef MDZ_CLI_LIST_H
#define MDZ_CLI_LIST_H

#include "mdz.h"

/* Prints the header line (once) and the line of one file. */
void list_file(const char *name, const mdz_info *info);

/* Prints the totals line if more than one file was listed. */
void list_totals(void);

#endif
