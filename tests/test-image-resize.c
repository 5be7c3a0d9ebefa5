/* test-image-resize.c: resizing to the size a run works at
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "image-checks.h"
#include "image-fixtures.h"
#include "impasto-image-io.h"

static void
test_resize_same_size (void)
{
  g_autoptr(ImpastoImage) original = fixture_noise_image (45, 30, 7);
  g_autoptr(ImpastoImage) copy = impasto_image_resize (original, 45, 30);

  g_assert_true (copy != original);
  g_assert_true (copy->pixels != original->pixels);
  assert_images_equal (copy, original);
}

static void
assert_solid (const ImpastoImage *image,
              guint               width,
              guint               height,
              const guint8       *rgb)
{
  g_assert_cmpuint (image->width, ==, width);
  g_assert_cmpuint (image->height, ==, height);
  for (gsize i = 0; i < impasto_image_get_n_bytes (image); i++)
    g_assert_cmpuint (image->pixels[i], ==, rgb[i % 3]);
}

static void
test_resize_solid (void)
{
  static const guint sizes[][4] = {
    { 3359, 2304, 450, 300 }, { 10, 10, 450, 300 }, { 450, 300, 1, 1 },
    { 1, 1, 450, 300 }, { 20000, 10, 450, 300 }, { 7, 300, 450, 3 },
  };
  static const guint8 rgb[] = { 17, 128, 250 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(ImpastoImage) solid = fixture_solid_image (sizes[i][0], sizes[i][1],
                                                           rgb[0], rgb[1], rgb[2]);
      g_autoptr(ImpastoImage) resized = impasto_image_resize (solid, sizes[i][2], sizes[i][3]);

      assert_solid (resized, sizes[i][2], sizes[i][3], rgb);
    }
}

/* The slow twin of shrinking by a whole factor: the mean of each factor x factor block. */
static guint8
block_mean (const ImpastoImage *image,
            guint               x0,
            guint               y0,
            guint               factor,
            guint               channel)
{
  guint sum = 0;

  for (guint y = y0; y < y0 + factor; y++)
    for (guint x = x0; x < x0 + factor; x++)
      sum += pixel_at (image, x, y)[channel];

  return (sum + factor * factor / 2) / (factor * factor);
}

/* Shrinking must average every source pixel (point sampling would keep the noise as noise). */
static void
test_resize_shrink_averages (void)
{
  const guint factor = 8;
  g_autoptr(ImpastoImage) noise = fixture_noise_image (400, 240, 8);
  g_autoptr(ImpastoImage) small = impasto_image_resize (noise, 400 / factor, 240 / factor);

  for (guint y = 0; y < small->height; y++)
    for (guint x = 0; x < small->width; x++)
      for (guint c = 0; c < 3; c++)
        g_assert_cmpint (ABS ((int) pixel_at (small, x, y)[c]
                              - (int) block_mean (noise, x * factor, y * factor, factor, c)),
                         <=, 1);
}

/* A horizontal ramp 20000 pixels long keeps its ramp at 450 wide and 300 high. */
static void
test_resize_very_wide (void)
{
  g_autoptr(ImpastoImage) ramp = impasto_image_new (20000, 10);
  g_autoptr(ImpastoImage) resized = NULL;

  for (guint y = 0; y < 10; y++)
    for (guint x = 0; x < 20000; x++)
      memset (ramp->pixels + 3 * (y * 20000 + x), x * 256 / 20000, 3);

  resized = impasto_image_resize (ramp, 450, 300);
  g_assert_cmpuint (resized->width, ==, 450);
  g_assert_cmpuint (resized->height, ==, 300);
  for (guint y = 0; y < 300; y += 23)
    for (guint x = 0; x < 450; x++)
      {
        guint expected = (2 * x + 1) * 256 / 900;

        assert_pixel_near (resized, x, y, expected, expected, expected, 1);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/impasto/imaging/resize/same-size-is-a-copy", test_resize_same_size);
  g_test_add_func ("/impasto/imaging/resize/solid-stays-solid", test_resize_solid);
  g_test_add_func ("/impasto/imaging/resize/shrink-averages", test_resize_shrink_averages);
  g_test_add_func ("/impasto/imaging/resize/very-wide", test_resize_very_wide);

  return g_test_run ();
}
