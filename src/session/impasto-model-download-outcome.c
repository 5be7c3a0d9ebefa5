/* impasto-model-download-outcome.c: how a download ends: the sentence a failure gives and
 * what it leaves on disk, or the checksum and the move into place
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "impasto-model-download-private.h"
#include "impasto-model-verify-private.h"

static const char digest_tag;

/* Ending a run */

/* The .part and its .part.info go when what they hold cannot be resumed. */
void
impasto_model_download_discard_part (ImpastoModelDownload *self)
{
  g_unlink (self->part_path);
  g_unlink (self->info_path);
  self->received = 0;
}

void
impasto_model_download_return_error (GTask  *task,
              GError *error)
{
  ImpastoModelDownload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  /* An empty .part would only be litter. */
  if (run != NULL && run->locked && self->received == 0)
    impasto_model_download_discard_part (self);
  self->running = FALSE;
  g_task_return_error (task, error);
}

/* What a failure leaves behind, as the end of its sentence. */
char *
impasto_model_download_describe_kept (ImpastoModelDownload *self)
{
  g_autofree char *received = NULL;
  g_autofree char *total = NULL;

  if (self->received == 0)
    return g_strdup (_("nothing was kept"));

  received = g_format_size (self->received);
  if (self->total == 0)
    return g_strdup_printf (_("the %s received are kept, and the next download resumes from "
                              "there"), received);

  total = g_format_size (self->total);
  return g_strdup_printf (_("%s of %s are kept, and the next download resumes from there"),
                          received, total);
}

static void return_new_error (GTask      *task,
                              GQuark      domain,
                              int         code,
                              const char *format,
                              va_list     args) G_GNUC_PRINTF (4, 0);

static void
return_new_error (GTask      *task,
                  GQuark      domain,
                  int         code,
                  const char *format,
                  va_list     args)
{
  impasto_model_download_return_error (task, g_error_new_valist (domain, code, format, args));
}

void
impasto_model_download_fail (GTask                     *task,
                             ImpastoModelDownloadError  code,
                             const char                *format,
                             ...)
{
  va_list args;

  va_start (args, format);
  return_new_error (task, IMPASTO_MODEL_DOWNLOAD_ERROR, code, format, args);
  va_end (args);
}

void
impasto_model_download_cancelled (GTask      *task,
                                  const char *format,
                                  ...)
{
  va_list args;

  va_start (args, format);
  return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, format, args);
  va_end (args);
}

char *
impasto_model_download_describe_server (ImpastoModelDownload *self)
{
  g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);

  return g_strdup (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : self->url);
}

/* A transfer that stopped: cancelled, stalled or broken. Only the first of these applies. */
void
impasto_model_download_fail_transfer (GTask  *task,
               GError *cause)
{
  ImpastoModelDownload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *kept = impasto_model_download_describe_kept (self);
  g_autofree char *server = impasto_model_download_describe_server (self);

  if (run->cancellable != NULL && g_cancellable_is_cancelled (run->cancellable))
    impasto_model_download_cancelled (task,
                                      _("The download was cancelled; %s"), kept);
  else if (run->stalled || g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_INTERRUPTED,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "%s sent nothing for %u second; %s",
                                              "%s sent nothing for %u seconds; %s",
                                              self->timeout),
                                 server, self->timeout, kept);
  else
    impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_INTERRUPTED,
                                 _("The connection to %s broke (%s); %s"),
                                 server, cause->message, kept);
  g_error_free (cause);
}

void
impasto_model_download_fail_write (GTask  *task,
            GError *cause)
{
  ImpastoModelDownload *self = g_task_get_source_object (task);
  g_autofree char *kept = impasto_model_download_describe_kept (self);
  g_autofree char *folder = g_path_get_dirname (self->path);

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    {
      g_autofree char *left = g_format_size (self->total > self->received
                                             ? self->total - self->received
                                             : self->expected->max_size);

      impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_WRITE,
                                   _("The disk holding %s is full; %s once %s more is free"),
                                   folder, kept, left);
    }
  else
    impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_WRITE,
                                 _("%s could not be written (%s); %s"),
                                 self->part_path, cause->message, kept);
  g_error_free (cause);
}

/* Verification and the move into place */

static void
digest_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  const char *part_path = data;
  g_auto(GStrv) digests = g_new0 (char *, 3);
  GError *error = NULL;

  if (!impasto_model_digest_file (part_path, &digests[0], &digests[1], cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&digests), (GDestroyNotify) g_strfreev);
}

static void
install (GTask       *task,
         const char  *sha256)
{
  ImpastoModelDownload *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!impasto_model_write_record (self->path, sha256, &error))
    {
      impasto_model_download_fail_write (task, g_steal_pointer (&error));
      return;
    }
  if (g_rename (self->part_path, self->path) != 0)
    {
      int saved = errno;
      g_autofree char *record = impasto_model_get_record_path (self->path);

      g_unlink (record);
      impasto_model_download_fail_write (task,
                                         g_error_new_literal (G_IO_ERROR,
                                                              g_io_error_from_errno (saved),
                                                              g_strerror (saved)));
      return;
    }
  g_unlink (self->info_path);
  self->running = FALSE;
  g_task_return_boolean (task, TRUE);
}

static void
on_digested (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(GTask) task = data;
  ImpastoModelDownload *self = g_task_get_source_object (task);
  g_auto(GStrv) digests = NULL;
  GError *error = NULL;

  digests = g_task_propagate_pointer (G_TASK (result), &error);
  if (digests == NULL)
    {
      g_autofree char *kept = impasto_model_download_describe_kept (self);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        impasto_model_download_cancelled (task,
                                          _("The download was cancelled while it was being "
                                            "checked; %s"), kept);
      else
        impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_WRITE,
                                     _("The downloaded file could not be read back (%s); "
                                       "%s"), error->message, kept);
      g_error_free (error);
      return;
    }

  if (!impasto_model_expected_has_md5 (self->expected, digests[0]))
    {
      impasto_model_download_discard_part (self);
      impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_CHECKSUM,
                                   _("The file from %s is not %s (its MD5 is %s) and was "
                                     "deleted; try again, or another mirror"),
                                   self->url, _(self->expected->description), digests[0]);
      return;
    }

  install (task, digests[1]);
}

void
impasto_model_download_verify_part (GTask *task)
{
  ImpastoModelDownload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GTask) digest = NULL;

  impasto_model_download_disarm_watchdog (run);
  impasto_model_download_set_phase (self, IMPASTO_MODEL_DOWNLOAD_VERIFYING);

  digest = g_task_new (self, run->cancellable, on_digested, g_object_ref (task));
  g_task_set_source_tag (digest, (gpointer) &digest_tag);
  g_task_set_task_data (digest, g_strdup (self->part_path), g_free);
  g_task_run_in_thread (digest, digest_in_thread);
}
