/* impasto-model-compact.c
 *
 * The published file is mostly its fully connected layers, which style transfer never uses;
 * the copy keeps the rest, exactly, so that it loads faster and takes a sixth of the disk.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "impasto-model-compact.h"
#include "impasto-model-download.h"
#include "impasto-model-verify-private.h"
#include "impasto-network-write.h"

/* The deepest layer any run can need; everything before it is kept. */
static const char * const last_layer[] = { "pool5", NULL };

char *
impasto_model_get_compact_path (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *stem = g_str_has_suffix (base, ".mat")
                          ? g_strndup (base, strlen (base) - 4) : g_strdup (base);
  g_autofree char *name = g_strconcat (stem, "-conv.mat", NULL);

  return g_build_filename (folder, name, NULL);
}

static ImpastoNetwork *
load_timed (const char  *path,
            double      *seconds,
            guint64     *bytes,
            GError     **error)
{
  gint64 start = g_get_monotonic_time ();
  ImpastoNetwork *network = impasto_network_load (path, last_layer, error);
  GStatBuf st;

  *seconds = (g_get_monotonic_time () - start) / (double) G_TIME_SPAN_SECOND;
  *bytes = g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
  return network;
}

static gboolean
record (const char  *path,
        GError     **error)
{
  g_autofree char *md5 = NULL;
  g_autofree char *sha256 = NULL;

  return impasto_model_digest_file (path, &md5, &sha256, NULL, error)
         && impasto_model_write_record (path, sha256, error);
}

gboolean
impasto_model_compact (const char                 *path,
                       const char                 *compact_path,
                       ImpastoModelCompactReport  *report,
                       GError                    **error)
{
  ImpastoModelCompactReport r = { 0 };
  g_autofree char *written = NULL;
  g_autoptr(ImpastoNetwork) original = NULL;
  g_autoptr(ImpastoNetwork) copy = NULL;

  g_return_val_if_fail (path != NULL && compact_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  original = load_timed (path, &r.original_load_seconds, &r.original_bytes, error);
  if (original == NULL)
    return FALSE;

  /* Written and checked under another name, so that a bad copy never replaces a good one. */
  written = g_strconcat (compact_path, ".new", NULL);
  if (!impasto_network_write (original, written, error))
    return FALSE;
  copy = load_timed (written, &r.compact_load_seconds, &r.compact_bytes, error);
  if (copy == NULL || !impasto_network_equal (original, copy))
    {
      g_unlink (written);
      if (copy != NULL)
        g_set_error (error, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_CHECKSUM,
                     _("The compact copy of %s read back different from it, so it was not "
                       "kept; the model is unchanged"), path);
      return FALSE;
    }

  if (g_rename (written, compact_path) != 0)
    {
      int saved = errno;

      g_unlink (written);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("%s could not be written (%s); the model is unchanged"),
                   compact_path, g_strerror (saved));
      return FALSE;
    }
  if (!record (compact_path, error))
    return FALSE;

  if (report != NULL)
    *report = r;
  return TRUE;
}

gboolean
impasto_model_remove (const char  *path,
                      GError     **error)
{
  g_autofree char *record_path = impasto_model_get_record_path (path);

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("%s could not be removed (%s)"), path, g_strerror (saved));
      return FALSE;
    }
  g_unlink (record_path);
  return TRUE;
}
