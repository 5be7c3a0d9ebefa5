/* test-image-io.c: images of every kind gdk-pixbuf reads, loaded as 8-bit RGB
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "image-checks.h"
#include "image-fixtures.h"
#include "impasto-image-io.h"

/* Formats and round trips */

static void
test_png_round_trip (Folder        *f,
                     gconstpointer  data)
{
  g_autoptr(ImpastoImage) original = fixture_noise_image (37, 23, 1);
  g_autofree char *path = g_build_filename (f->folder, "noise.png", NULL);
  g_autoptr(ImpastoImage) loaded = NULL;
  g_autoptr(ImpastoImage) from_bytes = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (impasto_image_save (original, path, &error));
  g_assert_no_error (error);

  loaded = impasto_image_load (path, &error);
  g_assert_no_error (error);
  assert_images_equal (loaded, original);

  bytes = fixture_read (path);
  from_bytes = impasto_image_load_bytes (bytes, &error);
  g_assert_no_error (error);
  assert_images_equal (from_bytes, original);
}

/* A smooth image: JPEG at quality 95 keeps each value within a few steps of the original. */
static void
test_jpeg_round_trip (Folder        *f,
                      gconstpointer  data)
{
  g_autoptr(ImpastoImage) original = impasto_image_new (64, 48);
  g_autofree char *path = g_build_filename (f->folder, "gradient.jpg", NULL);
  g_autoptr(ImpastoImage) loaded = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total_difference = 0;

  for (guint y = 0; y < original->height; y++)
    for (guint x = 0; x < original->width; x++)
      {
        guint8 *p = original->pixels + 3 * (y * original->width + x);

        p[0] = x * 4;
        p[1] = y * 5;
        p[2] = 128;
      }

  g_assert_true (impasto_image_save (original, path, &error));
  loaded = impasto_image_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->width, ==, 64);
  g_assert_cmpuint (loaded->height, ==, 48);

  for (gsize i = 0; i < impasto_image_get_n_bytes (original); i++)
    {
      int difference = ABS ((int) loaded->pixels[i] - (int) original->pixels[i]);

      g_assert_cmpint (difference, <=, 8);
      total_difference += difference;
    }
  g_assert_cmpfloat ((double) total_difference / impasto_image_get_n_bytes (original), <, 1.5);
}

/* Pixels (0,0,0), (200,100,50) and (255,255,255) at alpha 0, 128 and 255: over white, alpha 0
 * is white, 255 is the colour, and 128 is value * 128/255 + 255 * 127/255, rounded. */
static void
test_alpha_over_white (Folder        *f,
                       gconstpointer  data)
{
  static const guint16 samples[] = {
    0, 0, 0, 0,          0, 0, 0, 128,          0, 0, 0, 255,
    200, 100, 50, 0,     200, 100, 50, 128,     200, 100, 50, 255,
    255, 255, 255, 0,    255, 255, 255, 128,    255, 255, 255, 255,
  };
  g_autoptr(GBytes) png = fixture_png (3, 3, FIXTURE_PNG_RGBA, 8, samples);
  g_autoptr(ImpastoImage) image = load_fixture (f, "alpha.png", png);

  g_assert_cmpuint (image->width, ==, 3);
  g_assert_cmpuint (image->height, ==, 3);
  assert_pixel (image, 0, 0, 255, 255, 255);
  assert_pixel (image, 1, 0, 127, 127, 127);
  assert_pixel (image, 2, 0, 0, 0, 0);
  assert_pixel (image, 0, 1, 255, 255, 255);
  assert_pixel (image, 1, 1, 227, 177, 152);
  assert_pixel (image, 2, 1, 200, 100, 50);
  assert_pixel (image, 0, 2, 255, 255, 255);
  assert_pixel (image, 1, 2, 255, 255, 255);
  assert_pixel (image, 2, 2, 255, 255, 255);
}

static void
test_gray_alpha (Folder        *f,
                 gconstpointer  data)
{
  static const guint16 samples[] = { 0, 0, 0, 128, 60, 255 };
  g_autoptr(GBytes) png = fixture_png (3, 1, FIXTURE_PNG_GRAY_ALPHA, 8, samples);
  g_autoptr(ImpastoImage) image = load_fixture (f, "gray-alpha.png", png);

  assert_pixel (image, 0, 0, 255, 255, 255);
  assert_pixel (image, 1, 0, 127, 127, 127);
  assert_pixel (image, 2, 0, 60, 60, 60);
}

static void
test_grayscale (Folder        *f,
                gconstpointer  data)
{
  static const guint16 samples[] = { 0, 1, 127, 128, 254, 255 };
  g_autoptr(GBytes) png = fixture_png (3, 2, FIXTURE_PNG_GRAY, 8, samples);
  g_autoptr(ImpastoImage) image = load_fixture (f, "gray.png", png);

  g_assert_cmpuint (image->width, ==, 3);
  g_assert_cmpuint (image->height, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    assert_pixel (image, i % 3, i / 3, samples[i], samples[i], samples[i]);
}

/* Values of the form v * 257 are exactly v in 8 bits however the loader narrows them (by
 * dropping the low byte or by rounding). */
static void
test_grayscale_16_bit (Folder        *f,
                       gconstpointer  data)
{
  static const guint16 samples[] = { 0, 1 * 257, 100 * 257, 254 * 257, 65535, 0 };
  g_autoptr(GBytes) png = fixture_png (3, 2, FIXTURE_PNG_GRAY, 16, samples);
  g_autoptr(ImpastoImage) image = load_fixture (f, "gray16.png", png);

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      guint8 v = samples[i] / 257;

      assert_pixel (image, i % 3, i / 3, v, v, v);
    }
}

static void
test_rgb_16_bit (Folder        *f,
                 gconstpointer  data)
{
  static const guint16 samples[] = {
    65535, 0, 0,              0, 65535, 0,
    10 * 257, 20 * 257, 30 * 257,   200 * 257, 150 * 257, 65535,
  };
  g_autoptr(GBytes) png = fixture_png (2, 2, FIXTURE_PNG_RGB, 16, samples);
  g_autoptr(ImpastoImage) image = load_fixture (f, "rgb16.png", png);

  assert_pixel (image, 0, 0, 255, 0, 0);
  assert_pixel (image, 1, 0, 0, 255, 0);
  assert_pixel (image, 0, 1, 10, 20, 30);
  assert_pixel (image, 1, 1, 200, 150, 255);
}

/* Inverted CMYK as Adobe writes it: a sample of 255 means no ink, so (255, 255, 255, 255) is
 * white, (255, 0, 0, 255) is full magenta and yellow (red) and k = 0 is black. */
static void
test_cmyk_jpeg (Folder        *f,
                gconstpointer  data)
{
  static const guint8 colours[][4] = {
    { 255, 255, 255, 255 }, { 255, 0, 0, 255 }, { 0, 255, 0, 255 }, { 255, 255, 255, 0 },
  };
  static const guint8 expected[][3] = {
    { 255, 255, 255 }, { 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 0 },
  };
  /* Four flat 16x16 quadrants, so that JPEG's 8x8 blocks never mix two colours. */
  g_autofree guint8 *cmyk = g_malloc (32 * 32 * 4);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(ImpastoImage) image = NULL;

  for (guint y = 0; y < 32; y++)
    for (guint x = 0; x < 32; x++)
      memcpy (cmyk + 4 * (y * 32 + x), colours[(y / 16) * 2 + x / 16], 4);
  jpeg = fixture_jpeg_cmyk (32, 32, cmyk);
  image = load_fixture (f, "cmyk.jpg", jpeg);

  g_assert_cmpuint (image->width, ==, 32);
  g_assert_cmpuint (image->height, ==, 32);
  for (guint q = 0; q < 4; q++)
    assert_pixel_near (image, (q % 2) * 16 + 8, (q / 2) * 16 + 8,
                       expected[q][0], expected[q][1], expected[q][2], 3);
}

/* EXIF orientation */

typedef struct
{
  guint orientation;
  guint red_x;      /* where the stored image's top-left corner must end up, on the 16x32 */
  guint red_y;      /* image the 32x16 stored one becomes */
} OrientationCase;

static const OrientationCase rotated_clockwise = { 6, 15, 0 };
static const OrientationCase rotated_anticlockwise = { 8, 0, 31 };

/* Stored: 32x16, white with a red 8x8 block at the top-left. Orientation 6 means the stored
 * rows are the displayed columns, read right to left (the corner goes top-right); 8 means
 * they are the columns read left to right from the bottom (the corner goes bottom-left). */
static void
test_exif_rotated (Folder        *f,
                   gconstpointer  data)
{
  const OrientationCase *c = data;
  g_autoptr(ImpastoImage) stored = fixture_solid_image (32, 16, 255, 255, 255);
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(ImpastoImage) image = NULL;
  guint near_x = c->red_x == 0 ? 3 : c->red_x - 3;
  guint near_y = c->red_y == 0 ? 3 : c->red_y - 3;

  for (guint y = 0; y < 8; y++)
    for (guint x = 0; x < 8; x++)
      memcpy (stored->pixels + 3 * (y * 32 + x), (guint8[]) { 255, 0, 0 }, 3);
  plain = fixture_jpeg (stored, 100);
  jpeg = fixture_jpeg_with_orientation (plain, c->orientation);
  image = load_fixture (f, "rotated.jpg", jpeg);

  g_assert_cmpuint (image->width, ==, 16);
  g_assert_cmpuint (image->height, ==, 32);
  assert_pixel_near (image, near_x, near_y, 255, 0, 0, 16);
  /* The other three corners stay white. */
  assert_pixel_near (image, 15 - near_x, near_y, 255, 255, 255, 16);
  assert_pixel_near (image, near_x, 31 - near_y, 255, 255, 255, 16);
  assert_pixel_near (image, 15 - near_x, 31 - near_y, 255, 255, 255, 16);
}

/* Animations */

static void
test_animated_gif (Folder        *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) gif = fixture_gif_two_frames (4, 4, 4, 4);
  g_autoptr(ImpastoImage) image = load_fixture (f, "animated.gif", gif);

  g_assert_cmpuint (image->width, ==, 4);
  g_assert_cmpuint (image->height, ==, 4);
  for (guint y = 0; y < 4; y++)
    for (guint x = 0; x < 4; x++)
      assert_pixel (image, x, y, 255, 0, 0);
}

/* A first frame smaller than the canvas leaves the rest transparent, hence white. */
static void
test_animated_gif_small_frame (Folder        *f,
                               gconstpointer  data)
{
  g_autoptr(GBytes) gif = fixture_gif_two_frames (8, 6, 4, 4);
  g_autoptr(ImpastoImage) image = load_fixture (f, "small-frame.gif", gif);

  g_assert_cmpuint (image->width, ==, 8);
  g_assert_cmpuint (image->height, ==, 6);
  for (guint y = 0; y < 6; y++)
    for (guint x = 0; x < 8; x++)
      {
        if (x < 4 && y < 4)
          assert_pixel (image, x, y, 255, 0, 0);
        else
          assert_pixel (image, x, y, 255, 255, 255);
      }
}

/* Extreme but legal sizes */

static void
test_one_pixel (Folder        *f,
                gconstpointer  data)
{
  g_autoptr(ImpastoImage) original = fixture_solid_image (1, 1, 10, 200, 30);
  g_autoptr(GBytes) png = fixture_png (1, 1, FIXTURE_PNG_RGB, 8, (guint16[]) { 10, 200, 30 });
  g_autoptr(GBytes) jpeg = fixture_jpeg (original, 100);
  g_autoptr(ImpastoImage) from_png = load_fixture (f, "one.png", png);
  g_autoptr(ImpastoImage) from_jpeg = load_fixture (f, "one.jpg", jpeg);

  assert_images_equal (from_png, original);
  g_assert_cmpuint (from_jpeg->width, ==, 1);
  g_assert_cmpuint (from_jpeg->height, ==, 1);
  assert_pixel_near (from_jpeg, 0, 0, 10, 200, 30, 4);
}

static void
test_very_wide (Folder        *f,
                gconstpointer  data)
{
  g_autoptr(ImpastoImage) original = fixture_noise_image (20000, 10, 2);
  g_autofree char *path = g_build_filename (f->folder, "wide.png", NULL);
  g_autoptr(ImpastoImage) loaded = NULL;
  g_autoptr(ImpastoImage) resized = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (impasto_image_save (original, path, &error));
  loaded = impasto_image_load (path, &error);
  g_assert_no_error (error);
  assert_images_equal (loaded, original);

  resized = impasto_image_resize (loaded, 450, 300);
  g_assert_cmpuint (resized->width, ==, 450);
  g_assert_cmpuint (resized->height, ==, 300);
}

/* A 12000 × 9000 photo, more than Impasto decodes at full size: libjpeg decodes it at half
 * its size, in proportion, and the quadrants are where they were. */
static void
test_large_jpeg_reduced (Folder        *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = fixture_jpeg_quadrants (12000, 9000, FALSE);
  g_autoptr(ImpastoImage) image = load_fixture (f, "phone.jpg", jpeg);

  g_assert_cmpuint (image->width, ==, 6000);
  g_assert_cmpuint (image->height, ==, 4500);
  for (guint i = 0; i < 4; i++)
    {
      const guint8 *color = fixture_quadrant_colors[i];

      assert_pixel_near (image, 1500 + 3000 * (i % 2), 1125 + 2250 * (i / 2),
                         color[0], color[1], color[2], 6);
    }
}

/* The reduction is the least that fits: a quarter for 30000 × 20000 (600 million pixels, 150
 * at half the size), the same for the longest side libjpeg takes, and the rounding up of
 * libjpeg's scaled sizes. The image itself stops early (libjpeg fills in the rest). */
static void
test_large_jpeg_scales (Folder        *f,
                        gconstpointer  data)
{
  const struct { guint16 width, height; guint expected_width, expected_height; } cases[] = {
    { 30000, 20000, 7500, 5000 },
    { 65500, 15000, 16375, 3750 },
    { 10001, 10001, 5001, 5001 },
  };
  g_autoptr(GBytes) small = fixture_jpeg_quadrants (16, 16, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) claiming = fixture_jpeg_claiming (small, cases[i].width,
                                                          cases[i].height);
      g_autoptr(ImpastoImage) image = load_fixture (f, "claims.jpg", claiming);

      g_assert_cmpuint (image->width, ==, cases[i].expected_width);
      g_assert_cmpuint (image->height, ==, cases[i].expected_height);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  FOLDER_TEST_ADD ("/impasto/imaging/load/png-round-trip", NULL, test_png_round_trip);
  FOLDER_TEST_ADD ("/impasto/imaging/load/jpeg-round-trip", NULL, test_jpeg_round_trip);
  FOLDER_TEST_ADD ("/impasto/imaging/load/alpha-over-white", NULL, test_alpha_over_white);
  FOLDER_TEST_ADD ("/impasto/imaging/load/gray-alpha-over-white", NULL, test_gray_alpha);
  FOLDER_TEST_ADD ("/impasto/imaging/load/grayscale", NULL, test_grayscale);
  FOLDER_TEST_ADD ("/impasto/imaging/load/grayscale-16-bit", NULL, test_grayscale_16_bit);
  FOLDER_TEST_ADD ("/impasto/imaging/load/rgb-16-bit", NULL, test_rgb_16_bit);
  FOLDER_TEST_ADD ("/impasto/imaging/load/cmyk-jpeg", NULL, test_cmyk_jpeg);
  FOLDER_TEST_ADD ("/impasto/imaging/load/exif-rotated/6", &rotated_clockwise,
                   test_exif_rotated);
  FOLDER_TEST_ADD ("/impasto/imaging/load/exif-rotated/8", &rotated_anticlockwise,
                   test_exif_rotated);
  FOLDER_TEST_ADD ("/impasto/imaging/load/animated-gif/first-frame", NULL, test_animated_gif);
  FOLDER_TEST_ADD ("/impasto/imaging/load/animated-gif/small-frame", NULL,
                   test_animated_gif_small_frame);
  FOLDER_TEST_ADD ("/impasto/imaging/load/one-pixel", NULL, test_one_pixel);
  FOLDER_TEST_ADD ("/impasto/imaging/load/very-wide", NULL, test_very_wide);
  FOLDER_TEST_ADD ("/impasto/imaging/load/large-jpeg/reduced", NULL, test_large_jpeg_reduced);
  FOLDER_TEST_ADD ("/impasto/imaging/load/large-jpeg/scales", NULL, test_large_jpeg_scales);

  return g_test_run ();
}
