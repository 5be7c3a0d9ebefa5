/* test-cli-download.c: impasto-cli --download-model end to end, against a server on 127.0.0.1
 * in this process, from a missing model to a painting
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cli-runner.h"
#include "impasto-image-io.h"
#include "model-server.h"
#include "test-util.h"

typedef struct
{
  char        *dir;
  char        *data_home;
  char        *path;      /* where the download puts the model */
  char        *md5;
  GBytes      *model;
  ModelServer *server;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_make_tmpdir ();
  f->model = test_make_model_bytes (8, 3);
  f->md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, f->model);
  f->data_home = g_build_filename (f->dir, "data", NULL);
  f->path = g_build_filename (f->data_home, "impasto", "imagenet-vgg-verydeep-19.mat", NULL);
  /* The test blocks on impasto-cli while the server answers it. */
  f->server = model_server_new_in_thread (f->model);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  model_server_free (f->server);
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data_home);
  g_free (f->path);
  g_free (f->md5);
  g_bytes_unref (f->model);
}

static GPtrArray *
download_argv (Fixture *f)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) g_getenv ("IMPASTO_CLI"));
  g_ptr_array_add (argv, "--download-model");
  g_ptr_array_add (argv, "--model-url");
  g_ptr_array_add (argv, f->server->url);
  g_ptr_array_add (argv, "--model-md5");
  g_ptr_array_add (argv, f->md5);
  return argv;
}

static CliResult
run_download (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->data_home);
  g_autoptr(GPtrArray) argv = download_argv (f);

  g_ptr_array_add (argv, NULL);
  return cli_run (l, (const char * const *) argv->pdata);
}

static void
assert_installed (Fixture *f)
{
  g_autofree char *record = g_strconcat (f->path, ".sha256", NULL);
  g_autofree char *part = g_strconcat (f->path, ".part", NULL);
  g_autoptr(GBytes) installed = NULL;
  char *contents = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (f->path, &contents, &size, NULL));
  installed = g_bytes_new_take (contents, size);
  g_assert_true (g_bytes_equal (installed, f->model));
  g_assert_true (g_file_test (record, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
}

static void
test_success (Fixture       *f,
              gconstpointer  data)
{
  g_auto(CliResult) r = run_download (f);
  g_autofree char *done = g_strdup_printf ("The model is in place: %s\n", f->path);
  g_autofree char *size = g_format_size (g_bytes_get_size (f->model));
  g_autofree char *progress = g_strdup_printf (" of %s", size);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_nonnull (strstr (r.out, progress));
  g_assert_nonnull (strstr (r.out, "Checking the file…\n"));
  g_assert_true (g_str_has_suffix (r.out, done));
  assert_installed (f);
}

/* A small painting with whatever model is in place, downloading it first when asked to. */
static void
assert_paints (Fixture  *f,
               gboolean  download)
{
  g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->data_home);
  g_autoptr(GPtrArray) argv = download ? download_argv (f) : g_ptr_array_new ();
  g_autofree char *content = g_build_filename (f->dir, "content.png", NULL);
  g_autofree char *output = g_build_filename (f->dir, "out.png", NULL);
  g_autoptr(ImpastoImage) image = test_make_image (32, 24, 1);
  const char *paint[] = { "--content", content, "--style", content, "--output", output,
                          "--width", "32", "--height", "24", "--steps", "2", NULL };
  g_autoptr(GError) error = NULL;
  g_auto(CliResult) r = { 0 };

  g_assert_true (impasto_image_save (image, content, &error));
  g_assert_no_error (error);
  g_unlink (output);
  if (!download)
    g_ptr_array_add (argv, (char *) g_getenv ("IMPASTO_CLI"));
  for (guint i = 0; paint[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) paint[i]);
  g_ptr_array_add (argv, NULL);

  r = cli_run (l, (const char * const *) argv->pdata);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_test (output, G_FILE_TEST_IS_REGULAR));
}

/* Downloaded, then painted with, in one command. */
static void
test_then_paint (Fixture       *f,
                 gconstpointer  data)
{
  assert_paints (f, TRUE);
  /* The second time the model was there already and was checked, not fetched. */
  assert_paints (f, TRUE);
  g_assert_cmpuint (f->server->requests, ==, 1);
  assert_installed (f);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_auto(CliResult) r = { 0 };

  f->server->mode = MODEL_SERVER_NOT_FOUND;
  r = run_download (f);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_true (g_str_has_prefix (r.err, "impasto-cli: "));
  g_assert_nonnull (strstr (r.err, "answered “404 Not Found”"));
  /* one line */
  g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, strlen (r.err) - 1);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

/* Ctrl-C in the middle of the body: status 130, the bytes kept, and the next run resumes. */
static void
test_interrupt (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->data_home);
  g_autoptr(GPtrArray) argv = download_argv (f);
  g_autofree char *part = g_strconcat (f->path, ".part", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CliResult) r = { 0 };
  gsize half = g_bytes_get_size (f->model) / 2;
  GStatBuf st = { 0 };
  gint64 deadline;

  f->server->mode = MODEL_SERVER_STALL_BODY;
  f->server->close_after = half;
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_launcher_spawnv (l, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  while ((g_stat (part, &st) != 0 || (gsize) st.st_size < half)
         && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r.out, &r.err, &error);
  g_assert_no_error (error);
  g_test_message ("stdout:\n%s\nstderr:\n%s", r.out, r.err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 130);
  g_assert_true (g_str_has_prefix (r.err, "impasto-cli: The download was cancelled; "));
  g_assert_nonnull (strstr (r.err, "are kept, and the next download resumes from there"));
  g_assert_cmpint (st.st_size, ==, half);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  cli_result_clear (&r);
  r = run_download (f);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (f->server->last_start, ==, half);
  assert_installed (f);
}

/* Downloaded, made compact, the original removed, and the copy painted with. */
static void
test_compact (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->data_home);
  g_autofree char *compact = g_build_filename (f->data_home, "impasto",
                                               "imagenet-vgg-verydeep-19-conv.mat", NULL);
  g_autofree char *wrote = g_strdup_printf ("Wrote %s: ", compact);
  g_autofree char *removed = g_strdup_printf ("Removed %s\n", f->path);
  const char *argv[] = { g_getenv ("IMPASTO_CLI"), "--compact-model", "--remove-original",
                         NULL };
  g_auto(CliResult) d = run_download (f);
  g_auto(CliResult) r = cli_run (l, argv);

  g_assert_cmpint (d.status, ==, 0);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, wrote));
  g_assert_nonnull (strstr (r.out, "with the same weights\n"));
  g_assert_true (g_str_has_suffix (r.out, removed));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (compact, G_FILE_TEST_IS_REGULAR));
  assert_paints (f, FALSE);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->data_home);
  const char *argv[] = { g_getenv ("IMPASTO_CLI"), "--model-url", f->server->url, NULL };
  const char *bad_md5[] = { g_getenv ("IMPASTO_CLI"), "--download-model", "--model-md5", "abc",
                            NULL };
  g_auto(CliResult) r = cli_run (l, argv);
  g_auto(CliResult) s = cli_run (l, bad_md5);

  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==,
                   "impasto-cli: --model-url and --model-md5 go with --download-model\n");
  g_assert_cmpint (s.status, ==, 2);
  g_assert_cmpstr (s.err, ==, "impasto-cli: --model-md5 must be 32 hexadecimal digits\n");
  g_assert_cmpuint (f->server->requests, ==, 0);
}

/* An address that is not a web page's is refused before anything is asked of anyone. */
static void
test_bad_url (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->data_home);
  g_autofree char *ftp = g_strconcat ("ftp", strchr (f->server->url, ':'), NULL);
  const char *urls[] = { ftp, "not an address", "http://[::1" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      const char *argv[] = { g_getenv ("IMPASTO_CLI"), "--download-model", "--model-url",
                             urls[i], NULL };
      g_auto(CliResult) r = cli_run (l, argv);
      g_autofree char *expected =
        g_strdup_printf ("impasto-cli: “%s” is not a web address the model can be downloaded "
                         "from (http:// or https://)\n", urls[i]);

      g_assert_cmpint (r.status, ==, 1);
      g_assert_cmpstr (r.err, ==, expected);
      g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
    }
  g_assert_cmpuint (f->server->requests, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* The server is on the loopback interface; a proxy from the environment would miss it. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("HTTP_PROXY");

#define ADD(path, func) \
  g_test_add ("/impasto/cli/download/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("success", test_success);
  ADD ("then-paint", test_then_paint);
  ADD ("not-found", test_not_found);
  ADD ("interrupt", test_interrupt);
  ADD ("compact", test_compact);
  ADD ("usage", test_usage);
  ADD ("bad-url", test_bad_url);
#undef ADD

  return g_test_run ();
}
