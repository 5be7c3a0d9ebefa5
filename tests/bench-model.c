/* bench-model.c: the model's download and compact copy at full size, on the loopback interface
 *
 * A VGG19-shaped file as large as the published one (with its fc layers) is served from
 * 127.0.0.1 and downloaded, then made compact; the figures are the transfer's throughput, the
 * checksum's time, and the disk and load time before and after. `--model FILE` instead times
 * loading the layers up to pool5 from FILE, changing nothing.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "impasto-fixture.h"
#include "impasto-model-compact.h"
#include "impasto-model-download.h"
#include "impasto-network.h"
#include "model-server.h"
#include "test-util.h"

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* When the checksum began, as the transfer's end. */
static void
on_progress (ImpastoModelDownload *download,
             gpointer              data)
{
  gint64 *verify_start = data;

  if (*verify_start == 0
      && impasto_model_download_get_phase (download) == IMPASTO_MODEL_DOWNLOAD_VERIFYING)
    *verify_start = g_get_monotonic_time ();
}

static void
bench_download (GBytes     *model,
                const char *path)
{
  g_autoptr(ModelServer) server = model_server_new_in_thread (model);
  g_autofree char *md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, model);
  const char *digests[] = { md5, NULL };
  ImpastoModelExpected expected = { digests, 1, G_MAXUINT64, "the benchmark's model" };
  g_autoptr(ImpastoModelDownload) download = impasto_model_download_new (server->url, path,
                                                                         &expected);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 verify_start = 0;
  double transfer, verify, size = g_bytes_get_size (model);

  g_signal_connect (download, "progress", G_CALLBACK (on_progress), &verify_start);
  impasto_model_download_run_async (download, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  impasto_model_download_run_finish (download, result, &error);
  g_assert_no_error (error);
  g_object_unref (result);

  transfer = (verify_start - start) / (double) G_TIME_SPAN_SECOND;
  verify = (g_get_monotonic_time () - verify_start) / (double) G_TIME_SPAN_SECOND;
  g_print ("download: %.1f MB in %.2f s (%.0f MB/s), then MD5 and SHA-256 in %.2f s\n",
           size / 1e6, transfer, size / 1e6 / transfer, verify);
}

static void
bench_compact (const char *path)
{
  g_autofree char *compact = impasto_model_get_compact_path (path);
  g_autoptr(GError) error = NULL;
  ImpastoModelCompactReport r;
  gint64 start = g_get_monotonic_time ();

  impasto_model_compact (path, compact, &r, &error);
  g_assert_no_error (error);
  g_print ("compact copy: written and checked in %.2f s\n"
           "  disk: %.1f MB -> %.1f MB\n"
           "  loading up to pool5: %.2f s -> %.2f s\n",
           (g_get_monotonic_time () - start) / (double) G_TIME_SPAN_SECOND,
           r.original_bytes / 1e6, r.compact_bytes / 1e6,
           r.original_load_seconds, r.compact_load_seconds);
}

static void
bench_load (const char *path)
{
  static const char * const last[] = { "pool5", NULL };
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_no_errno (g_stat (path, &st));
  for (guint i = 0; i < 3; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(ImpastoNetwork) network = impasto_network_load (path, last, &error);

      g_assert_no_error (error);
      g_print ("%s (%.1f MB): loaded up to pool5 in %.2f s\n", path, st.st_size / 1e6,
               (g_get_monotonic_time () - start) / (double) G_TIME_SPAN_SECOND);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *model_path = NULL;
  const GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model_path,
      "Only time loading this model file", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  ImpastoFixtureOptions options;
  g_autofree char *dir = NULL;
  g_autofree char *source = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) model = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  g_unsetenv ("http_proxy");
  if (model_path != NULL)
    {
      bench_load (model_path);
      return 0;
    }

  dir = test_make_tmpdir ();
  source = g_build_filename (dir, "served.mat", NULL);
  path = g_build_filename (dir, "impasto", "imagenet-vgg-verydeep-19.mat", NULL);
  impasto_fixture_options_init (&options);
  options.factor = 1;
  options.with_fc = TRUE;
  options.with_meta = TRUE;
  g_assert_true (impasto_fixture_write (source, &options, &error));
  mapped = g_mapped_file_new (source, FALSE, &error);
  g_assert_no_error (error);
  model = g_mapped_file_get_bytes (mapped);

  bench_download (model, path);
  bench_compact (path);
  test_remove_tree (dir);

  return 0;
}
