/* impasto-texture.h: engine images as GDK textures
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "impasto-image.h"

G_BEGIN_DECLS

/* A copy of the pixels; main thread only, like every GdkTexture the window shows. */
GdkTexture *impasto_texture_new_for_image (const ImpastoImage *image);

G_END_DECLS
