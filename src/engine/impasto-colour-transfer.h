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

G_END_DECLS
