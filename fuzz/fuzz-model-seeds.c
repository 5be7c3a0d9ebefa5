/* fuzz-model-seeds.c: small models in every layout the loader accepts, and some it refuses
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "fuzz-seeds.h"
#include "impasto-fixture.h"

/* VGG19's channel counts divided by 64: 1 to 8 channels, a few kilobytes of weights. */
#define FACTOR 64

/* Everything the fixture leaves at zero unless set; factor and seed are filled in after. */
static const struct
{
  const char           *name;
  ImpastoFixtureOptions options;
} variants[] = {
  { "plain.mat", { 0 } },
  { "compressed.mat", { .compress = TRUE } },
  { "uint16-names.mat", { .chars = IMPASTO_FIXTURE_CHARS_UINT16 } },
  { "uint8-names.mat", { .chars = IMPASTO_FIXTURE_CHARS_UINT8 } },
  { "doubles.mat", { .double_kernels = TRUE } },
  { "row-bias.mat", { .row_bias = TRUE } },
  { "old-fields.mat", { .old_fields = TRUE } },
  { "with-fc.mat", { .with_fc = TRUE, .with_meta = TRUE } },
  { "short.mat", { .stop_after = "conv1_2" } },
  { "no-layers.mat", { .no_layers = TRUE } },
  { "string-kernel.mat",
    { .broken_layer = "conv2_1", .breakage = IMPASTO_FIXTURE_BREAK_STRING_KERNEL } },
  { "nan-weight.mat",
    { .broken_layer = "conv1_1", .breakage = IMPASTO_FIXTURE_BREAK_NAN_WEIGHT } },
  { "average-pool.mat",
    { .broken_layer = "pool1", .breakage = IMPASTO_FIXTURE_BREAK_AVERAGE_POOL } },
};

static GBytes *
write_model (const char            *dir,
             const char            *name,
             ImpastoFixtureOptions *options)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize size = 0;

  if (!impasto_fixture_write (path, options, &error)
      || !g_file_get_contents (path, &data, &size, &error))
    g_error ("cannot write the seed %s: %s", name, error->message);
  g_unlink (path);

  return g_bytes_new_take (data, size);
}

GPtrArray *
fuzz_seeds_make (void)
{
  GPtrArray *seeds = fuzz_seeds_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("impasto-model-seeds-XXXXXX", &error);

  if (dir == NULL)
    g_error ("%s", error->message);

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      ImpastoFixtureOptions options = variants[i].options;

      options.factor = FACTOR;
      options.seed = i + 1;
      fuzz_seeds_add (seeds, variants[i].name, write_model (dir, variants[i].name, &options));
    }
  g_rmdir (dir);

  return seeds;
}
