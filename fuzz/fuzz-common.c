/* fuzz-common.c: what the fuzz targets and their seed makers share
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz-seeds.h"
#include "fuzz-target.h"

static void
fuzz_seed_free (gpointer data)
{
  FuzzSeed *seed = data;

  g_free (seed->name);
  g_bytes_unref (seed->bytes);
  g_free (seed);
}

GPtrArray *
fuzz_seeds_new (void)
{
  return g_ptr_array_new_with_free_func (fuzz_seed_free);
}

void
fuzz_seeds_add (GPtrArray  *seeds,
                const char *name,
                GBytes     *bytes)
{
  FuzzSeed *seed = g_new0 (FuzzSeed, 1);

  seed->name = g_strdup (name);
  seed->bytes = bytes;
  g_ptr_array_add (seeds, seed);
}

static const char * const *tolerated_criticals;

static const char *
find_field (const GLogField *fields,
            gsize            n_fields,
            const char      *key)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, key) && fields[i].length < 0)
      return fields[i].value;

  return "";
}

static gboolean
is_tolerated (const GLogField *fields,
              gsize            n_fields)
{
  const char *domain = find_field (fields, n_fields, "GLIB_DOMAIN");
  const char *message = find_field (fields, n_fields, "MESSAGE");

  for (guint i = 0; tolerated_criticals != NULL && tolerated_criticals[i] != NULL; i += 2)
    if (g_str_equal (domain, tolerated_criticals[i])
        && g_str_equal (message, tolerated_criticals[i + 1]))
      return TRUE;

  return FALSE;
}

static GLogWriterOutput
write_log (GLogLevelFlags   log_level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  if (!(log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
      || ((log_level & G_LOG_LEVEL_CRITICAL) && is_tolerated (fields, n_fields)))
    return G_LOG_WRITER_HANDLED;

  g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  abort ();
}

void
fuzz_target_init_logging (const char * const *tolerated)
{
  tolerated_criticals = tolerated;
  g_log_set_writer_func (write_log, NULL, NULL);
}
