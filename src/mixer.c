/* mixer.c -- see mixer.h. */
#include "mixer.h"

void mdz_mixer_init(mdz_mixer *m, int16_t *w, int n, int nsets, int lr, int w0)
{
    m->n = n;
    m->nsets = nsets;
    m->w = w;
    m->ws = w;
    m->lr = lr;
    m->st = 0;
    m->pr = 32768;
    for (int64_t i = 0; i < (int64_t)n * nsets; i++) w[i] = (int16_t)w0;
}
