/* impasto-model-download.c: one HTTP download of the model, safe against the ways it fails
 *
 * The transfer runs on the calling thread's main context with libsoup's asynchronous calls;
 * only the final checksum, which reads the whole file, runs on a worker thread. A watchdog
 * re-armed by every operation cancels one the server leaves waiting, so a stalled server
 * gives an error rather than a hang. The .part file is locked for the whole run, which makes
 * a second download into the same place (from this process or another) fail at once instead
 * of interleaving its bytes.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "impasto-model-download-private.h"
#include "impasto-model-verify-private.h"

#define CHUNK_SIZE      (256 * 1024)
#define DEFAULT_TIMEOUT 30

G_DEFINE_FINAL_TYPE (ImpastoModelDownload, impasto_model_download, G_TYPE_OBJECT)

enum {
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The task's tag, told apart by its address */
static const char run_tag;

G_DEFINE_QUARK (impasto-model-download-error-quark, impasto_model_download_error)


void
impasto_model_download_disarm_watchdog (Run *run)
{
  if (run->watchdog == NULL)
    return;
  g_source_destroy (run->watchdog);
  g_clear_pointer (&run->watchdog, g_source_unref);
}

static void
run_free (gpointer data)
{
  Run *run = data;

  impasto_model_download_disarm_watchdog (run);
  if (run->cancellable != NULL)
    g_cancellable_disconnect (run->cancellable, run->cancelled_id);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->op_cancellable);
  g_clear_object (&run->in);
  g_clear_object (&run->out);
  g_clear_object (&run->message);
  g_clear_pointer (&run->chunk, g_bytes_unref);
  /* Closing the file drops its lock. */
  if (run->fd >= 0)
    close (run->fd);
  g_free (run->etag);
  g_free (run->modified);
  g_free (run);
}

static void
impasto_model_download_finalize (GObject *object)
{
  ImpastoModelDownload *self = IMPASTO_MODEL_DOWNLOAD (object);

  g_free (self->url);
  g_free (self->path);
  g_free (self->part_path);
  g_free (self->info_path);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (impasto_model_download_parent_class)->finalize (object);
}

static void
impasto_model_download_class_init (ImpastoModelDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = impasto_model_download_finalize;

  /* Read the state with the getters; emitted on the run's main context. */
  signals[PROGRESS] = g_signal_new ("progress",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);
}

static void
impasto_model_download_init (ImpastoModelDownload *self)
{
  self->timeout = DEFAULT_TIMEOUT;
  self->session = soup_session_new_with_options ("user-agent", "Impasto/" PACKAGE_VERSION,
                                                 "timeout", self->timeout,
                                                 NULL);
  /* A compressed body would make byte ranges and sizes mean something else. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);
}

ImpastoModelDownload *
impasto_model_download_new (const char                 *url,
                            const char                 *path,
                            const ImpastoModelExpected *expected)
{
  ImpastoModelDownload *self;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (expected != NULL && expected->md5 != NULL, NULL);

  self = g_object_new (IMPASTO_TYPE_MODEL_DOWNLOAD, NULL);
  self->url = g_strdup (url);
  self->path = g_strdup (path);
  self->part_path = g_strconcat (path, ".part", NULL);
  self->info_path = g_strconcat (path, ".part.info", NULL);
  self->expected = expected;

  return self;
}

void
impasto_model_download_set_timeout (ImpastoModelDownload *self,
                                    guint                 seconds)
{
  g_return_if_fail (IMPASTO_IS_MODEL_DOWNLOAD (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
}

const char *
impasto_model_download_get_path (ImpastoModelDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_MODEL_DOWNLOAD (self), NULL);

  return self->path;
}

guint64
impasto_model_download_get_received (ImpastoModelDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_MODEL_DOWNLOAD (self), 0);

  return self->received;
}

guint64
impasto_model_download_get_total (ImpastoModelDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_MODEL_DOWNLOAD (self), 0);

  return self->total;
}

ImpastoModelDownloadPhase
impasto_model_download_get_phase (ImpastoModelDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_MODEL_DOWNLOAD (self), IMPASTO_MODEL_DOWNLOAD_CONNECTING);

  return self->phase;
}

guint64
impasto_model_download_get_kept (const char *path)
{
  g_autofree char *part_path = g_strconcat (path, ".part", NULL);
  GStatBuf st;

  if (g_stat (part_path, &st) != 0 || !S_ISREG (st.st_mode))
    return 0;

  return st.st_size;
}

void
impasto_model_download_set_phase (ImpastoModelDownload      *self,
           ImpastoModelDownloadPhase  phase)
{
  self->phase = phase;
  g_signal_emit (self, signals[PROGRESS], 0);
}

/* The watchdog */

static gboolean
on_stalled (gpointer data)
{
  Run *run = data;

  g_clear_pointer (&run->watchdog, g_source_unref);
  run->stalled = TRUE;
  g_cancellable_cancel (run->op_cancellable);

  return G_SOURCE_REMOVE;
}

static void
arm_watchdog (ImpastoModelDownload *self,
              Run                  *run)
{
  impasto_model_download_disarm_watchdog (run);
  run->watchdog = g_timeout_source_new_seconds (self->timeout);
  g_source_set_callback (run->watchdog, on_stalled, run, NULL);
  g_source_set_static_name (run->watchdog, "[impasto] download watchdog");
  g_source_attach (run->watchdog, g_main_context_get_thread_default ());
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      data)
{
  GCancellable *op_cancellable = data;

  g_cancellable_cancel (op_cancellable);
}

/* The body */

static void read_next (GTask *task);

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(GTask) task = data;
  ImpastoModelDownload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  gsize written = 0;
  gboolean ok;

  ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error);
  self->received += written;
  g_clear_pointer (&run->chunk, g_bytes_unref);
  g_signal_emit (self, signals[PROGRESS], 0);

  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    impasto_model_download_fail_transfer (task, error);
  else if (!ok)
    impasto_model_download_fail_write (task, error);
  else
    read_next (task);
}

static void
on_body_end (GTask *task)
{
  ImpastoModelDownload *self = g_task_get_source_object (task);
  g_autofree char *server = impasto_model_download_describe_server (self);
  g_autofree char *kept = impasto_model_download_describe_kept (self);

  if (self->total != 0 && self->received < self->total)
    {
      impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_INTERRUPTED,
                                   _("%s ended the file early; %s"), server, kept);
      return;
    }
  if (self->received < self->expected->min_size)
    {
      g_autofree char *size = g_format_size (self->received);

      impasto_model_download_discard_part (self);
      impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_NOT_MODEL,
                                   _("%s sent only %s, too little for %s; it was deleted"),
                                   self->url, size, _(self->expected->description));
      return;
    }

  impasto_model_download_verify_part (task);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(GTask) task = data;
  ImpastoModelDownload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize size;

  impasto_model_download_disarm_watchdog (run);
  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      impasto_model_download_fail_transfer (task, error);
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      on_body_end (task);
      return;
    }
  if (self->received + size > run->limit)
    {
      g_autofree char *limit = g_format_size (run->limit);

      impasto_model_download_discard_part (self);
      impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_NOT_MODEL,
                                   _("%s sent more than %s, more than %s can be; it was deleted"),
                                   self->url, limit, _(self->expected->description));
      return;
    }

  run->chunk = g_steal_pointer (&bytes);
  g_output_stream_write_all_async (run->out,
                                   g_bytes_get_data (run->chunk, NULL), size,
                                   G_PRIORITY_DEFAULT, run->op_cancellable,
                                   on_written, g_object_ref (task));
}

static void
read_next (GTask *task)
{
  ImpastoModelDownload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  arm_watchdog (self, run);
  g_input_stream_read_bytes_async (run->in, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   run->op_cancellable, on_read, g_object_ref (task));
}

/* The response */

static void send_request (GTask *task);

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(GTask) task = data;
  ImpastoModelDownload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  impasto_model_download_disarm_watchdog (run);
  run->in = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (run->in == NULL)
    {
      impasto_model_download_fail_transfer (task, error);
      return;
    }

  /* The .part reaches past the file's end, or its start changed in a way If-Range missed. */
  if (soup_message_get_status (run->message) == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE
      && self->received > 0 && !run->restarted)
    {
      run->restarted = TRUE;
      self->received = 0;
      g_clear_object (&run->in);
      send_request (task);
      return;
    }

  if (!impasto_model_download_accept_response (task))
    return;

  impasto_model_download_set_phase (self, IMPASTO_MODEL_DOWNLOAD_RECEIVING);
  read_next (task);
}

static void
send_request (GTask *task)
{
  ImpastoModelDownload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  const char *validator = run->etag != NULL ? run->etag : run->modified;

  const char *scheme = g_uri_peek_scheme (self->url);

  g_clear_object (&run->message);
  /* soup would try any scheme over HTTP. */
  if (g_strcmp0 (scheme, "http") == 0 || g_strcmp0 (scheme, "https") == 0)
    run->message = soup_message_new (SOUP_METHOD_GET, self->url);
  if (run->message == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (self->url, -1);

      impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_HTTP,
                                   _("“%s” is not a web address the model can be "
                                     "downloaded from (http:// or https://)"), shown);
      return;
    }

  /* Without a validator a range could splice two versions of the file together. */
  headers = soup_message_get_request_headers (run->message);
  if (self->received > 0 && validator != NULL)
    {
      soup_message_headers_set_range (headers, self->received, -1);
      soup_message_headers_replace (headers, "If-Range", validator);
    }
  else
    self->received = 0;

  arm_watchdog (self, run);
  soup_session_send_async (self->session, run->message, G_PRIORITY_DEFAULT,
                           run->op_cancellable, on_sent, g_object_ref (task));
}

/* The start */

static gboolean
open_part (ImpastoModelDownload  *self,
           Run                   *run,
           GError               **error)
{
  g_autofree char *folder = g_path_get_dirname (self->path);
  struct stat st;
  int saved;

  if (g_mkdir_with_parents (folder, 0755) != 0)
    goto failed;
  run->fd = g_open (self->part_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (run->fd < 0)
    goto failed;
  if (flock (run->fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno != EWOULDBLOCK)
        goto failed;
      g_set_error (error, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_BUSY,
                   _("The model is already being downloaded into %s; wait for that download "
                     "to end"), folder);
      return FALSE;
    }
  run->locked = TRUE;
  if (fstat (run->fd, &st) != 0)
    goto failed;

  self->received = st.st_size;
  run->out = g_unix_output_stream_new (run->fd, FALSE);
  return TRUE;

failed:
  saved = errno;
  g_set_error (error, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_WRITE,
               _("The model cannot be downloaded into %s: %s"), folder, g_strerror (saved));
  return FALSE;
}

static void
verify_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  ImpastoModelDownload *self = source;
  GError *error = NULL;

  if (impasto_model_verify (self->path, self->expected, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
impasto_model_download_run_async (ImpastoModelDownload *self,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  GStatBuf st;
  Run *run;

  g_return_if_fail (IMPASTO_IS_MODEL_DOWNLOAD (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->running);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) &run_tag);
  /* Our own cancellation message says what was kept; GTask's would not. */
  g_task_set_check_cancellable (task, FALSE);
  self->running = TRUE;
  self->received = impasto_model_download_get_kept (self->path);
  self->total = 0;

  /* Already there: checked, not fetched again. */
  if (g_stat (self->path, &st) == 0)
    {
      self->received = self->total = st.st_size;
      self->running = FALSE;
      self->phase = IMPASTO_MODEL_DOWNLOAD_VERIFYING;
      g_task_run_in_thread (task, verify_in_thread);
      return;
    }

  run = g_new0 (Run, 1);
  run->fd = -1;
  run->op_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      run->cancellable = g_object_ref (cancellable);
      run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                 run->op_cancellable, NULL);
    }
  g_task_set_task_data (task, run, run_free);

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_clear_error (&error);
      impasto_model_download_fail_transfer (task, g_error_new_literal (G_IO_ERROR,
                                                                       G_IO_ERROR_CANCELLED,
                                                                       ""));
      return;
    }
  if (!open_part (self, run, &error))
    {
      impasto_model_download_return_error (task, error);
      return;
    }

  impasto_model_download_load_info (self, run);
  self->total = run->kept_total;
  impasto_model_download_set_phase (self, IMPASTO_MODEL_DOWNLOAD_CONNECTING);
  /* Complete but not yet checked when it was interrupted last time. */
  if (run->kept_total != 0 && self->received == run->kept_total)
    impasto_model_download_verify_part (task);
  else
    send_request (task);
}

gboolean
impasto_model_download_run_finish (ImpastoModelDownload  *self,
                                   GAsyncResult          *result,
                                   GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
