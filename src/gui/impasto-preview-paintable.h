/* impasto-preview-paintable.h: a picture that is replaced in place
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IMPASTO_TYPE_PREVIEW_PAINTABLE (impasto_preview_paintable_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoPreviewPaintable, impasto_preview_paintable,
                      IMPASTO, PREVIEW_PAINTABLE, GObject)

ImpastoPreviewPaintable *impasto_preview_paintable_new         (void);
GdkTexture              *impasto_preview_paintable_get_texture (ImpastoPreviewPaintable *self);
void                     impasto_preview_paintable_set_texture (ImpastoPreviewPaintable *self,
                                                                GdkTexture              *texture);

G_END_DECLS
