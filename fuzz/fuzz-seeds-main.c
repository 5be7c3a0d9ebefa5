/* fuzz-seeds-main.c: writes a target's seed corpus into a folder for libFuzzer
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "fuzz-seeds.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) seeds = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: %s FOLDER\n", argv[0]);
      return 2;
    }
  if (g_mkdir_with_parents (argv[1], 0777) != 0)
    {
      g_printerr ("%s: cannot create %s: %s\n", argv[0], argv[1], g_strerror (errno));
      return 1;
    }

  seeds = fuzz_seeds_make ();
  for (guint i = 0; i < seeds->len; i++)
    {
      const FuzzSeed *seed = g_ptr_array_index (seeds, i);
      g_autofree char *path = g_build_filename (argv[1], seed->name, NULL);
      g_autoptr(GError) error = NULL;
      gsize size;
      const char *data = g_bytes_get_data (seed->bytes, &size);

      if (!g_file_set_contents (path, data, size, &error))
        {
          g_printerr ("%s: %s\n", argv[0], error->message);
          return 1;
        }
    }
  g_print ("%u seeds in %s\n", seeds->len, argv[1]);

  return 0;
}
