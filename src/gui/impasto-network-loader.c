/* impasto-network-loader.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-background.h"
#include "impasto-network-loader.h"

/* Tags the task; the address matters, not the value. */
static const char load_tag;

typedef struct
{
  char  *path;
  char **required_layers;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->path);
  g_strfreev (load->required_layers);
  g_free (load);

  impasto_background_release ();
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LoadData *load = task_data;
  ImpastoNetwork *network;
  GError *error = NULL;

  network = impasto_network_load (load->path, (const char * const *) load->required_layers,
                                  &error);
  if (network == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, network, (GDestroyNotify) impasto_network_unref);
}

/* The task has no source object (see impasto-job.c); pass a reference in user_data. */
void
impasto_network_load_async (const char          *path,
                            const char * const  *required_layers,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (path != NULL);
  g_return_if_fail (required_layers != NULL);

  load = g_new0 (LoadData, 1);
  load->path = g_strdup (path);
  load->required_layers = g_strdupv ((char **) required_layers);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) &load_tag);
  g_task_set_name (task, "[impasto] load network");
  impasto_background_hold ();
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_in_thread);
}

ImpastoNetwork *
impasto_network_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, (gpointer) &load_tag), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
