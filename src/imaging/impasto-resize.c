/* impasto-resize.c: PIL's bilinear resampling, for the seed's own inputs
 *
 * The seed shrank its images with scipy.misc.imresize, that is PIL's BILINEAR: a triangle of
 * support 1, widened by the shrink factor, centred on each output pixel's centre
 * ((i + 0.5) * in / out in source pixels), its weights normalised per output pixel and held in
 * fixed point with 22 fractional bits; each pass rounds to 8 bits, horizontal first. Matching
 * it exactly keeps Seed-exact's losses on the seed's curve (see the README).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "impasto-image-io.h"
#include "impasto-image-io-private.h"
#include "impasto-resize.h"

#define WEIGHT_BITS 22

/* The taps of one axis: output i reads n[i] source pixels from first[i] with weights
 * weights[i * ksize ...]. */
typedef struct
{
  guint   ksize;
  guint  *first;
  guint  *n;
  gint32 *weights;
} Taps;

static double
triangle (double x)
{
  x = fabs (x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

static void
taps_clear (Taps *taps)
{
  g_free (taps->first);
  g_free (taps->n);
  g_free (taps->weights);
}

static void
taps_init (Taps  *taps,
           guint  in_size,
           guint  out_size)
{
  double scale = (double) in_size / out_size;
  double widen = MAX (scale, 1.0);
  double support = widen;
  g_autofree double *w = NULL;

  taps->ksize = 2 * (guint) ceil (support) + 1;
  taps->first = g_new (guint, out_size);
  taps->n = g_new (guint, out_size);
  taps->weights = g_new0 (gint32, (gsize) out_size * taps->ksize);
  w = g_new (double, taps->ksize);

  for (guint i = 0; i < out_size; i++)
    {
      double centre = (i + 0.5) * scale;
      double lo = floor (centre - support + 0.5);
      double hi = floor (centre + support + 0.5);
      guint first = lo < 0 ? 0 : (guint) lo;
      guint last = hi > in_size ? in_size : (guint) hi;
      double sum = 0;

      g_assert (last > first && last - first <= taps->ksize);
      for (guint j = first; j < last; j++)
        sum += w[j - first] = triangle ((j + 0.5 - centre) / widen);
      for (guint j = first; j < last; j++)
        taps->weights[(gsize) i * taps->ksize + j - first] =
          (gint32) (0.5 + (sum != 0 ? w[j - first] / sum : 0) * (1 << WEIGHT_BITS));
      taps->first[i] = first;
      taps->n[i] = last - first;
    }
}

static guint8
to_8_bits (gint64 sum)
{
  gint64 value = sum >> WEIGHT_BITS;

  return (guint8) CLAMP (value, 0, 255);
}

/* Sums n samples stride bytes apart, each channel of one pixel. */
static void
filter_pixel (const guint8 *src,
              gsize         stride,
              const gint32 *weights,
              guint         n,
              guint8       *dst)
{
  for (guint c = 0; c < 3; c++)
    {
      gint64 sum = 1 << (WEIGHT_BITS - 1);

      for (guint k = 0; k < n; k++)
        sum += (gint64) src[k * stride + c] * weights[k];
      dst[c] = to_8_bits (sum);
    }
}

static ImpastoImage *
resize_horizontal (const ImpastoImage *image,
                   guint               width)
{
  ImpastoImage *out = impasto_image_new (width, image->height);
  Taps taps;

  taps_init (&taps, image->width, width);
  for (guint y = 0; y < image->height; y++)
    for (guint x = 0; x < width; x++)
      filter_pixel (image->pixels + 3 * ((gsize) y * image->width + taps.first[x]), 3,
                    taps.weights + (gsize) x * taps.ksize, taps.n[x],
                    out->pixels + 3 * ((gsize) y * width + x));
  taps_clear (&taps);

  return out;
}

static ImpastoImage *
resize_vertical (const ImpastoImage *image,
                 guint               height)
{
  ImpastoImage *out = impasto_image_new (image->width, height);
  gsize stride = 3 * (gsize) image->width;
  Taps taps;

  taps_init (&taps, image->height, height);
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < image->width; x++)
      filter_pixel (image->pixels + stride * taps.first[y] + 3 * x, stride,
                    taps.weights + (gsize) y * taps.ksize, taps.n[y],
                    out->pixels + stride * y + 3 * x);
  taps_clear (&taps);

  return out;
}

ImpastoImage *
impasto_image_resize_triangle (const ImpastoImage *image,
                               guint               width,
                               guint               height)
{
  g_autoptr(ImpastoImage) wide = NULL;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (impasto_image_size_within_limits (image->width, image->height), NULL);
  g_return_val_if_fail (impasto_image_size_within_limits (width, height), NULL);

  /* Like PIL, an axis already at its size is left alone. */
  wide = width != image->width ? resize_horizontal (image, width) : impasto_image_copy (image);
  if (height == image->height)
    return g_steal_pointer (&wide);

  return resize_vertical (wide, height);
}

ImpastoImage *
impasto_image_resize_with (const ImpastoImage *image,
                           guint               width,
                           guint               height,
                           ImpastoResample     resample)
{
  switch (resample)
    {
    case IMPASTO_RESAMPLE_BOX:
      return impasto_image_resize (image, width, height);
    case IMPASTO_RESAMPLE_TRIANGLE:
      return impasto_image_resize_triangle (image, width, height);
    default:
      g_return_val_if_reached (NULL);
    }
}
