/* test-window-styles.c: the window's list of style images, with their weights
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "impasto-image-io.h"
#include "impasto-session.h"
#include "impasto-style-row.h"
#include "window-fixtures.h"

static char *second_path;
static char *third_path;

static ImpastoStyleList *
list_of (ImpastoWindow *window)
{
  return window->style_list;
}

static ImpastoImagePicker *
picker_at (ImpastoWindow *window,
           guint          i)
{
  return impasto_style_list_get_picker (list_of (window), i);
}

static const char *
path_at (ImpastoWindow *window,
         guint          i)
{
  GFile *file = impasto_image_picker_get_file (picker_at (window, i));

  return file != NULL ? g_file_peek_path (file) : NULL;
}

/* The row a picker sits in, whose buttons move and remove it. */
static GtkWidget *
row_at (ImpastoWindow *window,
        guint          i)
{
  return gtk_widget_get_parent (GTK_WIDGET (picker_at (window, i)));
}

static void
set_style_file (ImpastoWindow *window,
                guint          i,
                const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  impasto_image_picker_set_file (picker_at (window, i), file);
}

static gboolean
styles_loaded (gpointer data)
{
  return !impasto_style_list_get_loading (list_of (data));
}

static gboolean
weight_shown (ImpastoWindow *window,
              guint          i)
{
  GtkWidget *row = row_at (window, i);

  for (GtkWidget *child = gtk_widget_get_first_child (row); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BOX (child))
      return gtk_widget_get_visible (child);

  g_assert_not_reached ();
}

/* Alone, the list holds one picker as the window always had, no weight shown; it goes
 * with the last reference to it. */
static void
test_one_style_as_before (void)
{
  ImpastoWindow *window = new_ready_window ();
  ImpastoStyleList *list = g_object_ref_sink (g_object_new (IMPASTO_TYPE_STYLE_LIST, NULL));

  g_assert_cmpuint (impasto_style_list_get_n_styles (list_of (window)), ==, 1);
  g_assert_true (picker_at (window, 0) == impasto_window_get_style_picker (window));
  g_assert_cmpstr (impasto_image_picker_get_title (picker_at (window, 0)), ==, "Style Image");
  g_assert_false (weight_shown (window, 0));
  destroy_window (window);

  for (guint i = 1; i < IMPASTO_MAX_STYLES; i++)
    g_assert_nonnull (impasto_style_list_add (list));
  g_assert_null (impasto_style_list_add (list));
  g_assert_cmpuint (impasto_style_list_get_n_styles (list), ==, IMPASTO_MAX_STYLES);
  impasto_style_list_set_n_styles (list, 2);
  g_assert_cmpuint (impasto_style_list_get_n_styles (list), ==, 2);
  g_assert_finalize_object (list);
}

/* Two styles with their weights: Start waits for the second image, the run blends both, and
 * the painting's recipe names both with their weights. */
static void
test_two_styles_run_and_save (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *path = g_build_filename (tmpdir, "two-styles.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ImpastoRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;
  ImpastoWindow *window;
  g_autofree char *tooltip = NULL;

  set_small_run_settings ();
  g_settings_set_uint (settings, "steps", 3);
  window = new_ready_window ();

  gtk_widget_activate_action (GTK_WIDGET (list_of (window)), "style-list.add", NULL);
  g_assert_cmpuint (impasto_style_list_get_n_styles (list_of (window)), ==, 2);
  g_assert_true (weight_shown (window, 0));
  g_assert_true (weight_shown (window, 1));
  g_assert_cmpstr (impasto_image_picker_get_title (picker_at (window, 1)), ==, "Style Image 2");
  g_assert_false (impasto_window_get_can_start (window));
  tooltip = g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (window->start_button)));
  g_assert_nonnull (strstr (tooltip, "an image for Style Image 2"));

  set_style_file (window, 1, second_path);
  impasto_style_list_set_weight (list_of (window), 0, 3);
  impasto_style_list_set_weight (list_of (window), 1, 1);
  wait_until (can_start, window, "the second style image is loaded");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  wait_until (job_finished, window, "three steps");
  g_assert_true (save_and_wait (window, file, &error));
  g_assert_no_error (error);

  recipe = impasto_recipe_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipe->n_styles, ==, 2);
  g_assert_cmpstr (recipe->styles[0].path, ==, style_path);
  g_assert_cmpfloat (recipe->styles[0].weight, ==, 3);
  g_assert_cmpstr (recipe->styles[1].path, ==, second_path);
  g_assert_cmpfloat (recipe->styles[1].weight, ==, 1);
  g_assert_nonnull (recipe->styles[1].sha256);
  destroy_window (window);
}

static char *
sha256_of (const char *path)
{
  g_autofree char *bytes = NULL;
  gsize size;

  g_assert_true (g_file_get_contents (path, &bytes, &size, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) bytes, size);
}

/* A recipe of three styles brings three pickers back, each with its file and weight. */
static void
test_open_three_styles (void)
{
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_new ();
  g_autofree char *path = g_build_filename (tmpdir, "three-styles.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ImpastoImage) image = impasto_image_new (4, 4);
  const char *paths[] = { third_path, style_path, second_path };
  const double weights[] = { 2, 0.5, 7 };
  g_autofree char *content_sha = sha256_of (content_path);
  g_autofree char *text = NULL;
  ImpastoWindow *window;

  impasto_recipe_set_input (&recipe->content, content_path, content_sha);
  impasto_recipe_clear_styles (recipe);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *sha = sha256_of (paths[i]);

      g_assert_true (impasto_recipe_add_style (recipe, paths[i], sha, weights[i]));
    }
  recipe->model_sha256 = g_strdup (content_sha);
  text = impasto_recipe_to_text (recipe);
  g_assert_true (impasto_image_save_with_recipe (image, path, text, NULL));

  window = new_ready_window ();
  impasto_window_open_files (window, file, NULL);
  wait_until (can_start, window, "the recipe's images are back");
  g_assert_cmpuint (impasto_style_list_get_n_styles (list_of (window)), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_assert_cmpstr (path_at (window, i), ==, paths[i]);
      g_assert_cmpfloat (impasto_style_list_get_weight (list_of (window), i), ==, weights[i]);
      g_assert_true (weight_shown (window, i));
    }
  destroy_window (window);
}

/* The rows' buttons move a style and remove one; the order is the blend's. */
static void
test_remove_and_reorder (void)
{
  ImpastoWindow *window = new_ready_window ();
  ImpastoStyleList *list = list_of (window);

  g_assert_cmpuint (impasto_style_list_get_n_styles (list), ==, 1);
  impasto_style_list_add (list);
  impasto_style_list_add (list);
  set_style_file (window, 1, second_path);
  set_style_file (window, 2, third_path);
  for (guint i = 0; i < 3; i++)
    impasto_style_list_set_weight (list, i, i + 1);
  wait_until (styles_loaded, window, "the styles are loaded");

  /* The first goes no higher. */
  gtk_widget_activate_action (row_at (window, 0), "style-row.move-up", NULL);
  g_assert_cmpstr (path_at (window, 0), ==, style_path);
  gtk_widget_activate_action (row_at (window, 2), "style-row.move-up", NULL);
  g_assert_cmpstr (path_at (window, 0), ==, style_path);
  g_assert_cmpstr (path_at (window, 1), ==, third_path);
  g_assert_cmpstr (path_at (window, 2), ==, second_path);
  g_assert_cmpfloat (impasto_style_list_get_weight (list, 1), ==, 3);
  g_assert_cmpstr (impasto_image_picker_get_title (picker_at (window, 1)), ==, "Style Image 2");

  gtk_widget_activate_action (row_at (window, 0), "style-row.move-down", NULL);
  g_assert_cmpstr (path_at (window, 0), ==, third_path);
  g_assert_cmpstr (path_at (window, 1), ==, style_path);

  gtk_widget_activate_action (row_at (window, 0), "style-row.remove", NULL);
  g_assert_cmpuint (impasto_style_list_get_n_styles (list), ==, 2);
  g_assert_cmpstr (path_at (window, 0), ==, style_path);
  g_assert_cmpstr (path_at (window, 1), ==, second_path);
  g_assert_true (impasto_window_get_can_start (window));

  gtk_widget_activate_action (row_at (window, 1), "style-row.remove", NULL);
  g_assert_cmpuint (impasto_style_list_get_n_styles (list), ==, 1);
  g_assert_false (weight_shown (window, 0));
  g_assert_cmpstr (impasto_image_picker_get_title (picker_at (window, 0)), ==, "Style Image");
  /* The last one stays. */
  gtk_widget_activate_action (row_at (window, 0), "style-row.remove", NULL);
  g_assert_cmpuint (impasto_style_list_get_n_styles (list), ==, 1);
  destroy_window (window);
}

/* Reset leaves the first style alone, at weight 1; its undo brings the others back. Every
 * picker opens in the folder the settings remember. */
static void
test_reset (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  ImpastoWindow *window = new_ready_window ();
  ImpastoStyleList *list = list_of (window);
  g_autofree char *folder = NULL;

  impasto_style_list_add (list);
  set_style_file (window, 1, second_path);
  impasto_style_list_set_weight (list, 0, 4);
  wait_until (can_start, window, "the second style is loaded");
  g_settings_set_string (settings, "last-style-folder", tmpdir);
  g_assert_cmpstr (impasto_image_picker_get_folder (picker_at (window, 1)), ==, tmpdir);
  impasto_image_picker_set_folder (picker_at (window, 1), "/");
  folder = g_settings_get_string (settings, "last-style-folder");
  g_assert_cmpstr (folder, ==, "/");
  g_assert_cmpstr (impasto_image_picker_get_folder (picker_at (window, 0)), ==, "/");
  g_settings_reset (settings, "last-style-folder");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-defaults", NULL);
  g_assert_cmpuint (impasto_style_list_get_n_styles (list), ==, 1);
  g_assert_cmpstr (path_at (window, 0), ==, style_path);
  g_assert_cmpfloat (impasto_style_list_get_weight (list, 0), ==, 1);
  g_assert_false (weight_shown (window, 0));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-reset", NULL);
  g_assert_cmpuint (impasto_style_list_get_n_styles (list), ==, 2);
  wait_until (can_start, window, "the second style is back");
  g_assert_cmpstr (path_at (window, 1), ==, second_path);
  g_assert_cmpfloat (impasto_style_list_get_weight (list, 0), ==, 4);

  /* A style added after a reset is no longer undone by it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-defaults", NULL);
  impasto_style_list_add (list);
  g_assert_false (gtk_revealer_get_reveal_child (window->reset_revealer));
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  window_fixtures_init (&argc, &argv);
  second_path = g_build_filename (tmpdir, "second.png", NULL);
  third_path = g_build_filename (tmpdir, "third.png", NULL);
  write_image (second_path, 40, 30, 2);
  write_image (third_path, 30, 40, 3);

  g_test_add_func ("/impasto/gui/styles/one-style-as-before", test_one_style_as_before);
  g_test_add_func ("/impasto/gui/styles/two-styles-run-and-save", test_two_styles_run_and_save);
  g_test_add_func ("/impasto/gui/styles/open-three-styles", test_open_three_styles);
  g_test_add_func ("/impasto/gui/styles/remove-and-reorder", test_remove_and_reorder);
  g_test_add_func ("/impasto/gui/styles/reset", test_reset);

  ret = g_test_run ();
  g_free (second_path);
  g_free (third_path);
  window_fixtures_clear ();

  return ret;
}
