/* image-fixtures.h: image files made in memory, byte by byte where it matters
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "impasto-image.h"

G_BEGIN_DECLS

/* libpng's colour types, repeated so that callers need not include png.h. */
typedef enum
{
  FIXTURE_PNG_GRAY       = 0,
  FIXTURE_PNG_RGB        = 2,
  FIXTURE_PNG_GRAY_ALPHA = 4,
  FIXTURE_PNG_RGBA       = 6,
} FixturePngColor;

/* samples: width * height * channels values of bit_depth (8 or 16) bits, row-major. */
GBytes       *fixture_png               (guint               width,
                                         guint               height,
                                         FixturePngColor     color,
                                         guint               bit_depth,
                                         const guint16      *samples);
/* A valid PNG signature and IHDR (correct CRCs) claiming width x height, a few bytes of pixel
 * data and an IEND: a decompression bomb as far as any reader that trusts IHDR goes. */
GBytes       *fixture_png_claiming      (guint32             width,
                                         guint32             height);
GBytes       *fixture_jpeg              (const ImpastoImage *image,
                                         guint               quality);
/* A CMYK JPEG as Adobe software writes it (inverted, with an Adobe marker), written by libjpeg;
 * cmyk holds width * height * 4 samples. */
GBytes       *fixture_jpeg_cmyk         (guint               width,
                                         guint               height,
                                         const guint8       *cmyk);
/* Four flat quadrants, written a row at a time (so of any size, in little memory): top left,
 * top right, bottom left and bottom right in fixture_quadrant_colors' order. */
extern const guint8 fixture_quadrant_colors[4][3];
GBytes       *fixture_jpeg_quadrants    (guint               width,
                                         guint               height,
                                         gboolean            progressive);
/* jpeg with an APP1 Exif segment whose only tag is Orientation, right after SOI. */
GBytes       *fixture_jpeg_with_orientation (GBytes         *jpeg,
                                             guint           orientation);
/* jpeg with the size in its frame header replaced (up to 65535 a side). */
GBytes       *fixture_jpeg_claiming     (GBytes             *jpeg,
                                         guint16             width,
                                         guint16             height);
/* Offset of the start-of-scan marker: the header ends there and the pixel data follows. */
gsize         fixture_jpeg_scan_offset  (GBytes             *jpeg);
/* A GIF89a with a two-colour palette (red, blue) and two frames of frame_width x frame_height
 * at the origin of a screen_width x screen_height canvas: the first all red, the second all
 * blue, 0.1 s each. */
GBytes       *fixture_gif_two_frames    (guint16             screen_width,
                                         guint16             screen_height,
                                         guint16             frame_width,
                                         guint16             frame_height);
/* Reproducible noise, which compresses badly: every cut through a file lands in pixel data. */
ImpastoImage *fixture_noise_image       (guint               width,
                                         guint               height,
                                         guint32             seed);
ImpastoImage *fixture_solid_image       (guint               width,
                                         guint               height,
                                         guint8              red,
                                         guint8              green,
                                         guint8              blue);

G_END_DECLS
