/* impasto-texture.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-texture.h"

GdkTexture *
impasto_texture_new_for_image (const ImpastoImage *image)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (image != NULL, NULL);

  bytes = g_bytes_new (image->pixels, impasto_image_get_n_bytes (image));

  return gdk_memory_texture_new (image->width, image->height, GDK_MEMORY_R8G8B8,
                                 bytes, (gsize) image->width * 3);
}
