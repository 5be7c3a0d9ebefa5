/* bench-window.c: how long the window's main loop is blocked, with and without a run
 *
 *   bench-window [--model FILE] [--content FILE] [--style FILE] [--width 450] [--height 300]
 *                [--steps 20] [--snapshot-every 1] [--seconds 3]
 *
 * Runs under an X server (xvfb-run -a). Without --model it writes a VGG19-shaped model with a
 * sixteenth of the channels; without images it writes two. Measures, one after the other: the
 * model loading, the window standing still, the window replacing its preview with a new
 * picture every frame from the main thread (the cost of redrawing alone), and a run with a
 * snapshot every --snapshot-every steps. Settings live in memory only.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>

#include "impasto-background.h"
#include "impasto-image-io.h"
#include "impasto-window-private.h"
#include "main-loop-meter.h"
#include "test-util.h"

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition condition,
            gpointer  data)
{
  while (!condition (data))
    g_main_context_iteration (NULL, TRUE);
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

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_seconds (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  guint id = g_timeout_add (10, wake_up, NULL);

  wait_until (time_is_up, &until);
  g_source_remove (id);
}

static gboolean
ready (gpointer data)
{
  ImpastoWindow *window = data;

  return impasto_window_get_can_start (window);
}

static gboolean
run_is_over (gpointer data)
{
  ImpastoJob *job = impasto_window_get_job (data);
  guint until = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (job), "bench-until"));

  return impasto_job_get_step (job) >= until ||
         impasto_job_get_state (job) != IMPASTO_JOB_RUNNING;
}

static gboolean background_idle (gpointer data);

/* As a user dragging the style weight back and forth, ten times a second. */
static gboolean
steer (gpointer data)
{
  GtkAdjustment *beta = impasto_window_get_param_adjustment (data, "beta");

  gtk_adjustment_set_value (beta, gtk_adjustment_get_value (beta) == 500 ? 5000 : 500);
  return G_SOURCE_CONTINUE;
}

/* The painting of one phase goes before the next begins, without a question. */
static void
start_run (ImpastoWindow *window,
           int            steps)
{
  impasto_window_drop_painting (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_object_set_data (G_OBJECT (impasto_window_get_job (window)), "bench-until",
                     GUINT_TO_POINTER (steps));
}

static void
stop_run (ImpastoWindow *window)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  wait_until (background_idle, NULL);
}

static gboolean
background_idle (gpointer data)
{
  return impasto_background_get_n_active () == 0;
}


static char *
write_image (const char *dir,
             const char *name,
             guint       seed)
{
  g_autoptr(ImpastoImage) image = test_make_image (640, 400, seed);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  if (!impasto_image_save (image, path, &error))
    g_error ("%s", error->message);

  return path;
}

static void
report (char *line)
{
  g_print ("%s\n", line);
  g_free (line);
}

static void
apply_settings (int width,
                int height,
                int steps,
                int snapshot_every)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_set_uint (settings, "width", width);
  g_settings_set_uint (settings, "height", height);
  g_settings_set_boolean (settings, "keep-aspect", FALSE);
  g_settings_set_uint (settings, "steps", steps + 1000);
  g_settings_set_uint (settings, "snapshot-every", snapshot_every);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *model = NULL;
  g_autofree char *content = NULL;
  g_autofree char *style = NULL;
  int width = 450, height = 300, steps = 20, snapshot_every = 1;
  double seconds = 3;
  const GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model, "Model file (default: a small one)", "FILE" },
    { "content", 0, 0, G_OPTION_ARG_FILENAME, &content, "Content image", "FILE" },
    { "style", 0, 0, G_OPTION_ARG_FILENAME, &style, "Style image", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Width (default: 450)", "N" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Height (default: 300)", "N" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, "Measured steps (default: 20)", "N" },
    { "snapshot-every", 0, 0, G_OPTION_ARG_INT, &snapshot_every, "Default: 1", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Each baseline's length (default: 3)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) content_file = NULL;
  g_autoptr(GFile) style_file = NULL;
  g_autofree char *dir = NULL;
  ImpastoWindow *window;
  MainLoopMeter *meter;

  /* Never the user's own settings. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", SCHEMA_DIR, FALSE);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      width < 16 || height < 16 || steps < 1 || snapshot_every < 1 || seconds <= 0)
    {
      g_printerr ("bench-window: %s\n", error ? error->message : "bad arguments");
      return 2;
    }

  gtk_init ();

  dir = test_make_tmpdir ();
  if (model == NULL)
    model = test_write_model (dir, 16, 7);
  if (content == NULL)
    content = write_image (dir, "content.png", 1);
  if (style == NULL)
    style = write_image (dir, "style.png", 2);

  apply_settings (width, height, steps, snapshot_every);
  g_print ("%dx%d, a snapshot every %d steps, renderer %s\n", width, height, snapshot_every,
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "(default)");

  window = impasto_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  content_file = g_file_new_for_commandline_arg (content);
  style_file = g_file_new_for_commandline_arg (style);
  impasto_window_open_files (window, content_file, style_file);
  wait_seconds (1);

  meter = main_loop_meter_start (GTK_WIDGET (window));
  impasto_window_set_model_path (window, model);
  wait_until (ready, window);
  report (main_loop_meter_stop (meter, "loading the model"));
  wait_seconds (1);

  meter = main_loop_meter_start (GTK_WIDGET (window));
  wait_seconds (seconds);
  report (main_loop_meter_stop (meter, "standing still"));

  meter = main_loop_meter_start (GTK_WIDGET (window));
  main_loop_meter_replace_every_frame (meter, width, height, show_texture, window);
  wait_seconds (seconds);
  report (main_loop_meter_stop (meter, "a new picture every frame, no run"));

  /* The same run with the window deaf to it: the worker's load on the machine without any
   * drawing. */
  start_run (window, steps);
  g_signal_handlers_block_matched (impasto_window_get_job (window), G_SIGNAL_MATCH_DATA,
                                   0, 0, NULL, NULL, window);
  meter = main_loop_meter_start (GTK_WIDGET (window));
  wait_until (run_is_over, window);
  report (main_loop_meter_stop (meter, "a run, not shown"));
  g_signal_handlers_unblock_matched (impasto_window_get_job (window), G_SIGNAL_MATCH_DATA,
                                     0, 0, NULL, NULL, window);
  stop_run (window);

  start_run (window, steps);
  meter = main_loop_meter_start (GTK_WIDGET (window));
  wait_until (run_is_over, window);
  report (main_loop_meter_stop (meter, "a run"));
  g_print ("%.3f s per step\n",
           impasto_job_get_seconds_per_step (impasto_window_get_job (window)));
  stop_run (window);

  {
    guint source;

    start_run (window, steps);
    meter = main_loop_meter_start (GTK_WIDGET (window));
    source = g_timeout_add (100, steer, window);
    wait_until (run_is_over, window);
    g_source_remove (source);
    report (main_loop_meter_stop (meter, "a run, steered ten times a second"));
    g_print ("%.3f s per step\n",
             impasto_job_get_seconds_per_step (impasto_window_get_job (window)));
    stop_run (window);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (background_idle, NULL);
  test_remove_tree (dir);

  return 0;
}
