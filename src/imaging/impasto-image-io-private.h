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

/* impasto-image-save.c: bytes to path through a temporary file beside it, renamed over it;
 * subject names the file in messages. */
gboolean   impasto_image_write_atomically   (const char         *path,
                                             GBytes             *bytes,
                                             const char         *subject,
                                             GError            **error);
/* FALSE with IMPASTO_IMAGE_ERROR_FORMAT when path's name ends in neither .png nor .jpg/.jpeg;
 * png tells which. */
gboolean   impasto_image_check_save_name    (const char         *path,
                                             gboolean           *png,
                                             GError            **error);

/* impasto-image-recipe.c */
GBytes    *impasto_jpeg_add_recipe          (GBytes             *jpeg,
                                             const char         *recipe);
char      *impasto_jpeg_find_recipe         (GBytes             *jpeg,
                                             gsize               max_size);
gboolean   impasto_jpeg_is_sequential       (GBytes             *jpeg);

#define IMPASTO_PNG_RECIPE_KEY    "impasto-recipe"
#define IMPASTO_PNG_RECIPE_OPTION "tEXt::" IMPASTO_PNG_RECIPE_KEY

G_END_DECLS
