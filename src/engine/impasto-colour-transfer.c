/* impasto-colour-transfer.c: Gatys et al. 2017's luminance-only transfer, after the run
 *
 * "Controlling Perceptual Factors in Neural Style Transfer" keeps the photo's colours by
 * combining the painting's luminance with the photo's chroma, in YIQ. YIQ and YUV share
 * BT.601's luma Y = 0.299 R + 0.587 G + 0.114 B, and in both the chroma rows sum to zero, so
 * the first column of either inverse is (1, 1, 1): the RGB of (Y_painting, chroma_photo) is
 * the photo's RGB plus Y_painting - Y_photo in every channel. That is what is computed, in
 * double precision before the one rounding; the tests go the long way, through the matrices.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "impasto-colour-transfer.h"

static double
luma (const guint8 *rgb)
{
  return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
}

void
impasto_image_keep_colours (ImpastoImage       *image,
                            const ImpastoImage *colours)
{
  gsize n;

  g_return_if_fail (image != NULL && colours != NULL);
  g_return_if_fail (image->width == colours->width && image->height == colours->height);

  n = (gsize) image->width * image->height;
  for (gsize i = 0; i < n; i++)
    {
      guint8 *out = image->pixels + 3 * i;
      const guint8 *photo = colours->pixels + 3 * i;
      double shift = luma (out) - luma (photo);

      for (guint c = 0; c < 3; c++)
        out[c] = (guint8) CLAMP (floor (photo[c] + shift + 0.5), 0, 255);
    }
}
