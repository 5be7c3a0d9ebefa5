/* impasto-resize.h: resizing the inputs to the size a run works at, by the filter it names
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "impasto-image.h"
#include "impasto-run.h"

G_BEGIN_DECLS

/* PIL's Image.resize with BILINEAR on 8-bit RGB, which the seed reached through
 * scipy.misc.imresize: a triangle filter whose support widens with the shrink factor,
 * horizontally first, rounded to 8 bits between the passes. */
ImpastoImage *impasto_image_resize_triangle (const ImpastoImage *image,
                                             guint               width,
                                             guint               height);

/* A new image of exactly width x height by resample's filter (see impasto_image_resize() for
 * the box); a plain copy when the size already matches. */
ImpastoImage *impasto_image_resize_with     (const ImpastoImage *image,
                                             guint               width,
                                             guint               height,
                                             ImpastoResample     resample);

G_END_DECLS
