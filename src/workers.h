/*
 * workers.h -- a fixed set of threads that run submitted tasks, for the
 * streaming contexts' parallel blocks (stream.c).
 *
 * One mutex guards the queue and whatever state the caller shares with its
 * tasks; tasks lock it (mdz_workers_lock) to publish results and wake the
 * caller (mdz_workers_signal); the caller waits with mdz_workers_wait.
 * Tasks run in submission order as workers free up; each call of the task
 * function gets the index of the worker running it (0..n-1), so a caller
 * can keep per-worker state (a codec each) without locking.
 */
#ifndef MDZ_WORKERS_H
#define MDZ_WORKERS_H

typedef struct mdz_workers mdz_workers;

typedef void mdz_task_fn(void *task, int worker);

/* Starts up to n threads running fn on submitted tasks, with room for
 * queue_cap queued tasks.  Returns NULL if no thread could be started (the
 * caller then works alone); mdz_workers_count() tells how many run. */
mdz_workers *mdz_workers_new(int n, int queue_cap, mdz_task_fn *fn);

/* Stops and joins the threads (after they finish their current task;
 * queued tasks are dropped).  NULL is fine. */
void mdz_workers_free(mdz_workers *w);

int mdz_workers_count(const mdz_workers *w);

void mdz_workers_lock(mdz_workers *w);
void mdz_workers_unlock(mdz_workers *w);

/* With the lock held: queues a task (the queue never holds more than
 * queue_cap: the caller bounds its tasks in flight). */
void mdz_workers_submit(mdz_workers *w, void *task);

/* With the lock held: waits until a task signals or timeout_ms pass. */
void mdz_workers_wait(mdz_workers *w, int timeout_ms);

/* With the lock held: wakes the waiting caller. */
void mdz_workers_signal(mdz_workers *w);

#endif
