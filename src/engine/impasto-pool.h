/* impasto-pool.h: a few persistent threads for the engine's loops
 *
 * The engine does all of its own threading: the pool's threads call OpenBLAS single-threaded,
 * each on its own part of the work, so that OpenBLAS's threads never compete with them for the
 * cores. Work is split into tasks by what it is (channels, transform positions, fixed chunks),
 * never by the number of threads, so every result is the same whatever that number is.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ImpastoPool ImpastoPool;

/* Runs task number task (0 <= task < n_tasks) of one parallel loop. */
typedef void (*ImpastoPoolFunc) (guint    task,
                                 gpointer data);

/* n_threads counts the caller, which works too; 0 means one per processor. Sets OpenBLAS
 * to one thread (a process-wide setting). NULL with a G_THREAD_ERROR when a worker cannot
 * be started. */
ImpastoPool *impasto_pool_new           (guint            n_threads,
                                         GError         **error);
void         impasto_pool_free          (ImpastoPool     *pool);
/* 1 for a NULL pool. */
guint        impasto_pool_get_n_threads (ImpastoPool     *pool);
/* Runs every task and returns when all are done. A NULL pool runs them in order on the
 * calling thread. Not reentrant: a task must not call impasto_pool_run on the same pool. */
void         impasto_pool_run           (ImpastoPool     *pool,
                                         guint            n_tasks,
                                         ImpastoPoolFunc  func,
                                         gpointer         data);

/* The range [*start, *end) of chunk number chunk when n items are cut into n_chunks nearly
 * equal chunks whose starts are multiples of align (a power of two). */
void         impasto_pool_chunk         (gsize            n,
                                         guint            n_chunks,
                                         guint            chunk,
                                         gsize            align,
                                         gsize           *start,
                                         gsize           *end);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoPool, impasto_pool_free)

G_END_DECLS
