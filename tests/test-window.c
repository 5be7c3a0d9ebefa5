/* test-window.c: the real window, driven as a user would, under Xvfb
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "image-checks.h"
#include "image-fixtures.h"
#include "impasto-application.h"
#include "impasto-background.h"
#include "impasto-fixture.h"
#include "impasto-model-path.h"
#include "impasto-preset.h"
#include "impasto-window-private.h"
#include "main-loop-meter.h"
#include "window-fixtures.h"

typedef struct
{
  GPtrArray *textures;
} PreviewLog;

/* The picture the preview shows: its paintable stays, the texture in it changes. */
static GdkTexture *
shown_texture (GtkPicture *preview)
{
  return impasto_preview_paintable_get_texture (
    IMPASTO_PREVIEW_PAINTABLE (gtk_picture_get_paintable (preview)));
}

static void
on_texture_changed (ImpastoPreviewPaintable *paintable,
                    GParamSpec              *pspec,
                    PreviewLog              *log)
{
  GdkTexture *texture = impasto_preview_paintable_get_texture (paintable);

  if (texture != NULL)
    g_ptr_array_add (log->textures, g_object_ref (texture));
}

static gboolean
preview_changed_twice (gpointer data)
{
  PreviewLog *log = data;

  return log->textures->len >= 2;
}

static void
assert_decodes_to (const char *path,
                   int         width,
                   int         height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
}

/* A lossless file holds exactly the texture's pixels. */
static void
assert_file_shows (const char *path,
                   GdkTexture *texture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, &error);
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);
  const guint8 *file_pixels;
  int n_channels;
  int stride;

  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
  file_pixels = gdk_pixbuf_read_pixels (pixbuf);
  n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);

  /* Downloaded as Cairo's ARGB32: one native-endian word a pixel. */
  gdk_texture_download (texture, (guchar *) pixels, (gsize) width * 4);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 shown = pixels[(gsize) y * width + x];
        const guint8 *saved = file_pixels + (gsize) y * stride + (gsize) x * n_channels;
        guint32 saved_rgb = (guint32) saved[0] << 16 | (guint32) saved[1] << 8 | saved[2];

        if ((shown & 0xffffff) != saved_rgb)
          g_error ("pixel %d,%d: saved %06x, shown %06x", x, y, saved_rgb, shown & 0xffffff);
      }
}

static void
test_window_run_preview_save (void)
{
  ImpastoWindow *window;
  GtkPicture *preview;
  GdkPaintable *paintable;
  GdkTexture *content_preview;
  GdkTexture *last;
  ImpastoJob *job;
  PreviewLog log = { g_ptr_array_new_with_free_func (g_object_unref) };
  g_autofree char *png = g_build_filename (tmpdir, "painting.png", NULL);
  g_autofree char *jpeg = g_build_filename (tmpdir, "painting.jpg", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "no-such-folder", "painting.png", NULL);
  g_autoptr(GFile) png_file = g_file_new_for_path (png);
  g_autoptr(GFile) jpeg_file = g_file_new_for_path (jpeg);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GError) error = NULL;

  set_small_run_settings ();
  window = new_ready_window ();
  preview = impasto_window_get_preview (window);

  /* Before a run the preview shows the content image, at its own size. */
  paintable = gtk_picture_get_paintable (preview);
  content_preview = shown_texture (preview);
  g_assert_nonnull (content_preview);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 64);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 40);
  g_assert_cmpint (gtk_picture_get_content_fit (preview), ==, GTK_CONTENT_FIT_CONTAIN);

  /* Nothing to save before the first snapshot. */
  g_assert_false (save_and_wait (window, png_file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));

  g_signal_connect (paintable, "notify::texture", G_CALLBACK (on_texture_changed), &log);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);

  job = impasto_window_get_job (window);
  g_assert_nonnull (job);
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_RUNNING);
  g_assert_false (impasto_window_get_can_start (window));
  g_assert_cmpuint (impasto_job_get_total_steps (job), ==, 10000);

  wait_until (preview_changed_twice, &log, "the preview has changed twice");

  for (guint i = 0; i < log.textures->len; i++)
    {
      GdkTexture *texture = g_ptr_array_index (log.textures, i);

      g_assert_true (texture != content_preview);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 48);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, 32);
      if (i > 0)
        g_assert_true (texture != g_ptr_array_index (log.textures, i - 1));
    }
  g_assert_true (gtk_picture_get_paintable (preview) == paintable);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 48);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (window->step_label), "Step "));

  /* Save works during the run. */
  g_assert_true (save_and_wait (window, jpeg_file, &error));
  g_assert_no_error (error);
  assert_decodes_to (jpeg, 48, 32);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_STOPPED);
  g_assert_true (impasto_window_get_can_start (window));

  /* Whatever the worker was still doing when Stop came never reaches the screen. */
  last = shown_texture (preview);
  wait_until (background_idle, NULL, "the stopped worker has let go");
  g_assert_true (shown_texture (preview) == last);
  g_assert_true (impasto_job_get_texture (job) == last);
  g_assert_cmpuint (impasto_job_get_step (job), >=, 1);

  /* And after it, through the same call the save dialog's response makes: the very picture
   * the preview was left with. */
  g_assert_true (save_and_wait (window, png_file, &error));
  g_assert_no_error (error);
  assert_decodes_to (png, 48, 32);
  assert_file_shows (png, last);

  g_assert_false (save_and_wait (window, missing_file, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  g_signal_handlers_disconnect_by_data (paintable, &log);
  g_ptr_array_unref (log.textures);
  destroy_window (window);
}

static gboolean
job_has_stepped (gpointer data)
{
  ImpastoJob *job = impasto_window_get_job (data);

  return job != NULL && impasto_job_get_step (job) >= 1;
}

static void
test_window_close_during_run (void)
{
  ImpastoWindow *window;
  ImpastoJob *job;

  set_small_run_settings ();
  window = new_ready_window ();

  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  wait_until (job_has_stepped, window, "the run has made a step");

  job = impasto_window_get_job (window);
  g_object_add_weak_pointer (G_OBJECT (job), (gpointer *) &job);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_RUNNING);

  gtk_window_destroy (GTK_WINDOW (window));

  /* The job outlives the window only until its worker has finished the current step. */
  wait_until (pointer_cleared, &window, "the window is finalized");
  wait_until (pointer_cleared, &job, "the job is finalized");
  wait_until (background_idle, NULL, "no worker is left");
}

/* As the window shows a snapshot. */
static void
show_texture (GdkTexture *texture,
              gpointer    user_data)
{
  GtkPicture *preview = impasto_window_get_preview (user_data);

  impasto_preview_paintable_set_texture (
    IMPASTO_PREVIEW_PAINTABLE (gtk_picture_get_paintable (preview)), texture);
}

static gboolean
time_is_up (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

static void
wait_seconds (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  wait_until (time_is_up, &until, "the time is up");
}

static gboolean
job_reached_step_300 (gpointer data)
{
  return impasto_job_get_step (data) >= 300;
}

/* How long the main loop goes without running a 5 ms timeout, and how much of that the main
 * thread spent working, while a run sends a snapshot after every step; against two baselines
 * without a run: the window standing still, and the window showing a new picture of the same
 * size every frame. Reported, not asserted: it depends on the machine (bench-window measures
 * the same at full size). */
static void
test_window_main_loop_gaps (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  ImpastoWindow *window;
  MainLoopMeter *meter;
  g_autofree char *still = NULL;
  g_autofree char *redraw = NULL;
  g_autofree char *run = NULL;

  set_small_run_settings ();
  g_settings_set_uint (settings, "width", 128);
  g_settings_set_uint (settings, "height", 96);
  window = new_ready_window ();
  /* Let the page's transition and the buttons' state changes settle. */
  wait_seconds (0.5);

  meter = main_loop_meter_start (GTK_WIDGET (window));
  wait_seconds (1);
  still = main_loop_meter_stop (meter, "standing still");

  meter = main_loop_meter_start (GTK_WIDGET (window));
  main_loop_meter_replace_every_frame (meter, 128, 96, show_texture, window);
  wait_seconds (1);
  redraw = main_loop_meter_stop (meter, "a new picture every frame, no run");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  meter = main_loop_meter_start (GTK_WIDGET (window));
  wait_until (job_reached_step_300, impasto_window_get_job (window), "the run reaches step 300");
  run = main_loop_meter_stop (meter, "a run with a snapshot every step");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);

  g_test_message ("%s", still);
  g_test_message ("%s", redraw);
  g_test_message ("%s", run);

  destroy_window (window);
}

static gboolean
picker_settled (gpointer data)
{
  return !impasto_image_picker_get_loading (data);
}

static void
test_picker_shows_errors (void)
{
  GtkWidget *window = gtk_window_new ();
  ImpastoImagePicker *picker = IMPASTO_IMAGE_PICKER (impasto_image_picker_new ());
  g_autofree char *bogus = g_build_filename (tmpdir, "not-an-image.png", NULL);
  g_autofree char *absent = g_build_filename (tmpdir, "absent.png", NULL);
  g_autoptr(GFile) bogus_file = g_file_new_for_path (bogus);
  g_autoptr(GFile) absent_file = g_file_new_for_path (absent);
  g_autoptr(GFile) content_file = g_file_new_for_path (content_path);
  g_autofree char *large = g_build_filename (tmpdir, "large.png", NULL);
  g_autoptr(GFile) large_file = g_file_new_for_path (large);
  g_autofree char *refusal = g_strdup_printf ("Could not open “not-an-image.png”: “%s” is not "
                                              "an image (it is a text file)", bogus);
  g_autoptr(GError) error = NULL;

  write_image (large, 2000, 1250, 1);
  g_file_set_contents (bogus, "this is text", -1, &error);
  g_assert_no_error (error);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (picker));
  gtk_window_present (GTK_WINDOW (window));

  /* With no image before it, a file that is no image leaves none. */
  impasto_image_picker_set_file (picker, bogus_file);
  wait_until (picker_settled, picker, "the bogus file is refused");
  g_assert_null (impasto_image_picker_get_image (picker));
  g_assert_null (impasto_image_picker_get_file (picker));
  g_assert_null (impasto_image_picker_get_preview (picker));
  g_assert_cmpstr (impasto_image_picker_get_error (picker), ==, refusal);

  impasto_image_picker_set_file (picker, content_file);
  wait_until (picker_settled, picker, "the content image is loaded");
  g_assert_nonnull (impasto_image_picker_get_image (picker));
  g_assert_cmpuint (impasto_image_picker_get_image (picker)->width, ==, 64);
  g_assert_null (impasto_image_picker_get_error (picker));

  /* The picker keeps the image at its own size for the run, and a smaller copy to show. */
  g_assert_cmpint (gdk_texture_get_width (impasto_image_picker_get_preview (picker)), ==, 64);
  g_assert_cmpint (gdk_texture_get_height (impasto_image_picker_get_preview (picker)), ==, 40);
  impasto_image_picker_set_file (picker, large_file);
  wait_until (picker_settled, picker, "the large image is loaded");
  g_assert_cmpuint (impasto_image_picker_get_image (picker)->width, ==, 2000);
  g_assert_cmpuint (impasto_image_picker_get_image (picker)->height, ==, 1250);
  g_assert_cmpint (gdk_texture_get_width (impasto_image_picker_get_preview (picker)), ==, 1024);
  g_assert_cmpint (gdk_texture_get_height (impasto_image_picker_get_preview (picker)), ==, 640);

  /* A file that is no image, chosen after a good one, leaves the good one in place. */
  impasto_image_picker_set_file (picker, bogus_file);
  wait_until (picker_settled, picker, "the bogus file is refused");
  g_assert_nonnull (impasto_image_picker_get_error (picker));
  g_assert_cmpstr (impasto_image_picker_get_error (picker), ==, refusal);
  g_assert_true (impasto_image_picker_get_file (picker) == large_file);
  g_assert_cmpuint (impasto_image_picker_get_image (picker)->width, ==, 2000);
  g_assert_cmpuint (impasto_image_picker_get_image (picker)->height, ==, 1250);
  g_assert_cmpint (gdk_texture_get_width (impasto_image_picker_get_preview (picker)), ==, 1024);

  impasto_image_picker_set_file (picker, absent_file);
  wait_until (picker_settled, picker, "the absent file is refused");
  g_assert_nonnull (strstr (impasto_image_picker_get_error (picker), "absent.png"));
  g_assert_true (impasto_image_picker_get_file (picker) == large_file);
  g_assert_cmpuint (impasto_image_picker_get_image (picker)->width, ==, 2000);

  /* The next good file clears the message. */
  impasto_image_picker_set_file (picker, content_file);
  wait_until (picker_settled, picker, "the content image is loaded again");
  g_assert_null (impasto_image_picker_get_error (picker));
  g_assert_cmpuint (impasto_image_picker_get_image (picker)->width, ==, 64);

  g_object_add_weak_pointer (G_OBJECT (picker), (gpointer *) &picker);
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (pointer_cleared, &picker, "the picker is finalized");
}

/* Ten thousand steps on a plot 200 pixels wide: at most four points per column, and the
 * extremes still there. */
static void
test_loss_plot_decimates (void)
{
  ImpastoLossPlot *plot = IMPASTO_LOSS_PLOT (g_object_ref_sink (impasto_loss_plot_new ()));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 64);
  cairo_t *cr = cairo_create (surface);
  cairo_path_t *path;
  double top = G_MAXDOUBLE;
  double bottom = -G_MAXDOUBLE;
  double first_x = -1;
  guint n_points = 0;

  impasto_loss_plot_set_range (plot, 10000);
  for (guint step = 0; step < 10000; step++)
    impasto_loss_plot_append (plot, step, 1000.0 + (step % 2 ? 100.0 : 0.0) - step * 0.05);
  g_assert_cmpuint (impasto_loss_plot_get_n_points (plot), ==, 10000);

  impasto_loss_plot_trace (plot, cr, 200, 64);
  path = cairo_copy_path (cr);
  g_assert_cmpint (path->status, ==, CAIRO_STATUS_SUCCESS);

  for (int i = 0; i < path->num_data; i += path->data[i].header.length)
    {
      const cairo_path_data_t *point = &path->data[i + 1];

      if (first_x < 0)
        first_x = point->point.x;
      top = MIN (top, point->point.y);
      bottom = MAX (bottom, point->point.y);
      n_points++;
    }

  g_assert_cmpuint (n_points, <=, 4 * 200);
  g_assert_cmpfloat_with_epsilon (first_x, 1.0, 1e-9);
  /* The highest loss (step 1) at the top edge, the lowest (step 9998) at the bottom one. */
  g_assert_cmpfloat_with_epsilon (top, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (bottom, 63.0, 1e-9);

  cairo_path_destroy (path);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_assert_finalize_object (plot);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  g_assert_not_reached ();
}

/* What a file manager's drop delivers, straight to the drop target's handler. */
static gboolean
drop_files (GtkWidget  *widget,
            GType       type,
            GFile      *first,
            GFile      *second)
{
  GtkDropTarget *target = find_drop_target (widget);
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_value_init (&value, type);
  if (type == GDK_TYPE_FILE_LIST)
    {
      g_autoptr(GSList) files = g_slist_prepend (NULL, second);

      files = g_slist_prepend (files, first);
      g_value_set_boxed (&value, files);
    }
  else
    {
      g_value_set_object (&value, first);
    }

  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);

  return accepted;
}

static gboolean
pickers_settled (gpointer data)
{
  ImpastoWindow *window = data;

  return !impasto_image_picker_get_loading (window->content_picker) &&
         !impasto_image_picker_get_loading (impasto_window_get_style_picker (window));
}

/* Two files dropped on the window are the content and the style, in that order; one dropped
 * on a picker is that picker's. */
static void
test_window_drops (void)
{
  ImpastoWindow *window = impasto_window_new (NULL);
  g_autoptr(GFile) content = g_file_new_for_path (content_path);
  g_autoptr(GFile) style = g_file_new_for_path (style_path);

  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (drop_files (GTK_WIDGET (window), GDK_TYPE_FILE_LIST, style, content));
  wait_until (pickers_settled, window, "the dropped images are loaded");
  g_assert_true (g_file_equal (impasto_image_picker_get_file (window->content_picker), style));
  g_assert_true (g_file_equal (impasto_image_picker_get_file (
                                 impasto_window_get_style_picker (window)), content));

  g_assert_true (drop_files (GTK_WIDGET (window->content_picker), G_TYPE_FILE, content, NULL));
  wait_until (pickers_settled, window, "the dropped content image is loaded");
  g_assert_true (g_file_equal (impasto_image_picker_get_file (window->content_picker), content));
  g_assert_true (g_file_equal (impasto_image_picker_get_file (
                                 impasto_window_get_style_picker (window)), content));

  destroy_window (window);
}

static void
test_window_settings_and_defaults (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  ImpastoWindow *window;
  g_autofree char *name = NULL;
  g_autofree char *remembered = NULL;

  window = new_ready_window ();

  /* While a picker loads an image, Start would paint with the one it replaces. */
  impasto_image_picker_set_file (impasto_window_get_style_picker (window),
                                 impasto_image_picker_get_file (
                                   impasto_window_get_style_picker (window)));
  g_assert_false (impasto_window_get_can_start (window));
  wait_until (can_start, window, "the style image is loaded again");

  /* Sliders and GSettings are one. */
  g_settings_set_double (settings, "beta", 1234.0);
  g_assert_cmpfloat (param_value (window, "beta"), ==, 1234.0);
  set_param_value (window, "steps", 77);
  g_assert_cmpuint (g_settings_get_uint (settings, "steps"), ==, 77);

  /* Keep aspect: the 64x40 content makes 80 wide into 50 high. */
  g_settings_set_uint (settings, "width", 80);
  g_settings_set_boolean (settings, "keep-aspect", TRUE);
  g_assert_cmpfloat (param_value (window, "height"), ==, 50);
  g_assert_false (gtk_widget_get_sensitive (window->height_spin));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-defaults", NULL);
  g_assert_cmpfloat (param_value (window, "alpha"), ==, 1.0);
  g_assert_cmpfloat (param_value (window, "beta"), ==, 500.0);
  /* Balanced's: from the photo, 100 steps. */
  g_assert_cmpfloat (param_value (window, "noise"), ==, 0);
  g_assert_cmpfloat (param_value (window, "steps"), ==, 100);
  g_assert_cmpfloat (param_value (window, "width"), ==, 450);
  g_assert_cmpfloat (param_value (window, "height"), ==, 300);
  g_assert_false (g_settings_get_boolean (settings, "keep-aspect"));

  /* The model that loaded is remembered. */
  remembered = g_settings_get_string (settings, "model-path");
  g_assert_cmpstr (remembered, ==, model_path);

  name = impasto_window_dup_suggested_name (window);
  g_assert_cmpstr (name, ==, "content-style.png");

  destroy_window (window);
}

static void
test_window_model_missing (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *bogus = g_build_filename (tmpdir, "bogus.mat", NULL);
  g_autofree char *remembered = NULL;
  g_autoptr(GError) error = NULL;
  ImpastoWindow *window;

  g_settings_reset (settings, "model-path");
  window = impasto_window_new (NULL);

  /* Nothing in the usual places: the model page. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "model");
  g_assert_false (impasto_window_get_model_loaded (window));
  g_assert_false (impasto_window_get_can_start (window));
  g_assert_cmpstr (gtk_link_button_get_uri (window->model_link), ==, IMPASTO_MODEL_URL);

  g_file_set_contents (bogus, "MATLAB? no.", -1, &error);
  g_assert_no_error (error);
  impasto_window_set_model_path (window, bogus);
  wait_until (background_idle, NULL, "the bogus model is read");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "model");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->model_error_label)));
  g_assert_false (impasto_window_get_model_loaded (window));
  remembered = g_settings_get_string (settings, "model-path");
  g_assert_cmpstr (remembered, ==, "");

  impasto_window_set_model_path (window, model_path);
  wait_until (background_idle, NULL, "the model is read");
  g_assert_true (impasto_window_get_model_loaded (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "main");

  destroy_window (window);
}

static gboolean
background_idle_and_job_done (gpointer data)
{
  ImpastoJob *job = impasto_window_get_job (data);

  return impasto_background_get_n_active () == 0 &&
         job != NULL && impasto_job_get_state (job) != IMPASTO_JOB_RUNNING;
}

/* Starts a run, checks what it was given, and stops it again at once. */
static void
assert_run_params (ImpastoWindow    *window,
                   ImpastoOptimizer  optimizer,
                   guint             steps)
{
  const ImpastoRunParams *params;
  ImpastoJob *job;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  job = impasto_window_get_job (window);
  g_assert_nonnull (job);
  params = impasto_job_get_params (job);
  g_assert_cmpint (params->optimizer, ==, optimizer);
  g_assert_cmpuint (params->n_scales, ==, 1);
  g_assert_cmpuint (params->steps, ==, steps);
  g_assert_cmpuint (impasto_job_get_total_steps (job), ==, steps);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  wait_until (background_idle_and_job_done, window, "the run has stopped");
}

/* Quality as impasto-cli's --preset has it: draft and balanced are L-BFGS for 50 and 100 steps,
 * seed-exact the seed's Adam for 3000; Balanced is the first choice. Choosing one sets the
 * steps; the steps changed after that are the run's, with the preset's optimiser, as --preset
 * with --steps; Draft and Balanced start from the photo, Seed-exact from the seed's half
 * noise; and the choice is remembered without undoing the steps. */
static void
test_window_presets (void)
{
  /* From Balanced on, each choice a change. */
  static const struct {
    ImpastoPreset     preset;
    const char       *name;
    ImpastoOptimizer  optimizer;
    guint             steps;
    guint             snapshot_every;
    double            noise;
  } expected[] = {
    { IMPASTO_PRESET_SEED_EXACT, "seed-exact", IMPASTO_OPTIMIZER_ADAM, 3000, 50, 0.5 },
    { IMPASTO_PRESET_DRAFT, "draft", IMPASTO_OPTIMIZER_LBFGS, 50, 1, 0 },
    { IMPASTO_PRESET_BALANCED, "balanced", IMPASTO_OPTIMIZER_LBFGS, 100, 2, 0 },
  };
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  ImpastoWindow *window;

  set_small_run_settings ();
  g_settings_reset (settings, "preset");
  window = new_ready_window ();
  g_assert_cmpuint (gtk_drop_down_get_selected (window->preset_dropdown), ==,
                    IMPASTO_PRESET_BALANCED);
  /* Loading the setting left the steps as they were. */
  g_assert_cmpfloat (param_value (window, "steps"), ==, 10000);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *name = NULL;

      gtk_drop_down_set_selected (window->preset_dropdown, expected[i].preset);
      name = g_settings_get_string (settings, "preset");
      g_assert_cmpstr (name, ==, expected[i].name);
      g_assert_cmpfloat (param_value (window, "steps"), ==,
                         expected[i].steps);
      g_assert_cmpfloat (param_value (window, "snapshot-every"), ==,
                         expected[i].snapshot_every);
      g_assert_cmpfloat (param_value (window, "noise"), ==, expected[i].noise);
      assert_run_params (window, expected[i].optimizer, expected[i].steps);
    }

  gtk_drop_down_set_selected (window->preset_dropdown, 0);
  set_param_value (window, "steps", 80);
  assert_run_params (window, IMPASTO_OPTIMIZER_LBFGS, 80);
  destroy_window (window);

  /* The next window opens with Draft and the steps of the last. */
  window = new_ready_window ();
  g_assert_cmpuint (gtk_drop_down_get_selected (window->preset_dropdown), ==, 0);
  g_assert_cmpfloat (param_value (window, "steps"), ==, 80);
  assert_run_params (window, IMPASTO_OPTIMIZER_LBFGS, 80);

  /* A preset set from elsewhere (dconf, another window) is the window's choice too. */
  g_settings_set_string (settings, "preset", "balanced");
  g_assert_cmpuint (gtk_drop_down_get_selected (window->preset_dropdown), ==, 1);
  g_assert_cmpfloat (param_value (window, "steps"), ==, 100);

  g_settings_set_string (settings, "preset", "seed-exact");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-defaults", NULL);
  g_assert_cmpuint (gtk_drop_down_get_selected (window->preset_dropdown), ==,
                    IMPASTO_PRESET_BALANCED);
  g_assert_cmpfloat (param_value (window, "steps"), ==, 100);
  assert_run_params (window, IMPASTO_OPTIMIZER_LBFGS, 100);

  destroy_window (window);
}

/* Draft to its end on the small model: L-BFGS paints, the preview shows its last image, and
 * the progress counts evaluations beside the steps. */
static void
test_window_draft_run (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  ImpastoWindow *window;
  ImpastoJob *job;
  GdkTexture *content_preview;
  const char *step_text;
  guint64 evaluations;

  set_small_run_settings ();
  g_settings_reset (settings, "preset");
  g_settings_set_uint (settings, "snapshot-every", 10);
  window = new_ready_window ();
  gtk_drop_down_set_selected (window->preset_dropdown, 0);
  content_preview = shown_texture (impasto_window_get_preview (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  job = impasto_window_get_job (window);
  g_assert_cmpint (impasto_job_get_params (job)->optimizer, ==, IMPASTO_OPTIMIZER_LBFGS);
  g_assert_cmpuint (impasto_job_get_total_steps (job), ==, 50);
  wait_until (job_finished, window, "the draft is painted");
  wait_until (background_idle, NULL, "the worker has let go");

  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_FINISHED);
  g_assert_null (impasto_job_get_error (job));
  g_assert_cmpuint (impasto_job_get_step (job), >=, 1);
  g_assert_cmpuint (impasto_job_get_step (job), <=, 50);
  evaluations = impasto_job_get_evaluations (job);
  g_assert_cmpuint (evaluations, >=, impasto_job_get_step (job));

  g_assert_nonnull (impasto_job_get_texture (job));
  g_assert_true (shown_texture (impasto_window_get_preview (window)) ==
                 impasto_job_get_texture (job));
  g_assert_true (shown_texture (impasto_window_get_preview (window)) != content_preview);
  g_assert_cmpint (gdk_texture_get_width (impasto_job_get_texture (job)), ==, 48);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->status_label)));
  g_assert_cmpstr (gtk_label_get_label (window->status_label), ==, "Done");
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (window->progress_bar), ==, 1.0);
  step_text = gtk_label_get_text (window->step_label);
  g_assert_true (g_str_has_prefix (step_text, "Step "));
  g_assert_true (g_str_has_suffix (step_text, " evaluations"));
  g_assert_true (impasto_window_get_can_start (window));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->start_button)));

  g_settings_reset (settings, "preset");
  destroy_window (window);
}

/* A label somewhere inside widget that shows text and can be seen. */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;

  return FALSE;
}

static void
assert_contains (const char *text,
                 const char *fragment)
{
  if (strstr (text, fragment) == NULL)
    g_error ("“%s” does not say “%s”", text, fragment);
}

static GBytes *
make_truncated_png (void)
{
  g_autoptr(ImpastoImage) noise = fixture_noise_image (64, 64, 5);
  g_autofree char *path = g_build_filename (tmpdir, "whole.png", NULL);
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (impasto_image_save (noise, path, &error));
  whole = fixture_read (path);
  g_remove (path);

  /* IEND is the last 12 bytes and the IDAT CRC the 4 before it: this cuts pixel data. */
  return g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) - 30);
}

/* Bad files through the pickers, as a drop or the file dialog hands them over: each picker says
 * inline what is wrong, forgets the image it had (it shows the file chosen, or why it cannot),
 * and Start stays off; the painting already made stays on screen and can still be saved. */
static void
test_window_bad_images (void)
{
  struct {
    const char *name;
    GBytes     *bytes;
    const char *fragments[3];
  } bad[] = {
    { "empty.png", g_bytes_new (NULL, 0), { "is empty" } },
    { "notes.png", g_bytes_new_static ("just some text\n", 15),
      { "notes.png” is not an image (it is a text file)" } },
    { "cut.png", make_truncated_png (), { "the file ends before the image does" } },
    { "bomb.png", fixture_png_claiming (50000, 50000),
      { "50000 × 50000 pixels", "at most 100 million pixels" } },
  };
  g_autofree char *saved = g_build_filename (tmpdir, "kept.png", NULL);
  g_autoptr(GFile) saved_file = g_file_new_for_path (saved);
  g_autoptr(GFile) content = g_file_new_for_path (content_path);
  g_autoptr(GFile) style = g_file_new_for_path (style_path);
  g_autoptr(GError) error = NULL;
  ImpastoWindow *window = new_window_with_painting ();
  ImpastoJob *job = impasto_window_get_job (window);
  GdkTexture *painting = impasto_job_get_texture (job);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      ImpastoImagePicker *picker = i % 2 == 0 ? window->content_picker
                                              : impasto_window_get_style_picker (window);
      g_autofree char *path = fixture_write (tmpdir, bad[i].name, bad[i].bytes);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      const char *message;

      g_test_message ("%s", bad[i].name);
      impasto_image_picker_set_file (picker, file);
      g_assert_false (impasto_window_get_can_start (window));
      wait_until (picker_settled, picker, "the bad file is refused");

      message = impasto_image_picker_get_error (picker);
      g_assert_nonnull (message);
      assert_contains (message, bad[i].name);
      for (guint k = 0; bad[i].fragments[k] != NULL; k++)
        assert_contains (message, bad[i].fragments[k]);
      g_assert_true (shows_label (GTK_WIDGET (picker), message));

      /* The image chosen before stays, beside the message, ready to paint with. */
      g_assert_true (g_file_equal (impasto_image_picker_get_file (picker),
                                   picker == window->content_picker ? content : style));
      g_assert_cmpuint (impasto_image_picker_get_image (picker)->width, ==,
                        picker == window->content_picker ? 64 : 50);
      g_assert_true (shows_label (GTK_WIDGET (picker),
                                  picker == window->content_picker ? "content.png"
                                                                   : "style.png"));
      g_assert_true (impasto_window_get_can_start (window));
      g_assert_true (impasto_window_get_job (window) == job);
      g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_STOPPED);
      g_assert_true (shown_texture (window->preview) == painting);

      g_remove (path);
      g_bytes_unref (bad[i].bytes);
    }

  g_assert_true (save_and_wait (window, saved_file, &error));
  g_assert_no_error (error);
  assert_decodes_to (saved, 48, 32);
  g_remove (saved);

  /* Good images again: ready to start, and the old painting goes with the old inputs. */
  impasto_window_open_files (window, content, style);
  wait_until (can_start, window, "the images are loaded again");
  g_assert_null (impasto_window_get_job (window));
  g_assert_null (impasto_image_picker_get_error (window->content_picker));
  g_assert_null (impasto_image_picker_get_error (impasto_window_get_style_picker (window)));

  destroy_window (window);
}

/* A phone's 12000 × 9000 photo, more than Impasto decodes at full size: it loads at half its
 * size, in proportion, without a word of refusal, and Start can paint with it. */
static void
test_window_large_photo (void)
{
  g_autoptr(GBytes) jpeg = fixture_jpeg_quadrants (12000, 9000, FALSE);
  g_autofree char *path = fixture_write (tmpdir, "phone.jpg", jpeg);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ImpastoWindow *window = new_ready_window ();
  ImpastoImagePicker *picker = window->content_picker;
  const ImpastoImage *image;
  GdkTexture *preview;

  impasto_image_picker_set_file (picker, file);
  g_assert_false (impasto_window_get_can_start (window));
  wait_until (can_start, window, "the photo is loaded");

  g_assert_null (impasto_image_picker_get_error (picker));
  g_assert_true (impasto_image_picker_get_file (picker) == file);
  g_assert_true (shows_label (GTK_WIDGET (picker), "phone.jpg"));
  image = impasto_image_picker_get_image (picker);
  g_assert_cmpuint (image->width, ==, 6000);
  g_assert_cmpuint (image->height, ==, 4500);
  assert_pixel_near (image, 1500, 1125, fixture_quadrant_colors[0][0],
                     fixture_quadrant_colors[0][1], fixture_quadrant_colors[0][2], 6);
  assert_pixel_near (image, 4500, 3375, fixture_quadrant_colors[3][0],
                     fixture_quadrant_colors[3][1], fixture_quadrant_colors[3][2], 6);
  preview = impasto_image_picker_get_preview (picker);
  g_assert_cmpint (gdk_texture_get_width (preview), ==, 1024);
  g_assert_cmpint (gdk_texture_get_height (preview), ==, 768);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->start_button)));

  g_remove (path);
  destroy_window (window);
}

/* A single pixel is an image like any other: it paints, stretched to the output size. */
static void
test_window_one_pixel_images (void)
{
  g_autoptr(GBytes) red = fixture_png (1, 1, FIXTURE_PNG_RGB, 8, (guint16[]) { 200, 30, 10 });
  g_autoptr(GBytes) blue = fixture_png (1, 1, FIXTURE_PNG_RGB, 8, (guint16[]) { 10, 30, 200 });
  g_autofree char *content = fixture_write (tmpdir, "dot-content.png", red);
  g_autofree char *style = fixture_write (tmpdir, "dot-style.png", blue);
  g_autoptr(GFile) content_file = g_file_new_for_path (content);
  g_autoptr(GFile) style_file = g_file_new_for_path (style);
  ImpastoWindow *window;
  ImpastoJob *job;

  set_small_run_settings ();
  window = new_ready_window ();
  impasto_window_open_files (window, content_file, style_file);
  wait_until (pickers_settled, window, "the one-pixel images are loaded");
  g_assert_null (impasto_image_picker_get_error (window->content_picker));
  g_assert_null (impasto_image_picker_get_error (impasto_window_get_style_picker (window)));
  g_assert_cmpuint (impasto_image_picker_get_image (window->content_picker)->width, ==, 1);
  g_assert_true (impasto_window_get_can_start (window));

  set_param_value (window, "steps", 5);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  job = impasto_window_get_job (window);
  wait_until (job_finished, window, "the one-pixel painting is done");
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_FINISHED);
  g_assert_cmpint (gdk_texture_get_width (shown_texture (window->preview)), ==, 48);
  g_assert_cmpint (gdk_texture_get_height (shown_texture (window->preview)), ==, 32);

  destroy_window (window);
  g_remove (content);
  g_remove (style);
}

/* The message dialog the window shows over itself. */
static GtkMessageDialog *
find_error_dialog (ImpastoWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_MESSAGE_DIALOG (toplevel) &&
          gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        return GTK_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

/* Saves through the dialog's path and checks the message the user gets, then closes it. */
static void
assert_save_refused (ImpastoWindow *window,
                     GFile         *file,
                     const char    *reason)
{
  GtkMessageDialog *dialog;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *expected_title = g_strdup_printf ("Could not save “%s”", name);

  impasto_window_save_to_file (window, file);
  /* The worker lets go after the task's callback has run. */
  wait_until (background_idle, NULL, "the save is over");

  dialog = find_error_dialog (window);
  g_assert_nonnull (dialog);
  g_object_get (dialog, "text", &title, "secondary-text", &detail, NULL);
  g_assert_cmpstr (title, ==, expected_title);
  assert_contains (detail, reason);
  assert_contains (detail, "nothing was changed");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));

  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CLOSE);
  g_assert_null (find_error_dialog (window));
}

/* Saved through the dialog's path: no message, and the painting in the file. */
static void
assert_save_works (ImpastoWindow *window,
                   const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *said = g_strdup_printf ("Saved as “%s”", name);

  impasto_window_save_to_file (window, file);
  wait_until (background_idle, NULL, "the painting is saved");
  g_assert_null (find_error_dialog (window));
  assert_decodes_to (path, 48, 32);
  g_assert_cmpstr (gtk_label_get_label (window->status_label), ==, said);
}

static const char precious[] = "an earlier painting, not to be lost";

static void
assert_file_holds_precious (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, precious, sizeof precious);
}

/* A folder the user may not write in, with an earlier painting of the same name in it: the
 * window says so, the earlier file stays as it was, nothing else is left there, and the
 * painting can be saved elsewhere, or there once the folder allows it. As root the save runs
 * as nobody, whom the folder's mode refuses. */
static void
test_window_save_read_only_folder (void)
{
  g_autofree char *folder = fixture_make_folder ();
  g_autofree char *locked = g_build_filename (folder, "locked", NULL);
  g_autofree char *target = g_build_filename (locked, "painting.png", NULL);
  g_autofree char *elsewhere = g_build_filename (folder, "painting.png", NULL);
  g_autoptr(GFile) target_file = g_file_new_for_path (target);
  g_autoptr(GBytes) old = g_bytes_new_static (precious, sizeof precious);
  ImpastoWindow *window = new_window_with_painting ();
  gboolean as_nobody = geteuid () == 0;

  g_assert_no_errno (g_chmod (folder, 0755));
  g_assert_no_errno (g_mkdir (locked, 0755));
  g_free (fixture_write (locked, "painting.png", old));
  g_assert_no_errno (g_chmod (locked, 0555));

  if (as_nobody)
    g_assert_no_errno (seteuid (65534));
  assert_save_refused (window, target_file, "there is no permission to write in the folder");
  if (as_nobody)
    g_assert_no_errno (seteuid (0));

  assert_file_holds_precious (target);
  fixture_assert_folder_holds (locked, "painting.png", NULL);

  assert_save_works (window, elsewhere);
  g_assert_no_errno (g_chmod (locked, 0755));
  assert_save_works (window, target);

  destroy_window (window);
  fixture_remove_tree (folder);
}

static char *
message_dialog_text (GtkMessageDialog *dialog)
{
  char *text = NULL;

  g_object_get (dialog, "text", &text, NULL);
  return text;
}

/* Saving over the content or the style image, by whatever path, asks first: cancelled, the
 * image stays as it was to the byte; confirmed, the painting replaces it. */
static void
test_window_save_over_input (void)
{
  g_autofree char *link = g_build_filename (tmpdir, "link-to-content.png", NULL);
  g_autoptr(GFile) link_file = g_file_new_for_path (link);
  g_autoptr(GFile) style_file = g_file_new_for_path (style_path);
  g_autoptr(GBytes) content = fixture_read (content_path);
  g_autoptr(GBytes) style = fixture_read (style_path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  ImpastoWindow *window = new_window_with_painting ();
  GtkMessageDialog *dialog;

  g_assert_no_errno (symlink (content_path, link));
  impasto_window_save_to_file (window, link_file);
  dialog = find_error_dialog (window);
  g_assert_nonnull (dialog);
  text = message_dialog_text (dialog);
  g_assert_cmpstr (text, ==, "Replace the content image “link-to-content.png”?");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_assert_null (find_error_dialog (window));
  g_assert_cmpuint (impasto_background_get_n_active (), ==, 0);
  after = fixture_read (content_path);
  g_assert_true (g_bytes_equal (after, content));

  impasto_window_save_to_file (window, style_file);
  dialog = find_error_dialog (window);
  g_assert_nonnull (dialog);
  g_free (text);
  text = message_dialog_text (dialog);
  g_assert_cmpstr (text, ==, "Replace the style image “style.png”?");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  wait_until (background_idle, NULL, "the painting is saved over the style image");
  g_assert_null (find_error_dialog (window));
  assert_decodes_to (style_path, 48, 32);

  destroy_window (window);
  g_remove (link);
  g_file_set_contents (style_path, g_bytes_get_data (style, NULL), g_bytes_get_size (style),
                       &error);
  g_assert_no_error (error);
}

#define SMALL_FOLDER_VARIABLE "IMPASTO_TEST_SMALL_FOLDER"

/* A full disk, with an earlier painting filling it: the same as a locked folder. */
static void
test_window_save_disk_full (void)
{
  if (g_test_subprocess ())
    {
      const char *full = g_getenv (SMALL_FOLDER_VARIABLE);
      g_autofree char *marker = g_build_filename (full, "..", "cannot-mount", NULL);
      g_autofree char *target = g_build_filename (full, "painting.png", NULL);
      g_autofree char *elsewhere = g_build_filename (tmpdir, "painting.png", NULL);
      g_autoptr(GFile) target_file = g_file_new_for_path (target);
      g_autoptr(GBytes) old = g_bytes_new_static (precious, sizeof precious);
      ImpastoWindow *window;

      if (g_file_test (marker, G_FILE_TEST_EXISTS))
        return;

      window = new_window_with_painting ();
      g_free (fixture_write (full, "painting.png", old));
      assert_save_refused (window, target_file, "the disk is full");
      assert_file_holds_precious (target);
      fixture_assert_folder_holds (full, "painting.png", NULL);
      assert_save_works (window, elsewhere);
      g_remove (elsewhere);

      destroy_window (window);
      return;
    }

  fixture_trap_small_tmpfs (SMALL_FOLDER_VARIABLE,
                            "save-read-only-folder covers the same error path");
}

/* The native file dialogs: one at a time, shown again rather than twice, gone after their
 * answer, and closed with the window without answering. */
static void
test_window_file_dialogs (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *remembered = NULL;
  g_autofree char *name = NULL;
  ImpastoWindow *window;
  GtkFileChooserNative *chooser;

  if (!window_fixtures_without_leak_check ())
    return;

  settings = g_settings_new (APPLICATION_ID);
  window = new_window_with_painting ();

  g_settings_set_string (settings, "last-save-folder", "");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  chooser = window->save_chooser;
  g_assert_nonnull (chooser);
  g_assert_true (gtk_native_dialog_get_modal (GTK_NATIVE_DIALOG (chooser)));
  g_assert_true (gtk_native_dialog_get_transient_for (GTK_NATIVE_DIALOG (chooser)) ==
                 GTK_WINDOW (window));
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_SAVE);
  name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (name, ==, "content-style.png");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (window->save_chooser == chooser);

  /* Cancelled: nothing saved, nothing remembered, and the dialog is let go of. */
  g_object_add_weak_pointer (G_OBJECT (chooser), (gpointer *) &chooser);
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_CANCEL);
  g_assert_null (window->save_chooser);
  wait_until (pointer_cleared, &chooser, "the save dialog is finalized");
  remembered = g_settings_get_string (settings, "last-save-folder");
  g_assert_cmpstr (remembered, ==, "");
  g_assert_cmpuint (impasto_background_get_n_active (), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.choose-model", NULL);
  chooser = window->model_chooser;
  g_assert_nonnull (chooser);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_OPEN);
  g_object_add_weak_pointer (G_OBJECT (chooser), (gpointer *) &chooser);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-content", NULL);

  destroy_window (window);
  wait_until (pointer_cleared, &chooser, "the model dialog is finalized");
}

typedef struct
{
  ImpastoApplication *app;
  GtkWindow          *window;
  ImpastoJob         *job;
  guint               source_id;
  gboolean            asked;
} QuitDuringRun;

/* Plays the user: once the window can, Start; once the run has stepped, Quit (Ctrl+Q); asked
 * to save the painting first, Discard. */
static gboolean
drive_quit_during_run (gpointer data)
{
  QuitDuringRun *quit = data;
  GtkWindow *window;

  /* Once the question is asked, it is the active window. */
  if (quit->window == NULL)
    quit->window = gtk_application_get_active_window (GTK_APPLICATION (quit->app));
  window = quit->window;
  if (window == NULL)
    return G_SOURCE_CONTINUE;

  if (impasto_window_get_job (IMPASTO_WINDOW (window)) == NULL)
    {
      if (impasto_window_get_can_start (IMPASTO_WINDOW (window)))
        gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
      return G_SOURCE_CONTINUE;
    }

  if (quit->job != NULL)
    {
      GtkWindow *question = impasto_window_get_question (IMPASTO_WINDOW (window));

      g_assert_nonnull (question);
      quit->asked = TRUE;
      gtk_dialog_response (GTK_DIALOG (question), GTK_RESPONSE_REJECT);
      quit->source_id = 0;
      return G_SOURCE_REMOVE;
    }

  if (!job_has_stepped (window) || impasto_job_get_texture (impasto_window_get_job (
                                     IMPASTO_WINDOW (window))) == NULL)
    return G_SOURCE_CONTINUE;

  quit->job = g_object_ref (impasto_window_get_job (IMPASTO_WINDOW (window)));
  g_action_group_activate_action (G_ACTION_GROUP (quit->app), "quit", NULL);

  return G_SOURCE_CONTINUE;
}

/* The whole application, as `impasto CONTENT STYLE` starts it: Quit during a run asks to save
 * the painting first, then cancels the run, g_application_run() returns, and by then no
 * worker is left. */
static void
test_application_quit_during_run (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  QuitDuringRun quit = { 0, };
  char *argv[] = { (char *) "impasto", content_path, style_path, NULL };
  int status;

  /* Steps long enough (a tenth of a second) that Quit comes in the middle of one. */
  set_small_run_settings ();
  g_settings_set_uint (settings, "width", 960);
  g_settings_set_uint (settings, "height", 720);
  g_settings_set_string (settings, "model-path", model_path);

  quit.app = impasto_application_new ();
  quit.source_id = g_timeout_add (20, drive_quit_during_run, &quit);
  status = g_application_run (G_APPLICATION (quit.app), G_N_ELEMENTS (argv) - 1, argv);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (quit.source_id, ==, 0);
  g_assert_true (quit.asked);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (quit.app)));
  g_assert_cmpuint (impasto_background_get_n_active (), ==, 0);
  g_assert_cmpint (impasto_job_get_state (quit.job), ==, IMPASTO_JOB_STOPPED);
  g_assert_cmpuint (impasto_job_get_step (quit.job), <, impasto_job_get_total_steps (quit.job));

  g_assert_finalize_object (quit.job);
  g_assert_finalize_object (quit.app);
}

/* Where GtkApplication looks, given the application's resource base path. */
static void
test_icons_in_resources (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  gtk_icon_theme_add_resource_path (theme, "/io/github/impasto/Impasto/icons");
  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID));
  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID "-symbolic"));
}

int
main (int   argc,
      char *argv[])
{
  const char *small_folder = g_getenv (SMALL_FOLDER_VARIABLE);
  int ret;

  /* For save-disk-full's child: before any thread exists, so that every thread the test starts
   * shares the mount namespace, a tmpfs of one page. */
  if (small_folder != NULL)
    fixture_mount_small_tmpfs (small_folder, "4k");

  window_fixtures_init (&argc, &argv);

  g_test_add_func ("/impasto/gui/icons/in-resources", test_icons_in_resources);
  g_test_add_func ("/impasto/gui/picker/shows-errors", test_picker_shows_errors);
  g_test_add_func ("/impasto/gui/loss-plot/decimates", test_loss_plot_decimates);
  g_test_add_func ("/impasto/gui/window/model-missing", test_window_model_missing);
  g_test_add_func ("/impasto/gui/window/drops", test_window_drops);
  g_test_add_func ("/impasto/gui/window/settings-and-defaults", test_window_settings_and_defaults);
  g_test_add_func ("/impasto/gui/window/presets", test_window_presets);
  g_test_add_func ("/impasto/gui/window/draft-run", test_window_draft_run);
  g_test_add_func ("/impasto/gui/window/run-preview-save", test_window_run_preview_save);
  g_test_add_func ("/impasto/gui/window/close-during-run", test_window_close_during_run);
  g_test_add_func ("/impasto/gui/window/bad-images", test_window_bad_images);
  g_test_add_func ("/impasto/gui/window/large-photo", test_window_large_photo);
  g_test_add_func ("/impasto/gui/window/one-pixel-images", test_window_one_pixel_images);
  g_test_add_func ("/impasto/gui/window/save-read-only-folder",
                   test_window_save_read_only_folder);
  g_test_add_func ("/impasto/gui/window/save-disk-full", test_window_save_disk_full);
  g_test_add_func ("/impasto/gui/window/save-over-input", test_window_save_over_input);
  g_test_add_func ("/impasto/gui/window/file-dialogs", test_window_file_dialogs);
  g_test_add_func ("/impasto/gui/application/quit-during-run", test_application_quit_during_run);
  g_test_add_func ("/impasto/gui/window/main-loop-gaps", test_window_main_loop_gaps);

  ret = g_test_run ();
  window_fixtures_clear ();

  return ret;
}
