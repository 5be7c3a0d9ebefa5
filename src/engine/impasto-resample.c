/* impasto-resample.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "impasto-resample.h"

/* How much of source cell [i, i + 1) lies in destination cell [lo, hi), in source units. */
static double
overlap (double lo,
         double hi,
         guint  i)
{
  return MAX (0.0, MIN (hi, i + 1.0) - MAX (lo, (double) i));
}

static void
average_pixel (const ImpastoImage *image,
               double              x0,
               double              x1,
               double              y0,
               double              y1,
               guint8             *out)
{
  double sum[3] = { 0 }, area = 0;

  for (guint y = (guint) y0; y < image->height && y < y1; y++)
    for (guint x = (guint) x0; x < image->width && x < x1; x++)
      {
        double a = overlap (y0, y1, y) * overlap (x0, x1, x);
        const guint8 *p = image->pixels + 3 * ((gsize) y * image->width + x);

        for (guint c = 0; c < 3; c++)
          sum[c] += a * p[c];
        area += a;
      }
  for (guint c = 0; c < 3; c++)
    out[c] = (guint8) CLAMP (floor (sum[c] / area + 0.5), 0, 255);
}

ImpastoImage *
impasto_image_scale_down (const ImpastoImage *image,
                          guint               width,
                          guint               height)
{
  ImpastoImage *out;
  double sx, sy;

  g_return_val_if_fail (width > 0 && width <= image->width, NULL);
  g_return_val_if_fail (height > 0 && height <= image->height, NULL);

  out = impasto_image_new (width, height);
  sx = (double) image->width / width;
  sy = (double) image->height / height;
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      average_pixel (image, x * sx, (x + 1) * sx, y * sy, (y + 1) * sy,
                     out->pixels + 3 * ((gsize) y * width + x));

  return out;
}

/* Source index and weight of the next one for destination pixel i. */
static void
source_of (guint   i,
           guint   src_n,
           guint   n,
           guint  *i0,
           float  *frac)
{
  double pos = ((double) i + 0.5) * src_n / n - 0.5;

  pos = CLAMP (pos, 0.0, (double) (src_n - 1));
  *i0 = MIN ((guint) pos, src_n - 1);
  *frac = (float) (pos - *i0);
}

void
impasto_planes_resize (const float *src,
                       guint        c,
                       guint        src_h,
                       guint        src_w,
                       float       *dst,
                       guint        h,
                       guint        w)
{
  for (guint ch = 0; ch < c; ch++)
    {
      const float *plane = src + (gsize) ch * src_h * src_w;

      for (guint y = 0; y < h; y++)
        {
          guint y0, x0;
          float fy, fx;

          source_of (y, src_h, h, &y0, &fy);
          for (guint x = 0; x < w; x++)
            {
              const float *r0 = plane + (gsize) y0 * src_w;
              const float *r1 = plane + (gsize) MIN (y0 + 1, src_h - 1) * src_w;
              guint x1;
              float top, bottom;

              source_of (x, src_w, w, &x0, &fx);
              x1 = MIN (x0 + 1, src_w - 1);
              top = r0[x0] + fx * (r0[x1] - r0[x0]);
              bottom = r1[x0] + fx * (r1[x1] - r1[x0]);
              dst[((gsize) ch * h + y) * w + x] = top + fy * (bottom - top);
            }
        }
    }
}
