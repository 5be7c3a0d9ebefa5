/* test-window-model.c: the model page's download, from a server on 127.0.0.1 in this
 * process, to a loaded model, under Xvfb
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "impasto-background.h"
#include "impasto-fixture.h"
#include "impasto-model-path.h"
#include "impasto-window-private.h"
#include "model-server.h"
#include "test-util.h"

/* Only there to stop a broken build from hanging forever; nothing is timed against it. */
#define HANG_GUARD_SECONDS 300

static char *tmpdir;
static char *model_path;     /* where the download goes */
static char *compact_path;

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + HANG_GUARD_SECONDS * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Gave up waiting until %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

typedef struct
{
  GSettings   *settings;
  GBytes      *model;
  char        *md5;
  ModelServer *server;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->model = test_make_model_bytes (16, 9);
  f->md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, f->model);
  f->server = model_server_new (f->model);

  f->settings = g_settings_new (APPLICATION_ID);
  g_settings_reset (f->settings, "model-path");
  g_settings_set_string (f->settings, "model-url", f->server->url);
  g_settings_set_string (f->settings, "model-md5", f->md5);
}

static void
remove_model_files (void)
{
  g_autofree char *folder = g_path_get_dirname (model_path);

  test_remove_tree (folder);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  model_server_free (f->server);
  g_settings_reset (f->settings, "model-url");
  g_settings_reset (f->settings, "model-md5");
  g_object_unref (f->settings);
  g_bytes_unref (f->model);
  g_free (f->md5);
  remove_model_files ();
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
background_idle (gpointer data)
{
  return impasto_background_get_n_active () == 0;
}

static void
destroy_window (ImpastoWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (pointer_cleared, &window, "the window is finalized");
  wait_until (background_idle, NULL, "no worker is left");
}

static gboolean
download_ended (gpointer data)
{
  ImpastoWindow *window = data;

  return window->download == NULL;
}

static gboolean
model_loaded (gpointer data)
{
  return impasto_window_get_model_loaded (data) && background_idle (NULL);
}

static ImpastoWindow *
new_window_on_model_page (void)
{
  ImpastoWindow *window = impasto_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "model");
  return window;
}

static void
assert_downloaded (Fixture *f)
{
  char *contents = NULL;
  gsize size = 0;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (g_file_get_contents (model_path, &contents, &size, NULL));
  bytes = g_bytes_new_take (contents, size);
  g_assert_true (g_bytes_equal (bytes, f->model));
}

/* Download, then the compact copy: the original goes and the copy is what gets loaded. */
static void
test_download_and_compact (Fixture       *f,
                           gconstpointer  data)
{
  ImpastoWindow *window = new_window_on_model_page ();

  g_assert_cmpstr (gtk_button_get_label (window->download_button), ==, "_Download (510 MB)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download-model", NULL));
  g_assert_true (gtk_widget_get_visible (window->download_box));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->download_button)));
  wait_until (download_ended, window, "the download ends");

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->model_error_label)));
  g_assert_true (gtk_widget_get_visible (window->compact_box));
  assert_downloaded (f);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compact-model", NULL));
  wait_until (model_loaded, window, "the compact copy is loaded");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "main");
  g_assert_cmpstr (window->model_path, ==, compact_path);
  g_assert_false (g_file_test (model_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (compact_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (window->status_label),
                                   "The model now takes "));
  destroy_window (window);
}

static gboolean
part_reaches (gpointer data)
{
  return impasto_model_download_get_kept (model_path) >= *(gsize *) data;
}

/* Cancel halfway, close the window, open another: it offers to resume, and does. */
static void
test_cancel_and_resume (Fixture       *f,
                        gconstpointer  data)
{
  ImpastoWindow *window = new_window_on_model_page ();
  gsize half = g_bytes_get_size (f->model) / 2;
  g_autofree char *kept = g_format_size (half);
  g_autofree char *resume = g_strdup_printf ("_Resume Download (%s Kept)", kept);

  f->server->mode = MODEL_SERVER_STALL_BODY;
  f->server->close_after = half;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.download-model", NULL);
  wait_until (part_reaches, &half, "half the model has arrived");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-download", NULL));
  wait_until (download_ended, window, "the download ends");

  g_assert_true (g_str_has_prefix (gtk_label_get_label (window->model_error_label),
                                   "The download was cancelled; "));
  g_assert_cmpstr (gtk_button_get_label (window->download_button), ==, resume);
  g_assert_false (g_file_test (model_path, G_FILE_TEST_EXISTS));
  destroy_window (window);

  window = new_window_on_model_page ();
  g_assert_cmpstr (gtk_button_get_label (window->download_button), ==, resume);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.download-model", NULL);
  wait_until (download_ended, window, "the download ends");
  g_assert_cmpint (f->server->last_start, ==, half);
  assert_downloaded (f);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.keep-full-model", NULL));
  wait_until (model_loaded, window, "the model is loaded");
  g_assert_cmpstr (window->model_path, ==, model_path);
  g_assert_false (gtk_widget_get_visible (window->compact_box));
  destroy_window (window);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  ImpastoWindow *window = new_window_on_model_page ();
  const char *message;

  f->server->mode = MODEL_SERVER_NOT_FOUND;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.download-model", NULL);
  wait_until (download_ended, window, "the download ends");

  message = gtk_label_get_label (window->model_error_label);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->model_error_label)));
  g_assert_nonnull (strstr (message, "answered “404 Not Found”"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->download_button)));
  g_assert_cmpstr (gtk_button_get_label (window->download_button), ==, "_Download (510 MB)");
  g_assert_false (g_file_test (model_path, G_FILE_TEST_EXISTS));
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int ret;

  tmpdir = g_dir_make_tmp ("impasto-test-window-model-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (tmpdir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_unsetenv ("IMPASTO_MODEL");
  /* The server is on the loopback interface; a proxy from the environment would miss it. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("HTTP_PROXY");
  model_path = g_build_filename (data_home, "impasto", IMPASTO_MODEL_FILE_NAME, NULL);
  compact_path = g_build_filename (data_home, "impasto", IMPASTO_MODEL_COMPACT_FILE_NAME, NULL);

  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/impasto/gui/model/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("download-and-compact", test_download_and_compact);
  ADD ("cancel-and-resume", test_cancel_and_resume);
  ADD ("not-found", test_not_found);
#undef ADD

  ret = g_test_run ();
  test_remove_tree (tmpdir);
  g_free (tmpdir);
  g_free (model_path);
  g_free (compact_path);

  return ret;
}
