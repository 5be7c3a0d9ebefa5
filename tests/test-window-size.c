/* test-window-size.c: the output sizes the window offers, and the memory it says they need
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-image-picker.h"
#include "impasto-preset.h"
#include "impasto-run-memory.h"
#include "window-fixtures.h"

typedef struct
{
  ImpastoWindow *window;
  guint          width;
  guint          height;
} Photo;

static gboolean
photo_shown (gpointer data)
{
  Photo *photo = data;
  const ImpastoImage *image = impasto_image_picker_get_image (photo->window->content_picker);

  return image != NULL && image->width == photo->width && image->height == photo->height
         && !impasto_image_picker_get_loading (photo->window->content_picker);
}

/* A photo of width x height becomes the window's content image. */
static void
choose_photo (ImpastoWindow *window,
              guint          width,
              guint          height)
{
  g_autofree char *name = g_strdup_printf ("photo-%ux%u.png", width, height);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Photo photo = { window, width, height };

  write_image (path, width, height, 3);
  impasto_image_picker_set_file (window->content_picker, file);
  wait_until (photo_shown, &photo, "the photo is read");
}

static void
assert_size (ImpastoWindow *window,
             guint          width,
             guint          height)
{
  g_assert_cmpfloat (param_value (window, "width"), ==, width);
  g_assert_cmpfloat (param_value (window, "height"), ==, height);
}

/* What the engine's estimate says of the run the controls make, as the label shows it. */
static char *
expected_memory_text (ImpastoWindow *window)
{
  g_autoptr(ImpastoRunParams) params = impasto_window_dup_params (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  guint64 bytes = 0;

  g_assert_true (impasto_run_estimate_memory_for (window->network, params, 1, &bytes, &error));
  g_assert_no_error (error);
  size = g_format_size (bytes);
  return g_strdup_printf ("A run of this size needs about %s of memory", size);
}

/* Each choice fits the photo's proportions: its long side is the choice's, or the photo's own
 * size; a size typed is Custom, and a new photo refits the choice. */
static void
test_choices_fit_the_photo (void)
{
  ImpastoWindow *window = new_ready_window ();

  choose_photo (window, 90, 60);
  gtk_drop_down_set_selected (window->size_dropdown, IMPASTO_OUTPUT_SIZE_FULL_HD);
  assert_size (window, 1920, 1280);
  gtk_drop_down_set_selected (window->size_dropdown, IMPASTO_OUTPUT_SIZE_4K);
  assert_size (window, 3840, 2560);
  gtk_drop_down_set_selected (window->size_dropdown, IMPASTO_OUTPUT_SIZE_PREVIEW);
  assert_size (window, 450, 300);
  gtk_drop_down_set_selected (window->size_dropdown, IMPASTO_OUTPUT_SIZE_PHOTO);
  assert_size (window, 90, 60);

  /* A portrait photo: the long side is its height. */
  gtk_drop_down_set_selected (window->size_dropdown, IMPASTO_OUTPUT_SIZE_FULL_HD);
  choose_photo (window, 60, 90);
  assert_size (window, 1280, 1920);

  set_param_value (window, "width", 1000);
  g_assert_cmpuint (gtk_drop_down_get_selected (window->size_dropdown), ==,
                    IMPASTO_OUTPUT_SIZE_CUSTOM);
  choose_photo (window, 90, 60);
  assert_size (window, 1000, 1920);

  destroy_window (window);
}

/* Under the size, before Start: the engine's estimate for the run of that size, formatted;
 * a larger size needs more. */
static void
test_memory_follows_the_size (void)
{
  ImpastoWindow *window = new_ready_window ();
  g_autofree char *full_hd = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *draft = NULL;

  choose_photo (window, 90, 60);
  gtk_drop_down_set_selected (window->size_dropdown, IMPASTO_OUTPUT_SIZE_FULL_HD);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->memory_label)));
  full_hd = expected_memory_text (window);
  g_assert_cmpstr (gtk_label_get_label (window->memory_label), ==, full_hd);

  gtk_drop_down_set_selected (window->size_dropdown, IMPASTO_OUTPUT_SIZE_PREVIEW);
  preview = expected_memory_text (window);
  g_assert_cmpstr (gtk_label_get_label (window->memory_label), ==, preview);
  g_assert_cmpstr (preview, !=, full_hd);

  /* Typed in, and with another optimiser to keep the state of. */
  set_param_value (window, "height", 700);
  typed = expected_memory_text (window);
  g_assert_cmpstr (gtk_label_get_label (window->memory_label), ==, typed);
  gtk_drop_down_set_selected (window->preset_dropdown, IMPASTO_PRESET_DRAFT);
  draft = expected_memory_text (window);
  g_assert_cmpstr (gtk_label_get_label (window->memory_label), ==, draft);

  destroy_window (window);
}

/* Without the model there is no estimate to give. */
static void
test_no_memory_without_model (void)
{
  ImpastoWindow *window = impasto_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_null (window->network);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->memory_label)));
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  window_fixtures_init (&argc, &argv);

  g_test_add_func ("/impasto/gui/size/choices-fit-the-photo", test_choices_fit_the_photo);
  g_test_add_func ("/impasto/gui/size/memory-follows-the-size", test_memory_follows_the_size);
  g_test_add_func ("/impasto/gui/size/no-memory-without-model", test_no_memory_without_model);

  ret = g_test_run ();
  window_fixtures_clear ();

  return ret;
}
