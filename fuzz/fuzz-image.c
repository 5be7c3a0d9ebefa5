/* fuzz-image.c: any bytes through the image loading path, as a user's file would go
 *
 * impasto_image_load_bytes() is what impasto_image_load() does after reading the file; the
 * image is then resized as the run resizes it, down and up.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz-target.h"
#include "impasto-image-io.h"
#include "impasto-recipe.h"

/* gdk-pixbuf's GIF loader asks for the rowstride of a frame 0 pixels wide or high before it
 * checks the frame, and then fails the load properly ("not enough memory"). */
static const char * const tolerated[] = {
  "GdkPixbuf", "gdk_pixbuf_calculate_rowstride: assertion 'width > 0' failed",
  "GdkPixbuf", "gdk_pixbuf_calculate_rowstride: assertion 'height > 0' failed",
  NULL
};

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_target_init_logging (tolerated);
  return 0;
}

/* A refusal must be one of ours, with a message to show. */
static void
check_error (const GError *error)
{
  if (error == NULL || error->domain != IMPASTO_IMAGE_ERROR || error->message[0] == '\0'
      || !g_utf8_validate (error->message, -1, NULL))
    abort ();
}

static void
check_resize (const ImpastoImage *image,
              guint               width,
              guint               height)
{
  g_autoptr(ImpastoImage) resized = impasto_image_resize (image, width, height);

  if (resized->width != width || resized->height != height)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(ImpastoImage) image = impasto_image_load_bytes_with_recipe (bytes, &text, &error);

  if (image == NULL)
    {
      check_error (error);
      return 0;
    }
  if (error != NULL || image->width == 0 || image->height == 0
      || image->width > IMPASTO_IMAGE_MAX_SIDE || image->height > IMPASTO_IMAGE_MAX_SIDE
      || (guint64) image->width * image->height > IMPASTO_IMAGE_MAX_PIXELS)
    abort ();

  /* A result's recipe is read or refused with a message of its own. */
  if (text != NULL)
    {
      g_autoptr(GError) recipe_error = NULL;
      g_autoptr(ImpastoRecipe) recipe = impasto_recipe_from_text (text, -1, &recipe_error);

      if ((recipe == NULL) == (recipe_error == NULL)
          || (recipe_error != NULL && (recipe_error->domain != IMPASTO_RECIPE_ERROR
                                       || !g_utf8_validate (recipe_error->message, -1, NULL))))
        abort ();
    }

  /* The run's default size, a one-pixel image, and something wider than the source. */
  check_resize (image, 450, 300);
  check_resize (image, 1, 1);
  check_resize (image, MIN (image->width * 2 + 1, 1024), MAX (image->height / 3, 1));

  return 0;
}
