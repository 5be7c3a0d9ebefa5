/* impasto-loss-plot.h: the total loss over a run, on a log scale
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IMPASTO_TYPE_LOSS_PLOT (impasto_loss_plot_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoLossPlot, impasto_loss_plot, IMPASTO, LOSS_PLOT, GtkDrawingArea)

GtkWidget *impasto_loss_plot_new        (void);
void       impasto_loss_plot_clear      (ImpastoLossPlot *self);
/* total_steps fixes the horizontal scale, so the curve grows to the right as the run goes. */
void       impasto_loss_plot_set_range  (ImpastoLossPlot *self,
                                         guint            total_steps);
void       impasto_loss_plot_append     (ImpastoLossPlot *self,
                                         guint            step,
                                         double           loss);
guint      impasto_loss_plot_get_n_points (ImpastoLossPlot *self);
void       impasto_loss_plot_trace      (ImpastoLossPlot *self,
                                         cairo_t         *cr,
                                         int              width,
                                         int              height);

void       impasto_loss_plot_add_mark      (ImpastoLossPlot *self,
                                            guint            step);
guint      impasto_loss_plot_get_n_marks   (ImpastoLossPlot *self);
/* The theme's, readable against the window in its light and dark styles */
void       impasto_loss_plot_get_line_color (ImpastoLossPlot *self,
                                             GdkRGBA         *color);

G_END_DECLS
