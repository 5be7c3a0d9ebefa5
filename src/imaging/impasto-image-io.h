/* impasto-image-io.h: images from and to files, through gdk-pixbuf
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "impasto-image.h"

G_BEGIN_DECLS

#define IMPASTO_IMAGE_ERROR (impasto_image_error_quark ())

typedef enum
{
  IMPASTO_IMAGE_ERROR_READ,        /* the file could not be read */
  IMPASTO_IMAGE_ERROR_DECODE,      /* not an image gdk-pixbuf can decode */
  IMPASTO_IMAGE_ERROR_TOO_LARGE,   /* refused before decoding: see IMPASTO_IMAGE_MAX_PIXELS */
  IMPASTO_IMAGE_ERROR_FORMAT,      /* the output name ends in neither .png nor .jpg/.jpeg */
  IMPASTO_IMAGE_ERROR_WRITE,       /* the output could not be written; nothing was replaced */
} ImpastoImageError;

#define IMPASTO_IMAGE_MAX_SIDE        65535u
/* The most pixels an image is decoded to. A larger sequential JPEG is decoded at a half, a
 * quarter or an eighth of its size, the first that fits; other files must fit as they are. */
#define IMPASTO_IMAGE_MAX_PIXELS      (100u * 1000u * 1000u)
/* The most a JPEG decoded that way may claim: far beyond any camera, and a header claiming
 * more is refused before anything is decoded. */
#define IMPASTO_IMAGE_MAX_JPEG_PIXELS (1000u * 1000u * 1000u)

GQuark        impasto_image_error_quark (void);

/* Any format gdk-pixbuf reads; EXIF orientation applied, alpha composited on white, the first
 * frame of an animation. Sizes are checked before anything is decoded, and a large JPEG is
 * decoded at a reduced size (see IMPASTO_IMAGE_MAX_PIXELS). */
ImpastoImage *impasto_image_load        (const char         *path,
                                         GError            **error);
ImpastoImage *impasto_image_load_bytes  (GBytes             *bytes,
                                         GError            **error);
/* recipe: as impasto_image_load_full() gives it. */
ImpastoImage *impasto_image_load_bytes_with_recipe (GBytes     *bytes,
                                                    char      **recipe,
                                                    GError    **error);
/* Also the SHA-256 of the file's bytes and the recipe text an Impasto result carries (NULL
 * when it carries none); either may be NULL. */
ImpastoImage *impasto_image_load_full   (const char         *path,
                                         char              **sha256,
                                         char              **recipe,
                                         GError            **error);
/* A new image of exactly width x height; a plain copy when the size already matches. */
ImpastoImage *impasto_image_resize      (const ImpastoImage *image,
                                         guint               width,
                                         guint               height);
/* PNG or JPEG by the name's extension, written to a temporary file in the same folder and
 * renamed over path, so a failure never leaves a partial file or harms an existing one. */
gboolean      impasto_image_save        (const ImpastoImage *image,
                                         const char         *path,
                                         GError            **error);

/* "png" or "jpeg", as the saving functions tell the format from the name's extension; NULL
 * for a name they refuse. */
const char   *impasto_image_type_for_path (const char         *path);
/* With recipe (NULL for none) inside the file: a PNG text chunk, JPEG comments. */
gboolean      impasto_image_save_with_recipe (const ImpastoImage *image,
                                              const char         *path,
                                              const char         *recipe,
                                              GError            **error);

/* A PNG of 16 bits a channel from interleaved RGB of width x height, with recipe (NULL for
 * none) as an iTXt chunk, atomically as impasto_image_save(). Other names are refused. */
gboolean      impasto_image_save_png16  (const guint16      *rgb,
                                         guint               width,
                                         guint               height,
                                         const char         *path,
                                         const char         *recipe,
                                         GError            **error);

G_END_DECLS
