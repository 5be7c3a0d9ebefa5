/* fuzz-replay-main.c: runs a fuzz target without libFuzzer
 *
 * In the normal build each target is linked with this instead, and the test suite replays its
 * seeds through it, so that the targets keep building and working with every compiler, and
 * the seeds run under the sanitizers in CI. Files named on the command line (crashes found by
 * libFuzzer, say) are replayed after the seeds.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-seeds.h"
#include "fuzz-target.h"

static void
replay (const char *name,
        GBytes     *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_print ("%s (%" G_GSIZE_FORMAT " bytes)\n", name, size);
  LLVMFuzzerTestOneInput (data, size);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) seeds = NULL;

  LLVMFuzzerInitialize (&argc, &argv);
  seeds = fuzz_seeds_make ();
  for (guint i = 0; i < seeds->len; i++)
    {
      const FuzzSeed *seed = g_ptr_array_index (seeds, i);

      replay (seed->name, seed->bytes);
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      char *data = NULL;
      gsize size = 0;
      g_autoptr(GBytes) bytes = NULL;

      if (!g_file_get_contents (argv[i], &data, &size, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      bytes = g_bytes_new_take (data, size);
      replay (argv[i], bytes);
    }
  g_print ("replayed %u seeds and %d files\n", seeds->len, argc - 1);

  return 0;
}
