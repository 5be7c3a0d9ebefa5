/* fuzz-download.c: any answer from a server, and any kept state, through the model's download
 *
 * A server on 127.0.0.1 in this process sends the input's bytes back, as they are, to every
 * request, and closes the connection. Whatever it sends, the download must end (no hang),
 * with either exactly the expected file in place or nothing in place and one message that
 * says what happened.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "fuzz-download.h"
#include "fuzz-target.h"
#include "impasto-model-download.h"

#define MAX_REQUEST (64 * 1024)

static GMutex answer_lock;
static GBytes *answer;           /* what the server sends, under answer_lock */
static GSocketService *service;
static char *url;
static char *path;
static GBytes *body;
static const char *md5[2];
static ImpastoModelExpected expected;

/* Reads the request up to the end of its headers, sends the answer, closes. */
static gboolean
on_run (GThreadedSocketService *threaded,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GByteArray) request = g_byte_array_new ();
  g_autoptr(GBytes) reply = NULL;
  guint8 buffer[4096];

  g_socket_set_timeout (g_socket_connection_get_socket (connection), 5);
  while (request->len < MAX_REQUEST)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return TRUE;
      g_byte_array_append (request, buffer, n);
      if (g_strstr_len ((const char *) request->data, request->len, "\r\n\r\n") != NULL)
        break;
    }

  g_mutex_lock (&answer_lock);
  reply = g_bytes_ref (answer);
  g_mutex_unlock (&answer_lock);
  g_output_stream_write_all (out, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                             NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  return TRUE;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  guint16 port;

  fuzz_target_init_logging (NULL);
  /* The server is on the loopback interface; a proxy from the environment would miss it. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("HTTP_PROXY");

  answer = g_bytes_new (NULL, 0);
  service = g_threaded_socket_service_new (4);
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  if (port == 0)
    g_error ("cannot listen: %s", error->message);
  g_signal_connect (service, "run", G_CALLBACK (on_run), NULL);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u" FUZZ_DOWNLOAD_PATH, port);

  /* Only path is kept: a static read nowhere else may be optimised away, and its string
   * then counts as a leak. */
  dir = g_dir_make_tmp ("impasto-fuzz-download-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "vgg19.mat", NULL);

  body = fuzz_download_body ();
  md5[0] = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, body);
  expected.md5 = md5;
  expected.min_size = 1;
  expected.max_size = 2 * FUZZ_DOWNLOAD_SIZE;
  expected.description = "the test file";

  return 0;
}

/* The .part and its .part.info as the input says an earlier download left them. */
static void
write_kept (const char *info,
            gsize       info_size)
{
  g_autofree char *part_path = g_strconcat (path, ".part", NULL);
  g_autofree char *info_path = g_strconcat (path, ".part.info", NULL);
  g_autofree char *text = g_strndup (info, info_size);
  g_auto(GStrv) pieces = NULL;
  g_autofree char *with_url = NULL;

  if (info_size == 0)
    return;
  /* The port changes from run to run; the seeds say @URL@ for it. */
  pieces = g_strsplit (text, "@URL@", -1);
  with_url = g_strjoinv (url, pieces);
  if (!g_file_set_contents (info_path, with_url, -1, NULL)
      || !g_file_set_contents (part_path, g_bytes_get_data (body, NULL), FUZZ_DOWNLOAD_KEPT,
                               NULL))
    abort ();
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
check_outcome (gboolean      ok,
               const GError *error)
{
  g_autofree char *part_path = g_strconcat (path, ".part", NULL);
  GStatBuf part;

  if (ok)
    {
      g_autofree char *data = NULL;
      gsize size = 0;

      if (error != NULL || !g_file_get_contents (path, &data, &size, NULL)
          || size != g_bytes_get_size (body)
          || memcmp (data, g_bytes_get_data (body, NULL), size) != 0
          || g_file_test (part_path, G_FILE_TEST_EXISTS))
        abort ();
      return;
    }

  /* Nothing in place, and one sentence that says why. */
  if (error == NULL || g_file_test (path, G_FILE_TEST_EXISTS)
      || (error->domain != IMPASTO_MODEL_DOWNLOAD_ERROR && error->domain != G_IO_ERROR)
      || error->message[0] == '\0' || strchr (error->message, '\n') != NULL
      || !g_utf8_validate (error->message, -1, NULL))
    abort ();
  /* What is kept for resuming is never more than the file can be. */
  if (g_stat (part_path, &part) == 0 && (guint64) part.st_size > expected.max_size)
    abort ();
}

static void
remove_files (void)
{
  static const char * const suffixes[] = { "", ".part", ".part.info", ".sha256", ".lock" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gsize info_size = size >= 2 ? MIN (data[0] | (gsize) data[1] << 8, size - 2) : 0;
  gsize reply_start = MIN (size, 2 + info_size);
  g_autoptr(ImpastoModelDownload) download = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  gboolean ok;

  remove_files ();
  write_kept ((const char *) data + 2, info_size);
  g_mutex_lock (&answer_lock);
  g_bytes_unref (answer);
  answer = g_bytes_new (data + reply_start, size - reply_start);
  g_mutex_unlock (&answer_lock);

  download = impasto_model_download_new (url, path, &expected);
  /* An answer that promises more than it sends and keeps the connection must time out. */
  impasto_model_download_set_timeout (download, 2);
  impasto_model_download_run_async (download, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ok = impasto_model_download_run_finish (download, result, &error);
  g_object_unref (result);

  check_outcome (ok, error);
  remove_files ();
  return 0;
}
