/* impasto-cli-model.c: the model fetched from a terminal, with a progress line, and made
 * compact
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "impasto-cli.h"
#include "impasto-cli-files.h"
#include "impasto-cli-model.h"
#include "impasto-model-compact.h"
#include "impasto-model-download.h"
#include "impasto-model-path.h"
#include "impasto-transfer-rate.h"

typedef struct
{
  GCancellable        *cancellable;
  ImpastoTransferRate *rate;
  gboolean             tty;
  gint64               last_line;     /* when the progress line was last written */
  gboolean             line_open;     /* a terminal's line, rewritten in place, not ended */
  GAsyncResult        *result;
  int                  stop_signal;   /* the signal that cancelled the download, or 0 */
} Fetch;

static void
end_line (Fetch *fetch)
{
  if (fetch->line_open)
    g_print ("\n");
  fetch->line_open = FALSE;
}

/* A terminal gets one line rewritten four times a second; a pipe or a log a line a second. */
static void
on_progress (ImpastoModelDownload *download,
             gpointer              data)
{
  Fetch *fetch = data;
  gint64 now = g_get_monotonic_time ();
  guint64 received = impasto_model_download_get_received (download);
  g_autofree char *line = NULL;

  if (impasto_model_download_get_phase (download) == IMPASTO_MODEL_DOWNLOAD_VERIFYING)
    {
      end_line (fetch);
      g_print (_("Checking the file…\n"));
      return;
    }
  if (impasto_model_download_get_phase (download) != IMPASTO_MODEL_DOWNLOAD_RECEIVING)
    return;

  impasto_transfer_rate_add (fetch->rate, now, received);
  if (now - fetch->last_line < (fetch->tty ? G_TIME_SPAN_SECOND / 4 : G_TIME_SPAN_SECOND)
      && received != impasto_model_download_get_total (download))
    return;

  fetch->last_line = now;
  line = impasto_transfer_rate_describe (fetch->rate, received,
                                         impasto_model_download_get_total (download));
  if (fetch->tty)
    g_print ("\r%s\033[K", line);
  else
    g_print ("%s\n", line);
  fetch->line_open = fetch->tty;
  fflush (stdout);
}

/* A signal cancels the download, keeping what can be resumed, and the exit status names it
 * as a stopped run's does. */
static void
interrupt (gpointer data,
           int      signo)
{
  Fetch *fetch = data;

  if (fetch->stop_signal == 0)
    fetch->stop_signal = signo;
  g_cancellable_cancel (fetch->cancellable);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Fetch *fetch = data;

  fetch->result = g_object_ref (result);
}

static char *
default_model_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "impasto", IMPASTO_MODEL_FILE_NAME, NULL);
}

int
impasto_cli_download_model (const char *url,
                            const char *path,
                            const char *md5)
{
  const char *given[] = { md5, NULL };
  const ImpastoModelExpected *vgg19 = impasto_model_expected_vgg19 ();
  /* A mirror's own copy, such as a compact one: any size up to the full file's. */
  const ImpastoModelExpected chosen = {
    .md5 = given, .min_size = 1, .max_size = vgg19->max_size,
    .description = N_("the file with the MD5 given"),
  };
  g_autofree char *default_path = default_model_path ();
  g_autoptr(ImpastoModelDownload) download = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ImpastoTransferRate) rate = impasto_transfer_rate_new ();
  g_autoptr(GError) error = NULL;
  Fetch fetch = { cancellable, rate, isatty (STDOUT_FILENO), 0, FALSE, NULL, 0 };
  ImpastoCliSignals signals;
  gboolean ok;

  download = impasto_model_download_new (url != NULL ? url : IMPASTO_MODEL_URL,
                                         path != NULL ? path : default_path,
                                         md5 != NULL ? &chosen : vgg19);
  g_signal_connect (download, "progress", G_CALLBACK (on_progress), &fetch);
  impasto_cli_watch_signals (&signals, interrupt, &fetch);

  impasto_model_download_run_async (download, cancellable, on_done, &fetch);
  while (fetch.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  impasto_cli_unwatch_signals (&signals);
  end_line (&fetch);

  ok = impasto_model_download_run_finish (download, fetch.result, &error);
  g_object_unref (fetch.result);
  if (!ok)
    {
      g_printerr ("impasto-cli: %s\n", error->message);
      return fetch.stop_signal != 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
             ? IMPASTO_CLI_EXIT_SIGNAL + fetch.stop_signal : IMPASTO_CLI_EXIT_FAILURE;
    }

  g_print (_("The model is in place: %s\n"), impasto_model_download_get_path (download));
  return 0;
}

int
impasto_cli_compact_model (const char *path,
                           gboolean    remove_original)
{
  g_autofree char *original = path != NULL ? g_strdup (path) : default_model_path ();
  g_autofree char *compact = impasto_model_get_compact_path (original);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  ImpastoModelCompactReport report;

  if (!impasto_model_compact (original, compact, &report, &error))
    {
      g_printerr ("impasto-cli: %s\n", error->message);
      return IMPASTO_CLI_EXIT_FAILURE;
    }

  before = g_format_size (report.original_bytes);
  after = g_format_size (report.compact_bytes);
  g_print (_("Wrote %s: %s instead of %s, loaded in %.2f s instead of %.2f s, with the same "
             "weights\n"), compact, after, before,
           report.compact_load_seconds, report.original_load_seconds);
  if (!remove_original)
    {
      g_print (_("%s is no longer needed: add --remove-original to remove it\n"), original);
      return 0;
    }
  if (!impasto_model_remove (original, &error))
    {
      g_printerr ("impasto-cli: %s\n", error->message);
      return IMPASTO_CLI_EXIT_FAILURE;
    }
  g_print (_("Removed %s\n"), original);
  return 0;
}
