/* impasto-image-png16.c: PNG at 16 bits a channel, through libpng (gdk-pixbuf writes 8)
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <setjmp.h>

#include <glib/gi18n-lib.h>
#include <png.h>

#include "impasto-image-io.h"
#include "impasto-image-io-private.h"

typedef struct
{
  GByteArray *out;
  char        message[256];   /* libpng's own words for what went wrong */
} Writer;

static void
on_write (png_structp  png,
          png_bytep    data,
          png_size_t   length)
{
  Writer *writer = png_get_io_ptr (png);

  g_byte_array_append (writer->out, data, length);
}

static void
on_flush (png_structp png)
{
  (void) png;
}

static void
on_error (png_structp      png,
          png_const_charp  message)
{
  Writer *writer = png_get_error_ptr (png);

  g_strlcpy (writer->message, message, sizeof writer->message);
  png_longjmp (png, 1);
}

static void
on_warning (png_structp      png,
            png_const_charp  message)
{
  (void) png;
  (void) message;
}

/* PNG stores 16-bit samples most significant byte first, whatever the machine. */
static void
pack_row (const guint16 *rgb,
          guint          width,
          guint8        *row)
{
  for (gsize i = 0; i < 3 * (gsize) width; i++)
    {
      row[2 * i] = rgb[i] >> 8;
      row[2 * i + 1] = rgb[i] & 0xff;
    }
}

/* Every call into libpng that can fail comes after the setjmp; of the locals, only ok changes
 * after it, and it is volatile. */
static gboolean
encode (Writer        *writer,
        const guint16 *rgb,
        guint          width,
        guint          height,
        const char    *recipe)
{
  png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, writer, on_error,
                                             on_warning);
  png_infop info = png != NULL ? png_create_info_struct (png) : NULL;
  guint8 *row = g_malloc (6 * (gsize) width);
  volatile gboolean ok = FALSE;

  if (png == NULL || info == NULL)
    g_strlcpy (writer->message, "out of memory", sizeof writer->message);
  else if (setjmp (png_jmpbuf (png)) == 0)
    {
      png_set_write_fn (png, writer, on_write, on_flush);
      png_set_IHDR (png, info, width, height, 16, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
      if (recipe != NULL)
        {
          /* iTXt: the recipe is UTF-8 (paths in any script), which tEXt is not. */
          png_text text = {
            .compression = PNG_ITXT_COMPRESSION_NONE,
            .key = (png_charp) IMPASTO_PNG_RECIPE_KEY,
            .text = (png_charp) recipe,
            .lang = (png_charp) "",
            .lang_key = (png_charp) "",
          };

          png_set_text (png, info, &text, 1);
        }
      png_write_info (png, info);
      for (guint y = 0; y < height; y++)
        {
          pack_row (rgb + 3 * (gsize) y * width, width, row);
          png_write_row (png, row);
        }
      png_write_end (png, info);
      ok = TRUE;
    }

  png_destroy_write_struct (png != NULL ? &png : NULL, info != NULL ? &info : NULL);
  g_free (row);

  return ok;
}

gboolean
impasto_image_save_png16 (const guint16 *rgb,
                          guint          width,
                          guint          height,
                          const char    *path,
                          const char    *recipe,
                          GError       **error)
{
  g_autofree char *subject = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Writer writer = { 0 };
  gboolean png;

  g_return_val_if_fail (rgb != NULL, FALSE);
  g_return_val_if_fail (impasto_image_size_within_limits (width, height), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!impasto_image_check_save_name (path, &png, error))
    return FALSE;
  subject = impasto_image_quote_path (path);
  if (!png)
    {
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_FORMAT,
                   _("%s could not be saved: 16 bits a channel needs a PNG file; end the "
                     "name in .png, or save 8 bits a channel"), subject);
      return FALSE;
    }

  writer.out = g_byte_array_new ();
  if (!encode (&writer, rgb, width, height, recipe))
    {
      g_byte_array_unref (writer.out);
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_WRITE,
                   _("%s could not be saved: the image could not be encoded (%s); nothing was "
                     "changed"), subject, writer.message);
      return FALSE;
    }
  bytes = g_byte_array_free_to_bytes (writer.out);

  return impasto_image_write_atomically (path, bytes, subject, error);
}
