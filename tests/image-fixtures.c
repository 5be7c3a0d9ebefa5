/* image-fixtures.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include "image-fixtures.h"

/* PNG through libpng, so that grayscale and 16-bit files are real ones */

static void
append_to_array (png_structp png,
                 png_bytep   data,
                 size_t      length)
{
  g_byte_array_append (png_get_io_ptr (png), data, length);
}

static void
flush_nothing (png_structp png)
{
}

static guint
png_channels (FixturePngColor color)
{
  switch (color)
    {
    case FIXTURE_PNG_GRAY:
      return 1;
    case FIXTURE_PNG_GRAY_ALPHA:
      return 2;
    case FIXTURE_PNG_RGB:
      return 3;
    case FIXTURE_PNG_RGBA:
      return 4;
    default:
      g_assert_not_reached ();
    }
}

/* Kept apart from fixture_png() so that no local variable lives across its setjmp(). */
static void
write_png (png_structp     png,
           png_infop       info,
           guint           width,
           guint           height,
           FixturePngColor color,
           guint           bit_depth,
           const guint16  *samples)
{
  guint n_samples = width * png_channels (color);
  g_autofree guint8 *row = g_malloc (n_samples * 2);

  png_set_IHDR (png, info, width, height, bit_depth, color, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);
  for (guint y = 0; y < height; y++)
    {
      const guint16 *src = samples + (gsize) y * n_samples;

      for (guint i = 0; i < n_samples; i++)
        {
          if (bit_depth == 8)
            row[i] = src[i];
          else
            {
              /* PNG stores 16-bit samples big-endian. */
              row[2 * i] = src[i] >> 8;
              row[2 * i + 1] = src[i] & 0xff;
            }
        }
      png_write_row (png, row);
    }
  png_write_end (png, NULL);
}

GBytes *
fixture_png (guint            width,
             guint            height,
             FixturePngColor  color,
             guint            bit_depth,
             const guint16   *samples)
{
  png_structp png;
  png_infop info;
  GByteArray *out;

  g_assert (bit_depth == 8 || bit_depth == 16);

  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  info = png_create_info_struct (png);
  out = g_byte_array_new ();
  g_assert (png != NULL && info != NULL);
  if (setjmp (png_jmpbuf (png)))
    g_error ("libpng could not write a %ux%u fixture", width, height);

  png_set_write_fn (png, out, append_to_array, flush_nothing);
  write_png (png, info, width, height, color, bit_depth, samples);
  png_destroy_write_struct (&png, &info);

  return g_byte_array_free_to_bytes (out);
}

/* PNG by hand, for headers no encoder would write */

static void
append_be32 (GByteArray *out,
             guint32     value)
{
  guint8 bytes[4] = { value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, bytes, sizeof bytes);
}

static void
append_chunk (GByteArray   *out,
              const char   *type,
              const guint8 *data,
              guint32       length)
{
  guint32 crc;

  append_be32 (out, length);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (out, data, length);
  crc = crc32 (0, (const Bytef *) type, 4);
  crc = crc32 (crc, data, length);
  append_be32 (out, crc);
}

GBytes *
fixture_png_claiming (guint32 width,
                      guint32 height)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint8 ihdr[13] = { 0, };
  guint8 zeros[64] = { 0, };
  guint8 idat[128];
  uLongf idat_length = sizeof idat;
  GByteArray *out = g_byte_array_new ();

  for (guint i = 0; i < 4; i++)
    {
      ihdr[i] = width >> (24 - 8 * i);
      ihdr[4 + i] = height >> (24 - 8 * i);
    }
  ihdr[8] = 8;  /* bit depth */
  ihdr[9] = 2;  /* RGB */
  g_assert_cmpint (compress (idat, &idat_length, zeros, sizeof zeros), ==, Z_OK);

  g_byte_array_append (out, signature, sizeof signature);
  append_chunk (out, "IHDR", ihdr, sizeof ihdr);
  append_chunk (out, "IDAT", idat, idat_length);
  append_chunk (out, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (out);
}

/* JPEG */

GBytes *
fixture_jpeg (const ImpastoImage *image,
              guint               quality)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *quality_text = g_strdup_printf ("%u", quality);
  char *buffer = NULL;
  gsize size = 0;

  pixbuf = gdk_pixbuf_new_from_data (image->pixels, GDK_COLORSPACE_RGB, FALSE, 8,
                                     image->width, image->height, image->width * 3,
                                     NULL, NULL);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error,
                             "quality", quality_text, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

/* libjpeg's default error handler prints and exits, which is what a fixture failure deserves. */
GBytes *
fixture_jpeg_cmyk (guint         width,
                   guint         height,
                   const guint8 *cmyk)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  unsigned char *buffer = NULL;
  unsigned long size = 0;
  GBytes *bytes;

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &buffer, &size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 4;
  cinfo.in_color_space = JCS_CMYK;
  jpeg_set_defaults (&cinfo);
  jpeg_set_colorspace (&cinfo, JCS_CMYK);
  jpeg_set_quality (&cinfo, 100, TRUE);
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < height)
    {
      JSAMPROW row = (JSAMPROW) cmyk + (gsize) cinfo.next_scanline * width * 4;

      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);

  bytes = g_bytes_new (buffer, size);
  free (buffer);

  return bytes;
}

const guint8 fixture_quadrant_colors[4][3] = {
  { 230, 20, 20 }, { 20, 200, 40 }, { 30, 40, 220 }, { 240, 240, 240 },
};

GBytes *
fixture_jpeg_quadrants (guint    width,
                        guint    height,
                        gboolean progressive)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  unsigned char *buffer = NULL;
  unsigned long size = 0;
  g_autofree guint8 *row = g_malloc ((gsize) width * 3);
  GBytes *bytes;

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &buffer, &size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, 90, TRUE);
  if (progressive)
    jpeg_simple_progression (&cinfo);
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < height)
    {
      guint bottom = cinfo.next_scanline >= height / 2;
      JSAMPROW rows[] = { row };

      for (guint x = 0; x < width; x++)
        memcpy (row + (gsize) x * 3, fixture_quadrant_colors[2 * bottom + (x >= width / 2)], 3);
      jpeg_write_scanlines (&cinfo, rows, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);

  bytes = g_bytes_new (buffer, size);
  free (buffer);

  return bytes;
}

GBytes *
fixture_jpeg_with_orientation (GBytes *jpeg,
                               guint   orientation)
{
  /* Little-endian TIFF header, then IFD0 at offset 8 with one entry: tag 0x0112 (Orientation),
   * type SHORT, count 1, the value, and no next IFD. */
  const guint8 tiff[] = {
    'I', 'I', 42, 0, 8, 0, 0, 0,
    1, 0,
    0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0,
    0, 0, 0, 0,
  };
  const guint8 exif_id[] = { 'E', 'x', 'i', 'f', 0, 0 };
  guint16 length = 2 + sizeof exif_id + sizeof tiff;
  const guint8 app1[] = { 0xff, 0xe1, length >> 8, length & 0xff };
  gsize size;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  GByteArray *out = g_byte_array_new ();

  g_assert (size > 2 && data[0] == 0xff && data[1] == 0xd8);
  g_byte_array_append (out, data, 2);
  g_byte_array_append (out, app1, sizeof app1);
  g_byte_array_append (out, exif_id, sizeof exif_id);
  g_byte_array_append (out, tiff, sizeof tiff);
  g_byte_array_append (out, data + 2, size - 2);

  return g_byte_array_free_to_bytes (out);
}

/* Walks the marker segments from SOI and returns the offset of the first marker in markers. */
static gsize
find_jpeg_marker (const guint8 *data,
                  gsize         size,
                  const guint8 *markers,
                  gsize         n_markers)
{
  gsize offset = 2;

  while (offset + 4 <= size)
    {
      g_assert_cmpuint (data[offset], ==, 0xff);
      if (memchr (markers, data[offset + 1], n_markers) != NULL)
        return offset;
      offset += 2 + (data[offset + 2] << 8 | data[offset + 3]);
    }

  g_error ("fixture JPEG has no marker of the kind sought");
}

GBytes *
fixture_jpeg_claiming (GBytes  *jpeg,
                       guint16  width,
                       guint16  height)
{
  static const guint8 frame_markers[] = { 0xc0, 0xc1, 0xc2 };
  gsize size;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  g_autofree guint8 *copy = g_memdup2 (data, size);
  gsize sof = find_jpeg_marker (copy, size, frame_markers, G_N_ELEMENTS (frame_markers));

  /* FF Cn, length (2), precision (1), height (2), width (2) */
  copy[sof + 5] = height >> 8;
  copy[sof + 6] = height & 0xff;
  copy[sof + 7] = width >> 8;
  copy[sof + 8] = width & 0xff;

  return g_bytes_new_take (g_steal_pointer (&copy), size);
}

gsize
fixture_jpeg_scan_offset (GBytes *jpeg)
{
  static const guint8 scan_marker[] = { 0xda };
  gsize size;
  const guint8 *data = g_bytes_get_data (jpeg, &size);

  return find_jpeg_marker (data, size, scan_marker, 1);
}

/* GIF by hand */

typedef struct
{
  GByteArray *out;
  guint32     pending;
  guint       n_pending;
} CodeWriter;

/* GIF packs its LZW codes least significant bit first. */
static void
write_code (CodeWriter *writer,
            guint       code,
            guint       width)
{
  writer->pending |= code << writer->n_pending;
  writer->n_pending += width;
  while (writer->n_pending >= 8)
    {
      guint8 byte = writer->pending & 0xff;

      g_byte_array_append (writer->out, &byte, 1);
      writer->pending >>= 8;
      writer->n_pending -= 8;
    }
}

/* Valid LZW without compression: with a minimum code size of 2 the codes are 3 bits wide until
 * the decoder's table reaches 8 entries; a clear code every two pixels keeps it below that. */
static GByteArray *
lzw_codes (guint  n_pixels,
           guint8 index)
{
  enum { CLEAR = 4, END = 5, WIDTH = 3 };
  CodeWriter writer = { g_byte_array_new (), 0, 0 };

  for (guint i = 0; i < n_pixels; i++)
    {
      if (i % 2 == 0)
        write_code (&writer, CLEAR, WIDTH);
      write_code (&writer, index, WIDTH);
    }
  write_code (&writer, END, WIDTH);
  write_code (&writer, 0, 7);

  return writer.out;
}

static void
append_le16 (GByteArray *out,
             guint16     value)
{
  guint8 bytes[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (out, bytes, sizeof bytes);
}

static void
append_gif_frame (GByteArray *out,
                  guint16     width,
                  guint16     height,
                  guint8      index)
{
  /* Graphic control extension (delay 10 centiseconds), then the image descriptor at 0,0 with no
   * local palette, then the minimum code size and the data in sub-blocks of at most 255. */
  const guint8 control[] = { 0x21, 0xf9, 4, 0, 10, 0, 0, 0 };
  const guint8 descriptor[] = { 0x2c, 0, 0, 0, 0 };
  const guint8 after_size[] = { 0, 2 };
  g_autoptr(GByteArray) codes = lzw_codes ((guint) width * height, index);
  guint8 terminator = 0;

  g_byte_array_append (out, control, sizeof control);
  g_byte_array_append (out, descriptor, sizeof descriptor);
  append_le16 (out, width);
  append_le16 (out, height);
  g_byte_array_append (out, after_size, sizeof after_size);
  for (guint offset = 0; offset < codes->len; offset += 255)
    {
      guint8 n = MIN (255, codes->len - offset);

      g_byte_array_append (out, &n, 1);
      g_byte_array_append (out, codes->data + offset, n);
    }
  g_byte_array_append (out, &terminator, 1);
}

GBytes *
fixture_gif_two_frames (guint16 screen_width,
                        guint16 screen_height,
                        guint16 frame_width,
                        guint16 frame_height)
{
  /* Global palette of two entries, background 0, square pixels; red then blue. */
  const guint8 screen_rest[] = { 0x80, 0, 0, 255, 0, 0, 0, 0, 255 };
  const guint8 trailer = 0x3b;
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, (const guint8 *) "GIF89a", 6);
  append_le16 (out, screen_width);
  append_le16 (out, screen_height);
  g_byte_array_append (out, screen_rest, sizeof screen_rest);
  append_gif_frame (out, frame_width, frame_height, 0);
  append_gif_frame (out, frame_width, frame_height, 1);
  g_byte_array_append (out, &trailer, 1);

  return g_byte_array_free_to_bytes (out);
}

/* Images */

ImpastoImage *
fixture_noise_image (guint   width,
                     guint   height,
                     guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  ImpastoImage *image = impasto_image_new (width, height);
  gsize n_bytes = impasto_image_get_n_bytes (image);

  for (gsize i = 0; i < n_bytes; i++)
    image->pixels[i] = g_rand_int_range (rand, 0, 256);

  return image;
}

ImpastoImage *
fixture_solid_image (guint  width,
                     guint  height,
                     guint8 red,
                     guint8 green,
                     guint8 blue)
{
  ImpastoImage *image = impasto_image_new (width, height);
  gsize n_pixels = (gsize) width * height;

  for (gsize i = 0; i < n_pixels; i++)
    {
      image->pixels[3 * i] = red;
      image->pixels[3 * i + 1] = green;
      image->pixels[3 * i + 2] = blue;
    }

  return image;
}
