/* impasto-pool.c: persistent worker threads woken per parallel loop
 *
 * A loop costs one broadcast and one wait (tens of microseconds); a step runs a few hundred
 * loops of milliseconds each, so plain mutex and condition variables are enough. Idle
 * workers sleep instead of spinning: the machine's cores are shared.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cblas.h>

#include "impasto-pool.h"

struct _ImpastoPool
{
  guint           n_threads;
  GThread       **workers;       /* n_threads - 1 of them; the caller is the last worker */
  GMutex          mutex;
  GCond           wake;          /* a new loop, or quit */
  GCond           done;          /* the last worker left the loop */
  guint           generation;    /* counts loops, so that a worker runs each one once */
  gboolean        quit;
  ImpastoPoolFunc func;
  gpointer        data;
  guint           n_tasks;
  gint            next_task;     /* atomic */
  guint           busy;          /* workers still in the current loop */
};

static void
run_tasks (ImpastoPool *pool)
{
  guint task;

  while ((task = (guint) g_atomic_int_add (&pool->next_task, 1)) < pool->n_tasks)
    pool->func (task, pool->data);
}

static gpointer
worker_main (gpointer user_data)
{
  ImpastoPool *pool = user_data;
  guint seen = 0;   /* the generation at creation: a loop may start before this thread does */

  g_mutex_lock (&pool->mutex);
  for (;;)
    {
      while (pool->generation == seen && !pool->quit)
        g_cond_wait (&pool->wake, &pool->mutex);
      if (pool->quit)
        break;
      seen = pool->generation;
      g_mutex_unlock (&pool->mutex);

      run_tasks (pool);

      g_mutex_lock (&pool->mutex);
      if (--pool->busy == 0)
        g_cond_signal (&pool->done);
    }
  g_mutex_unlock (&pool->mutex);

  return NULL;
}

/* A process or user limit on threads makes g_thread_new() abort the program; a run that
 * cannot have its workers must fail instead, with the reason. */
ImpastoPool *
impasto_pool_new (guint    n_threads,
                  GError **error)
{
  g_autoptr(ImpastoPool) pool = g_new0 (ImpastoPool, 1);

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pool->n_threads = n_threads > 0 ? n_threads : MAX (g_get_num_processors (), 1);
  g_mutex_init (&pool->mutex);
  g_cond_init (&pool->wake);
  g_cond_init (&pool->done);
  pool->workers = g_new0 (GThread *, pool->n_threads);
  for (guint i = 0; i + 1 < pool->n_threads; i++)
    {
      g_autoptr(GError) thread_error = NULL;

      pool->workers[i] = g_thread_try_new ("impasto-worker", worker_main, pool, &thread_error);
      if (pool->workers[i] == NULL)
        {
          g_set_error (error, G_THREAD_ERROR, thread_error->code,
                       "Could not start worker thread %u of %u (%s); use fewer threads",
                       i + 2, pool->n_threads, thread_error->message);
          return NULL;
        }
    }

  /* Several workers call sgemm at once, each on its own matrices. */
  openblas_set_num_threads (1);

  return g_steal_pointer (&pool);
}

void
impasto_pool_free (ImpastoPool *pool)
{
  if (pool == NULL)
    return;

  g_mutex_lock (&pool->mutex);
  pool->quit = TRUE;
  g_cond_broadcast (&pool->wake);
  g_mutex_unlock (&pool->mutex);
  /* Only the workers started: a pool whose creation failed has NULL after them. */
  for (guint i = 0; i + 1 < pool->n_threads && pool->workers[i] != NULL; i++)
    g_thread_join (pool->workers[i]);

  g_free (pool->workers);
  g_mutex_clear (&pool->mutex);
  g_cond_clear (&pool->wake);
  g_cond_clear (&pool->done);
  g_free (pool);
}

guint
impasto_pool_get_n_threads (ImpastoPool *pool)
{
  return pool != NULL ? pool->n_threads : 1;
}

void
impasto_pool_run (ImpastoPool     *pool,
                  guint            n_tasks,
                  ImpastoPoolFunc  func,
                  gpointer         data)
{
  if (pool == NULL || pool->n_threads == 1 || n_tasks <= 1)
    {
      for (guint task = 0; task < n_tasks; task++)
        func (task, data);
      return;
    }

  g_mutex_lock (&pool->mutex);
  pool->func = func;
  pool->data = data;
  pool->n_tasks = n_tasks;
  g_atomic_int_set (&pool->next_task, 0);
  pool->busy = pool->n_threads - 1;
  pool->generation++;
  g_cond_broadcast (&pool->wake);
  g_mutex_unlock (&pool->mutex);

  run_tasks (pool);

  g_mutex_lock (&pool->mutex);
  while (pool->busy > 0)
    g_cond_wait (&pool->done, &pool->mutex);
  g_mutex_unlock (&pool->mutex);
}

void
impasto_pool_chunk (gsize  n,
                    guint  n_chunks,
                    guint  chunk,
                    gsize  align,
                    gsize *start,
                    gsize *end)
{
  gsize units = (n + align - 1) / align;

  *start = MIN (units * chunk / n_chunks * align, n);
  *end = MIN (units * (chunk + 1) / n_chunks * align, n);
}
