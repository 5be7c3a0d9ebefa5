/* test-image-triangle.c: PIL's bilinear resampling, against values worked out by hand and a
 * double-precision twin written from the filter's definition
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "image-checks.h"
#include "image-fixtures.h"
#include "impasto-image-io.h"
#include "impasto-resize.h"

static ImpastoImage *
grey_row (const guint8 *values,
          guint         n)
{
  ImpastoImage *image = impasto_image_new (n, 1);

  for (guint x = 0; x < n; x++)
    memset (image->pixels + 3 * x, values[x], 3);

  return image;
}

static void
assert_grey_row (const ImpastoImage *image,
                 const guint8       *expected,
                 guint               n)
{
  g_assert_cmpuint (image->width, ==, n);
  g_assert_cmpuint (image->height, ==, 1);
  for (guint x = 0; x < n; x++)
    for (guint c = 0; c < 3; c++)
      g_assert_cmpuint (image->pixels[3 * x + c], ==, expected[x]);
}

/* 4 pixels to 3: each output's centre is (i + 0.5) * 4/3 source pixels, the triangle is 4/3
 * wide each side, so output 0 (centre 2/3) weighs the source centres 0.5 and 1.5 by 7/8 and
 * 3/8 (0.7 and 0.3 once normalised), output 1 (centre 2) pixels 1 and 2 by a half each, and
 * output 2 pixels 2 and 3 by 0.3 and 0.7. */
static void
test_shrink_by_hand (void)
{
  static const guint8 row[] = { 0, 90, 180, 250 };
  static const guint8 expected[] = { 27, 135, 229 };
  g_autoptr(ImpastoImage) image = grey_row (row, 4);
  g_autoptr(ImpastoImage) resized = impasto_image_resize_triangle (image, 3, 1);

  assert_grey_row (resized, expected, 3);
}

/* 2 pixels to 5: centres at 0.2, 0.6, 1, 1.4 and 1.8 source pixels, a triangle 1 wide; at the
 * ends only one source pixel is in reach, so it has all the weight. */
static void
test_enlarge_by_hand (void)
{
  static const guint8 row[] = { 0, 200 };
  static const guint8 expected[] = { 0, 20, 100, 180, 200 };
  g_autoptr(ImpastoImage) image = grey_row (row, 2);
  g_autoptr(ImpastoImage) resized = impasto_image_resize_triangle (image, 5, 1);

  assert_grey_row (resized, expected, 5);
}

/* The twin: output i of one axis of n_in samples (stride apart) to n_out, every source pixel
 * weighed by the triangle at its centre's distance from the output's centre, in units of the
 * shrink factor (1 when enlarging), the weights divided by their sum; not yet rounded. */
static double
twin_axis (const guint8 *src,
           gsize         stride,
           guint         n_in,
           guint         n_out,
           guint         i)
{
  double scale = (double) n_in / n_out;
  double unit = scale > 1 ? scale : 1;
  double centre = (i + 0.5) * scale;
  double sum = 0, value = 0;

  for (guint j = 0; j < n_in; j++)
    {
      double d = fabs (j + 0.5 - centre) / unit;
      double w = d < 1 ? 1 - d : 0;

      sum += w;
      value += w * src[j * stride];
    }

  return value / sum;
}

/* Rounded to nearest; a value that is a half (weights like 0.1 and 0.9 make them often) may
 * go either way, since PIL's weights are rounded to 22 bits. */
static void
assert_rounds_to (double value,
                  guint8 byte)
{
  double below = floor (value);

  if (fabs (value - below - 0.5) < 1e-6)
    g_assert_true (byte == below || byte == below + 1);
  else
    g_assert_cmpfloat (byte, ==, CLAMP (floor (value + 0.5), 0, 255));
}

/* Horizontally first into an 8-bit image, then vertically, as PIL does: the horizontal pass
 * alone against the twin, then the vertical one over that pass's own bytes. */
static void
assert_like_twin (guint width_in,
                  guint height_in,
                  guint width,
                  guint height)
{
  g_autoptr(ImpastoImage) noise = fixture_noise_image (width_in, height_in, width * height);
  g_autoptr(ImpastoImage) wide = impasto_image_resize_triangle (noise, width, height_in);
  g_autoptr(ImpastoImage) resized = impasto_image_resize_triangle (noise, width, height);

  g_assert_cmpuint (resized->width, ==, width);
  g_assert_cmpuint (resized->height, ==, height);
  for (guint y = 0; y < height_in; y++)
    for (guint x = 0; x < width; x++)
      for (guint c = 0; c < 3; c++)
        assert_rounds_to (twin_axis (noise->pixels + 3 * y * width_in + c, 3, width_in, width,
                                     x),
                          wide->pixels[3 * (y * width + x) + c]);
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      for (guint c = 0; c < 3; c++)
        assert_rounds_to (twin_axis (wide->pixels + 3 * x + c, 3 * width, height_in, height, y),
                          resized->pixels[3 * (y * width + x) + c]);
}

static void
test_like_twin (void)
{
  assert_like_twin (37, 23, 10, 7);     /* shrink by 3.7 and 3.29 */
  assert_like_twin (7, 5, 19, 13);      /* enlarge */
  assert_like_twin (30, 8, 11, 20);     /* one of each */
  assert_like_twin (336, 230, 45, 30);  /* the seed's 3359x2304 to 450x300, a tenth of it */
  assert_like_twin (64, 48, 64, 20);    /* the width kept as it is */
}

/* PIL's filter, unlike the box, reaches past each output pixel's own area when shrinking: a
 * single bright column influences the outputs on both sides of the one that covers it. */
static void
test_support_widens (void)
{
  g_autoptr(ImpastoImage) image = fixture_solid_image (40, 1, 0, 0, 0);
  g_autoptr(ImpastoImage) resized = NULL;

  memset (image->pixels + 3 * 20, 255, 3);   /* output 5 of 10 covers source 20 to 23 */
  resized = impasto_image_resize_triangle (image, 10, 1);
  g_assert_cmpuint (resized->pixels[3 * 4], >, 0);
  g_assert_cmpuint (resized->pixels[3 * 5], >, resized->pixels[3 * 4]);
  g_assert_cmpuint (resized->pixels[3 * 6], ==, 0);
}

static void
test_solid_and_same_size (void)
{
  g_autoptr(ImpastoImage) solid = fixture_solid_image (3359, 2304, 17, 128, 250);
  g_autoptr(ImpastoImage) small = impasto_image_resize_with (solid, 450, 300,
                                                             IMPASTO_RESAMPLE_TRIANGLE);
  g_autoptr(ImpastoImage) noise = fixture_noise_image (45, 30, 3);
  g_autoptr(ImpastoImage) copy = impasto_image_resize_with (noise, 45, 30,
                                                            IMPASTO_RESAMPLE_TRIANGLE);

  static const guint8 rgb[] = { 17, 128, 250 };

  for (gsize i = 0; i < impasto_image_get_n_bytes (small); i++)
    g_assert_cmpuint (small->pixels[i], ==, rgb[i % 3]);
  assert_images_equal (copy, noise);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/impasto/imaging/triangle/shrink-by-hand", test_shrink_by_hand);
  g_test_add_func ("/impasto/imaging/triangle/enlarge-by-hand", test_enlarge_by_hand);
  g_test_add_func ("/impasto/imaging/triangle/like-twin", test_like_twin);
  g_test_add_func ("/impasto/imaging/triangle/support-widens", test_support_widens);
  g_test_add_func ("/impasto/imaging/triangle/solid-and-same-size", test_solid_and_same_size);

  return g_test_run ();
}
