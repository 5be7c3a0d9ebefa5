/* test-window-steer.c: the window steering a run: sliders by factors, changes while it paints,
 * Pause, Continue, and the recipe its paintings carry
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-image-io.h"
#include "impasto-params.h"
#include "impasto-preset.h"
#include "impasto-session.h"
#include "recipe-fixtures.h"
#include "window-fixtures.h"

static GtkAdjustment *
scale_adjustment (ImpastoWindow *window,
                  const char    *id)
{
  GtkRange *scale = GTK_RANGE (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                             IMPASTO_TYPE_WINDOW, id));

  return gtk_range_get_adjustment (scale);
}

/* α, β and the steps span decades: their sliders go by factors, and what is typed stays. */
static void
test_log_sliders (void)
{
  ImpastoWindow *window = impasto_window_new (NULL);
  GtkAdjustment *beta = scale_adjustment (window, "beta_scale");
  GtkAdjustment *steps = scale_adjustment (window, "steps_scale");

  set_param_value (window, "beta", 500);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (beta), log10 (500), 1e-12);
  /* The whole range, eight decades below the top */
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_lower (beta), 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_upper (beta), 9, 1e-12);

  /* Dragged: three significant digits */
  gtk_adjustment_set_value (beta, log10 (12345.678));
  g_assert_cmpfloat (param_value (window, "beta"), ==, 12300);
  gtk_adjustment_set_value (steps, log10 (77.4));
  g_assert_cmpfloat (param_value (window, "steps"), ==, 77);

  /* Typed: exactly */
  set_param_value (window, "beta", 1234.5678);
  g_assert_cmpfloat (param_value (window, "beta"), ==, 1234.5678);
  set_param_value (window, "alpha", 0);
  g_assert_cmpfloat (param_value (window, "alpha"), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_steps (gpointer data)
{
  ImpastoJob *job = impasto_window_get_job (data);

  return job != NULL && impasto_job_get_step (job) >= 3;
}

static gboolean
has_failed_or_steps (gpointer data)
{
  ImpastoJob *job = impasto_window_get_job (data);

  return job != NULL && (impasto_job_get_state (job) == IMPASTO_JOB_FAILED
                         || impasto_job_get_step (job) >= 3);
}

static gboolean
shows_smoothing (gpointer data)
{
  ImpastoWindow *window = data;

  return strstr (gtk_label_get_text (window->loss_label), "TV 2.5") != NULL;
}

/* The model the window loads serves any layer a recipe or the Advanced section can name, not
 * only the default ones: a run on conv5_4 (past the default's deepest, conv5_2) paints. Its
 * smoothing shows beside the other losses. */
static void
test_deepest_layer (void)
{
  ImpastoWindow *window;
  ImpastoJob *job;
  g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();
  g_autofree char *recipe_text = NULL;
  g_autoptr(ImpastoRecipe) recipe = NULL;

  set_small_run_settings ();
  window = new_ready_window ();
  g_assert_true (impasto_layer_list_parse (&params->content_layers, "conv5_3", NULL));
  g_assert_true (impasto_layer_list_parse (&params->style_layers, "conv1_1,conv5_4", NULL));
  params->tv_weight = 2.5;
  impasto_window_set_base_params (window, params);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  wait_until (has_failed_or_steps, window, "a few steps, or the run failed");

  job = impasto_window_get_job (window);
  g_assert_cmpint (impasto_job_get_state (job), !=, IMPASTO_JOB_FAILED);
  recipe_text = impasto_job_dup_recipe_text (job);
  recipe = impasto_recipe_from_text (recipe_text, -1, NULL);
  g_assert_nonnull (recipe);
  g_assert_cmpstr (recipe->params->style_layers.items[1].name, ==, "conv5_4");
  wait_until (shows_smoothing, window, "the smoothing's weight is shown");

  destroy_window (window);
}

static gboolean
beta_in_force (gpointer data)
{
  ImpastoJob *job = impasto_window_get_job (data);
  const ImpastoJobSample *samples;
  guint n;

  samples = impasto_job_get_samples (job, &n);
  return n > 0 && samples[n - 1].beta == 5000;
}

static gboolean
is_holding (gpointer data)
{
  return impasto_job_is_holding (data);
}

static gboolean
is_paused (gpointer data)
{
  return impasto_job_get_paused (impasto_window_get_job (data));
}

/* Moving a slider while the run paints steers it: no restart, the plot marks the step, the
 * progress line shows the value in force, and the recipe keeps the change. */
static void
test_steer_while_painting (void)
{
  ImpastoWindow *window;
  ImpastoJob *job;
  guint step;
  g_autofree char *recipe_text = NULL;
  g_autoptr(ImpastoRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;

  set_small_run_settings ();
  window = new_ready_window ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  job = impasto_window_get_job (window);
  wait_until (has_steps, window, "a few steps");

  set_param_value (window, "beta", 5000);
  wait_until (beta_in_force, window, "beta 5000 is in force");
  g_assert_true (impasto_window_get_job (window) == job);
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_RUNNING);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL);
  wait_until (is_paused, window, "paused");
  /* the frame that shows the last news */
  wait_until (job_has_snapshot, window, "a snapshot");
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (impasto_loss_plot_get_n_marks (window->loss_plot), ==, 1);
  g_assert_nonnull (strstr (gtk_label_get_text (window->loss_label), "β 5000"));

  recipe_text = impasto_job_dup_recipe_text (job);
  recipe = impasto_recipe_from_text (recipe_text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipe->steering->len, ==, 1);
  g_assert_cmpstr (g_array_index (recipe->steering, ImpastoSteer, 0).name, ==, "beta");
  g_assert_cmpfloat (g_array_index (recipe->steering, ImpastoSteer, 0).value, ==, 5000);
  /* the steps of the picture on show, and the change before it */
  g_assert_cmpuint (recipe->params->steps, >=, g_array_index (recipe->steering, ImpastoSteer,
                                                              0).step + 1);
  step = impasto_job_get_step (job);
  g_assert_cmpuint (recipe->params->steps, <=, step);

  destroy_window (window);
}

static gboolean
time_is_up (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* Paused, the run holds still; Resume goes on; Stop while paused is at once. */
static void
test_pause_resume_stop (void)
{
  ImpastoWindow *window;
  ImpastoJob *job;
  gint64 until;

  set_small_run_settings ();
  window = new_ready_window ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->pause_button)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  job = impasto_window_get_job (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->pause_button)));
  wait_until (has_steps, window, "a few steps");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL);
  g_assert_true (impasto_job_get_paused (job));
  g_assert_cmpstr (gtk_button_get_label (window->pause_button), ==, "_Resume");
  g_assert_cmpstr (gtk_label_get_label (window->status_label), ==,
                   "Paused; the sliders still steer the painting");
  /* A step under way may still end; then the worker holds, and goes on holding. (That it
   * uses no processor meanwhile is the engine's test of pausing.) */
  wait_until (is_holding, job, "the worker holds");
  until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  wait_until (time_is_up, &until, "half a second");
  g_assert_true (impasto_job_is_holding (job));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL);
  g_assert_false (impasto_job_get_paused (job));
  g_assert_cmpstr (gtk_button_get_label (window->pause_button), ==, "Pa_use");
  wait_until (has_steps, window, "steps again");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_STOPPED);
  wait_until (background_idle, NULL, "the paused worker has let go");

  destroy_window (window);
}

/* A window closed while its run is paused lets the worker go at once: the pause does not
 * hold it. */
static void
test_close_while_paused (void)
{
  ImpastoWindow *window;
  ImpastoJob *job;

  set_small_run_settings ();
  window = new_ready_window ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  wait_until (has_steps, window, "a few steps");
  job = impasto_window_get_job (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL);
  wait_until (is_holding, job, "the worker holds");

  /* and waits until the job and its worker are gone */
  destroy_window (window);
}

/* Continue paints as many steps again, on from the picture, and the recipe of its result says
 * the whole of it. */
static void
test_continue (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *path = g_build_filename (tmpdir, "continued.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ImpastoRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;
  ImpastoWindow *window;
  ImpastoJob *job;

  set_small_run_settings ();
  g_settings_set_uint (settings, "steps", 6);
  window = new_ready_window ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  job = impasto_window_get_job (window);
  wait_until (job_finished, window, "six steps");
  g_assert_cmpuint (impasto_job_get_step (job), ==, 6);
  g_assert_true (gtk_widget_get_visible (window->continue_button));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_RUNNING);
  g_assert_false (gtk_widget_get_visible (window->continue_button));
  wait_until (job_finished, window, "six more");
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_FINISHED);
  g_assert_cmpuint (impasto_job_get_step (job), ==, 12);
  g_assert_cmpuint (impasto_job_get_total_steps (job), ==, 12);

  g_assert_true (save_and_wait (window, file, &error));
  g_assert_no_error (error);
  recipe = impasto_recipe_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipe->params->steps, ==, 12);
  g_assert_cmpuint (recipe->params->width, ==, 48);
  g_assert_cmpstr (recipe->content.path, ==, content_path);
  g_assert_nonnull (recipe->content.sha256);
  g_assert_nonnull (recipe->model_sha256);

  destroy_window (window);
}

static gboolean
pickers_loaded (gpointer data)
{
  ImpastoWindow *window = data;

  return !impasto_image_picker_get_loading (window->content_picker)
         && !impasto_image_picker_get_loading (impasto_window_get_style_picker (window))
         && impasto_window_get_model_loaded (window);
}

/* A result opened like any image brings its controls and its images back. */
static void
test_open_result (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *path = g_build_filename (tmpdir, "to-open.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  ImpastoWindow *window;

  set_small_run_settings ();
  g_settings_set_uint (settings, "steps", 4);
  g_settings_set_double (settings, "beta", 1234);
  g_settings_set_double (settings, "noise", 0.25);
  window = new_ready_window ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  wait_until (job_finished, window, "four steps");
  g_assert_true (save_and_wait (window, file, &error));
  g_assert_no_error (error);
  destroy_window (window);

  window = new_ready_window ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-defaults", NULL);
  g_assert_cmpfloat (g_settings_get_double (settings, "beta"), ==, 500);
  destroy_window (window);

  window = impasto_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  impasto_window_set_model_path (window, model_path);
  impasto_window_open_files (window, file, NULL);
  wait_until (can_start, window, "the result's images are back");
  g_assert_cmpfloat (param_value (window, "beta"), ==, 1234);
  g_assert_cmpfloat (param_value (window, "noise"), ==, 0.25);
  g_assert_cmpfloat (param_value (window, "steps"), ==, 4);
  g_assert_cmpfloat (param_value (window, "width"), ==, 48);
  g_assert_cmpstr (g_file_peek_path (impasto_image_picker_get_file (window->content_picker)), ==,
                   content_path);
  g_assert_cmpstr (g_file_peek_path (impasto_image_picker_get_file (
                     impasto_window_get_style_picker (window))), ==,
                   style_path);
  g_assert_nonnull (strstr (gtk_label_get_label (window->status_label), "to-open.png"));
  destroy_window (window);
}

/* A result whose content is gone and whose style changed names both, and loads neither. */
static void
test_open_result_inputs_gone (void)
{
  g_autofree char *gone = g_build_filename (tmpdir, "gone.png", NULL);
  g_autofree char *text = fixture_recipe_text (gone, style_path);
  g_autofree char *path = g_build_filename (tmpdir, "stale.png", NULL);
  g_autoptr(ImpastoImage) image = impasto_image_new (4, 4);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ImpastoWindow *window;

  g_assert_true (impasto_image_save_with_recipe (image, path, text, NULL));
  window = impasto_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  impasto_window_set_model_path (window, model_path);
  impasto_window_open_files (window, NULL, file);
  wait_until (pickers_loaded, window, "the pickers have looked");

  g_assert_null (impasto_image_picker_get_image (window->content_picker));
  g_assert_null (impasto_image_picker_get_image (impasto_window_get_style_picker (window)));
  g_assert_nonnull (strstr (impasto_image_picker_get_error (window->content_picker),
                            "The content image “"));
  g_assert_nonnull (strstr (impasto_image_picker_get_error (window->content_picker),
                            "gone.png” is missing, and there is no file of that name beside "
                            "the recipe"));
  g_assert_cmpstr (impasto_image_picker_get_error (impasto_window_get_style_picker (window)), ==,
                   "“style.png” is not the file the recipe was made with: its contents have "
                   "changed");
  g_assert_false (impasto_window_get_can_start (window));
  destroy_window (window);
}

static gboolean
question_asked (gpointer data)
{
  return impasto_window_get_question (data) != NULL;
}

static void
answer (ImpastoWindow *window,
        int            response)
{
  GtkWindow *question = impasto_window_get_question (window);

  g_assert_nonnull (question);
  gtk_dialog_response (GTK_DIALOG (question), response);
  g_assert_null (impasto_window_get_question (window));
}

static gboolean
mark_done (gpointer data)
{
  *(gboolean *) data = TRUE;

  return G_SOURCE_REMOVE;
}

static gboolean
is_done (gpointer data)
{
  return *(gboolean *) data;
}

/* The answer is acted on from an idle once the dialog is gone. One of the same priority
 * added after it is dispatched after it, in the same turn of the main loop; waiting for the
 * main loop to have nothing left to do would instead race a run that posts every step. */
static void
settle (void)
{
  gboolean done = FALSE;

  g_idle_add_full (G_PRIORITY_DEFAULT, mark_done, &done, NULL);
  wait_until (is_done, &done, "the answer is acted on");
}

/* Closing asks first while no file holds the painting: Cancel keeps all, Discard closes. */
static void
test_unsaved_close (void)
{
  ImpastoWindow *window = new_window_with_painting ();
  ImpastoJob *job = impasto_window_get_job (window);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_nonnull (window);
  answer (window, GTK_RESPONSE_CANCEL);
  settle ();
  g_assert_nonnull (window);
  g_assert_true (impasto_window_get_job (window) == job);
  g_assert_true (impasto_job_get_unsaved (job));

  gtk_window_close (GTK_WINDOW (window));
  answer (window, GTK_RESPONSE_REJECT);
  wait_until (pointer_cleared, &window, "the window is gone");
  wait_until (background_idle, NULL, "no worker is left");
}

/* Start and a new image ask too; Discard goes on with them, Cancel keeps the painting. */
static void
test_unsaved_start_and_new_image (void)
{
  ImpastoWindow *window = new_window_with_painting ();
  ImpastoJob *job = impasto_window_get_job (window);
  g_autoptr(GFile) other = g_file_new_for_path (style_path);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  answer (window, GTK_RESPONSE_CANCEL);
  settle ();
  g_assert_true (impasto_window_get_job (window) == job);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  answer (window, GTK_RESPONSE_REJECT);
  settle ();
  g_assert_true (impasto_window_get_job (window) != job);
  g_assert_cmpint (impasto_job_get_state (impasto_window_get_job (window)), ==,
                   IMPASTO_JOB_RUNNING);
  wait_until (job_has_snapshot, window, "the new painting");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  wait_until (background_idle, NULL, "the stopped worker has let go");
  job = impasto_window_get_job (window);

  impasto_image_picker_set_file (window->content_picker, other);
  wait_until (question_asked, window, "the new image asks");
  answer (window, GTK_RESPONSE_CANCEL);
  settle ();
  g_assert_true (impasto_window_get_job (window) == job);

  impasto_image_picker_set_file (window->content_picker, other);
  wait_until (question_asked, window, "the new image asks again");
  answer (window, GTK_RESPONSE_REJECT);
  settle ();
  g_assert_null (impasto_window_get_job (window));

  destroy_window (window);
}

/* Save goes through the save dialog and closes once the painting is in its file; a saved
 * painting closes without a question. */
static void
test_unsaved_save_then_close (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(ImpastoRecipe) recipe = NULL;
  ImpastoWindow *window;
  GtkFileChooserNative *chooser;

  if (!window_fixtures_without_leak_check ())
    return;

  path = g_build_filename (tmpdir, "saved-before-close.png", NULL);
  file = g_file_new_for_path (path);
  window = new_window_with_painting ();
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  answer (window, GTK_RESPONSE_ACCEPT);
  settle ();
  chooser = window->save_chooser;
  g_assert_nonnull (chooser);
  {
    g_autoptr(GFile) folder = g_file_new_for_path (tmpdir);

    g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder,
                                                        NULL));
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "saved-before-close.png");
    wait_until_dialog_shows (GTK_FILE_CHOOSER (chooser), tmpdir);
  }
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
  wait_until (pointer_cleared, &window, "the window closes once saved");
  wait_until (background_idle, NULL, "no worker is left");
  recipe = impasto_recipe_load_file (path, NULL);
  g_assert_nonnull (recipe);

  window = new_window_with_painting ();
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (save_and_wait (window, file, NULL));
  g_assert_false (impasto_job_get_unsaved (impasto_window_get_job (window)));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_null (window);
  wait_until (background_idle, NULL, "no worker is left");
}

/* Start from This Picture: a new run from the painting as saved, named in the new recipe. */
static void
test_start_from_picture (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "start-here.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *text = NULL;
  g_autoptr(ImpastoRecipe) recipe = NULL;
  ImpastoWindow *window = new_window_with_painting ();
  ImpastoJob *first = impasto_window_get_job (window);

  g_assert_true (save_and_wait (window, file, NULL));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start-from-picture", NULL);
  g_assert_null (impasto_window_get_question (window));
  g_assert_true (impasto_window_get_job (window) != first);
  wait_until (job_has_snapshot, window, "the new painting's first snapshot");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  wait_until (background_idle, NULL, "the worker has let go");

  text = impasto_job_dup_recipe_text (impasto_window_get_job (window));
  recipe = impasto_recipe_from_text (text, -1, NULL);
  g_assert_nonnull (recipe);
  g_assert_cmpstr (recipe->start.path, ==, path);
  g_assert_nonnull (recipe->start.sha256);
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  window_fixtures_init (&argc, &argv);

  g_test_add_func ("/impasto/gui/steer/log-sliders", test_log_sliders);
  g_test_add_func ("/impasto/gui/steer/while-painting", test_steer_while_painting);
  g_test_add_func ("/impasto/gui/model/deepest-layer", test_deepest_layer);
  g_test_add_func ("/impasto/gui/steer/pause-resume-stop", test_pause_resume_stop);
  g_test_add_func ("/impasto/gui/steer/close-while-paused", test_close_while_paused);
  g_test_add_func ("/impasto/gui/steer/continue", test_continue);
  g_test_add_func ("/impasto/gui/recipe/open-result", test_open_result);
  g_test_add_func ("/impasto/gui/recipe/inputs-gone", test_open_result_inputs_gone);
  g_test_add_func ("/impasto/gui/steer/start-from-picture", test_start_from_picture);
  g_test_add_func ("/impasto/gui/unsaved/close", test_unsaved_close);
  g_test_add_func ("/impasto/gui/unsaved/start-and-new-image", test_unsaved_start_and_new_image);
  g_test_add_func ("/impasto/gui/unsaved/save-then-close", test_unsaved_save_then_close);

  ret = g_test_run ();
  window_fixtures_clear ();

  return ret;
}
