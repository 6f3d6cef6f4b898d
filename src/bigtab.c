/* bigtab.c -- see bigtab.h. */
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "bigtab.h"

void *mdz_big_alloc(size_t bytes)
{
    void *m = NULL;
    size_t align = (size_t)2 << 20;
    bytes = (size_t)mdz_big_bytes(bytes);
    if (posix_memalign(&m, align, bytes) != 0) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(m, bytes, MADV_HUGEPAGE);
#endif
    return m;
}
