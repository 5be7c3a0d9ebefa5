/* impasto-log-scale.c
 *
 * The scale gets an adjustment of its own over log10 of the value; a binding keeps the two in
 * step. GBinding does not echo a change back to where it came from, so a value typed in the
 * number field is never rounded by the way.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "impasto-log-scale.h"

typedef struct
{
  double   low;     /* the value at the left end */
  gboolean whole;
} Mapping;

static gboolean
to_position (GBinding     *binding,
             const GValue *from,
             GValue       *to,
             gpointer      user_data)
{
  const Mapping *mapping = user_data;

  g_value_set_double (to, log10 (MAX (g_value_get_double (from), mapping->low)));
  return TRUE;
}

/* Three significant digits: 512, 1230, 0.0457. */
static double
round_nicely (double value)
{
  double unit = pow (10, floor (log10 (value)) - 2);

  return round (value / unit) * unit;
}

static gboolean
to_value (GBinding     *binding,
          const GValue *from,
          GValue       *to,
          gpointer      user_data)
{
  const Mapping *mapping = user_data;
  double value = round_nicely (pow (10, g_value_get_double (from)));

  g_value_set_double (to, mapping->whole ? MAX (round (value), 1) : value);
  return TRUE;
}

void
impasto_log_scale_bind (GtkScale      *scale,
                        GtkAdjustment *value,
                        double         low,
                        gboolean       whole)
{
  Mapping *mapping = g_new (Mapping, 1);
  double top = log10 (gtk_adjustment_get_upper (value));
  double bottom;
  GtkAdjustment *position;

  low = MAX (low, gtk_adjustment_get_lower (value));
  g_return_if_fail (low > 0);

  bottom = log10 (low);
  *mapping = (Mapping) { low, whole };
  /* Twenty keyboard steps and five pages from one end to the other. */
  position = gtk_adjustment_new (bottom, bottom, top, (top - bottom) / 20, (top - bottom) / 5, 0);
  gtk_range_set_adjustment (GTK_RANGE (scale), position);
  g_object_bind_property_full (value, "value", position, "value",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               to_position, to_value, mapping, g_free);
}
