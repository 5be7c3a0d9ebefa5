/* impasto-window-model.c: the model page's download, and the compact copy it offers after
 *
 * The download runs on the main context with libsoup's asynchronous calls (its checksum on a
 * worker of its own), so its progress reaches the widgets without crossing threads. The
 * compact copy is written by a worker that gets two paths and gives back a report; a result
 * that arrives after the window closed is dropped.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "impasto-background.h"
#include "impasto-model-compact.h"
#include "impasto-model-download.h"
#include "impasto-model-path.h"
#include "impasto-transfer-rate.h"
#include "impasto-window-private.h"

/* How often the line under the bar changes: often enough to look live, rarely enough to
 * be read. */
#define LINE_INTERVAL (G_TIME_SPAN_SECOND / 4)

static const char compact_tag;

static char *
user_model_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "impasto", IMPASTO_MODEL_FILE_NAME, NULL);
}

static void
update_download_actions (ImpastoWindow *self)
{
  gboolean downloading = self->download != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.download-model", !downloading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-download", downloading);
  gtk_widget_set_visible (GTK_WIDGET (self->download_button), !downloading);
  gtk_widget_set_visible (self->download_box, downloading);
  impasto_window_focus_model_page (self);
}

/* "Download (510 MB)", or after an interruption, in this run or an earlier one, "Resume". */
static gboolean
is_shown_on_page (GtkWidget *widget)
{
  for (; widget != NULL && !GTK_IS_ROOT (widget); widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget))
      return FALSE;

  return TRUE;
}

/* The page's main button has the focus: the next step there is, whichever it is. */
void
impasto_window_focus_model_page (ImpastoWindow *self)
{
  GtkWidget *choices[] = {
    self->compact_button, self->cancel_download_button, GTK_WIDGET (self->download_button),
    self->choose_model_button,
  };

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "model") != 0)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    if (is_shown_on_page (choices[i]) && gtk_widget_is_sensitive (choices[i]))
      {
        gtk_widget_grab_focus (choices[i]);
        return;
      }
}

void
impasto_window_update_download_button (ImpastoWindow *self)
{
  g_autofree char *path = user_model_path ();
  guint64 kept = impasto_model_download_get_kept (path);
  g_autofree char *label = NULL;

  if (kept == 0)
    label = g_strdup (_("_Download (510 MB)"));
  else
    {
      g_autofree char *size = g_format_size (kept);

      /* Translators: %s is what an interrupted download kept, such as "120.3 MB" */
      label = g_strdup_printf (_("_Resume Download (%s Kept)"), size);
    }
  gtk_button_set_label (self->download_button, label);
  update_download_actions (self);
}

static void
on_download_progress (ImpastoModelDownload *download,
                      ImpastoWindow        *self)
{
  guint64 received = impasto_model_download_get_received (download);
  guint64 total = impasto_model_download_get_total (download);
  gint64 now = g_get_monotonic_time ();
  g_autofree char *line = NULL;

  if (impasto_model_download_get_phase (download) == IMPASTO_MODEL_DOWNLOAD_VERIFYING)
    {
      gtk_progress_bar_set_fraction (self->download_bar, 1);
      gtk_label_set_label (self->download_label, _("Checking the file…"));
      return;
    }

  impasto_transfer_rate_add (self->download_rate, now, received);
  if (now - self->download_shown < LINE_INTERVAL)
    return;
  self->download_shown = now;

  if (total > 0)
    gtk_progress_bar_set_fraction (self->download_bar, (double) received / total);
  else
    gtk_progress_bar_pulse (self->download_bar);
  line = impasto_transfer_rate_describe (self->download_rate, received, total);
  gtk_label_set_label (self->download_label, line);
}

static void
clear_download (ImpastoWindow *self)
{
  if (self->download != NULL)
    g_signal_handlers_disconnect_by_data (self->download, self);
  g_clear_object (&self->download);
  g_clear_object (&self->download_cancellable);
  g_clear_pointer (&self->download_rate, impasto_transfer_rate_free);
}

static void
on_download_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(ImpastoWindow) self = data;
  ImpastoModelDownload *download = IMPASTO_MODEL_DOWNLOAD (source);
  g_autoptr(GError) error = NULL;

  impasto_model_download_run_finish (download, result, &error);
  /* The window closed, and took the download with it. */
  if (self->download != download)
    return;

  clear_download (self);
  impasto_window_update_download_button (self);
  if (error != NULL)
    {
      impasto_window_show_model_error (self, error->message);
      return;
    }

  g_free (self->downloaded_path);
  self->downloaded_path = user_model_path ();
  gtk_widget_set_visible (GTK_WIDGET (self->download_button), FALSE);
  gtk_widget_set_visible (self->compact_box, TRUE);
  impasto_window_focus_model_page (self);
}

/* The mirror and, for a mirror's own copy, its MD5 come from the settings. */
static const ImpastoModelExpected *
expected_model (ImpastoWindow *self)
{
  g_autofree char *md5 = g_settings_get_string (self->settings, "model-md5");

  if (*md5 == '\0')
    return impasto_model_expected_vgg19 ();

  g_free (self->download_md5[0]);
  self->download_md5[0] = g_steal_pointer (&md5);
  self->download_expected.md5 = (const char * const *) self->download_md5;
  self->download_expected.min_size = 1;
  self->download_expected.max_size = impasto_model_expected_vgg19 ()->max_size;
  self->download_expected.description = N_("the file with the MD5 given");
  return &self->download_expected;
}

void
impasto_window_download_model (ImpastoWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "model-url");
  g_autofree char *path = user_model_path ();

  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (self->download == NULL);

  self->download = impasto_model_download_new (*url != '\0' ? url : IMPASTO_MODEL_URL, path,
                                               expected_model (self));
  self->download_cancellable = g_cancellable_new ();
  self->download_rate = impasto_transfer_rate_new ();
  self->download_shown = 0;
  g_signal_connect (self->download, "progress", G_CALLBACK (on_download_progress), self);

  impasto_window_show_model_error (self, NULL);
  gtk_progress_bar_set_fraction (self->download_bar, 0);
  gtk_label_set_label (self->download_label, _("Connecting…"));
  update_download_actions (self);
  impasto_model_download_run_async (self->download, self->download_cancellable,
                                    on_download_done, g_object_ref (self));
}

void
impasto_window_cancel_download (ImpastoWindow *self)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  g_cancellable_cancel (self->download_cancellable);
}

/* The compact copy */

typedef struct
{
  char *path;
  char *compact_path;
} CompactData;

static void
compact_data_free (gpointer data)
{
  CompactData *c = data;

  g_free (c->path);
  g_free (c->compact_path);
  g_free (c);
  impasto_background_release ();
}

static void
compact_in_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  CompactData *c = data;
  ImpastoModelCompactReport report;
  GError *error = NULL;

  if (impasto_model_compact (c->path, c->compact_path, &report, &error)
      && impasto_model_remove (c->path, &error))
    g_task_return_pointer (task, g_memdup2 (&report, sizeof report), g_free);
  else
    g_task_return_error (task, error);
}

static void
on_compacted (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  ImpastoWindow *self = IMPASTO_WINDOW (source);
  CompactData *c = g_task_get_task_data (G_TASK (result));
  g_autofree ImpastoModelCompactReport *report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  report = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_visible (self->compact_box, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compact-model", TRUE);
  if (report == NULL)
    {
      impasto_window_show_model_error (self, error->message);
      impasto_window_keep_full_model (self);
      return;
    }

  before = g_format_size (report->original_bytes);
  after = g_format_size (report->compact_bytes);
  g_free (self->model_note);
  /* Translators: sizes, then times in seconds, of the compact copy and the original */
  self->model_note = g_strdup_printf (_("The model now takes %s instead of %s, and loads in "
                                        "%.2f s instead of %.2f s"),
                                      after, before, report->compact_load_seconds,
                                      report->original_load_seconds);
  impasto_window_load_model (self, c->compact_path, FALSE);
}

void
impasto_window_compact_model (ImpastoWindow *self)
{
  g_autoptr(GTask) task = NULL;
  CompactData *c;

  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (self->downloaded_path != NULL);

  c = g_new0 (CompactData, 1);
  c->path = g_strdup (self->downloaded_path);
  c->compact_path = impasto_model_get_compact_path (c->path);
  impasto_background_hold ();

  /* The window's cancellable only drops the result: the copy is written to its end. */
  task = g_task_new (self, self->compact_cancellable, on_compacted, NULL);
  g_task_set_source_tag (task, (gpointer) &compact_tag);
  g_task_set_task_data (task, c, compact_data_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compact-model", FALSE);
  gtk_label_set_label (self->compact_label, _("Writing the compact copy and checking it…"));
  g_task_run_in_thread (task, compact_in_thread);
}

void
impasto_window_keep_full_model (ImpastoWindow *self)
{
  g_autofree char *path = g_steal_pointer (&self->downloaded_path);

  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  gtk_widget_set_visible (self->compact_box, FALSE);
  if (path != NULL)
    impasto_window_load_model (self, path, FALSE);
}

void
impasto_window_dispose_model_page (ImpastoWindow *self)
{
  g_cancellable_cancel (self->download_cancellable);
  clear_download (self);
  g_cancellable_cancel (self->compact_cancellable);
  g_clear_object (&self->compact_cancellable);
  g_clear_pointer (&self->downloaded_path, g_free);
  g_clear_pointer (&self->download_md5[0], g_free);
  g_clear_pointer (&self->model_note, g_free);
}

void
impasto_window_init_model_page (ImpastoWindow *self)
{
  self->compact_cancellable = g_cancellable_new ();
  impasto_window_update_download_button (self);
}

static void
download_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *parameter)
{
  impasto_window_download_model (IMPASTO_WINDOW (widget));
}

static void
cancel_download_action (GtkWidget  *widget,
                        const char *name,
                        GVariant   *parameter)
{
  impasto_window_cancel_download (IMPASTO_WINDOW (widget));
}

static void
compact_action (GtkWidget  *widget,
                const char *name,
                GVariant   *parameter)
{
  impasto_window_compact_model (IMPASTO_WINDOW (widget));
}

static void
keep_full_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter)
{
  impasto_window_keep_full_model (IMPASTO_WINDOW (widget));
}

void
impasto_window_class_model_init (ImpastoWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, download_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, cancel_download_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, compact_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, choose_model_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, download_box);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, download_bar);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, download_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, compact_box);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, compact_label);

  gtk_widget_class_install_action (widget_class, "win.download-model", NULL, download_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-download", NULL,
                                   cancel_download_action);
  gtk_widget_class_install_action (widget_class, "win.compact-model", NULL, compact_action);
  gtk_widget_class_install_action (widget_class, "win.keep-full-model", NULL, keep_full_action);
}
