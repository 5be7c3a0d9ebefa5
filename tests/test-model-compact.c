/* test-model-compact.c: the model's compact copy holds exactly the weights a run uses
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "impasto-fixture.h"
#include "impasto-model-compact.h"
#include "impasto-model-path.h"
#include "impasto-network.h"
#include "test-util.h"

typedef struct
{
  char                  *dir;
  char                  *path;
  char                  *compact;
  ImpastoFixtureOptions  options;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;

  f->dir = test_make_tmpdir ();
  folder = g_build_filename (f->dir, "impasto", NULL);
  g_assert_no_errno (g_mkdir (folder, 0755));
  f->path = g_build_filename (folder, IMPASTO_MODEL_FILE_NAME, NULL);
  f->compact = impasto_model_get_compact_path (f->path);

  /* Laid out like the published file: fc layers and meta after the convolutions. */
  impasto_fixture_options_init (&f->options);
  f->options.factor = 8;
  f->options.seed = 7;
  f->options.with_fc = TRUE;
  f->options.with_meta = TRUE;
  f->options.chars = IMPASTO_FIXTURE_CHARS_UINT16;
  f->options.compress = GPOINTER_TO_INT (data);
  g_assert_true (impasto_fixture_write (f->path, &f->options, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->compact);
}

/* Every conv layer of the copy holds the fixture's values, and nothing after pool5 is left. */
static void
assert_copy_holds_fixture (Fixture *f)
{
  static const char * const all[] = { "pool5", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoNetwork) network = impasto_network_load (f->compact, all, &error);
  const ImpastoLayer *last;

  g_assert_no_error (error);
  last = impasto_network_get_layer (network, impasto_network_get_n_layers (network) - 1);
  g_assert_cmpstr (last->name, ==, "pool5");
  for (guint i = 0; i < impasto_network_get_n_layers (network); i++)
    {
      const ImpastoLayer *layer = impasto_network_get_layer (network, i);
      guint in = layer->in_channels, out = layer->out_channels;

      if (layer->kind != IMPASTO_LAYER_CONV)
        continue;
      for (guint k = 0; k < out; k += 7)
        {
          g_assert_cmpfloat (layer->bias[k], ==,
                             impasto_fixture_bias_value (&f->options, layer->name, k));
          for (guint c = 0; c < in; c += 5)
            for (guint y = 0; y < 3; y++)
              for (guint x = 0; x < 3; x++)
                g_assert_cmpfloat (layer->weights[((k * in + c) * 3 + y) * 3 + x], ==,
                                   impasto_fixture_kernel_value (&f->options, layer->name,
                                                                 k, c, y, x));
        }
    }
}

/* A recipe names the model by its layers' checksum: one made with the original is made again
 * with the copy. */
static void
assert_same_checksum (Fixture *f)
{
  static const char * const all[] = { "pool5", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoNetwork) original = impasto_network_load (f->path, all, &error);
  g_autoptr(ImpastoNetwork) copy = NULL;
  guint n;

  g_assert_no_error (error);
  copy = impasto_network_load (f->compact, all, &error);
  g_assert_no_error (error);
  n = impasto_network_get_n_layers (original);
  g_assert_cmpuint (impasto_network_get_n_layers (copy), ==, n);
  for (guint used = 1; used <= n; used += n / 4)
    {
      g_autofree char *expected = impasto_network_dup_checksum (original, used);
      g_autofree char *found = impasto_network_dup_checksum (copy, used);

      g_assert_cmpstr (found, ==, expected);
    }
}

static void
compact (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *record = g_strconcat (f->compact, ".sha256", NULL);
  ImpastoModelCompactReport report = { 0 };

  g_assert_true (impasto_model_compact (f->path, f->compact, &report, &error));
  g_assert_no_error (error);
  g_test_message ("%" G_GUINT64_FORMAT " bytes (%.3f s to load) -> %" G_GUINT64_FORMAT
                  " bytes (%.3f s)", report.original_bytes, report.original_load_seconds,
                  report.compact_bytes, report.compact_load_seconds);
  g_assert_cmpuint (report.compact_bytes, >, 0);
  g_assert_cmpuint (report.compact_bytes, <, report.original_bytes);
  g_assert_true (g_file_test (record, G_FILE_TEST_IS_REGULAR));
  assert_copy_holds_fixture (f);
  assert_same_checksum (f);
}

static void
test_compressed (Fixture       *f,
                 gconstpointer  data)
{
  compact (f);
}

/* The copy is found first, and still once the original is gone. */
static void
test_compact (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  compact (f);
  /* GLib reads it once: this is the only test that sets it. */
  g_setenv ("XDG_DATA_HOME", f->dir, TRUE);
  found = impasto_model_find (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, f->compact);
  g_assert_true (impasto_model_remove (f->path, &error));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&found, g_free);
  found = impasto_model_find (NULL, &error);
  g_assert_cmpstr (found, ==, f->compact);
}

/* A folder it cannot write in: an error, and nothing left behind. */
static void
test_unwritable (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_build_filename (f->dir, "missing", "copy.mat", NULL);
  g_autofree char *folder = g_build_filename (f->dir, "impasto", NULL);

  g_assert_false (impasto_model_compact (f->path, target, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "nothing was changed"));
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/impasto/session/compact/copy", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_compact, fixture_tear_down);
  g_test_add ("/impasto/session/compact/copy-of-compressed", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_compressed, fixture_tear_down);
  g_test_add ("/impasto/session/compact/unwritable", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_unwritable, fixture_tear_down);

  return g_test_run ();
}
