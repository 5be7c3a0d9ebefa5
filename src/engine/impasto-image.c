/* impasto-image.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-image.h"

/* Callers check width and height against their own limits first: this only refuses what
 * cannot be represented at all. */
ImpastoImage *
impasto_image_new (guint width,
                   guint height)
{
  ImpastoImage *image;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail ((gsize) width <= G_MAXSIZE / 3 / height, NULL);

  image = g_new0 (ImpastoImage, 1);
  image->width = width;
  image->height = height;
  image->pixels = g_malloc0 ((gsize) width * height * 3);

  return image;
}

gsize
impasto_image_get_n_bytes (const ImpastoImage *image)
{
  return (gsize) image->width * image->height * 3;
}

ImpastoImage *
impasto_image_copy (const ImpastoImage *image)
{
  ImpastoImage *copy;

  g_return_val_if_fail (image != NULL, NULL);

  copy = g_new0 (ImpastoImage, 1);
  copy->width = image->width;
  copy->height = image->height;
  copy->pixels = g_memdup2 (image->pixels, impasto_image_get_n_bytes (image));

  return copy;
}

void
impasto_image_free (ImpastoImage *image)
{
  if (image == NULL)
    return;

  g_free (image->pixels);
  g_free (image);
}
