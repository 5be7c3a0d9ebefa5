/* window-fixtures.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "image-checks.h"
#include "impasto-background.h"
#include "impasto-fixture.h"
#include "window-fixtures.h"

char *tmpdir;
char *pictures_path;
char *model_path;
char *content_path;
char *style_path;

void
window_fixtures_init (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *user_dirs = NULL;
  g_autofree char *user_dirs_text = NULL;

  tmpdir = g_dir_make_tmp ("impasto-test-window-XXXXXX", &error);
  g_assert_no_error (error);

  /* No model from the developer's own data dir may creep in. (The system data dirs stay: the
   * MIME database that gdk-pixbuf sniffs images with lives there.) */
  data_home = g_build_filename (tmpdir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_unsetenv ("IMPASTO_MODEL");

  /* Nor the developer's Pictures folder, where the save dialog opens the first time: before
   * anything reads, and keeps, where the user's folders are. */
  config_home = g_build_filename (tmpdir, "config", NULL);
  pictures_path = g_build_filename (tmpdir, "Pictures", NULL);
  user_dirs = g_build_filename (config_home, "user-dirs.dirs", NULL);
  user_dirs_text = g_strdup_printf ("XDG_PICTURES_DIR=\"%s\"\n", pictures_path);
  g_assert_no_errno (g_mkdir_with_parents (config_home, 0700));
  g_assert_no_errno (g_mkdir (pictures_path, 0700));
  g_file_set_contents (user_dirs, user_dirs_text, -1, &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  gtk_test_init (argc, argv, NULL);

  model_path = g_build_filename (tmpdir, "vgg19-small.mat", NULL);
  content_path = g_build_filename (tmpdir, "content.png", NULL);
  style_path = g_build_filename (tmpdir, "style.png", NULL);
  write_model (model_path);
  write_image (content_path, 64, 40, 0);
  write_image (style_path, 50, 50, 1);
}

/* Without a portal GTK shows its own file chooser, and GTK 4.8's leaks what it was loading
 * when it goes (GFileInfos of the folder, a cancelled GError, the pixbuf formats' filter rule,
 * libcloudproviders' failed bus connection), reported at exit against whatever ran last.
 * Under AddressSanitizer a test that opens one therefore runs in a process of its own, with
 * every memory check but the leak check, rather than suppressing GTK's internals wholesale:
 * FALSE in the test's own process, which has run it so. */
gboolean
window_fixtures_without_leak_check (void)
{
#ifdef __SANITIZE_ADDRESS__
  if (!g_test_subprocess ())
    {
      g_autofree char *saved = g_strdup (g_getenv ("ASAN_OPTIONS"));
      g_autofree char *options = g_strconcat (saved != NULL ? saved : "", ":detect_leaks=0",
                                              NULL);

      g_setenv ("ASAN_OPTIONS", options, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      if (saved != NULL)
        g_setenv ("ASAN_OPTIONS", saved, TRUE);
      else
        g_unsetenv ("ASAN_OPTIONS");
      g_test_trap_assert_passed ();
      return FALSE;
    }
#endif

  return TRUE;
}

void
window_fixtures_clear (void)
{
  g_assert_cmpuint (impasto_background_get_n_active (), ==, 0);
  /* With the folders GTK makes in XDG_DATA_HOME. */
  fixture_remove_tree (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
  g_clear_pointer (&pictures_path, g_free);
  g_clear_pointer (&model_path, g_free);
  g_clear_pointer (&content_path, g_free);
  g_clear_pointer (&style_path, g_free);
}

double
param_value (ImpastoWindow *window,
             const char    *name)
{
  return gtk_adjustment_get_value (impasto_window_get_param_adjustment (window, name));
}

void
set_param_value (ImpastoWindow *window,
                 const char    *name,
                 double         value)
{
  gtk_adjustment_set_value (impasto_window_get_param_adjustment (window, name), value);
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + HANG_GUARD_SECONDS * G_USEC_PER_SEC;
  guint ticker = g_timeout_add (20, wake_up, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Gave up waiting until %s", what);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (ticker);
}

gboolean
can_start (gpointer data)
{
  return impasto_window_get_can_start (data);
}

gboolean
background_idle (gpointer data)
{
  return impasto_background_get_n_active () == 0;
}

gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
write_image (const char *path,
             int         width,
             int         height,
             guint       pattern)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  g_autoptr(GError) error = NULL;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = (guint8) ((x * 255) / width);
        p[1] = (guint8) ((y * 255) / height);
        p[2] = (guint8) (((x / 4 + y / 4) % 2) * 200 * pattern);
      }

  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
}

void
write_model (const char *path)
{
  ImpastoFixtureOptions options;
  g_autoptr(GError) error = NULL;

  impasto_fixture_options_init (&options);
  options.factor = 16;
  options.seed = 7;

  impasto_fixture_write (path, &options, &error);
  g_assert_no_error (error);
}

/* A small, short-lived painting: the preview changes often and the run outlives the test. */
void
set_small_run_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_set_uint (settings, "width", 48);
  g_settings_set_uint (settings, "height", 32);
  g_settings_set_boolean (settings, "keep-aspect", FALSE);
  g_settings_set_uint (settings, "steps", 10000);
  g_settings_set_uint (settings, "snapshot-every", 1);
  /* Adam, which never ends early: L-BFGS can converge on the small fixture model before a
   * test is done with the run, most of all under the sanitizers. */
  g_settings_set_string (settings, "preset", "seed-exact");
}

/* The window with both images and the model, ready to start, as the pickers leave it. */
ImpastoWindow *
new_ready_window (void)
{
  ImpastoWindow *window = impasto_window_new (NULL);
  g_autoptr(GFile) content = g_file_new_for_path (content_path);
  g_autoptr(GFile) style = g_file_new_for_path (style_path);

  gtk_window_present (GTK_WINDOW (window));

  impasto_image_picker_set_file (impasto_window_get_content_picker (window), content);
  impasto_image_picker_set_file (impasto_window_get_style_picker (window), style);
  impasto_window_set_model_path (window, model_path);

  wait_until (can_start, window, "the window can start");

  return window;
}

void
destroy_window (ImpastoWindow *window)
{
  ImpastoJob *job = impasto_window_get_job (window);

  if (job != NULL)
    g_object_add_weak_pointer (G_OBJECT (job), (gpointer *) &job);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);

  gtk_window_destroy (GTK_WINDOW (window));

  wait_until (pointer_cleared, &window, "the window is finalized");
  wait_until (pointer_cleared, &job, "the job is finalized");
  wait_until (background_idle, NULL, "no worker is left");
}

gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
on_saved (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* As the save dialog's response does. */
gboolean
save_and_wait (ImpastoWindow  *window,
               GFile          *file,
               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  impasto_window_save_async (window, file, on_saved, &result);
  wait_until (pointer_set, &result, "the painting is saved");

  return impasto_window_save_finish (result, error);
}

gboolean
job_finished (gpointer data)
{
  ImpastoJob *job = impasto_window_get_job (data);

  return job != NULL && impasto_job_get_state (job) != IMPASTO_JOB_RUNNING;
}

gboolean
job_has_snapshot (gpointer data)
{
  ImpastoJob *job = impasto_window_get_job (data);

  return job != NULL && impasto_job_get_texture (job) != NULL;
}

/* The window with a painting: a run started, stopped after its first snapshot, and its
 * worker gone. */
ImpastoWindow *
new_window_with_painting (void)
{
  ImpastoWindow *window;

  set_small_run_settings ();
  window = new_ready_window ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  wait_until (job_has_snapshot, window, "the first snapshot");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  wait_until (background_idle, NULL, "the stopped worker has let go");

  return window;
}


typedef struct
{
  GtkFileChooser *chooser;
  const char     *folder;
} Shows;

static gboolean
dialog_shows (gpointer data)
{
  Shows *shows = data;
  g_autoptr(GFile) file = gtk_file_chooser_get_file (shows->chooser);
  g_autofree char *name = gtk_file_chooser_get_current_name (shows->chooser);
  g_autofree char *expected = g_build_filename (shows->folder, name, NULL);

  return file != NULL && g_strcmp0 (g_file_peek_path (file), expected) == 0;
}

/* GTK's own file chooser takes a folder from the main loop, as it shows it: the file it would
 * answer with is in folder only once it has. */
void
wait_until_dialog_shows (GtkFileChooser *chooser,
                         const char     *folder)
{
  Shows shows = { chooser, folder };

  wait_until (dialog_shows, &shows, "the dialog shows the folder and the name");
}
