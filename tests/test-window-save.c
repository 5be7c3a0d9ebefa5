/* test-window-save.c: the save dialog: the format chosen is the file written, and it opens
 * where the user last saved
 *
 * The dialogs are GTK's own here, as without a portal: the tests choose in them through
 * GtkFileChooser, as the user does with the mouse, and answer them as the user's click does.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "image-checks.h"
#include "impasto-session.h"
#include "window-fixtures.h"

static GtkFileChooser *
open_save_dialog (ImpastoWindow *window)
{
  g_assert_null (window->save_chooser);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  g_assert_nonnull (window->save_chooser);

  return GTK_FILE_CHOOSER (window->save_chooser);
}

static GtkFileFilter *
find_format (GtkFileChooser *chooser,
             const char     *label)
{
  g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (chooser);

  for (guint i = 0; i < g_list_model_get_n_items (filters); i++)
    {
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);

      if (g_strcmp0 (gtk_file_filter_get_name (filter), label) == 0)
        return filter;
    }

  g_error ("The save dialog offers no “%s”", label);
}

/* The dialog on the screen, GTK's own, behind the GtkFileChooserNative. */
static GtkFileChooser *
find_shown_chooser (ImpastoWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (toplevel)
          && gtk_widget_get_visible (GTK_WIDGET (toplevel))
          && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        return GTK_FILE_CHOOSER (toplevel);
    }

  return NULL;
}

static GtkMessageDialog *
find_question (ImpastoWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_MESSAGE_DIALOG (toplevel)
          && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        return GTK_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

static gboolean
question_shown (gpointer data)
{
  return find_question (data) != NULL;
}

typedef struct
{
  ImpastoWindow *window;
  const char    *path;
} SavedAs;

static gboolean
painting_saved_as (gpointer data)
{
  SavedAs *saved = data;
  const char *path, *sha256;

  return impasto_job_get_saved_file (impasto_window_get_job (saved->window), &path, &sha256)
         && g_strcmp0 (path, saved->path) == 0;
}

/* Save, as the dialog's button does, once the dialog shows the name in folder. */
static void
accept (GtkFileChooser *chooser,
        const char     *folder)
{
  wait_until_dialog_shows (chooser, folder);
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
}

/* Then waits until the painting is in path. */
static void
accept_and_wait (ImpastoWindow *window,
                 GtkFileChooser *chooser,
                 const char     *folder,
                 const char     *path)
{
  SavedAs saved = { window, path };

  accept (chooser, folder);
  g_assert_null (window->save_chooser);
  wait_until (painting_saved_as, &saved, "the painting is saved");
}

static void
assert_cancel (ImpastoWindow  *window,
               GtkFileChooser *chooser)
{
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_CANCEL);
  g_assert_null (window->save_chooser);
}

/* The file at path is an image of format, told by its content alone, of the painting's size. */
static void
assert_image_file (const char *path,
                   const char *format)
{
  static const guint8 png_signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 jpeg_signature[] = { 0xff, 0xd8, 0xff };
  g_autoptr(GBytes) bytes = fixture_read (path);
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GdkPixbuf *pixbuf;

  if (g_str_equal (format, "png"))
    {
      g_assert_cmpuint (size, >, sizeof png_signature);
      g_assert_cmpmem (data, sizeof png_signature, png_signature, sizeof png_signature);
    }
  else
    {
      g_assert_cmpuint (size, >, sizeof jpeg_signature);
      g_assert_cmpmem (data, sizeof jpeg_signature, jpeg_signature, sizeof jpeg_signature);
    }

  loader = gdk_pixbuf_loader_new_with_type (format, &error);
  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_loader_write (loader, data, size, &error));
  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 48);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 32);
}

static void
assert_current_name (GtkFileChooser *chooser,
                     const char     *expected)
{
  g_autofree char *name = gtk_file_chooser_get_current_name (chooser);

  g_assert_cmpstr (name, ==, expected);
}

/* Opens the dialog, goes to folder as the user would, and saves the painting as name with
 * the format of label chosen (NULL: as it opens); checks that path holds an image of format. */
static void
save_typed (ImpastoWindow *window,
            const char    *folder,
            const char    *label,
            const char    *name,
            const char    *saved_name,
            const char    *format)
{
  GtkFileChooser *chooser = open_save_dialog (window);
  g_autoptr(GFile) folder_file = g_file_new_for_path (folder);
  g_autofree char *path = g_build_filename (folder, saved_name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (gtk_file_chooser_set_current_folder (chooser, folder_file, &error));
  g_assert_no_error (error);
  if (label != NULL)
    gtk_file_chooser_set_filter (chooser, find_format (chooser, label));
  gtk_file_chooser_set_current_name (chooser, name);
  accept_and_wait (window, chooser, folder, path);
  assert_image_file (path, format);
}

/* The format chosen renames the file and is the format written; an extension typed is the
 * format, whichever is chosen; a name typed without one takes the chosen format's. */
static void
test_format_follows_choice (void)
{
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  ImpastoWindow *window;
  GtkFileChooser *chooser;
  g_autoptr(GFile) folder_file = NULL;

  if (!window_fixtures_without_leak_check ())
    return;

  folder = fixture_make_folder ();
  folder_file = g_file_new_for_path (folder);
  window = new_window_with_painting ();

  /* JPEG chosen: the name follows, and a JPEG is written. */
  chooser = open_save_dialog (window);
  assert_current_name (chooser, "content-style.png");
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, folder_file, NULL));
  gtk_file_chooser_set_filter (chooser, find_format (chooser, "JPEG image"));
  assert_current_name (chooser, "content-style.jpg");
  gtk_file_chooser_set_filter (chooser, find_format (chooser, "PNG image"));
  assert_current_name (chooser, "content-style.png");
  gtk_file_chooser_set_filter (chooser, find_format (chooser, "JPEG image"));
  path = g_build_filename (folder, "content-style.jpg", NULL);
  accept_and_wait (window, chooser, folder, path);
  assert_image_file (path, "jpeg");
  fixture_assert_folder_holds (folder, "content-style.jpg", NULL);

  /* A name typed after choosing is renamed by the next choice, its stem kept. */
  chooser = open_save_dialog (window);
  gtk_file_chooser_set_current_name (chooser, "my.painting.png");
  gtk_file_chooser_set_filter (chooser, find_format (chooser, "JPEG image"));
  assert_current_name (chooser, "my.painting.jpg");
  gtk_file_chooser_set_current_name (chooser, "no-extension");
  gtk_file_chooser_set_filter (chooser, find_format (chooser, "PNG image"));
  assert_current_name (chooser, "no-extension.png");
  assert_cancel (window, chooser);

  /* The extension typed decides, in either case and spelling. */
  save_typed (window, folder, "JPEG image", "typed.png", "typed.png", "png");
  save_typed (window, folder, "PNG image", "typed.JPEG", "typed.JPEG", "jpeg");
  save_typed (window, folder, "PNG image", "typed.jpg", "typed.jpg", "jpeg");
  /* None typed: the chosen format's; another kind of name is kept whole. */
  save_typed (window, folder, "JPEG image", "bare", "bare.jpg", "jpeg");
  save_typed (window, folder, NULL, "bare", "bare.png", "png");
  save_typed (window, folder, "JPEG image", "photo.v2", "photo.v2.jpg", "jpeg");
  fixture_assert_folder_holds (folder, "content-style.jpg", "typed.png", "typed.JPEG",
                               "typed.jpg", "bare.jpg", "bare.png", "photo.v2.jpg", NULL);

  destroy_window (window);
  fixture_remove_tree (folder);
}

/* GTK's own dialog does not tell its GtkFileChooserNative when the user chooses a format
 * there, and a portal tells it only with its answer: the name given, left as it was, still
 * takes the format chosen. */
static void
test_format_chosen_in_dialog (void)
{
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  ImpastoWindow *window;
  GtkFileChooser *chooser;
  GtkFileChooser *shown;
  g_autoptr(GFile) folder_file = NULL;

  if (!window_fixtures_without_leak_check ())
    return;

  folder = fixture_make_folder ();
  folder_file = g_file_new_for_path (folder);
  window = new_window_with_painting ();

  chooser = open_save_dialog (window);
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, folder_file, NULL));
  shown = find_shown_chooser (window);
  g_assert_nonnull (shown);
  gtk_file_chooser_set_filter (shown, find_format (chooser, "JPEG image"));
  g_assert_true (gtk_file_chooser_get_filter (chooser) == find_format (chooser, "JPEG image"));
  path = g_build_filename (folder, "content-style.jpg", NULL);
  accept_and_wait (window, chooser, folder, path);
  assert_image_file (path, "jpeg");
  fixture_assert_folder_holds (folder, "content-style.jpg", NULL);

  destroy_window (window);
  fixture_remove_tree (folder);
}

/* A name completed with the format's extension was not the one the dialog asked about: a
 * file of that name is replaced only once the user says so, and Cancel goes back to the
 * dialog with the name completed. */
static void
test_completed_name_taken (void)
{
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) precious = g_bytes_new_static ("not a painting", 14);
  g_autoptr(GBytes) left = NULL;
  g_autoptr(GFile) folder_file = NULL;
  g_autofree char *text = NULL;
  ImpastoWindow *window;
  GtkFileChooser *chooser;
  GtkMessageDialog *question;
  SavedAs saved;

  if (!window_fixtures_without_leak_check ())
    return;

  folder = fixture_make_folder ();
  folder_file = g_file_new_for_path (folder);
  path = fixture_write (folder, "taken.jpg", precious);
  window = new_window_with_painting ();

  chooser = open_save_dialog (window);
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, folder_file, NULL));
  gtk_file_chooser_set_filter (chooser, find_format (chooser, "JPEG image"));
  gtk_file_chooser_set_current_name (chooser, "taken");
  accept (chooser, folder);

  question = find_question (window);
  g_assert_nonnull (question);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (question)));
  g_object_get (question, "text", &text, NULL);
  g_assert_nonnull (strstr (text, "taken.jpg"));
  /* Save again while it is asked: the question, not a second dialog. */
  g_assert_true (window->save_chooser == GTK_FILE_CHOOSER_NATIVE (chooser));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (window->save_chooser == GTK_FILE_CHOOSER_NATIVE (chooser));

  gtk_dialog_response (GTK_DIALOG (question), GTK_RESPONSE_CANCEL);
  g_assert_null (find_question (window));
  g_assert_true (window->save_chooser == GTK_FILE_CHOOSER_NATIVE (chooser));
  g_assert_nonnull (find_shown_chooser (window));
  assert_current_name (chooser, "taken.jpg");
  wait_until (background_idle, NULL, "nothing is being saved");
  left = fixture_read (path);
  g_assert_true (g_bytes_equal (left, precious));

  /* Typed again, and replaced this time. */
  gtk_file_chooser_set_current_name (chooser, "taken");
  accept (chooser, folder);
  question = find_question (window);
  g_assert_nonnull (question);
  gtk_dialog_response (GTK_DIALOG (question), GTK_RESPONSE_ACCEPT);
  g_assert_null (find_question (window));
  g_assert_null (window->save_chooser);
  saved = (SavedAs) { window, path };
  wait_until (painting_saved_as, &saved, "the painting replaces the file");
  assert_image_file (path, "jpeg");

  /* Closing the window while it is asked closes the question, and saves nothing. */
  chooser = open_save_dialog (window);
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, folder_file, NULL));
  gtk_file_chooser_set_current_name (chooser, "content-style");
  g_clear_pointer (&path, g_free);
  path = fixture_write (folder, "content-style.png", precious);
  accept (chooser, folder);
  g_assert_nonnull (find_question (window));
  destroy_window (window);
  g_clear_pointer (&left, g_bytes_unref);
  left = fixture_read (path);
  g_assert_true (g_bytes_equal (left, precious));
  fixture_assert_folder_holds (folder, "taken.jpg", "content-style.png", NULL);

  fixture_remove_tree (folder);
}

/* The drop-down of the depth choice in the dialog on the screen. */
static GtkDropDown *
find_depth_drop_down (GtkWidget *widget)
{
  if (GTK_IS_DROP_DOWN (widget))
    {
      GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));

      if (GTK_IS_STRING_LIST (model) && g_list_model_get_n_items (model) == 2
          && g_str_has_suffix (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), " bits"))
        return GTK_DROP_DOWN (widget);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropDown *found = find_depth_drop_down (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* As the user picks it in the dialog's drop-down. */
static void
choose_depth (ImpastoWindow *window,
              guint          index)
{
  GtkDropDown *drop_down = find_depth_drop_down (GTK_WIDGET (find_shown_chooser (window)));

  g_assert_nonnull (drop_down);
  gtk_drop_down_set_selected (drop_down, index);
}

/* The bit depth in a PNG's IHDR, which comes first: 8 bytes of signature, then the chunk's
 * length and type, the width and the height. */
static guint
png_bit_depth (const char *path)
{
  g_autoptr(GBytes) bytes = fixture_read (path);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_assert_cmpuint (size, >, 24);
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  return data[24];
}

/* 16 bits chosen: the PNG has them, with its recipe, which says so; the choice is remembered.
 * A JPEG saved with 16 chosen has 8, and the status line says why. */
static void
test_sixteen_bits (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *folder = NULL;
  g_autofree char *png = NULL;
  g_autofree char *jpeg = NULL;
  g_autofree char *depth = NULL;
  g_autoptr(GFile) folder_file = NULL;
  g_autoptr(ImpastoRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;
  GtkFileChooser *chooser;
  ImpastoWindow *window;

  if (!window_fixtures_without_leak_check ())
    return;

  folder = fixture_make_folder ();
  folder_file = g_file_new_for_path (folder);
  png = g_build_filename (folder, "print.png", NULL);
  jpeg = g_build_filename (folder, "print.jpg", NULL);
  window = new_window_with_painting ();

  chooser = open_save_dialog (window);
  g_assert_cmpstr (gtk_file_chooser_get_choice (chooser, "depth"), ==, "8");
  choose_depth (window, 1);
  g_assert_cmpstr (gtk_file_chooser_get_choice (chooser, "depth"), ==, "16");
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, folder_file, NULL));
  gtk_file_chooser_set_current_name (chooser, "print.png");
  accept_and_wait (window, chooser, folder, png);
  g_assert_cmpuint (png_bit_depth (png), ==, 16);
  recipe = impasto_recipe_load_file (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (recipe->params->png_depth, ==, IMPASTO_PNG_DEPTH_16);
  g_assert_cmpstr (recipe->styles[0].path, ==, style_path);
  depth = g_settings_get_string (settings, "save-depth");
  g_assert_cmpstr (depth, ==, "16");
  g_assert_cmpstr (gtk_label_get_label (window->status_label), ==, "Saved as “print.png”");

  chooser = open_save_dialog (window);
  g_assert_cmpstr (gtk_file_chooser_get_choice (chooser, "depth"), ==, "16");
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, folder_file, NULL));
  gtk_file_chooser_set_current_name (chooser, "print.jpg");
  accept_and_wait (window, chooser, folder, jpeg);
  assert_image_file (jpeg, "jpeg");
  g_assert_nonnull (strstr (gtk_label_get_label (window->status_label),
                            "at 8 bits a channel: a JPEG has no more"));

  destroy_window (window);
  g_settings_reset (settings, "save-depth");
  fixture_remove_tree (folder);
}

static gboolean
has_folder (gpointer data)
{
  g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (data);

  return folder != NULL;
}

static void
assert_opens_in (ImpastoWindow *window,
                 const char    *expected)
{
  GtkFileChooser *chooser = open_save_dialog (window);
  g_autoptr(GFile) folder = NULL;

  wait_until (has_folder, chooser, "the dialog shows a folder");
  folder = gtk_file_chooser_get_current_folder (chooser);
  g_assert_cmpstr (g_file_peek_path (folder), ==, expected);
  assert_cancel (window, chooser);
}

/* The dialog opens in Pictures the first time, not beside the content image; then where the
 * user last saved, in this window and the next (from the settings, as after a restart); and
 * in Pictures again, or the home folder, once that folder is gone. A cancelled dialog or a
 * failed save is no last save. */
static void
test_opens_where_last_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *folder = NULL;
  g_autofree char *other = NULL;
  g_autofree char *long_name = NULL;
  g_autofree char *no_pictures = NULL;
  g_autofree char *remembered = NULL;
  g_autoptr(GFile) other_file = NULL;
  ImpastoWindow *window;
  GtkFileChooser *chooser;
  GtkMessageDialog *error_dialog;

  if (!window_fixtures_without_leak_check ())
    return;

  g_settings_reset (settings, "last-save-folder");
  folder = fixture_make_folder ();
  window = new_window_with_painting ();

  assert_opens_in (window, pictures_path);
  remembered = g_settings_get_string (settings, "last-save-folder");
  g_assert_cmpstr (remembered, ==, "");

  save_typed (window, folder, NULL, "first.png", "first.png", "png");
  g_clear_pointer (&remembered, g_free);
  remembered = g_settings_get_string (settings, "last-save-folder");
  g_assert_cmpstr (remembered, ==, folder);
  assert_opens_in (window, folder);

  /* A save that fails (a name longer than any file system takes, even from root) is not
   * where the user saved. */
  other = fixture_make_folder ();
  other_file = g_file_new_for_path (other);
  long_name = g_strnfill (300, 'x');
  chooser = open_save_dialog (window);
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, other_file, NULL));
  gtk_file_chooser_set_current_name (chooser, long_name);
  accept (chooser, other);
  wait_until (question_shown, window, "the save has failed");
  error_dialog = find_question (window);
  gtk_dialog_response (GTK_DIALOG (error_dialog), GTK_RESPONSE_CLOSE);
  g_clear_pointer (&remembered, g_free);
  remembered = g_settings_get_string (settings, "last-save-folder");
  g_assert_cmpstr (remembered, ==, folder);
  fixture_assert_folder_holds (other, NULL);
  fixture_remove_tree (other);

  destroy_window (window);

  window = new_window_with_painting ();
  assert_opens_in (window, folder);

  fixture_remove_tree (folder);
  assert_opens_in (window, pictures_path);

  no_pictures = g_strconcat (pictures_path, "-gone", NULL);
  g_assert_no_errno (g_rename (pictures_path, no_pictures));
  assert_opens_in (window, g_get_home_dir ());
  g_assert_no_errno (g_rename (no_pictures, pictures_path));

  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  window_fixtures_init (&argc, &argv);

  g_test_add_func ("/impasto/gui/save-dialog/format-follows-choice", test_format_follows_choice);
  g_test_add_func ("/impasto/gui/save-dialog/format-chosen-in-dialog",
                   test_format_chosen_in_dialog);
  g_test_add_func ("/impasto/gui/save-dialog/completed-name-taken", test_completed_name_taken);
  g_test_add_func ("/impasto/gui/save-dialog/sixteen-bits", test_sixteen_bits);
  g_test_add_func ("/impasto/gui/save-dialog/opens-where-last-saved",
                   test_opens_where_last_saved);

  ret = g_test_run ();
  window_fixtures_clear ();

  return ret;
}
