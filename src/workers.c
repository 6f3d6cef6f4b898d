/*
 * workers.c -- the thread set of workers.h, on POSIX threads.
 */
#include "workers.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct worker_arg {
    mdz_workers *w;
    int index;
};

struct mdz_workers {
    pthread_mutex_t mu;
    pthread_cond_t work;   /* a task was queued, or stop */
    pthread_cond_t done;   /* a task signalled the caller */
    mdz_task_fn *fn;
    void **queue;          /* ring of queued tasks */
    int cap, head, count;
    int stop;
    int n;                 /* threads running */
    pthread_t *threads;
    struct worker_arg *args;
};

static void *worker_main(void *p)
{
    struct worker_arg *a = p;
    mdz_workers *w = a->w;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->stop && w->count == 0)
            pthread_cond_wait(&w->work, &w->mu);
        if (w->stop)
            break;
        void *task = w->queue[w->head];
        w->head = (w->head + 1) % w->cap;
        w->count--;
        pthread_mutex_unlock(&w->mu);
        w->fn(task, a->index);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

mdz_workers *mdz_workers_new(int n, int queue_cap, mdz_task_fn *fn)
{
    mdz_workers *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->fn = fn;
    w->cap = queue_cap > 0 ? queue_cap : 1;
    w->queue = calloc((size_t)w->cap, sizeof *w->queue);
    w->threads = calloc((size_t)n, sizeof *w->threads);
    w->args = calloc((size_t)n, sizeof *w->args);
    if (!w->queue || !w->threads || !w->args || pthread_mutex_init(&w->mu, NULL) != 0) {
        free(w->queue);
        free(w->threads);
        free(w->args);
        free(w);
        return NULL;
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->done, &ca);
    pthread_condattr_destroy(&ca);
    for (int i = 0; i < n; i++) {
        w->args[i].w = w;
        w->args[i].index = i;
        if (pthread_create(&w->threads[i], NULL, worker_main, &w->args[i]) != 0)
            break;
        w->n++;
    }
    if (w->n == 0) {
        mdz_workers_free(w);
        return NULL;
    }
    return w;
}

void mdz_workers_free(mdz_workers *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_broadcast(&w->work);
    pthread_mutex_unlock(&w->mu);
    for (int i = 0; i < w->n; i++)
        pthread_join(w->threads[i], NULL);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->done);
    pthread_mutex_destroy(&w->mu);
    free(w->queue);
    free(w->threads);
    free(w->args);
    free(w);
}

int mdz_workers_count(const mdz_workers *w)
{
    return w ? w->n : 0;
}

void mdz_workers_lock(mdz_workers *w)
{
    pthread_mutex_lock(&w->mu);
}

void mdz_workers_unlock(mdz_workers *w)
{
    pthread_mutex_unlock(&w->mu);
}

void mdz_workers_submit(mdz_workers *w, void *task)
{
    w->queue[(w->head + w->count) % w->cap] = task;
    w->count++;
    pthread_cond_signal(&w->work);
}

void mdz_workers_wait(mdz_workers *w, int timeout_ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += timeout_ms / 1000;
    t.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&w->done, &w->mu, &t);
}

void mdz_workers_signal(mdz_workers *w)
{
    pthread_cond_broadcast(&w->done);
}
