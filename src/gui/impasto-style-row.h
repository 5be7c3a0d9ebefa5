/* impasto-style-row.h: one style image of the list, with its weight and its place
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "impasto-image-picker.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_STYLE_ROW (impasto_style_row_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoStyleRow, impasto_style_row, IMPASTO, STYLE_ROW, GtkWidget)

GtkWidget          *impasto_style_row_new        (void);
ImpastoImagePicker *impasto_style_row_get_picker (ImpastoStyleRow *self);
double              impasto_style_row_get_weight (ImpastoStyleRow *self);
void                impasto_style_row_set_weight (ImpastoStyleRow *self,
                                                  double           weight);
/* Its place among n: the title, which buttons apply, and its share of the blend (the weight
 * and the share are shown only when there is more than one). */
void                impasto_style_row_set_place  (ImpastoStyleRow *self,
                                                  guint            index,
                                                  guint            n,
                                                  double           share);

G_END_DECLS
