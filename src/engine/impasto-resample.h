/* impasto-resample.h: the image at the coarser scales of a coarse-to-fine run
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "impasto-image.h"

G_BEGIN_DECLS

/* Size of the next coarser scale: halved, rounded up like the network's pooling. */
static inline guint
impasto_scale_down_size (guint size)
{
  return (size + 1) / 2;
}

/* A size at a scale: halved that many times (0: the size itself). */
static inline guint
impasto_size_at_scale (guint size,
                       guint scale)
{
  for (guint s = 0; s < scale; s++)
    size = impasto_scale_down_size (size);
  return size;
}

/* A new image of width x height (each at most the source's), every pixel the average of the
 * source area it covers. */
ImpastoImage *impasto_image_scale_down  (const ImpastoImage *image,
                                         guint               width,
                                         guint               height);

/* Bilinear interpolation of c planes of src_h x src_w into dst's c planes of h x w, pixel
 * centres aligned, edges clamped. */
void          impasto_planes_resize     (const float        *src,
                                         guint               c,
                                         guint               src_h,
                                         guint               src_w,
                                         float              *dst,
                                         guint               h,
                                         guint               w);

G_END_DECLS
