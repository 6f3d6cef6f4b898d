/*
 * bench.h -- "mdz -b": the in-process benchmark of the mdz levels.
 */
#ifndef MDZ_CLI_BENCH_H
#define MDZ_CLI_BENCH_H

/* Benchmarks levels level_lo..level_hi of libmdz on each of files[0..nfiles)
 * ("-" = standard input), in this process, through the one-shot calls
 * mdz_compress() / mdz_decompress().  For every level and file: a warm-up
 * on the first 256 KiB, then `runs` timed compressions and decompressions
 * (runs <= 0: 3), each decompression compared byte for byte with the
 * original.  Prints one line per level and file (and a total per level
 * when there are several files) on standard output: sizes, ratio, bits per
 * byte, median compress and decompress speed (wall clock, MB = 10^6 bytes)
 * and the library's memory figure for the level.
 *
 * level_lo <= 0 means MDZ_LEVEL_DEFAULT; level_hi < level_lo means level_lo
 * alone.  verbose > 0: progress on standard error (when it is a terminal)
 * and the times of every run.  Messages start with "mdz: ".
 *
 * Returns an exit status: 0 all round trips verified, 1 an error (a file
 * that cannot be read, a level out of range, a round trip that failed).
 */
int mdz_cli_bench(char **files, int nfiles, int level_lo, int level_hi,
                  int runs, int verbose);

#endif
