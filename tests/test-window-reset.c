/* test-window-reset.c: Reset to Defaults, and Undo while the notice offers it
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-params.h"
#include "impasto-preset.h"
#include "window-fixtures.h"

/* Every setting Reset to Defaults touches: the parameters the window keeps, the preset,
 * whether the height follows the width and the size chosen from the list. */
static GPtrArray *
reset_keys (void)
{
  GPtrArray *keys = g_ptr_array_new ();
  const ImpastoParamSpec *specs;
  guint n_specs;

  g_ptr_array_add (keys, (gpointer) "preset");
  g_ptr_array_add (keys, (gpointer) "keep-aspect");
  g_ptr_array_add (keys, (gpointer) "output-size");
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    if (specs[i].flags & IMPASTO_PARAM_SETTING)
      g_ptr_array_add (keys, (gpointer) specs[i].name);

  return keys;
}

/* What the window holds: each key's value as the user set it (NULL: left at its default),
 * each parameter's control, the preset shown and the recipe's own parameters. */
typedef struct
{
  GPtrArray        *user_values;
  GArray           *controls;
  guint             preset;
  ImpastoRunParams *base_params;
} State;

static void
variant_unref0 (gpointer variant)
{
  if (variant != NULL)
    g_variant_unref (variant);
}

static void
state_clear (State *state)
{
  g_clear_pointer (&state->user_values, g_ptr_array_unref);
  g_clear_pointer (&state->controls, g_array_unref);
  g_clear_pointer (&state->base_params, impasto_run_params_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (State, state_clear)

static void
state_read (State         *state,
            ImpastoWindow *window,
            GSettings     *settings)
{
  g_autoptr(GPtrArray) keys = reset_keys ();
  const ImpastoParamSpec *specs;
  guint n_specs;

  state->user_values = g_ptr_array_new_with_free_func (variant_unref0);
  for (guint i = 0; i < keys->len; i++)
    g_ptr_array_add (state->user_values,
                     g_settings_get_user_value (settings, g_ptr_array_index (keys, i)));

  state->controls = g_array_new (FALSE, FALSE, sizeof (double));
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    if (specs[i].flags & IMPASTO_PARAM_SETTING)
      {
        double value = param_value (window, specs[i].name);

        g_array_append_val (state->controls, value);
      }

  state->preset = gtk_drop_down_get_selected (window->preset_dropdown);
  if (window->base_params != NULL)
    state->base_params = impasto_run_params_copy (window->base_params);
}

/* Value by value. */
static void
assert_state (ImpastoWindow *window,
              GSettings     *settings,
              const State   *expected)
{
  g_auto(State) state = { 0, };
  g_autoptr(GPtrArray) keys = reset_keys ();
  const ImpastoParamSpec *specs;
  guint n_specs;

  state_read (&state, window, settings);
  for (guint i = 0; i < keys->len; i++)
    {
      GVariant *value = g_ptr_array_index (state.user_values, i);
      GVariant *expected_value = g_ptr_array_index (expected->user_values, i);

      if (expected_value == NULL)
        {
          if (value != NULL)
            g_error ("%s is %s, not left at its default", (char *) g_ptr_array_index (keys, i),
                     g_variant_print (value, FALSE));
        }
      else
        {
          g_assert_nonnull (value);
          if (!g_variant_equal (value, expected_value))
            g_error ("%s is %s, not %s", (char *) g_ptr_array_index (keys, i),
                     g_variant_print (value, FALSE), g_variant_print (expected_value, FALSE));
        }
    }

  g_assert_cmpuint (state.controls->len, ==, expected->controls->len);
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0, j = 0; i < n_specs; i++)
    if (specs[i].flags & IMPASTO_PARAM_SETTING)
      {
        if (g_array_index (state.controls, double, j) != g_array_index (expected->controls,
                                                                         double, j))
          g_error ("%s shows %g, not %g", specs[i].name,
                   g_array_index (state.controls, double, j),
                   g_array_index (expected->controls, double, j));
        j++;
      }

  g_assert_cmpuint (state.preset, ==, expected->preset);
  if (expected->base_params == NULL)
    {
      g_assert_null (state.base_params);
    }
  else
    {
      g_assert_nonnull (state.base_params);
      for (guint i = 0; i < n_specs; i++)
        if (!impasto_param_equal (state.base_params, expected->base_params, &specs[i]))
          g_error ("The recipe's %s did not come back", specs[i].name);
    }
}

static void
assert_offers_undo (ImpastoWindow *window,
                    gboolean       offers)
{
  GtkWidget *button = gtk_widget_get_last_child (gtk_revealer_get_child (window->reset_revealer));

  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_cmpint (gtk_revealer_get_reveal_child (window->reset_revealer), ==, offers);
  /* The button follows the action. */
  g_assert_cmpint (gtk_widget_get_sensitive (button), ==, offers);
  g_assert_cmpint (window->reset_timeout_id != 0, ==, offers);
}

static gboolean
timeout_ran (gpointer data)
{
  return ((ImpastoWindow *) data)->reset_timeout_id == 0;
}

static void
reset (ImpastoWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-defaults", NULL));
}

static void
undo (ImpastoWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-reset", NULL));
}

/* Everything away from its default but noise, which the user never touched; and a recipe's
 * parameters the window has no control for. */
static void
set_everything (ImpastoWindow *window,
                GSettings     *settings)
{
  g_autoptr(ImpastoRunParams) recipe = impasto_run_params_new ();

  gtk_drop_down_set_selected (window->preset_dropdown, 0);
  /* After the preset, which sets it. */
  g_settings_reset (settings, "noise");
  set_param_value (window, "alpha", 3.5);
  set_param_value (window, "beta", 1234);
  set_param_value (window, "steps", 77);
  set_param_value (window, "snapshot-every", 7);
  set_param_value (window, "width", 80);
  g_settings_set_boolean (settings, "keep-aspect", TRUE);
  recipe->learning_rate = 0.25;
  recipe->n_scales = 2;
  impasto_window_set_base_params (window, recipe);
}

/* Reset changes everything; Undo brings every value back exactly, the keep-aspect height
 * and a recipe's hidden parameters too, and goes. */
static void
test_undo_restores_everything (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_auto(State) before = { 0, };
  ImpastoWindow *window = new_ready_window ();

  set_everything (window, settings);
  /* The 64x40 content makes 80 wide into 50 high. */
  g_assert_cmpfloat (param_value (window, "height"), ==, 50);
  state_read (&before, window, settings);
  g_assert_null (g_settings_get_user_value (settings, "noise"));
  assert_offers_undo (window, FALSE);

  reset (window);
  assert_offers_undo (window, TRUE);
  g_assert_cmpfloat (param_value (window, "alpha"), ==, 1);
  g_assert_cmpfloat (param_value (window, "beta"), ==, 500);
  g_assert_cmpfloat (param_value (window, "steps"), ==, 100);
  g_assert_cmpfloat (param_value (window, "snapshot-every"), ==, 2);
  g_assert_cmpfloat (param_value (window, "width"), ==, 450);
  g_assert_cmpfloat (param_value (window, "height"), ==, 300);
  g_assert_false (g_settings_get_boolean (settings, "keep-aspect"));
  g_assert_cmpuint (gtk_drop_down_get_selected (window->preset_dropdown), ==,
                    IMPASTO_PRESET_BALANCED);
  g_assert_null (window->base_params);

  /* Reset again: the way back is still to before the first. */
  reset (window);
  assert_offers_undo (window, TRUE);

  undo (window);
  assert_offers_undo (window, FALSE);
  assert_state (window, settings, &before);
  g_assert_false (gtk_widget_get_sensitive (window->height_spin));

  /* Undo once only: with the offer gone, the action does nothing. */
  undo (window);
  assert_state (window, settings, &before);

  destroy_window (window);
}

/* The next change takes the offer away, and Undo then changes nothing; so does the time
 * running out, and a recipe opened. */
static void
test_undo_goes (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  ImpastoWindow *window = new_ready_window ();
  GSource *timeout;

  set_everything (window, settings);
  reset (window);
  assert_offers_undo (window, TRUE);
  set_param_value (window, "alpha", 2);
  assert_offers_undo (window, FALSE);
  undo (window);
  g_assert_cmpfloat (param_value (window, "alpha"), ==, 2);
  g_assert_cmpfloat (param_value (window, "beta"), ==, 500);

  /* A setting written again with the value the reset left is no change. */
  set_everything (window, settings);
  reset (window);
  g_settings_set_double (settings, "beta", 500);
  assert_offers_undo (window, TRUE);

  /* The notice's time, run out now rather than waited for. */
  timeout = g_main_context_find_source_by_id (NULL, window->reset_timeout_id);
  g_assert_nonnull (timeout);
  g_source_set_ready_time (timeout, 0);
  wait_until (timeout_ran, window, "the notice's time has run out");
  assert_offers_undo (window, FALSE);
  undo (window);
  g_assert_cmpfloat (param_value (window, "beta"), ==, 500);

  set_everything (window, settings);
  reset (window);
  impasto_window_set_base_params (window, NULL);
  assert_offers_undo (window, FALSE);
  g_assert_cmpfloat (param_value (window, "beta"), ==, 500);

  /* Closed while it is offered: the notice's time goes with the window. */
  reset (window);
  assert_offers_undo (window, TRUE);
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  window_fixtures_init (&argc, &argv);

  g_test_add_func ("/impasto/gui/reset/undo-restores-everything", test_undo_restores_everything);
  g_test_add_func ("/impasto/gui/reset/undo-goes", test_undo_goes);

  ret = g_test_run ();
  window_fixtures_clear ();

  return ret;
}
