/*
 * train.h -- dictionaries in the mdz program: --train makes one from
 * sample files (mdz_train_dict(), each file one sample) and writes it as
 * every output is written (a temporary file renamed into place); -D reads
 * one for compressing and decoding.
 */
#ifndef MDZ_CLI_TRAIN_H
#define MDZ_CLI_TRAIN_H

#include <stddef.h>
#include <stdint.h>

struct dict_file {
    void *data;     /* the dictionary's bytes (NULL: none given) */
    size_t size;    /* 1..MDZ_DICT_SIZE_MAX */
    uint32_t id;    /* mdz_dict_id() of them */
};

/* Reads the dictionary file name into *d.  Returns 0; or -1 after an
 * error message (the file cannot be read, is empty, or is larger than
 * MDZ_DICT_SIZE_MAX). */
int dict_load(const char *name, struct dict_file *d);

/* Frees what dict_load() read. */
void dict_free(struct dict_file *d);

/* --train: reads the nfiles sample files ("-" is standard input), builds
 * a dictionary of at most maxdict bytes and writes it to dest ("-":
 * standard output); an existing dest is replaced only with force.  Any
 * error (a sample that cannot be read, no sample bytes, the output) is
 * reported and leaves nothing written; returns 0 on success, -1 then.
 * With -v, a summary line. */
int train_run(char **files, int nfiles, const char *dest, uint64_t maxdict, int force);

#endif
