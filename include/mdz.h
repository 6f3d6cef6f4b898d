/*
 * mdz.h -- the public interface of libmdz, and its manual.
 *
 * mdz is a lossless compressor built on bit-level context modelling: a set of
 * adaptive models predicts every bit of the input, a logistic mixer combines
 * their predictions, and a binary arithmetic coder codes the bit.  The
 * compressed data is a ".mdz stream" (format version 3, specified in
 * doc/format.md; versions 1 and 2 are still read): a header, a sequence of
 * independently coded blocks each carrying CRC-32Cs of its bytes (one per
 * chunk of 8-256 KiB in modelled blocks, so that decoded bytes can be
 * released before the block ends), a block index saying where each block
 * is, and an end marker carrying the total length, a CRC-32C of the whole
 * content and the index's size.  Streams may be concatenated; decoding the
 * concatenation yields the concatenation of the contents.
 *
 * Three ways to use the library:
 *
 *   - One-shot buffer calls: mdz_compress() / mdz_decompress(), with
 *     mdz_compress_bound() to size the output of the former.
 *
 *   - Streaming: an mdz_cstream / mdz_dstream context that is fed input and
 *     drained of output in pieces of any size (one byte at a time works), in
 *     the spirit of zlib's deflate()/inflate() and libzstd's
 *     ZSTD_compressStream2()/ZSTD_decompressStream().  Memory stays bounded by
 *     the block size whatever the length of the data.
 *
 *   - Random access: an mdz_reader decodes a byte range of a .mdz file
 *     (a descriptor or read callbacks) through the block index, decoding
 *     only the blocks that hold it.
 *
 * Threads: blocks are independent, so a context can code several at once
 * on worker threads of its own (mdz_cparams.threads, mdz_dparams.threads);
 * the output is the same for every thread count, and every stream decodes
 * with any.  Without threads (the default), the calling thread does the
 * work and none is started.
 *
 * Thread safety: the library has no global mutable state.  Distinct contexts
 * may be used from distinct threads at the same time; one context must not
 * be used by two threads at once.  Callbacks (progress, records) run on the
 * thread that called into the context.
 *
 * Errors: every call that can fail returns an int that is MDZ_OK (0) or a
 * negative mdz_error code; mdz_strerror() names it.  Streaming calls also
 * return positive values with the documented meaning.
 */
#ifndef MDZ_H
#define MDZ_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && defined(MDZ_BUILDING_LIBRARY)
#define MDZ_API __attribute__((visibility("default")))
#else
#define MDZ_API
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                  */

#define MDZ_VERSION_MAJOR 0
#define MDZ_VERSION_MINOR 1
#define MDZ_VERSION_PATCH 0
#define MDZ_VERSION_STRING "0.1.0"

/* The .mdz format version this library writes (and the highest it reads;
 * it also reads versions 1 and 2). */
#define MDZ_FORMAT_VERSION 3

/* Every .mdz stream starts with these 4 bytes (doc/format.md section 2):
 * a program can tell .mdz data from other data by them (mdz -dcf copies
 * what does not start so through unchanged). */
#define MDZ_MAGIC "\x89" "MDZ"
#define MDZ_MAGIC_SIZE 4

/* Returns the library's version string, e.g. "0.1.0". */
MDZ_API const char *mdz_version_string(void);

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */

typedef enum {
    MDZ_OK = 0,
    MDZ_ERR_PARAM = -1,      /* an argument is invalid (NULL pointer, level or
                                block size out of range, ...) */
    MDZ_ERR_MEMORY = -2,     /* an allocation failed */
    MDZ_ERR_DST_SIZE = -3,   /* one-shot call: the output buffer is too small */
    MDZ_ERR_FORMAT = -4,     /* input does not start with the .mdz magic:
                                "not in .mdz format" */
    MDZ_ERR_VERSION = -5,    /* stream written by a newer format version */
    MDZ_ERR_HEADER = -6,     /* stream header corrupt or a parameter in it
                                out of range */
    MDZ_ERR_CORRUPT = -7,    /* a block or the end marker is corrupt (bad
                                type, length out of range, header check
                                mismatch, payload that does not decode) */
    MDZ_ERR_CHECKSUM = -8,   /* a block's or the content's CRC-32C does not
                                match the decoded data */
    MDZ_ERR_TRUNCATED = -9,  /* input ended inside a stream: "unexpected end
                                of input" */
    MDZ_ERR_TRAILING = -10,  /* bytes after a complete stream that are not
                                the start of another stream */
    MDZ_ERR_MEMLIMIT = -11,  /* decoding needs more memory than the limit
                                set in mdz_dparams.memlimit */
    MDZ_ERR_STAGE = -12,     /* a call made out of order (more input, or
                                another op, after MDZ_FINISH and before
                                the stream is complete) */
    MDZ_ERR_DICT = -13,      /* the stream was compressed with a dictionary
                                and none was given, or not that one (its
                                size and ID, mdz_dict_id(), differ) */
    MDZ_ERR_READ = -14       /* random access: the source's read function
                                failed (errno may tell why) */
} mdz_error;

/* Returns a short English description of an mdz_error code ("checksum
 * mismatch", ...).  Never returns NULL; unknown codes give "unknown error". */
MDZ_API const char *mdz_strerror(int code);

/* ------------------------------------------------------------------------ */
/* Parameters                                                               */

#define MDZ_LEVEL_MIN 1
#define MDZ_LEVEL_MAX 9
#define MDZ_LEVEL_DEFAULT 6

/* Block size is 2^block_log bytes.  Each block is coded independently (the
 * model starts fresh), so larger blocks compress better and cost memory. */
#define MDZ_BLOCK_LOG_MIN 16   /* 64 KiB */
#define MDZ_BLOCK_LOG_MAX 28   /* 256 MiB: the format's limit */

/* Progress of a long call, reported from inside it (on the calling
 * thread) through mdz_cparams.progress_fn / mdz_dparams.progress_fn: at
 * least every 64 KiB of content coded when working alone, and about every
 * 100 ms while waiting for worker threads.  raw_done: content bytes coded
 * or decoded (and checked) so far, blocks still in work included;
 * coded_done: compressed bytes written (compressing), or decoded
 * (decompressing: the blocks done, and the blocks in work in proportion to
 * their content verified) so far.  Both count from the context's
 * creation. */
typedef void mdz_progress_fn(void *opaque, uint64_t raw_done, uint64_t coded_done);

/* The most threads a context uses. */
#define MDZ_THREADS_MAX 256

typedef struct {
    int level;       /* 1..9; 0 means MDZ_LEVEL_DEFAULT */
    int block_log;   /* MDZ_BLOCK_LOG_MIN..MAX; 0 means the level's default */
    int threads;     /* worker threads coding blocks in parallel: 0 or 1 =
                        none (the calling thread codes), N = up to N blocks
                        in work at once (at most MDZ_THREADS_MAX).  The
                        output is the same for every value. */
    uint64_t memlimit_threads;  /* nonzero: use only as many threads as fit
                        in this many bytes (mdz_compress_memory()), but at
                        least one: it never refuses or changes the output */
    mdz_progress_fn *progress_fn;  /* NULL, or called as described above */
    void *progress_opaque;
    const void *dict;  /* NULL, or a dictionary (see Dictionaries below) of */
    size_t dict_size;  /* 1..MDZ_DICT_SIZE_MAX bytes, copied by the call
                          that takes the parameters */
} mdz_cparams;

/* Fills *p with the defaults for a level (1..9, or 0 for the default): the
 * level's block size, one thread, no limit, no progress function.
 * Returns MDZ_OK or MDZ_ERR_PARAM. */
MDZ_API int mdz_cparams_init(mdz_cparams *p, int level);

/* Bytes of memory a compressor (resp. decompressor) with these parameters
 * allocates at most: model tables plus block buffers, for blocks of
 * 2^block_log bytes, with p->threads threads (each thread has its tables;
 * with threads, one block more is buffered than are in work).  0 if the
 * parameters are invalid.  The decompressor figure is that of a stream
 * this version writes with these parameters whose content fills more than
 * one block; a stream header carries its own figure for one thread
 * (doc/format.md section 6: less for a stream of one smaller block, whose
 * header names the block size that holds it), and that is what
 * mdz_dparams.memlimit is checked against. */
MDZ_API uint64_t mdz_compress_memory(const mdz_cparams *p);
MDZ_API uint64_t mdz_decompress_memory(const mdz_cparams *p);

/* ------------------------------------------------------------------------ */
/* One-shot calls                                                           */

/* The largest stream mdz_compress() can produce for src_len input bytes with
 * the given block_log (0 for the default level's).  Incompressible blocks are
 * stored raw, so the bound is src_len plus a small per-block and per-stream
 * overhead (the same with a dictionary or without).
 * Returns 0 if the result would overflow size_t. */
MDZ_API size_t mdz_compress_bound(size_t src_len, int block_log);

/* Compresses src[0..src_len) into one complete .mdz stream in dst.
 * *dst_len: in, the capacity of dst; out, the stream's length.
 * Returns MDZ_OK, MDZ_ERR_PARAM, MDZ_ERR_MEMORY or MDZ_ERR_DST_SIZE (give it
 * mdz_compress_bound() bytes to be sure).  src may be NULL if src_len is 0.
 * params may be NULL for the defaults. */
MDZ_API int mdz_compress(void *dst, size_t *dst_len, const void *src,
                         size_t src_len, const mdz_cparams *params);

/* Decompresses one or more concatenated .mdz streams from src[0..src_len)
 * into dst.  *dst_len: in, the capacity of dst; out, bytes written.
 * Every field and checksum is verified; trailing bytes that are not another
 * stream are an error.  Returns MDZ_OK or a negative mdz_error:
 * MDZ_ERR_DST_SIZE if the content does not fit (found from each block's
 * header before the block is decoded, so a small dst costs no decoding
 * work), MDZ_ERR_FORMAT, MDZ_ERR_VERSION, MDZ_ERR_HEADER, MDZ_ERR_CORRUPT,
 * MDZ_ERR_CHECKSUM, MDZ_ERR_TRUNCATED, MDZ_ERR_TRAILING, MDZ_ERR_MEMORY.
 *
 * Memory: a stream header declares what decoding it needs (up to about
 * 1.2 GiB at level 9 with large blocks), and this call allocates it.  For
 * input that is not trusted, use mdz_decompress_ex() with a memlimit. */
MDZ_API int mdz_decompress(void *dst, size_t *dst_len, const void *src,
                           size_t src_len);

/* ------------------------------------------------------------------------ */
/* Streaming                                                                */

typedef struct {
    const void *src;  /* start of the input buffer */
    size_t size;      /* its size */
    size_t pos;       /* bytes consumed so far; updated by the call */
} mdz_inbuf;

typedef struct {
    void *dst;        /* start of the output buffer */
    size_t size;      /* its size */
    size_t pos;       /* bytes written so far; updated by the call */
} mdz_outbuf;

typedef enum {
    MDZ_RUN = 0,      /* consume input, emit whatever whole blocks are ready */
    MDZ_FLUSH = 1,    /* also code the partial block buffered so far, so that
                         everything given so far can be decoded */
    MDZ_FINISH = 2    /* code the rest and write the end marker */
} mdz_end_op;

typedef struct mdz_cstream mdz_cstream;

/* Creates a compression context (params NULL = defaults).  Returns NULL on
 * invalid parameters or allocation failure.  The stream header is emitted
 * with the first block, or at the first MDZ_FLUSH or MDZ_FINISH: a stream
 * whose whole content is given before its first block fills gets, at
 * MDZ_FINISH, the smallest block size that holds it (at least 64 KiB), so
 * that its header declares only the memory decoding it needs; the coded
 * content is the same. */
MDZ_API mdz_cstream *mdz_cstream_new(const mdz_cparams *params);

/* Consumes input from *in and writes output to *out, advancing in->pos and
 * out->pos.  Returns:
 *   > 0  more work pending: call again (with more output space for
 *        MDZ_FLUSH / MDZ_FINISH; more input, or a later op, for MDZ_RUN);
 *   0    MDZ_RUN: all input consumed and buffered;
 *        MDZ_FLUSH: all input coded and all output written;
 *        MDZ_FINISH: the stream is complete (end marker written).  The context
 *        may then start a new stream: call again with new input.
 *   < 0  an mdz_error (MDZ_ERR_PARAM, MDZ_ERR_MEMORY, MDZ_ERR_STAGE).
 * Input need not be given all at once: the context buffers up to one block.
 * Once MDZ_FINISH has been requested, the input must not grow and the op
 * must stay MDZ_FINISH until the call returns 0 (MDZ_ERR_STAGE otherwise;
 * the context stays usable: call again with MDZ_FINISH). */
MDZ_API int mdz_cstream_compress(mdz_cstream *cs, mdz_outbuf *out,
                                 mdz_inbuf *in, mdz_end_op op);

/* Frees the context (NULL is fine). */
MDZ_API void mdz_cstream_free(mdz_cstream *cs);

/* Threads the context uses: mdz_cparams.threads, lowered to fit
 * memlimit_threads and to what the system let it start (1: none). */
MDZ_API int mdz_cstream_threads(const mdz_cstream *cs);

/* What a decoder reports of the structure it reads, one record per part
 * (doc/format.md section 2), through mdz_dparams.record_fn: for listing
 * (mdz -lv), indexing or progress.  Offsets are counted from the start of
 * the input given to the context (coded) and of its output (raw), across
 * concatenated streams. */
typedef enum {
    MDZ_RECORD_STREAM = 1,  /* a stream header, checked */
    MDZ_RECORD_BLOCK = 2,   /* a data block: decoded and verified, or (list
                               mode) its header checked and its payload
                               skipped */
    MDZ_RECORD_END = 3,     /* an end marker, checked against the content */
    MDZ_RECORD_INDEX = 4,   /* a block index (format 3), checked against
                               the blocks read */
    MDZ_RECORD_DICT = 5     /* a dictionary frame (format 3), checked
                               (when decoding, also against the
                               dictionary given; a listing needs none) */
} mdz_record_kind;

typedef struct {
    mdz_record_kind kind;
    uint64_t stream;        /* 1-based number of the stream */
    uint64_t block;         /* BLOCK: 1-based number in its stream; END,
                               INDEX: the stream's number of blocks;
                               STREAM: 0 */
    uint64_t coded_offset;  /* where the part starts in the input */
    uint64_t coded_size;    /* its bytes: 16 for a stream header; header,
                               payload and trailer of a block; 13 + 8 per
                               block for an index; 13 for a dictionary
                               frame; 21 for an end marker
                               (17 in formats 1 and 2) */
    uint64_t raw_offset;    /* BLOCK: where its content starts in the
                               output; STREAM, END, INDEX: where the
                               stream's does */
    uint64_t raw_size;      /* BLOCK: its content bytes; END, INDEX: the
                               stream's; DICT: the dictionary's size;
                               STREAM: 0 */
    uint32_t check;         /* BLOCK: the CRC-32C of its content (or, with
                               chunk checks, of its first chunk); END: the
                               content's CRC-32C; INDEX: its entries';
                               DICT: the dictionary's ID; STREAM: 0 */
    uint32_t chunks;        /* BLOCK: how many chunks carry their own
                               CRC-32C (format 2's modelled blocks), or 0 */
    int stored;             /* BLOCK: 1 if stored raw, 0 if modelled */
    int model;              /* the stream header's model id, */
    int level;              /* level, */
    int block_log;          /* block_log */
    uint64_t memory;        /* and decoder memory (bytes) */
} mdz_record;

typedef void mdz_record_fn(void *opaque, const mdz_record *record);

typedef struct {
    uint64_t memlimit;   /* refuse streams needing more memory; 0 = none */
    int list_only;       /* nonzero: walk the stream structure (headers,
                            lengths, header checks) without decoding the
                            modelled payloads; no output is produced.  For
                            listing; mdz_dstream_info() reports the figures. */
    mdz_record_fn *record_fn;  /* NULL, or called from inside
                            mdz_dstream_decompress() for each part as it is
                            read, in stream order (a block's record comes
                            once the whole block is checked, after the last
                            of its bytes has been released).  It must not
                            call the context. */
    void *record_opaque;       /* passed to record_fn */
    int threads;         /* worker threads decoding blocks in parallel: 0 or
                            1 = none, N = up to N blocks in work at once
                            (at most MDZ_THREADS_MAX).  memlimit, if set,
                            also lowers the count to what fits (down to
                            one); mdz_info.threads tells what was used. */
    uint64_t memlimit_threads;  /* nonzero: threads beyond the first only
                            while the total stays under this many bytes;
                            unlike memlimit it never refuses a stream */
    mdz_progress_fn *progress_fn;  /* NULL, or called as described above */
    void *progress_opaque;
    const void *dict;    /* NULL, or the dictionary the streams were */
    size_t dict_size;    /* compressed with (copied by the call that takes
                            the parameters).  A stream that names a
                            dictionary needs this one (MDZ_ERR_DICT
                            otherwise); one that names none ignores it. */
} mdz_dparams;

/* mdz_decompress() with parameters: params->memlimit refuses streams that
 * need more memory (MDZ_ERR_MEMLIMIT, before anything is allocated for
 * them); record_fn, if set, sees every part.  list_only is not allowed
 * here (MDZ_ERR_PARAM).  params NULL is mdz_decompress(). */
MDZ_API int mdz_decompress_ex(void *dst, size_t *dst_len, const void *src,
                              size_t src_len, const mdz_dparams *params);

typedef struct mdz_dstream mdz_dstream;

/* Creates a decompression context (params NULL = no memory limit, full
 * decoding).  Returns NULL on allocation failure. */
MDZ_API mdz_dstream *mdz_dstream_new(const mdz_dparams *params);

/* Consumes input and produces output.  Bytes are released to the output
 * only after they have been verified: a chunk (8 KiB, doubling to 256
 * KiB) against its own CRC-32C (format 2), or a whole block against the
 * block's (stored blocks, and modelled blocks of format 1); so output
 * flows as it is decoded, and a damaged chunk yields none of its bytes.
 * A call returns after releasing each decoded chunk, so that the caller
 * can pass it on at once; with worker threads, it may wait for them.
 * Faults are reported in stream order: the first one in the input, after
 * every verified byte before it, whatever the thread count or the pieces
 * the input comes in.  Returns:
 *   0    a stream has just been completely decoded and verified and all its
 *        output written.  If the input has ended here, the data was valid.
 *        Calling again with more input starts the next concatenated stream.
 *   > 0  call again: with more input or output space if none was consumed
 *        or produced; if the input has ended and a call with no input
 *        produces nothing, the data is truncated (MDZ_ERR_TRUNCATED).
 *   < 0  an mdz_error; the context is then unusable (free it).
 * Zero-length input and output buffers are allowed. */
MDZ_API int mdz_dstream_decompress(mdz_dstream *ds, mdz_outbuf *out,
                                   mdz_inbuf *in);

/* What a decompression context has seen so far (streams completed and the
 * stream in progress). */
typedef struct {
    uint64_t streams;          /* complete streams */
    uint64_t blocks;           /* data blocks (all streams) */
    uint64_t blocks_stored;    /* of which stored raw */
    uint64_t raw_bytes;        /* uncompressed bytes (all streams) */
    uint64_t coded_bytes;      /* compressed bytes consumed (all streams) */
    int level;                 /* level of the last stream header read */
    int block_log;             /* block_log of the last stream header read */
    uint64_t memory;           /* decoder memory the last header declared */
    int threads;               /* threads used for the last stream (1: the
                                  calling thread alone) */
    uint64_t dict_size;        /* the dictionary the last stream header
                                  read names: its size (0: none) */
    uint32_t dict_id;          /* and its ID (mdz_dict_id()) */
} mdz_info;

/* Fills *info.  Returns MDZ_OK or MDZ_ERR_PARAM. */
MDZ_API int mdz_dstream_info(const mdz_dstream *ds, mdz_info *info);

/* Index of the 1-based block (counting from the start of the current
 * stream) in which the last error was detected, or 0 if the error was not
 * in a block (header, end marker).  Lets a program say "checksum mismatch in
 * block 3". */
MDZ_API uint64_t mdz_dstream_error_block(const mdz_dstream *ds);

/* Frees the context (NULL is fine). */
MDZ_API void mdz_dstream_free(mdz_dstream *ds);

/* ------------------------------------------------------------------------ */
/* Random access                                                            */

/* A byte range of the content of a .mdz file can be decoded without the
 * blocks before it.  Every stream of format 3 ends with a block index
 * (doc/format.md section 3.4): a reader of a file finds it from the end,
 * maps the file's streams and blocks from it (every index, end marker and
 * header checked by its CRC-32C and against the others), and then decodes
 * only the blocks that hold the range -- each only as far as the range
 * needs, to the end of the chunk (8-256 KiB) that holds its last byte.
 * Every byte handed out has matched its chunk's or block's CRC-32C.  A
 * file the indexes cannot map (streams of formats 1 and 2, which have none;
 * a stream of more than 2^22 blocks, written without one; a damaged index
 * or end marker) is mapped by walking its frame headers from the start
 * and seeking past the payloads, which also checks every index it meets:
 * damage to an index is an error (MDZ_ERR_CORRUPT) either way, never
 * wrong bytes.  The content checksum of a stream is not verified (that
 * needs all of it: use mdz -t or mdz_decompress for that).
 *
 * A source that can only be read forward (a pipe) is mapped as it is
 * read: frames in order, the blocks before a range skipped by the source,
 * and reads must then come at increasing offsets (an earlier block that is
 * no longer held gives MDZ_ERR_PARAM).
 *
 * For splitting a large .mdz file between the workers of a distributed
 * job, see doc/splitting.md: mdz_reader_blocks() and mdz_reader_block()
 * tell where every block is. */

/* Reads up to len bytes of the source at offset into buf.  Returns the
 * bytes read (fewer than len only at the end of the source, 0 there), or
 * -1 on error.  For a source of unknown size, each call comes at or after
 * the end of the bytes the previous one returned, and the function skips
 * the bytes between. */
typedef int64_t mdz_read_fn(void *opaque, void *buf, size_t len, uint64_t offset);

#define MDZ_SOURCE_SIZE_UNKNOWN UINT64_MAX

typedef struct {
    mdz_read_fn *read;
    void *opaque;       /* passed to read */
    uint64_t size;      /* the source's length in bytes, or
                           MDZ_SOURCE_SIZE_UNKNOWN: read it forward only */
} mdz_source;

typedef struct mdz_reader mdz_reader;

/* Opens a .mdz source for random access: on a source of known size, maps
 * all its streams and blocks (from the indexes, else from the start); on
 * one of unknown size, reads its first stream header.  params (NULL for
 * the defaults): memlimit refuses streams needing more memory
 * (MDZ_ERR_MEMLIMIT); threads decodes up to that many blocks of one read
 * at once (each thread has its codec and a block's two buffers: as much
 * memory as a stream's header declares, per thread), lowered to what fits
 * memlimit_threads or memlimit with the file's largest stream; list_only
 * must be 0;
 * the record and progress functions are not called.  On success *r is the
 * reader (free it with mdz_reader_free()); otherwise *r is NULL and the
 * return value says why: MDZ_ERR_FORMAT, MDZ_ERR_VERSION, MDZ_ERR_HEADER,
 * MDZ_ERR_CORRUPT, MDZ_ERR_TRUNCATED, MDZ_ERR_TRAILING, MDZ_ERR_MEMLIMIT,
 * MDZ_ERR_READ, MDZ_ERR_MEMORY, MDZ_ERR_PARAM. */
MDZ_API int mdz_reader_open(mdz_reader **r, const mdz_source *src, const mdz_dparams *params);

/* The same on a file descriptor: a regular file is read with pread() (the
 * descriptor's offset is not used or moved), anything else (a pipe, a
 * terminal) forward with read().  The descriptor stays the caller's: close
 * it after mdz_reader_free(). */
MDZ_API int mdz_reader_open_fd(mdz_reader **r, int fd, const mdz_dparams *params);

/* Decodes content bytes [offset, offset + len) into dst: *got is set to the
 * bytes written, fewer than len only if the content ends first (0 at or
 * past its end; len 0 is fine).  Returns MDZ_OK, or an error: then *got
 * bytes before the fault are written and valid.  A block's fault
 * (MDZ_ERR_CORRUPT, MDZ_ERR_CHECKSUM) concerns that block: other ranges may
 * still be read. */
MDZ_API int mdz_reader_read(mdz_reader *r, void *dst, size_t len, uint64_t offset,
                            size_t *got);

/* The content's length (a source of unknown size is read to its end for
 * it, after which nothing before can be read). */
MDZ_API int mdz_reader_size(mdz_reader *r, uint64_t *size);

/* What the map says of one data block. */
typedef struct {
    uint64_t stream;        /* 1-based number of its stream in the file */
    uint64_t block;         /* 1-based number in its stream */
    uint64_t coded_offset;  /* where its header starts in the file */
    uint64_t coded_size;    /* its bytes in the file */
    uint64_t raw_offset;    /* where its content starts in the content */
    uint64_t raw_size;      /* its content bytes */
    int level, block_log;   /* of its stream */
} mdz_block_info;

/* The number of data blocks in the file (mapping it to the end, as
 * mdz_reader_size() does), and block i's entry (0-based, in file order). */
MDZ_API int mdz_reader_blocks(mdz_reader *r, uint64_t *n);
MDZ_API int mdz_reader_block(mdz_reader *r, uint64_t i, mdz_block_info *info);

/* 1 if the map came from the streams' indexes, 0 if from a walk. */
MDZ_API int mdz_reader_indexed(const mdz_reader *r);

/* Frees the reader (NULL is fine). */
MDZ_API void mdz_reader_free(mdz_reader *r);

/* ------------------------------------------------------------------------ */
/* Dictionaries                                                             */

/* A small input (a 4 KiB log chunk, a JSON record) compresses poorly from
 * a cold model: there is no history to predict it from.  A dictionary is
 * such history given in advance: any bytes (typically a sample of content
 * like what will be compressed, as mdz_train_dict() builds one) that the
 * model reads before each block, compressing and decompressing alike, so
 * that its contexts, match model and mixers start where that content left
 * them.  A stream compressed with a dictionary names it (its size and ID,
 * in a dictionary frame after the header: doc/format.md section 3.5) and
 * decodes only with the same bytes (MDZ_ERR_DICT otherwise).
 *
 * Cost: the model reads the dictionary at the start of every block (a
 * walk through its contexts, and a full pass over its last
 * MDZ_DICT_LEARN_SIZE bytes so the mixers learn it), once per block each
 * way: for the default 110 KiB, about 50 ms at level 6 and 25 ms at
 * level 1 on a 2020s x86-64 core, so a 4 KiB piece takes about 60 ms
 * rather than 10 (scripts/dict-bench).  A large block pays it once.
 * Memory: each codec holds the dictionary and the block together (one
 * more block buffer of dict_size + block bytes) and the context a copy of
 * the dictionary. */

#define MDZ_DICT_SIZE_MAX ((size_t)1 << 24)      /* 16 MiB */
#define MDZ_DICT_SIZE_DEFAULT ((size_t)110 << 10) /* 110 KiB, as zstd's */
#define MDZ_DICT_LEARN_SIZE ((size_t)16 << 10)   /* coded in full when priming */

/* The ID a stream records for a dictionary of size bytes: the CRC-32C of
 * its bytes. */
MDZ_API uint32_t mdz_dict_id(const void *dict, size_t size);

/* Builds a dictionary from n samples (sample i is sizes[i] bytes, the
 * samples back to back in samples) into dst: *dst_len is, in, its
 * capacity (the largest dictionary wanted, at most MDZ_DICT_SIZE_MAX), and
 * out, the dictionary's size.  The dictionary is a selection of the
 * samples' bytes, the content that recurs across most samples chosen
 * first and placed last (nearest the data); samples that fit whole are
 * taken whole.  Returns MDZ_OK, MDZ_ERR_PARAM (no sample bytes, a
 * capacity of 0) or MDZ_ERR_MEMORY. */
MDZ_API int mdz_train_dict(void *dst, size_t *dst_len, const void *samples, const size_t *sizes,
                           size_t n);

/* ------------------------------------------------------------------------ */
/* Checksum                                                                 */

/* CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, init and final xor
 * 0xFFFFFFFF), the checksum the format uses.  Continue a running CRC by
 * passing the previous result as crc (start with 0).
 * mdz_crc32c(0, "123456789", 9) == 0xE3069283. */
MDZ_API uint32_t mdz_crc32c(uint32_t crc, const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* MDZ_H */
