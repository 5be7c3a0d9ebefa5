/* test-model-download.c: the model's download against a server in this process, in every way
 * it can go wrong; each case checks what is left on disk and what the user is told
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "image-checks.h"
#include "impasto-model-download.h"
#include "model-server.h"
#include "test-util.h"

#define SMALL_DISK "IMPASTO_TEST_SMALL_DISK"

typedef struct
{
  char                 *folder;
  char                 *path;      /* where the model goes */
  char                 *part;
  char                 *record;
  GBytes               *model;
  ModelServer          *server;
  char                 *md5[2];
  ImpastoModelExpected  expected;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  gsize size;

  f->folder = test_make_tmpdir ();
  f->model = test_make_model_bytes (8, 1);
  size = g_bytes_get_size (f->model);

  f->path = g_build_filename (f->folder, "impasto", "imagenet-vgg-verydeep-19.mat", NULL);
  f->part = g_strconcat (f->path, ".part", NULL);
  f->record = g_strconcat (f->path, ".sha256", NULL);
  f->server = model_server_new (f->model);
  f->md5[0] = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, f->model);
  f->expected.md5 = (const char * const *) f->md5;
  f->expected.min_size = size / 2;
  f->expected.max_size = size * 2;
  f->expected.description = "the test model";
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->server, model_server_free);
  test_remove_tree (f->folder);
  g_free (f->folder);
  g_free (f->path);
  g_free (f->part);
  g_free (f->record);
  g_free (f->md5[0]);
  g_bytes_unref (f->model);
}

static ImpastoModelDownload *
new_download (Fixture *f)
{
  ImpastoModelDownload *download = impasto_model_download_new (f->server->url, f->path,
                                                               &f->expected);

  impasto_model_download_set_timeout (download, 1);
  return download;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

static gboolean
run_download (ImpastoModelDownload  *download,
              GCancellable          *cancellable,
              GError               **error)
{
  GAsyncResult *result = NULL;
  gboolean ok;

  impasto_model_download_run_async (download, cancellable, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  ok = impasto_model_download_run_finish (download, result, error);
  g_object_unref (result);
  return ok;
}

/* Downloads once more and expects it to fail with domain, code and the words given. */
static void
assert_fails (Fixture    *f,
              GQuark      domain,
              int         code,
              const char *words)
{
  g_autoptr(ImpastoModelDownload) download = new_download (f);
  g_autoptr(GError) error = NULL;

  g_assert_false (run_download (download, NULL, &error));
  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, words));
}

static void
assert_nothing_in_place (Fixture *f)
{
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (f->record, G_FILE_TEST_EXISTS));
}

/* kept: the bytes the .part must hold, all of them the model's; 0: no .part at all. */
static void
assert_kept (Fixture *f,
             gsize    kept)
{
  g_autoptr(GBytes) part = NULL;
  g_autoptr(GBytes) start = NULL;
  g_autofree char *info = g_strconcat (f->part, ".info", NULL);
  char *contents = NULL;
  gsize size = 0;

  assert_nothing_in_place (f);
  if (kept == 0)
    {
      g_assert_false (g_file_test (f->part, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (info, G_FILE_TEST_EXISTS));
      return;
    }

  g_assert_true (g_file_get_contents (f->part, &contents, &size, NULL));
  part = g_bytes_new_take (contents, size);
  start = g_bytes_new_from_bytes (f->model, 0, kept);
  g_assert_true (g_bytes_equal (part, start));
  g_assert_cmpuint (impasto_model_download_get_kept (f->path), ==, kept);
}

static void
assert_installed (Fixture *f)
{
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, f->model);
  g_autofree char *line = g_strdup_printf ("%s  imagenet-vgg-verydeep-19.mat\n", sha256);
  g_autofree char *info = g_strconcat (f->part, ".info", NULL);
  g_autofree char *record = NULL;
  char *contents = NULL;
  gsize size = 0;
  g_autoptr(GBytes) installed = NULL;

  g_assert_true (g_file_get_contents (f->path, &contents, &size, NULL));
  installed = g_bytes_new_take (contents, size);
  g_assert_true (g_bytes_equal (installed, f->model));
  g_assert_true (g_file_get_contents (f->record, &record, NULL, NULL));
  g_assert_cmpstr (record, ==, line);
  g_assert_false (g_file_test (f->part, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (info, G_FILE_TEST_EXISTS));
}

static void
assert_succeeds (Fixture *f)
{
  g_autoptr(ImpastoModelDownload) download = new_download (f);
  g_autoptr(GError) error = NULL;

  g_assert_true (run_download (download, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (impasto_model_download_get_received (download), ==,
                    g_bytes_get_size (f->model));
  assert_installed (f);
}

static void
test_success (Fixture       *f,
              gconstpointer  data)
{
  assert_succeeds (f);
  g_assert_cmpuint (f->server->requests, ==, 1);
  g_assert_cmpint (f->server->last_start, ==, 0);
}

/* A model in place is checked against its recorded SHA-256, not fetched again. */
static void
test_already_there (Fixture       *f,
                    gconstpointer  data)
{
  assert_succeeds (f);
  assert_succeeds (f);
  g_assert_cmpuint (f->server->requests, ==, 1);

  g_assert_true (g_file_set_contents (f->path, "changed", -1, NULL));
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_CHECKSUM,
                "has changed since it was downloaded");
  g_assert_cmpuint (f->server->requests, ==, 1);
}

static void
test_resume_after_close (Fixture       *f,
                         gconstpointer  data)
{
  gsize third = g_bytes_get_size (f->model) / 3;

  f->server->mode = MODEL_SERVER_CLOSE_MIDWAY;
  f->server->close_after = third;
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_INTERRUPTED,
                "are kept, and the next download resumes from there");
  assert_kept (f, third);

  assert_succeeds (f);
  g_assert_cmpint (f->server->last_start, ==, third);
  g_assert_true (f->server->last_if_range);
}

/* If-Range: a file that changed on the server since is fetched whole again. */
static void
test_resume_changed (Fixture       *f,
                     gconstpointer  data)
{
  f->server->mode = MODEL_SERVER_CLOSE_MIDWAY;
  f->server->close_after = g_bytes_get_size (f->model) / 3;
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_INTERRUPTED,
                "broke");

  g_free (f->server->etag);
  f->server->etag = g_strdup ("\"another\"");
  assert_succeeds (f);
  g_assert_true (f->server->last_if_range);
  g_assert_cmpint (f->server->last_start, ==, 0);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  f->server->mode = MODEL_SERVER_NOT_FOUND;
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_HTTP,
                "answered “404 Not Found”");
  assert_kept (f, 0);
}

/* An error status after an interruption leaves the bytes kept for later. */
static void
test_not_found_keeps_part (Fixture       *f,
                           gconstpointer  data)
{
  gsize half = g_bytes_get_size (f->model) / 2;

  f->server->mode = MODEL_SERVER_CLOSE_MIDWAY;
  f->server->close_after = half;
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_INTERRUPTED,
                "broke");
  f->server->mode = MODEL_SERVER_NOT_FOUND;
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_HTTP, "404");
  assert_kept (f, half);
}

static void
test_html (Fixture       *f,
           gconstpointer  data)
{
  f->server->mode = MODEL_SERVER_HTML;
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_NOT_MODEL,
                "sent a web page (text/html) instead of the model");
  assert_kept (f, 0);
}

static void
test_wrong_checksum (Fixture       *f,
                     gconstpointer  data)
{
  g_free (f->md5[0]);
  f->md5[0] = g_strdup ("0123456789abcdef0123456789abcdef");
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_CHECKSUM,
                "is not the test model (its MD5 is");
  assert_kept (f, 0);
}

static void
test_wrong_size (Fixture       *f,
                 gconstpointer  data)
{
  f->expected.min_size = g_bytes_get_size (f->model) + 1;
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_NOT_MODEL,
                "which cannot be the test model");
  assert_kept (f, 0);
}

/* Without a length the body is counted as it comes: too much is refused, too little too. */
static void
test_over_long (Fixture       *f,
                gconstpointer  data)
{
  f->server->mode = MODEL_SERVER_CHUNKED;
  f->server->body_repeat = 3;
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_NOT_MODEL,
                "more than the test model can be");
  assert_kept (f, 0);
}

static void
test_short (Fixture       *f,
            gconstpointer  data)
{
  f->expected.min_size = g_bytes_get_size (f->model) + 1;
  f->server->mode = MODEL_SERVER_CHUNKED;
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_NOT_MODEL,
                "too little for the test model");
  assert_kept (f, 0);
}

static void
test_stall_headers (Fixture       *f,
                    gconstpointer  data)
{
  f->server->mode = MODEL_SERVER_STALL_HEADERS;
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_INTERRUPTED,
                "sent nothing for 1 second; nothing was kept");
  assert_kept (f, 0);
}

static void
test_stall_body (Fixture       *f,
                 gconstpointer  data)
{
  gsize quarter = g_bytes_get_size (f->model) / 4;

  f->server->mode = MODEL_SERVER_STALL_BODY;
  f->server->close_after = quarter;
  assert_fails (f, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_INTERRUPTED,
                "sent nothing for 1 second");
  assert_kept (f, quarter);
  assert_succeeds (f);
}

/* In a child with a tmpfs too small for the model mounted where it goes. */
static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  const char *small = g_getenv (SMALL_DISK);
  g_autoptr(ImpastoModelDownload) download = NULL;
  g_autoptr(GError) error = NULL;

  if (small == NULL)
    {
      fixture_trap_small_tmpfs (SMALL_DISK, "the other failures cover keeping the part");
      return;
    }
  if (!fixture_mount_small_tmpfs (small, "256k"))
    return;

  g_free (f->path);
  f->path = g_build_filename (small, "imagenet-vgg-verydeep-19.mat", NULL);
  download = new_download (f);
  g_assert_false (run_download (download, NULL, &error));
  g_assert_error (error, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_WRITE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "is full"));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (impasto_model_download_get_kept (f->path), >, 0);
  g_assert_cmpuint (impasto_model_download_get_kept (f->path), <, g_bytes_get_size (f->model));
}

/* Cancelling */

static void
test_cancel_before (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ImpastoModelDownload) download = new_download (f);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (run_download (download, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "The download was cancelled; nothing was kept");
  g_assert_cmpuint (f->server->requests, ==, 0);
  assert_kept (f, 0);
}

typedef struct
{
  Fixture                   *f;
  GCancellable              *cancellable;
  ImpastoModelDownloadPhase  phase;
} CancelAt;

static void
on_progress (ImpastoModelDownload *download,
             gpointer              data)
{
  CancelAt *at = data;
  gboolean waiting = at->phase == IMPASTO_MODEL_DOWNLOAD_CONNECTING && at->f->server->waiting;

  if (waiting
      || (at->phase == IMPASTO_MODEL_DOWNLOAD_RECEIVING
          && impasto_model_download_get_received (download) > 0)
      || (at->phase == IMPASTO_MODEL_DOWNLOAD_VERIFYING
          && impasto_model_download_get_phase (download) == at->phase))
    g_cancellable_cancel (at->cancellable);
}

static gboolean
cancel_when_waiting (gpointer data)
{
  CancelAt *at = data;

  if (at->f->server->waiting)
    g_cancellable_cancel (at->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
cancel_at (Fixture                   *f,
           ImpastoModelDownloadPhase  phase,
           const char                *message)
{
  g_autoptr(ImpastoModelDownload) download = new_download (f);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelAt at = { f, cancellable, phase };
  guint poll = 0;

  g_signal_connect (download, "progress", G_CALLBACK (on_progress), &at);
  if (phase == IMPASTO_MODEL_DOWNLOAD_CONNECTING)
    poll = g_timeout_add (10, cancel_when_waiting, &at);
  g_assert_false (run_download (download, cancellable, &error));
  g_clear_handle_id (&poll, g_source_remove);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, message));
}

static void
test_cancel_waiting (Fixture       *f,
                     gconstpointer  data)
{
  f->server->mode = MODEL_SERVER_STALL_HEADERS;
  cancel_at (f, IMPASTO_MODEL_DOWNLOAD_CONNECTING, "The download was cancelled; nothing was kept");
  assert_kept (f, 0);
}

static void
test_cancel_receiving (Fixture       *f,
                       gconstpointer  data)
{
  guint64 kept;

  cancel_at (f, IMPASTO_MODEL_DOWNLOAD_RECEIVING, "are kept, and the next download resumes");
  kept = impasto_model_download_get_kept (f->path);
  g_assert_cmpuint (kept, >, 0);
  g_assert_cmpuint (kept, <, g_bytes_get_size (f->model));
  assert_kept (f, kept);

  assert_succeeds (f);
  g_assert_cmpint (f->server->last_start, ==, kept);
}

/* A complete .part is checked again without a request. */
static void
test_cancel_verifying (Fixture       *f,
                       gconstpointer  data)
{
  cancel_at (f, IMPASTO_MODEL_DOWNLOAD_VERIFYING, "cancelled while it was being checked");
  assert_kept (f, g_bytes_get_size (f->model));
  g_assert_cmpuint (f->server->requests, ==, 1);

  assert_succeeds (f);
  g_assert_cmpuint (f->server->requests, ==, 1);
}

/* A second download into the same place is refused while the first goes on unharmed. */
static void
test_second_download (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(ImpastoModelDownload) first = new_download (f);
  g_autoptr(ImpastoModelDownload) second = new_download (f);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  impasto_model_download_run_async (first, NULL, on_done, &result);
  g_assert_false (run_download (second, NULL, &error));
  g_assert_error (error, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "is already being downloaded into"));

  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (impasto_model_download_run_finish (first, result, NULL));
  g_object_unref (result);
  assert_installed (f);
}

int
main (int   argc,
      char *argv[])
{
  static const struct
  {
    const char *path;
    void (*func) (Fixture *, gconstpointer);
  } tests[] = {
    { "/impasto/session/download/success", test_success },
    { "/impasto/session/download/already-there", test_already_there },
    { "/impasto/session/download/resume-after-close", test_resume_after_close },
    { "/impasto/session/download/resume-changed-file", test_resume_changed },
    { "/impasto/session/download/not-found", test_not_found },
    { "/impasto/session/download/not-found-keeps-part", test_not_found_keeps_part },
    { "/impasto/session/download/html", test_html },
    { "/impasto/session/download/wrong-checksum", test_wrong_checksum },
    { "/impasto/session/download/wrong-size", test_wrong_size },
    { "/impasto/session/download/over-long", test_over_long },
    { "/impasto/session/download/short", test_short },
    { "/impasto/session/download/stall-headers", test_stall_headers },
    { "/impasto/session/download/stall-body", test_stall_body },
    { "/impasto/session/download/disk-full", test_disk_full },
    { "/impasto/session/download/cancel/before-start", test_cancel_before },
    { "/impasto/session/download/cancel/waiting", test_cancel_waiting },
    { "/impasto/session/download/cancel/receiving", test_cancel_receiving },
    { "/impasto/session/download/cancel/verifying", test_cancel_verifying },
    { "/impasto/session/download/second-download", test_second_download },
  };

  g_test_init (&argc, &argv, NULL);
  /* The server is on the loopback interface; a proxy from the environment would miss it. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("HTTP_PROXY");

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add (tests[i].path, Fixture, NULL, fixture_set_up, tests[i].func, fixture_tear_down);

  return g_test_run ();
}
