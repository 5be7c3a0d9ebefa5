/* impasto-image-save.c: PNG or JPEG, written so that a failure changes nothing
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "impasto-image-io.h"
#include "impasto-image-io-private.h"

#define JPEG_QUALITY "95"

/* gdk-pixbuf's type name for the extension of the last component of path, or NULL. */
const char *
impasto_image_type_for_path (const char *path)
{
  const char *base = strrchr (path, G_DIR_SEPARATOR);
  const char *dot;

  dot = strrchr (base != NULL ? base : path, '.');
  if (dot == NULL)
    return NULL;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    return "png";
  if (g_ascii_strcasecmp (dot, ".jpg") == 0 || g_ascii_strcasecmp (dot, ".jpeg") == 0)
    return "jpeg";

  return NULL;
}

gboolean
impasto_image_check_save_name (const char *path,
                               gboolean   *png,
                               GError    **error)
{
  const char *type = impasto_image_type_for_path (path);

  if (type == NULL)
    {
      g_autofree char *subject = impasto_image_quote_path (path);

      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_FORMAT,
                   _("%s could not be saved: Impasto saves PNG and JPEG images; "
                     "end the name in .png, .jpg or .jpeg"), subject);
      return FALSE;
    }
  if (png != NULL)
    *png = g_str_equal (type, "png");

  return TRUE;
}

/* The whole file is made in memory first, so an encoding failure touches no disk. */
static GBytes *
encode (const ImpastoImage *image,
        const char         *type,
        const char         *recipe,
        const char         *subject,
        GError            **error)
{
  g_autoptr(GdkPixbuf) pixbuf = impasto_image_wrap_pixbuf (image);
  g_autoptr(GError) pixbuf_error = NULL;
  char *buffer = NULL;
  gsize size = 0;
  gboolean ok;

  if (g_str_equal (type, "jpeg"))
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &pixbuf_error,
                                    "quality", JPEG_QUALITY, NULL);
  else if (recipe != NULL)
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &pixbuf_error,
                                    IMPASTO_PNG_RECIPE_OPTION, recipe, NULL);
  else
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &pixbuf_error, NULL);

  if (!ok)
    {
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_WRITE,
                   _("%s could not be saved: the image could not be encoded (%s); nothing was "
                     "changed"),
                   subject, pixbuf_error != NULL ? pixbuf_error->message : type);
      return NULL;
    }

  if (g_str_equal (type, "jpeg") && recipe != NULL)
    {
      g_autoptr(GBytes) plain = g_bytes_new_take (buffer, size);

      return impasto_jpeg_add_recipe (plain, recipe);
    }

  return g_bytes_new_take (buffer, size);
}

/* What errno means for someone saving into folder. */
static char *
describe_write_errno (int         errsv,
                      const char *folder)
{
  g_autofree char *name = g_filename_display_name (folder);

  switch (errsv)
    {
    case ENOENT:
      return g_strdup_printf (_("the folder “%s” does not exist"), name);
    case ENOTDIR:
      return g_strdup_printf (_("“%s” is not a folder"), name);
    case EACCES:
    case EPERM:
      return g_strdup_printf (_("there is no permission to write in the folder “%s”"), name);
    case EROFS:
      return g_strdup_printf (_("the folder “%s” is on a read-only disk"), name);
    case EISDIR:
      return g_strdup (_("a folder of that name is in the way"));
    case ENOSPC:
      return g_strdup (_("the disk is full"));
    case EDQUOT:
      return g_strdup (_("the disk quota is used up"));
    case EFBIG:
      return g_strdup (_("the file would be larger than this system allows"));
    default:
      return g_strdup (g_strerror (errsv));
    }
}

static void
set_write_error (const char *subject,
                 const char *folder,
                 int         errsv,
                 GError    **error)
{
  g_autofree char *reason = describe_write_errno (errsv, folder);

  g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_WRITE,
               _("%s could not be saved: %s; nothing was changed"), subject, reason);
}

/* Returns 0 once every byte is on the disk and fd is closed, or the errno of the failure. */
static int
write_sync_close (int     fd,
                  GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  int errsv = 0;

  for (gsize done = 0; done < size && errsv == 0;)
    {
      gssize n = write (fd, data + done, size - done);

      if (n >= 0)
        done += n;
      else if (errno != EINTR)
        errsv = errno;
    }

  if (errsv == 0 && fsync (fd) != 0)
    errsv = errno;
  /* Linux frees the descriptor even when close() is interrupted. */
  if (close (fd) != 0 && errsv == 0 && errno != EINTR)
    errsv = errno;

  return errsv;
}

/* The temporary file lives beside path so that the rename stays on one file system. */
static char *
temporary_template (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = NULL;

  /* Room for the dot and the suffix within the usual 255-byte name limit. */
  if (strlen (base) > 200)
    base[200] = '\0';
  name = g_strdup_printf (".%s.XXXXXX", base);

  return g_build_filename (folder, name, NULL);
}

gboolean
impasto_image_write_atomically (const char *path,
                                GBytes     *bytes,
                                const char *subject,
                                GError    **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *tmp_path = temporary_template (path);
  int errsv;
  int fd;

  /* 0666 so that the user's umask decides, as for any new file. */
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      set_write_error (subject, folder, errno, error);
      return FALSE;
    }

  errsv = write_sync_close (fd, bytes);
  if (errsv == 0 && g_rename (tmp_path, path) != 0)
    errsv = errno;

  if (errsv != 0)
    {
      g_unlink (tmp_path);
      set_write_error (subject, folder, errsv, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
impasto_image_save (const ImpastoImage *image,
                    const char         *path,
                    GError            **error)
{
  return impasto_image_save_with_recipe (image, path, NULL, error);
}

gboolean
impasto_image_save_with_recipe (const ImpastoImage *image,
                                const char         *path,
                                const char         *recipe,
                                GError            **error)
{
  g_autofree char *subject = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *type;

  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (impasto_image_size_within_limits (image->width, image->height), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!impasto_image_check_save_name (path, NULL, error))
    return FALSE;
  subject = impasto_image_quote_path (path);
  type = impasto_image_type_for_path (path);

  bytes = encode (image, type, recipe, subject, error);
  if (bytes == NULL)
    return FALSE;

  return impasto_image_write_atomically (path, bytes, subject, error);
}
