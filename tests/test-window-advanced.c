/* test-window-advanced.c: the Advanced section, made from the parameter table
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "impasto-params.h"
#include "impasto-recipe.h"
#include "impasto-preset.h"
#include "window-fixtures.h"

static GtkWidget *
find_row (ImpastoWindow *window,
          const char    *name)
{
  for (guint i = 0; i < window->advanced_rows->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (window->advanced_rows, i);

      if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
        return widget;
    }
  return NULL;
}

/* One row per parameter of the table that has no main control and is not the save dialog's,
 * of the kind its type asks for, within its range, at the chosen preset's value. */
static void
test_rows_follow_the_table (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(ImpastoRunParams) expected = impasto_run_params_new ();
  ImpastoWindow *window = new_ready_window ();
  const ImpastoParamSpec *specs;
  guint n_specs;
  guint n_advanced = 0;

  impasto_preset_apply (g_settings_get_enum (settings, "preset"), expected);
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      GtkWidget *row = find_row (window, specs[i].name);

      if (specs[i].flags & (IMPASTO_PARAM_SETTING | IMPASTO_PARAM_SAVING))
        {
          g_assert_null (row);
          continue;
        }
      n_advanced++;
      g_assert_nonnull (row);
      if (specs[i].type == IMPASTO_PARAM_ENUM)
        {
          g_assert_true (GTK_IS_DROP_DOWN (row));
          g_assert_cmpfloat (gtk_drop_down_get_selected (GTK_DROP_DOWN (row)), ==,
                             impasto_param_get_value (expected, &specs[i]));
        }
      else if (specs[i].type == IMPASTO_PARAM_LAYERS)
        g_assert_true (GTK_IS_ENTRY (row));
      else
        {
          GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (row));

          g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), ==, specs[i].maximum);
          g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==,
                             impasto_param_get_value (expected, &specs[i]));
        }
    }
  g_assert_cmpuint (window->advanced_rows->len, ==, n_advanced);
  g_assert_nonnull (find_row (window, "seed"));
  g_assert_nonnull (find_row (window, "style-layers"));
  g_assert_nonnull (find_row (window, "optimizer"));
  g_assert_false (gtk_expander_get_expanded (window->advanced_expander));

  destroy_window (window);
}

/* A value set in a row reaches the run's parameters and the settings, and a new window
 * reads it back; a recipe opened sets the rows; Reset brings the defaults. */
static void
test_round_trip (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(ImpastoRunParams) recipe = impasto_run_params_new ();
  g_autoptr(GVariant) saved = NULL;
  ImpastoWindow *window = new_ready_window ();
  const ImpastoRunParams *params;
  const char *text = NULL;

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_row (window, "seed")), 7);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_row (window, "mean")), 1);
  gtk_editable_set_text (GTK_EDITABLE (find_row (window, "content-layers")), "conv3_2:1");

  saved = g_settings_get_value (settings, "advanced");
  g_assert_true (g_variant_lookup (saved, "seed", "&s", &text));
  g_assert_cmpstr (text, ==, "7");
  g_assert_true (g_variant_lookup (saved, "mean", "&s", &text));
  g_assert_cmpstr (text, ==, "imagenet");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  params = impasto_job_get_params (impasto_window_get_job (window));
  g_assert_cmpuint (params->seed, ==, 7);
  g_assert_cmpint (params->mean, ==, IMPASTO_MEAN_IMAGENET);
  g_assert_cmpuint (params->content_layers.n, ==, 1);
  g_assert_cmpstr (params->content_layers.items[0].name, ==, "conv3_2");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  destroy_window (window);

  window = new_ready_window ();
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_row (window, "seed"))),
                     ==, 7);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (find_row (window, "mean"))),
                    ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (window, "content-layers"))),
                   ==, "conv3_2:1");

  /* A recipe's own values take the rows. */
  recipe->learning_rate = 0.25;
  recipe->seed = 99;
  impasto_window_set_base_params (window, recipe);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_row (window, "lr"))),
                     ==, 0.25);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_row (window, "seed"))),
                     ==, 99);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (find_row (window, "mean"))),
                    ==, 0);

  impasto_window_write_advanced (window, NULL);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_row (window, "seed"))),
                     ==, 0);
  destroy_window (window);
  g_settings_reset (settings, "advanced");
}

/* A layer list that does not read is marked and named, and Start says why it waits. */
static void
test_invalid_layers (void)
{
  ImpastoWindow *window = new_ready_window ();
  GtkWidget *row = find_row (window, "style-layers");
  g_autofree char *tooltip = NULL;

  g_assert_true (impasto_window_get_can_start (window));
  gtk_editable_set_text (GTK_EDITABLE (row), "conv9_9:1");
  g_assert_false (impasto_window_get_can_start (window));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_nonnull (window->advanced_error);
  tooltip = g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (window->start_button)));
  g_assert_nonnull (strstr (tooltip, window->advanced_error));
  g_assert_nonnull (strstr (tooltip, "conv9_9"));

  gtk_editable_set_text (GTK_EDITABLE (row), "conv1_1:1");
  g_assert_true (impasto_window_get_can_start (window));
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  destroy_window (window);

  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_settings_reset (settings, "advanced");
}

/* A stale or hand-edited entry is dropped for the default, without a warning (the tests run
 * with G_DEBUG=fatal-warnings). */
static void
test_stale_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GVariantBuilder builder;
  ImpastoWindow *window;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&builder, "{ss}", "seed", "banana");
  g_variant_builder_add (&builder, "{ss}", "no-such-parameter", "1");
  g_variant_builder_add (&builder, "{ss}", "alpha", "3");
  g_variant_builder_add (&builder, "{ss}", "threads", "2");
  g_settings_set_value (settings, "advanced", g_variant_builder_end (&builder));

  window = new_ready_window ();
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_row (window, "seed"))),
                     ==, 0);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_row (window, "threads"))),
                     ==, 2);
  g_assert_true (impasto_window_get_can_start (window));
  destroy_window (window);
  g_settings_reset (settings, "advanced");
}

static gboolean
has_steps (gpointer data)
{
  ImpastoJob *job = impasto_window_get_job (data);

  return job != NULL && impasto_job_get_step (job) >= 3;
}

static gboolean
tv_weight_in_force (gpointer data)
{
  ImpastoJob *job = impasto_window_get_job (data);
  const ImpastoJobSample *samples;
  guint n;

  samples = impasto_job_get_samples (job, &n);
  return n > 0 && samples[n - 1].tv_weight == 2.5;
}

/* A steerable row steers the run as the main sliders do; the others wait, greyed out, for the
 * next Start, and say so. */
static void
test_steer_while_painting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *recipe_text = NULL;
  g_autoptr(ImpastoRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;
  ImpastoWindow *window;
  GtkWidget *tv_weight;
  GtkWidget *seed;
  double start_tv_weight;
  const ImpastoSteer *steer;
  ImpastoJob *job;

  set_small_run_settings ();
  window = new_ready_window ();
  tv_weight = find_row (window, "tv-weight");
  seed = find_row (window, "seed");
  g_assert_true (gtk_widget_get_sensitive (seed));
  start_tv_weight = gtk_spin_button_get_value (GTK_SPIN_BUTTON (tv_weight));
  g_assert_cmpfloat (start_tv_weight, !=, 2.5);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  job = impasto_window_get_job (window);
  g_assert_true (gtk_widget_get_sensitive (tv_weight));
  g_assert_false (gtk_widget_get_sensitive (seed));
  g_assert_false (gtk_widget_get_sensitive (window->advanced_reset));
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (seed),
                                   "Takes effect at the next Start. "));
  wait_until (has_steps, window, "a few steps");

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tv_weight), 2.5);
  wait_until (tv_weight_in_force, window, "tv-weight 2.5 is in force");
  g_assert_true (impasto_window_get_job (window) == job);
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_RUNNING);

  recipe_text = impasto_job_dup_recipe_text (job);
  recipe = impasto_recipe_from_text (recipe_text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (recipe->params->tv_weight, ==, start_tv_weight);
  g_assert_cmpuint (recipe->steering->len, ==, 1);
  steer = &g_array_index (recipe->steering, ImpastoSteer, 0);
  g_assert_cmpstr (steer->name, ==, "tv-weight");
  g_assert_cmpfloat (steer->value, ==, 2.5);
  g_assert_cmpuint (steer->step, >=, 3);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  wait_until (job_finished, window, "the run has stopped");
  g_assert_true (gtk_widget_get_sensitive (seed));
  g_assert_true (gtk_widget_get_sensitive (window->advanced_reset));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (seed), !=, NULL);
  g_assert_false (g_str_has_prefix (gtk_widget_get_tooltip_text (seed), "Takes effect"));
  destroy_window (window);
  g_settings_reset (settings, "advanced");
}

/* Choosing a preset sets the rows of what it chooses, as it sets the steps; the user's change
 * of one then reaches Start, and Reset Advanced brings the preset's values back, not the
 * table's. */
static void
test_preset_sets_rows (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  ImpastoWindow *window = new_ready_window ();
  GtkDropDown *optimizer;
  GtkDropDown *resample;
  GtkDropDown *pooling;
  const ImpastoRunParams *params;

  optimizer = GTK_DROP_DOWN (find_row (window, "optimizer"));
  resample = GTK_DROP_DOWN (find_row (window, "resample"));
  pooling = GTK_DROP_DOWN (find_row (window, "pooling"));
  g_settings_set_enum (settings, "preset", IMPASTO_PRESET_SEED_EXACT);
  g_assert_cmpuint (gtk_drop_down_get_selected (optimizer), ==, IMPASTO_OPTIMIZER_ADAM);
  g_assert_cmpuint (gtk_drop_down_get_selected (resample), ==, IMPASTO_RESAMPLE_TRIANGLE);
  g_assert_cmpuint (gtk_drop_down_get_selected (pooling), ==, IMPASTO_POOLING_MAX);
  g_settings_set_enum (settings, "preset", IMPASTO_PRESET_DRAFT);
  g_assert_cmpuint (gtk_drop_down_get_selected (optimizer), ==, IMPASTO_OPTIMIZER_LBFGS);
  g_assert_cmpuint (gtk_drop_down_get_selected (resample), ==, IMPASTO_RESAMPLE_BOX);
  g_assert_cmpuint (gtk_drop_down_get_selected (pooling), ==, IMPASTO_POOLING_AVG);

  gtk_drop_down_set_selected (optimizer, IMPASTO_OPTIMIZER_ADAM);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  params = impasto_job_get_params (impasto_window_get_job (window));
  g_assert_cmpint (params->optimizer, ==, IMPASTO_OPTIMIZER_ADAM);
  g_assert_cmpuint (params->steps, ==, impasto_preset_get_info (IMPASTO_PRESET_DRAFT)->steps);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);

  impasto_window_write_advanced (window, NULL);
  g_assert_cmpuint (gtk_drop_down_get_selected (optimizer), ==, IMPASTO_OPTIMIZER_LBFGS);
  destroy_window (window);
  g_settings_reset (settings, "advanced");
  g_settings_reset (settings, "preset");
}

/* At 1000x700 with the section open, the main controls keep their place in the window. */
static void
test_main_controls_stay (void)
{
  ImpastoWindow *window = new_ready_window ();
  graphene_rect_t before;
  graphene_rect_t after;
  GtkWidget *controls[] = { GTK_WIDGET (window->preset_dropdown), window->height_spin,
                            GTK_WIDGET (window->start_button) };

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (background_idle, NULL, "the window is shown");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_widget_compute_bounds (controls[0], GTK_WIDGET (window), &before));

  gtk_expander_set_expanded (window->advanced_expander, TRUE);
  for (int i = 0; i < 10; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
  g_assert_true (gtk_widget_compute_bounds (controls[0], GTK_WIDGET (window), &after));
  g_assert_cmpfloat (before.origin.y, ==, after.origin.y);

  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_compute_bounds (controls[i], GTK_WIDGET (window), &bounds));
      g_assert_cmpfloat (bounds.origin.y, >=, 0);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                         gtk_widget_get_height (GTK_WIDGET (window)));
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                         gtk_widget_get_width (GTK_WIDGET (window)));
    }
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  window_fixtures_init (&argc, &argv);

  g_test_add_func ("/impasto/gui/advanced/rows-follow-the-table", test_rows_follow_the_table);
  g_test_add_func ("/impasto/gui/advanced/round-trip", test_round_trip);
  g_test_add_func ("/impasto/gui/advanced/invalid-layers", test_invalid_layers);
  g_test_add_func ("/impasto/gui/advanced/stale-setting", test_stale_setting);
  g_test_add_func ("/impasto/gui/advanced/preset-sets-rows", test_preset_sets_rows);
  g_test_add_func ("/impasto/gui/advanced/main-controls-stay", test_main_controls_stay);
  g_test_add_func ("/impasto/gui/advanced/steer-while-painting", test_steer_while_painting);

  ret = g_test_run ();
  window_fixtures_clear ();

  return ret;
}
