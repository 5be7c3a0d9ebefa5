/* impasto-image.h: 8-bit RGB images, the currency between the engine and its front ends
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Tightly packed 8-bit RGB, row-major: pixel (x, y) starts at pixels[3 * (y * width + x)]. */
typedef struct
{
  guint   width;
  guint   height;
  guint8 *pixels;
} ImpastoImage;

ImpastoImage *impasto_image_new   (guint               width,
                                   guint               height);
ImpastoImage *impasto_image_copy  (const ImpastoImage *image);
void          impasto_image_free  (ImpastoImage       *image);
gsize         impasto_image_get_n_bytes (const ImpastoImage *image);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoImage, impasto_image_free)

G_END_DECLS
