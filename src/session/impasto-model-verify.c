/* impasto-model-verify.c: is this file the model, by its MD5 first and its SHA-256 after
 *
 * MatConvNet publishes no SHA-256, so the first check is the MD5 it is known by; the SHA-256
 * computed then is recorded so that every later check uses the stronger digest.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "impasto-model-download.h"
#include "impasto-model-verify-private.h"

#define READ_SIZE (1 << 20)

static const char * const vgg19_md5[] = {
  "106118b7cf60435e6d8e04f6a6dc3657",   /* the file published now */
  "8ee3263992981a1d26e73b3ca028a123",   /* MatConvNet beta16's */
  NULL
};

/* The current file is 534,904,783 bytes; the bounds only need to tell a wrong answer (an
 * error page, a truncated mirror) from a plausible one before it is written. */
static const ImpastoModelExpected vgg19 = {
  .md5 = vgg19_md5,
  .min_size = 400 * G_GUINT64_CONSTANT (1000000),
  .max_size = 700 * G_GUINT64_CONSTANT (1000000),
  .description = N_("the VGG19 model"),
};

const ImpastoModelExpected *
impasto_model_expected_vgg19 (void)
{
  return &vgg19;
}

gboolean
impasto_model_expected_has_md5 (const ImpastoModelExpected *expected,
                                const char                 *md5)
{
  for (guint i = 0; expected->md5[i] != NULL; i++)
    if (g_ascii_strcasecmp (expected->md5[i], md5) == 0)
      return TRUE;

  return FALSE;
}

char *
impasto_model_get_record_path (const char *path)
{
  return g_strconcat (path, ".sha256", NULL);
}

gboolean
impasto_model_write_record (const char  *path,
                            const char  *sha256,
                            GError     **error)
{
  g_autofree char *record = impasto_model_get_record_path (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *line = g_strdup_printf ("%s  %s\n", sha256, base);

  return g_file_set_contents (record, line, -1, error);
}

gboolean
impasto_model_digest_file (const char    *path,
                           char         **md5,
                           char         **sha256,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) md5_sum = g_checksum_new (G_CHECKSUM_MD5);
  g_autoptr(GChecksum) sha256_sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (READ_SIZE);
  gssize n;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return FALSE;

  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, READ_SIZE,
                                   cancellable, error)) > 0)
    {
      g_checksum_update (md5_sum, buffer, n);
      g_checksum_update (sha256_sum, buffer, n);
    }
  if (n < 0)
    return FALSE;

  *md5 = g_strdup (g_checksum_get_string (md5_sum));
  *sha256 = g_strdup (g_checksum_get_string (sha256_sum));
  return TRUE;
}

/* The digest in a sha256sum line, or NULL when the record is missing or unreadable. */
static char *
read_record (const char *path)
{
  g_autofree char *record = impasto_model_get_record_path (path);
  g_autofree char *contents = NULL;
  char *end;

  if (!g_file_get_contents (record, &contents, NULL, NULL))
    return NULL;

  end = strchr (contents, ' ');
  if (end == NULL || end - contents != 64)
    return NULL;

  return g_strndup (contents, 64);
}

gboolean
impasto_model_verify (const char                 *path,
                      const ImpastoModelExpected *expected,
                      GCancellable               *cancellable,
                      GError                    **error)
{
  g_autofree char *recorded = NULL;
  g_autofree char *md5 = NULL;
  g_autofree char *sha256 = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (expected != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!impasto_model_digest_file (path, &md5, &sha256, cancellable, error))
    return FALSE;

  recorded = read_record (path);
  if (recorded != NULL && g_ascii_strcasecmp (recorded, sha256) != 0)
    {
      g_set_error (error, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_CHECKSUM,
                   _("%s has changed since it was downloaded (its SHA-256 is %s, not %s); "
                     "remove it and download it again"), path, sha256, recorded);
      return FALSE;
    }
  if (recorded == NULL && !impasto_model_expected_has_md5 (expected, md5))
    {
      g_set_error (error, IMPASTO_MODEL_DOWNLOAD_ERROR, IMPASTO_MODEL_DOWNLOAD_ERROR_CHECKSUM,
                   _("%s is not %s (its MD5 is %s); remove it and download it again"),
                   path, _(expected->description), md5);
      return FALSE;
    }

  return recorded != NULL || impasto_model_write_record (path, sha256, error);
}
