/* impasto-log-scale.h: a slider that goes by factors, for a value that spans decades
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* From now on scale moves value by factors: its left end is low (or value's lower bound if
 * higher), its right end value's upper bound. A value typed elsewhere, below low or not,
 * stays exactly as typed; one set by dragging is rounded to three significant digits (to
 * whole numbers when whole is set). */
void impasto_log_scale_bind (GtkScale      *scale,
                             GtkAdjustment *value,
                             double         low,
                             gboolean       whole);

G_END_DECLS
