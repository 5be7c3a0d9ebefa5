/* test-image-png16.c: 16-bit PNG results, read back by libpng itself and by gdk-pixbuf
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <string.h>

#include <glib/gstdio.h>
#include <png.h>

#include "image-checks.h"
#include "impasto-image-io.h"

#define WIDTH  37
#define HEIGHT 13

/* Every sample different, the extremes included, most of them no multiple of 257 (which an
 * 8-bit image widened would give). */
static guint16 *
make_samples (void)
{
  guint16 *rgb = g_new (guint16, 3 * WIDTH * HEIGHT);

  for (guint i = 0; i < 3 * WIDTH * HEIGHT; i++)
    rgb[i] = (guint16) ((i * 40503u + 7u) % 65536u);
  rgb[0] = 0;
  rgb[1] = 65535;

  return rgb;
}

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         offset;
} Reader;

static void
on_read (png_structp png,
         png_bytep   out,
         png_size_t  length)
{
  Reader *reader = png_get_io_ptr (png);

  if (length > reader->size - reader->offset)
    png_error (png, "read past the end");
  memcpy (out, reader->data + reader->offset, length);
  reader->offset += length;
}

typedef struct
{
  guint     width;
  guint     height;
  int       bit_depth;
  int       color_type;
  guint16  *rgb;
  char     *recipe;
} Decoded;

/* libpng's own reading, without any transformation: the samples as stored. */
static void
decode (GBytes  *bytes,
        Decoded *out)
{
  Reader reader = { 0 };
  png_structp png = png_create_read_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct (png);
  png_textp texts = NULL;
  int n_texts = 0;
  guint8 *row;

  reader.data = g_bytes_get_data (bytes, &reader.size);
  g_assert_nonnull (png);
  g_assert_nonnull (info);
  if (setjmp (png_jmpbuf (png)) != 0)
    g_error ("libpng could not read the file back");
  png_set_read_fn (png, &reader, on_read);
  png_read_info (png, info);
  out->width = png_get_image_width (png, info);
  out->height = png_get_image_height (png, info);
  out->bit_depth = png_get_bit_depth (png, info);
  out->color_type = png_get_color_type (png, info);
  g_assert_cmpuint (out->width, ==, WIDTH);
  g_assert_cmpuint (out->height, ==, HEIGHT);
  g_assert_cmpint (png_get_rowbytes (png, info), ==, 6 * WIDTH);

  out->rgb = g_new (guint16, 3 * WIDTH * HEIGHT);
  row = g_malloc (6 * WIDTH);
  for (guint y = 0; y < HEIGHT; y++)
    {
      png_read_row (png, row, NULL);
      for (guint i = 0; i < 3 * WIDTH; i++)
        out->rgb[y * 3 * WIDTH + i] = (guint16) (row[2 * i] << 8 | row[2 * i + 1]);
    }
  png_read_end (png, info);
  png_get_text (png, info, &texts, &n_texts);
  for (int i = 0; i < n_texts; i++)
    if (g_str_equal (texts[i].key, "impasto-recipe"))
      out->recipe = g_strdup (texts[i].text);
  g_free (row);
  png_destroy_read_struct (&png, &info, NULL);
}

/* Every sample is kept, as libpng itself reads the file back; and opened as an input or a
 * recipe, the file reads like any other of Impasto's results: its pixels the high bytes (to
 * within one shade), its recipe whole. */
static void
test_samples_kept (Folder        *f,
                   gconstpointer  data)
{
  /* A recipe naming a folder in Chinese: the chunk must carry UTF-8. */
  const char *recipe = "[Impasto Recipe]\nFormat=2\n\n[Content]\nPath=/home/用户/照片.jpg\n";
  g_autofree guint16 *rgb = make_samples ();
  g_autofree char *path = g_build_filename (f->folder, "print.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ImpastoImage) image = NULL;
  g_autofree char *found = NULL;
  Decoded decoded = { 0 };

  g_assert_true (impasto_image_save_png16 (rgb, WIDTH, HEIGHT, path, recipe, &error));
  g_assert_no_error (error);
  bytes = fixture_read (path);
  decode (bytes, &decoded);
  g_assert_cmpint (decoded.bit_depth, ==, 16);
  g_assert_cmpint (decoded.color_type, ==, PNG_COLOR_TYPE_RGB);
  g_assert_cmpmem (decoded.rgb, 6 * WIDTH * HEIGHT, rgb, 6 * WIDTH * HEIGHT);
  g_assert_cmpstr (decoded.recipe, ==, recipe);
  g_free (decoded.rgb);
  g_free (decoded.recipe);
  fixture_assert_folder_holds (f->folder, "print.png", NULL);

  image = impasto_image_load_full (path, NULL, &found, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (image->width, ==, WIDTH);
  g_assert_cmpuint (image->height, ==, HEIGHT);
  for (guint i = 0; i < 3 * WIDTH * HEIGHT; i++)
    g_assert_cmpfloat (fabs (image->pixels[i] - rgb[i] / 257.0), <=, 1.0);
  g_assert_cmpstr (found, ==, recipe);
}

static void
test_refused (Folder        *f,
              gconstpointer  data)
{
  g_autofree guint16 *rgb = make_samples ();
  g_autofree char *jpeg = g_build_filename (f->folder, "print.jpg", NULL);
  g_autofree char *lost = g_build_filename (f->folder, "no such folder", "print.png", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (impasto_image_save_png16 (rgb, WIDTH, HEIGHT, jpeg, NULL, &error));
  g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "print.jpg"));
  g_assert_nonnull (strstr (error->message, "16 bits a channel needs a PNG file"));
  g_clear_error (&error);

  g_assert_false (impasto_image_save_png16 (rgb, WIDTH, HEIGHT, lost, NULL, &error));
  g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_WRITE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "no such folder"));
  fixture_assert_folder_holds (f->folder, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  FOLDER_TEST_ADD ("/impasto/imaging/png16/samples-kept", NULL, test_samples_kept);
  FOLDER_TEST_ADD ("/impasto/imaging/png16/refused", NULL, test_refused);

  return g_test_run ();
}
