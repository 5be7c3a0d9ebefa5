/* impasto-image-io-private.h: what loading, resizing and saving share
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "impasto-image-io.h"

G_BEGIN_DECLS

gboolean   impasto_image_size_within_limits (guint64             width,
                                             guint64             height);
GdkPixbuf *impasto_image_wrap_pixbuf        (const ImpastoImage *image);
char      *impasto_image_quote_path         (const char         *path);

/* impasto-image-recipe.c */
GBytes    *impasto_jpeg_add_recipe          (GBytes             *jpeg,
                                             const char         *recipe);
char      *impasto_jpeg_find_recipe         (GBytes             *jpeg,
                                             gsize               max_size);
gboolean   impasto_jpeg_is_sequential       (GBytes             *jpeg);

#define IMPASTO_PNG_RECIPE_OPTION "tEXt::impasto-recipe"

G_END_DECLS
