/* impasto-colour-transfer.h: the photo's colours kept, the painting's brightness
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "impasto-image.h"

G_BEGIN_DECLS

/* Each pixel of image gets colours' chroma (I and Q of YIQ, or U and V of YUV: the same
 * result, see the .c) under its own luma Y, clamped to 0..255. Both the same size. */
void impasto_image_keep_colours (ImpastoImage       *image,
                                 const ImpastoImage *colours);

/* The same for interleaved RGB at 16 bits a channel (0..65535 for 0..255) of colours' size. */
void impasto_pixels16_keep_colours (guint16            *rgb,
                                    const ImpastoImage *colours);

/* Gatys et al. 2017's colour matching, before the run: the style image's colours mapped so
 * that their statistics are the photo's. Linear: x' = A (x - mu_s) + mu_c with
 * A = L_c L_s^-1, L the Cholesky factors of the colour covariances, so that the mean and the
 * covariance become the photo's; matrix and offset give the map (either may be NULL). */
void impasto_image_match_colours_linear    (ImpastoImage       *style,
                                            const ImpastoImage *photo,
                                            double              matrix[3][3],
                                            double              offset[3]);
/* Each channel's histogram mapped onto the photo's: value v goes to the least u whose share
 * of photo pixels at u or below reaches the share of style pixels at v or below. */
void impasto_image_match_colours_histogram (ImpastoImage       *style,
                                            const ImpastoImage *photo);

G_END_DECLS
