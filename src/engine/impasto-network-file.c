/* impasto-network-file.c
 *
 * matio reads what a file's headers say and trusts them; a truncated download or a damaged
 * file must still end in a GError and never in a crash, so sizes are checked here before
 * matio acts on them.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "impasto-mat-check.h"
#include "impasto-network-file.h"

/* Longer than any layer name or type: longer text is not what we are looking for. */
#define MAX_STRING 4096
/* zlib cannot expand data by more than this. */
#define MAX_DEFLATE_RATIO 1032
#define MAT5_HEADER_SIZE 128

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FILE, fclose)

gboolean
impasto_network_file_failv (ImpastoNetworkFile  *file,
                            GError             **error,
                            ImpastoNetworkError  code,
                            const char          *layer,
                            const char          *format,
                            va_list              args)
{
  g_autofree char *detail = g_strdup_vprintf (format, args);

  if (layer != NULL)
    g_set_error (error, IMPASTO_NETWORK_ERROR, code, "“%s”: layer %s: %s",
                 file->display_name, layer, detail);
  else
    g_set_error (error, IMPASTO_NETWORK_ERROR, code, "“%s”: %s", file->display_name, detail);

  return FALSE;
}

G_GNUC_PRINTF (5, 6)
static gboolean
fail (ImpastoNetworkFile  *file,
      GError             **error,
      ImpastoNetworkError  code,
      const char          *layer,
      const char          *format,
      ...)
{
  va_list args;

  va_start (args, format);
  impasto_network_file_failv (file, error, code, layer, format, args);
  va_end (args);

  return FALSE;
}

static gboolean
fail_not_mat (ImpastoNetworkFile  *file,
              GError             **error)
{
  g_set_error (error, IMPASTO_NETWORK_ERROR, IMPASTO_NETWORK_ERROR_OPEN,
               "“%s” is not a MAT file (MatConvNet’s %s is expected)",
               file->display_name, MODEL_FILE_NAME);
  return FALSE;
}

/* The container, checked before matio sees the file */

static guint32
read_u32 (const guchar *bytes,
          gboolean      big_endian)
{
  guint32 value;

  memcpy (&value, bytes, sizeof value);
  return big_endian ? GUINT32_FROM_BE (value) : GUINT32_FROM_LE (value);
}

/* MAT5 is a 128-byte header and then one tagged element per variable.  Checking that every
 * element fits in the file catches any truncation, with a message that says so, before matio
 * reads past the end of a variable. */
static gboolean
check_elements (ImpastoNetworkFile  *file,
                FILE                *stream,
                gboolean             big_endian,
                GError             **error)
{
  goffset offset = MAT5_HEADER_SIZE;

  while (offset < file->size)
    {
      guchar tag[8];
      guint32 type;
      goffset end;
      g_autofree char *problem = NULL;

      if (fseeko (stream, offset, SEEK_SET) != 0 || fread (tag, 1, 8, stream) != 8)
        return fail (file, error, IMPASTO_NETWORK_ERROR_OPEN, NULL,
                     "the file is truncated after %" G_GOFFSET_FORMAT " bytes: "
                     "download it again", file->size);

      type = read_u32 (tag, big_endian);
      end = offset + 8 + read_u32 (tag + 4, big_endian);
      if (type != MAT_T_MATRIX && type != MAT_T_COMPRESSED)
        return fail (file, error, IMPASTO_NETWORK_ERROR_OPEN, NULL,
                     "the file is damaged at byte %" G_GOFFSET_FORMAT ": download it again",
                     offset);
      if (end > file->size)
        return fail (file, error, IMPASTO_NETWORK_ERROR_OPEN, NULL,
                     "the file is truncated after %" G_GOFFSET_FORMAT " of %" G_GOFFSET_FORMAT
                     " bytes: download it again", file->size, end);
      /* matio allocates from the nested array headers, and recurses into them */
      if (!impasto_mat_check_element (stream, offset, type, end - offset - 8, big_endian,
                                      &problem))
        return fail (file, error, IMPASTO_NETWORK_ERROR_OPEN, NULL,
                     "the file is damaged (%s): download it again", problem);

      /* uncompressed elements are padded to 8 bytes, compressed ones are not */
      offset = type == MAT_T_MATRIX ? (end + 7) / 8 * 8 : end;
    }

  return TRUE;
}

static gboolean
check_container (ImpastoNetworkFile  *file,
                 const char          *path,
                 GError             **error)
{
  g_autoptr(FILE) stream = g_fopen (path, "rb");
  struct stat info;
  guchar header[MAT5_HEADER_SIZE];
  gboolean big_endian;
  guint version;

  if (stream == NULL || fstat (fileno (stream), &info) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, IMPASTO_NETWORK_ERROR, IMPASTO_NETWORK_ERROR_OPEN,
                   "Could not open “%s”: %s", file->display_name, g_strerror (saved_errno));
      return FALSE;
    }
  file->size = info.st_size;

  if (!S_ISREG (info.st_mode) || fread (header, 1, sizeof header, stream) != sizeof header)
    return fail_not_mat (file, error);

  /* "MI" written in the writer's byte order */
  if (header[126] == 'I' && header[127] == 'M')
    big_endian = FALSE;
  else if (header[126] == 'M' && header[127] == 'I')
    big_endian = TRUE;
  else
    return fail_not_mat (file, error);

  version = big_endian ? (header[124] << 8 | header[125]) : (header[125] << 8 | header[124]);
  if (version == 0x0200)
    return fail (file, error, IMPASTO_NETWORK_ERROR_OPEN, NULL,
                 "MATLAB v7.3 (HDF5) files are not supported: save it again with "
                 "save(…, '-v7')");
  if (version != 0x0100)
    return fail_not_mat (file, error);

  return check_elements (file, stream, big_endian, error);
}

ImpastoNetworkFile *
impasto_network_file_open (const char  *path,
                           GError     **error)
{
  g_autoptr(ImpastoNetworkFile) file = g_new0 (ImpastoNetworkFile, 1);

  file->display_name = g_filename_display_name (path);
  if (!check_container (file, path, error))
    return NULL;

  file->mat = Mat_Open (path, MAT_ACC_RDONLY);
  if (file->mat == NULL || Mat_GetVersion (file->mat) != MAT_FT_MAT5)
    {
      fail_not_mat (file, error);
      return NULL;
    }

  return g_steal_pointer (&file);
}

void
impasto_network_file_free (ImpastoNetworkFile *file)
{
  if (file == NULL)
    return;

  g_clear_pointer (&file->mat, Mat_Close);
  g_free (file->display_name);
  g_free (file);
}

gboolean
impasto_network_file_fits (ImpastoNetworkFile *file,
                           const matvar_t     *var,
                           size_t              n)
{
  guint64 limit = (guint64) file->size;

  if (var->compression == MAT_COMPRESSION_ZLIB)
    limit *= MAX_DEFLATE_RATIO;

  return n <= limit;
}

/* Cells and structs */

size_t
impasto_mat_n_elements (const matvar_t *var)
{
  size_t n = 1;

  for (int i = 0; i < var->rank; i++)
    if (!g_size_checked_mul (&n, n, var->dims[i]))
      return G_MAXSIZE;

  return n;
}

/* matio 1.5.23 trusts a damaged file's element and field counts even where it could not read
 * the elements or the field names: the pointers it really allocated must cover what the
 * dimensions promise before it is asked for one. */
gboolean
impasto_mat_is_intact (matvar_t *var)
{
  size_t n = impasto_mat_n_elements (var);

  if (var->data == NULL)
    return FALSE;
  if (var->class_type == MAT_C_STRUCT
      && (Mat_VarGetStructFieldnames (var) == NULL
          || !g_size_checked_mul (&n, n, Mat_VarGetNumberOfFields (var))))
    return FALSE;

  return var->nbytes / sizeof (matvar_t *) >= n;
}

matvar_t *
impasto_mat_get_field (matvar_t   *var,
                       const char *name)
{
  char *const *names = Mat_VarGetStructFieldnames (var);
  guint n = Mat_VarGetNumberOfFields (var);

  g_assert (var->class_type == MAT_C_STRUCT && impasto_mat_n_elements (var) == 1);
  g_assert (impasto_mat_is_intact (var));

  for (guint i = 0; i < n; i++)
    if (names[i] != NULL && strcmp (names[i], name) == 0)
      return Mat_VarGetStructFieldByIndex (var, i, 0);

  return NULL;
}

matvar_t *
impasto_mat_get_cell (matvar_t *var,
                      size_t    index)
{
  g_assert (var->class_type == MAT_C_CELL && index < impasto_mat_n_elements (var));
  g_assert (impasto_mat_is_intact (var) && index <= G_MAXINT);

  return Mat_VarGetCell (var, (int) index);
}

/* Leaves */

/* Reads the data that matio's info calls left unread. */
static gboolean
read_data (ImpastoNetworkFile *file,
           matvar_t           *var)
{
  return var->data != NULL || (Mat_VarReadDataAll (file->mat, var) == 0 && var->data != NULL);
}

/* matio's copy of an array we have converted is dropped at once, so that no more than one
 * array is ever held twice. */
static void
drop_data (matvar_t *var)
{
  if (var->mem_conserve)
    return;

  free (var->data);
  var->data = NULL;
}

static char *
chars_to_string (const matvar_t *var)
{
  size_t n = impasto_mat_n_elements (var);

  switch (var->data_type)
    {
    case MAT_T_UTF8:
      /* also refuses NUL */
      if (!g_utf8_validate_len (var->data, var->nbytes, NULL))
        return NULL;
      return g_strndup (var->data, var->nbytes);
    case MAT_T_UINT8:
    case MAT_T_INT8:
      if (memchr (var->data, 0, var->nbytes) != NULL)
        return NULL;
      return g_convert (var->data, var->nbytes, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
    case MAT_T_UINT16:
    case MAT_T_UTF16:
      if (var->nbytes != n * 2)
        return NULL;
      return g_utf16_to_utf8 (var->data, (glong) n, NULL, NULL, NULL);
    default:
      return NULL;
    }
}

gboolean
impasto_network_file_read_string (ImpastoNetworkFile  *file,
                                  matvar_t            *var,
                                  const char          *layer,
                                  const char          *field,
                                  char               **string,
                                  GError             **error)
{
  if (var == NULL)
    return fail (file, error, IMPASTO_NETWORK_ERROR_FORMAT, layer, "it has no field “%s”", field);
  if (var->class_type != MAT_C_CHAR || var->rank != 2 || var->dims[0] != 1
      || var->dims[1] < 1 || var->dims[1] > MAX_STRING)
    return fail (file, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                 "its field “%s” is not a line of text", field);
  if (!read_data (file, var))
    return fail (file, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                 "its field “%s” could not be read: the file is damaged", field);

  *string = chars_to_string (var);
  if (*string == NULL || **string == '\0')
    {
      g_clear_pointer (string, g_free);
      return fail (file, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                   "its field “%s” is not readable text", field);
    }

  return TRUE;
}

static const char *
class_name (const matvar_t *var)
{
  switch (var->class_type)
    {
    case MAT_C_CHAR:
      return "text";
    case MAT_C_CELL:
      return "a cell array";
    case MAT_C_STRUCT:
      return "a struct";
    case MAT_C_SPARSE:
      return "a sparse matrix";
    case MAT_C_EMPTY:
      return "empty";
    default:
      return "of an integer class";
    }
}

gboolean
impasto_network_file_check_numbers (ImpastoNetworkFile  *file,
                                    const matvar_t      *var,
                                    const char          *layer,
                                    const char          *what,
                                    GError             **error)
{
  if (var == NULL)
    return fail (file, error, IMPASTO_NETWORK_ERROR_FORMAT, layer, "it has no %s", what);
  if (var->class_type != MAT_C_SINGLE && var->class_type != MAT_C_DOUBLE)
    return fail (file, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                 "its %s is %s, expected single or double numbers", what, class_name (var));
  if (var->isComplex)
    return fail (file, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                 "its %s is complex, expected real numbers", what);
  if (var->isLogical)
    return fail (file, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                 "its %s is logical, expected numbers", what);

  return TRUE;
}

/* NaN and infinity are refused: one of them would make every image the network sees NaN. */
gboolean
impasto_network_file_read_floats (ImpastoNetworkFile  *file,
                                  matvar_t            *var,
                                  const char          *layer,
                                  const char          *what,
                                  float               *dst,
                                  size_t               n,
                                  GError             **error)
{
  gboolean is_double = var->class_type == MAT_C_DOUBLE;
  size_t bad = n;

  g_assert (is_double || var->class_type == MAT_C_SINGLE);

  if (!read_data (file, var)
      || var->data_type != (is_double ? MAT_T_DOUBLE : MAT_T_SINGLE)
      || var->nbytes != n * (is_double ? sizeof (double) : sizeof (float)))
    return fail (file, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                 "its %s could not be read: the file is damaged", what);

  for (size_t i = 0; i < n; i++)
    {
      dst[i] = is_double ? (float) ((const double *) var->data)[i]
                         : ((const float *) var->data)[i];
      if (!isfinite (dst[i]) && bad == n)
        bad = i;
    }
  drop_data (var);

  if (bad < n)
    return fail (file, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                 "its %s holds NaN or an infinity (element %zu)", what, bad + 1);

  return TRUE;
}

gboolean
impasto_network_file_read_params (ImpastoNetworkFile  *file,
                                  matvar_t            *var,
                                  const char          *layer,
                                  const char          *field,
                                  double               values[4],
                                  size_t              *n_values,
                                  GError             **error)
{
  float floats[4];

  if (!impasto_network_file_check_numbers (file, var, layer, field, error))
    return FALSE;

  *n_values = impasto_mat_n_elements (var);
  if (*n_values < 1 || *n_values > 4)
    return fail (file, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                 "its %s has %zu values, expected 1 to 4", field, *n_values);
  if (!impasto_network_file_read_floats (file, var, layer, field, floats, *n_values, error))
    return FALSE;

  for (size_t i = 0; i < *n_values; i++)
    values[i] = floats[i];

  return TRUE;
}
