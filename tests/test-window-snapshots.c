/* test-window-snapshots.c: the strip of the snapshots so far, shown, saved and painted on from
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "impasto-image-io.h"
#include "impasto-session.h"
#include "window-fixtures.h"

/* A run of steps steps with a snapshot every `every`, started and let finish. */
static ImpastoWindow *
new_window_after_run (guint steps,
                      guint every)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  ImpastoWindow *window;

  set_small_run_settings ();
  g_settings_set_uint (settings, "steps", steps);
  g_settings_set_uint (settings, "snapshot-every", every);
  window = new_ready_window ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  wait_until (job_finished, window, "the run is over");
  wait_until (background_idle, NULL, "the worker has let go");
  g_assert_cmpint (impasto_job_get_state (impasto_window_get_job (window)), ==,
                   IMPASTO_JOB_FINISHED);

  return window;
}

static GListModel *
strip_model (ImpastoWindow *window)
{
  return gtk_list_view_get_model (window->snapshot_strip) != NULL
         ? G_LIST_MODEL (gtk_list_view_get_model (window->snapshot_strip)) : NULL;
}

static ImpastoSnapshot *
strip_item (ImpastoWindow *window,
            guint          position)
{
  g_autoptr(ImpastoSnapshot) snapshot = g_list_model_get_item (strip_model (window), position);

  g_assert_nonnull (snapshot);
  return snapshot;   /* the job keeps it */
}

static GdkTexture *
shown_texture (ImpastoWindow *window)
{
  return impasto_preview_paintable_get_texture (window->preview_paintable);
}

/* The texture's pixels are the snapshot's own bytes, as the worker sent them. */
static void
assert_texture_shows (GdkTexture *texture,
                      GBytes     *pixels,
                      guint       width,
                      guint       height)
{
  g_autofree guint32 *words = g_new (guint32, (gsize) width * height);
  const guint8 *rgb = g_bytes_get_data (pixels, NULL);

  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);
  gdk_texture_download (texture, (guchar *) words, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      guint32 expected = (guint32) rgb[i * 3] << 16 | (guint32) rgb[i * 3 + 1] << 8
                         | rgb[i * 3 + 2];

      if ((words[i] & 0xffffff) != expected)
        g_error ("pixel %" G_GSIZE_FORMAT ": shown %06x, expected %06x", i,
                 words[i] & 0xffffff, expected);
    }
}

/* The labels of the strip's thumbnails, left to right. */
static void
collect_labels (GtkWidget *widget,
                GString   *labels)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (labels, "%s%s", labels->len > 0 ? "," : "",
                            gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

static gboolean
strip_labels_are (gpointer data)
{
  gpointer *args = data;
  g_autoptr(GString) labels = g_string_new (NULL);

  collect_labels (GTK_WIDGET (IMPASTO_WINDOW (args[0])->snapshot_strip), labels);
  return g_str_equal (labels->str, args[1]);
}

static void
test_strip_has_every_snapshot (void)
{
  ImpastoWindow *window = new_window_after_run (20, 5);
  ImpastoJob *job = impasto_window_get_job (window);
  GListModel *model = strip_model (window);
  ImpastoSnapshot *newest;
  gpointer args[] = { window, "Step 0,Step 5,Step 10,Step 15,Step 20" };

  g_assert_true (gtk_widget_get_visible (window->snapshot_scroller));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (impasto_snapshot_get_step (strip_item (window, i)), ==, i * 5);
  wait_until (strip_labels_are, args, "the thumbnails are labelled with their steps");

  /* The newest is the job's own picture, selected while the preview is live. */
  newest = strip_item (window, 4);
  g_assert_true (impasto_snapshot_get_texture (newest) == impasto_job_get_texture (job));
  g_assert_true (shown_texture (window) == impasto_job_get_texture (job));
  g_assert_cmpuint (gtk_single_selection_get_selected (window->snapshot_selection), ==, 4);
  g_assert_false (gtk_widget_get_visible (window->live_button));

  /* A new image lets the painting go, and the strip with it. */
  impasto_window_drop_painting (window);
  g_assert_false (gtk_widget_get_visible (window->snapshot_scroller));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->snapshot_selection)), ==, 0);
  destroy_window (window);
}

/* Past 64, every second one goes: those kept stay evenly spread, the newest among them. */
static void
test_strip_thins_out (void)
{
  ImpastoWindow *window = new_window_after_run (100, 1);
  GListModel *model = strip_model (window);
  ImpastoSnapshot *kept;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 51);
  for (guint i = 0; i < 51; i++)
    g_assert_cmpuint (impasto_snapshot_get_step (strip_item (window, i)), ==, i * 2);

  /* What the strip lets go is freed. */
  kept = strip_item (window, 3);
  g_object_add_weak_pointer (G_OBJECT (kept), (gpointer *) &kept);
  destroy_window (window);
  g_assert_null (kept);
}

static void
test_strip_click_shows_snapshot (void)
{
  ImpastoWindow *window = new_window_after_run (20, 5);
  ImpastoJob *job = impasto_window_get_job (window);
  ImpastoSnapshot *second = strip_item (window, 1);

  g_signal_emit_by_name (window->snapshot_strip, "activate", 1);
  g_assert_true (window->shown_snapshot == second);
  g_assert_true (shown_texture (window) == impasto_snapshot_get_texture (second));
  assert_texture_shows (shown_texture (window), impasto_snapshot_get_pixels (second), 48, 32);
  g_assert_cmpuint (gtk_single_selection_get_selected (window->snapshot_selection), ==, 1);
  g_assert_true (gtk_widget_get_visible (window->live_button));
  g_assert_cmpstr (gtk_label_get_text (window->shown_label), ==, "Showing step 5");

  /* The newest is the live preview again. */
  g_signal_emit_by_name (window->snapshot_strip, "activate", 4);
  g_assert_null (window->shown_snapshot);
  g_assert_true (shown_texture (window) == impasto_job_get_texture (job));
  g_assert_false (gtk_widget_get_visible (window->live_button));
  g_assert_cmpstr (gtk_label_get_text (window->shown_label), ==, "");

  /* And so is Live. */
  g_signal_emit_by_name (window->snapshot_strip, "activate", 2);
  g_assert_true (shown_texture (window) == impasto_snapshot_get_texture (strip_item (window, 2)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.live", NULL);
  g_assert_true (shown_texture (window) == impasto_job_get_texture (job));
  g_assert_cmpuint (gtk_single_selection_get_selected (window->snapshot_selection), ==, 4);
  destroy_window (window);
}

static gboolean
has_snapshots (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (strip_model (args[0])) >= GPOINTER_TO_UINT (args[1]);
}

/* The strip's newest snapshot is of args[1] steps or more. Not a count: past 64 the strip
 * thins out, and a count near it may never be reached again. */
static gboolean
newest_has_steps (gpointer data)
{
  gpointer *args = data;
  GListModel *model = strip_model (args[0]);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(ImpastoSnapshot) newest = n > 0 ? g_list_model_get_item (model, n - 1) : NULL;

  return newest != NULL && impasto_snapshot_get_step (newest) >= GPOINTER_TO_UINT (args[1]);
}

/* While an older snapshot is on show the run goes on in the strip, not in the preview. */
static void
test_strip_holds_shown_snapshot_during_run (void)
{
  ImpastoWindow *window;
  ImpastoSnapshot *first;
  gpointer args[2];

  set_small_run_settings ();
  window = new_ready_window ();
  args[0] = window;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  args[1] = GUINT_TO_POINTER (3);
  wait_until (has_snapshots, args, "three snapshots");

  g_signal_emit_by_name (window->snapshot_strip, "activate", 0);
  first = strip_item (window, 0);
  {
    guint n = g_list_model_get_n_items (strip_model (window));

    args[1] = GUINT_TO_POINTER (impasto_snapshot_get_step (strip_item (window, n - 1)) + 3);
  }
  wait_until (newest_has_steps, args, "three more snapshots");
  g_assert_true (shown_texture (window) == impasto_snapshot_get_texture (first));
  g_assert_cmpuint (gtk_single_selection_get_selected (window->snapshot_selection), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.live", NULL);
  g_assert_true (shown_texture (window)
                 == impasto_job_get_texture (impasto_window_get_job (window)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  destroy_window (window);
}

static void
on_saved (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
save_snapshot_and_wait (ImpastoWindow    *window,
                        ImpastoSnapshot  *snapshot,
                        const char       *path,
                        GError          **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  impasto_window_save_snapshot_async (window, snapshot, file, on_saved, &result);
  wait_until (pointer_set, &result, "the snapshot is saved");

  return impasto_window_save_finish (result, error);
}

/* The file holds exactly the snapshot's pixels. */
static void
assert_file_holds (const char      *path,
                   ImpastoSnapshot *snapshot)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoImage) image = impasto_image_load (path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (image->width, ==, impasto_snapshot_get_width (snapshot));
  g_assert_cmpuint (image->height, ==, impasto_snapshot_get_height (snapshot));
  g_assert_cmpmem (image->pixels, impasto_image_get_n_bytes (image),
                   g_bytes_get_data (impasto_snapshot_get_pixels (snapshot), NULL),
                   g_bytes_get_size (impasto_snapshot_get_pixels (snapshot)));
}

static void
test_save_this_snapshot (void)
{
  ImpastoWindow *window = new_window_after_run (20, 5);
  ImpastoJob *job = impasto_window_get_job (window);
  ImpastoSnapshot *third = strip_item (window, 2);
  g_autofree char *path = g_build_filename (tmpdir, "step-10.png", NULL);
  g_autofree char *start_path = g_build_filename (tmpdir, "step-0.png", NULL);
  g_autofree char *latest_path = g_build_filename (tmpdir, "step-20.png", NULL);
  g_autoptr(ImpastoRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;
  const char *saved_path, *saved_sha256;

  /* Shown, the action is there for it; the starting image is not a painting. */
  g_signal_emit_by_name (window->snapshot_strip, "activate", 2);
  g_assert_true (impasto_window_get_target_snapshot (window) == third);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (window->snapshot_menu_button)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.live", NULL));
  g_signal_emit_by_name (window->snapshot_strip, "activate", 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-snapshot", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.continue-from-snapshot", NULL);
  g_assert_null (window->save_chooser);
  g_assert_true (impasto_window_get_job (window) == job);
  g_assert_false (save_snapshot_and_wait (window, strip_item (window, 0), start_path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "The starting image is not painted yet: save a later snapshot");
  g_clear_error (&error);
  g_assert_false (g_file_test (start_path, G_FILE_TEST_EXISTS));

  g_assert_true (save_snapshot_and_wait (window, third, path, &error));
  g_assert_no_error (error);
  assert_file_holds (path, third);
  g_assert_true (impasto_snapshot_get_saved_file (third, &saved_path, &saved_sha256));
  g_assert_cmpstr (saved_path, ==, path);

  /* Its recipe makes that very picture: ten steps. */
  recipe = impasto_recipe_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipe->params->steps, ==, 10);
  g_assert_cmpuint (recipe->params->snapshot_every, ==, 5);

  /* An older snapshot saved is not the painting saved; the newest is. */
  g_assert_true (impasto_job_get_unsaved (job));
  g_assert_true (save_snapshot_and_wait (window, strip_item (window, 4), latest_path, &error));
  g_assert_no_error (error);
  g_assert_false (impasto_job_get_unsaved (job));
  g_clear_pointer (&recipe, impasto_recipe_free);
  recipe = impasto_recipe_load_file (latest_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipe->params->steps, ==, 20);
  destroy_window (window);
}

static gboolean
new_job_has_snapshot (gpointer data)
{
  gpointer *args = data;
  ImpastoJob *job = impasto_window_get_job (args[0]);

  return job != NULL && job != args[1]
         && g_list_model_get_n_items (impasto_job_get_snapshots (job)) > 0;
}

static void
test_continue_from_here (void)
{
  ImpastoWindow *window = new_window_after_run (20, 5);
  ImpastoJob *old_job = g_object_ref (impasto_window_get_job (window));
  ImpastoSnapshot *second = g_object_ref (strip_item (window, 1));
  g_autofree char *path = g_build_filename (tmpdir, "continue-step-5.png", NULL);
  g_autofree char *latest_path = g_build_filename (tmpdir, "continue-latest.png", NULL);
  g_autoptr(GFile) latest = g_file_new_for_path (latest_path);
  g_autoptr(ImpastoRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  ImpastoJob *job;
  ImpastoSnapshot *start;
  gpointer args[2] = { window, old_job };

  /* Nothing is left unsaved, so no question is asked. */
  g_assert_true (save_and_wait (window, latest, &error));
  g_assert_no_error (error);
  g_assert_true (save_snapshot_and_wait (window, second, path, &error));
  g_assert_no_error (error);
  /* An older snapshot saved leaves the painting saved. */
  g_assert_false (impasto_job_get_unsaved (old_job));

  g_signal_emit_by_name (window->snapshot_strip, "activate", 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.continue-from-snapshot",
                                             NULL));
  wait_until (new_job_has_snapshot, args, "the new run's first snapshot");
  job = impasto_window_get_job (window);

  /* A strip of its own, from the picture it starts from. */
  g_assert_true (strip_model (window) == G_LIST_MODEL (window->snapshot_selection));
  g_assert_true (gtk_single_selection_get_model (window->snapshot_selection)
                 == impasto_job_get_snapshots (job));
  start = g_list_model_get_item (impasto_job_get_snapshots (job), 0);
  g_assert_cmpuint (impasto_snapshot_get_step (start), ==, 0);
  g_assert_true (g_bytes_equal (impasto_snapshot_get_pixels (start),
                                impasto_snapshot_get_pixels (second)));
  g_object_unref (start);

  text = impasto_job_dup_recipe_text (job);
  recipe = impasto_recipe_from_text (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (recipe->start.path, ==, path);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_object_unref (old_job);
  g_assert_finalize_object (second);
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  window_fixtures_init (&argc, &argv);

  g_test_add_func ("/impasto/gui/snapshots/strip-has-every-snapshot",
                   test_strip_has_every_snapshot);
  g_test_add_func ("/impasto/gui/snapshots/strip-thins-out", test_strip_thins_out);
  g_test_add_func ("/impasto/gui/snapshots/click-shows-snapshot",
                   test_strip_click_shows_snapshot);
  g_test_add_func ("/impasto/gui/snapshots/holds-shown-snapshot-during-run",
                   test_strip_holds_shown_snapshot_during_run);
  g_test_add_func ("/impasto/gui/snapshots/save-this-snapshot", test_save_this_snapshot);
  g_test_add_func ("/impasto/gui/snapshots/continue-from-here", test_continue_from_here);

  ret = g_test_run ();
  window_fixtures_clear ();

  return ret;
}
