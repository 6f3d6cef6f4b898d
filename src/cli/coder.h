/*
 * coder.h -- the coding loops of the mdz program: stream a file descriptor
 * through an mdz_cstream / mdz_dstream into another descriptor (or nowhere,
 * for -t and -l), in 1 MiB pieces.
 */
#ifndef MDZ_CLI_CODER_H
#define MDZ_CLI_CODER_H

#include "mdz.h"

#include <stdint.h>

enum code_status {
    CODE_OK = 0,
    CODE_READ_ERROR,   /* err = errno of the failed read */
    CODE_WRITE_ERROR,  /* err = errno of the failed write */
    CODE_LIB_ERROR,    /* err = mdz_error; block/stream say where */
    CODE_STALLED       /* the library made no progress (a library bug) */
};

struct code_result {
    enum code_status status;
    int err;
    uint64_t block;      /* mdz_dstream_error_block(), 0 if none */
    uint64_t stream;     /* 1-based stream in which the error was found */
    uint64_t in_bytes;   /* bytes read */
    uint64_t out_bytes;  /* bytes written */
    int copied;          /* passthrough: the input was not .mdz and was
                            copied unchanged */
    int threads;         /* threads the compressor used */
    mdz_info info;       /* decoder figures (decompress / list) */
};

/* Compresses in_fd into out_fd.  The library's progress reports (within
 * blocks) go to the progress line (message.h). */
void code_compress(int in_fd, int out_fd, const mdz_cparams *cp,
                   struct code_result *res);

/* Decompresses in_fd into out_fd; out_fd < 0 discards the output (-t).
 * With dp->list_only, walks the structure only (-l).  With passthrough, an
 * input that does not start with the .mdz magic (shorter ones and empty
 * ones included) is copied to out_fd unchanged (zcat -f). */
void code_decompress(int in_fd, int out_fd, const mdz_dparams *dp,
                     int passthrough, struct code_result *res);

/* Writes content bytes [offset, offset + length) of the .mdz data on in_fd
 * (clamped at the end of the content) to out_fd, decoding only the blocks
 * that hold them: through the block index on a regular file, by skipping
 * forward on anything else (mdz_reader). */
void code_range(int in_fd, int out_fd, const mdz_dparams *dp, uint64_t offset,
                uint64_t length, struct code_result *res);

#endif
