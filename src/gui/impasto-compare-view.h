/* impasto-compare-view.h: the preview, or the photo and the painting either side of a divider
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IMPASTO_TYPE_COMPARE_VIEW (impasto_compare_view_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoCompareView, impasto_compare_view, IMPASTO, COMPARE_VIEW, GtkWidget)

GtkWidget    *impasto_compare_view_new           (void);
GtkWidget    *impasto_compare_view_get_child     (ImpastoCompareView *self);
void          impasto_compare_view_set_child     (ImpastoCompareView *self,
                                                  GtkWidget          *child);
GdkPaintable *impasto_compare_view_get_paintable (ImpastoCompareView *self);
void          impasto_compare_view_set_paintable (ImpastoCompareView *self,
                                                  GdkPaintable       *paintable);
GdkPaintable *impasto_compare_view_get_before    (ImpastoCompareView *self);
void          impasto_compare_view_set_before    (ImpastoCompareView *self,
                                                  GdkPaintable       *before);
gboolean      impasto_compare_view_get_comparing (ImpastoCompareView *self);
void          impasto_compare_view_set_comparing (ImpastoCompareView *self,
                                                  gboolean            comparing);
double        impasto_compare_view_get_position  (ImpastoCompareView *self);
void          impasto_compare_view_set_position  (ImpastoCompareView *self,
                                                  double              position);
/* Where the painting is drawn in a view of that size, as GtkPicture's content-fit contain
 * draws it; FALSE when there is no painting. */
gboolean      impasto_compare_view_get_frame     (ImpastoCompareView *self,
                                                  double              width,
                                                  double              height,
                                                  graphene_rect_t    *frame);

G_END_DECLS
