/* impasto-loss-plot.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "impasto-color.h"
#include "impasto-loss-plot.h"

typedef struct
{
  guint  step;
  double log_loss;
} Point;

struct _ImpastoLossPlot
{
  GtkDrawingArea parent_instance;

  GArray        *points;
  GArray        *marks;        /* guint: the steps where the user changed the run */
  guint          total_steps;
  double         min_log;
  double         max_log;
};

G_DEFINE_FINAL_TYPE (ImpastoLossPlot, impasto_loss_plot, GTK_TYPE_DRAWING_AREA)

/* A run of ten thousand steps has ten thousand points but the plot a few hundred pixel
 * columns: cairo stroked the whole polyline in 12 ms, on the main thread, at every update.
 * Each column now adds at most four points: where the curve enters it, its two extremes in
 * the order they came, and where it leaves. */
typedef struct
{
  double x;
  double first;
  double last;
  double min;
  double max;
  guint  n;
  guint  min_index;
  guint  max_index;
} Column;

static void
column_add (Column *column,
            double  x,
            double  y)
{
  if (column->n == 0)
    {
      *column = (Column) { x, y, y, y, y, 0, 0, 0 };
    }
  else
    {
      if (y < column->min)
        column->min = y, column->min_index = column->n;
      if (y > column->max)
        column->max = y, column->max_index = column->n;
      column->last = y;
    }

  column->n++;
}

static void
column_flush (Column  *column,
              cairo_t *cr)
{
  gboolean min_first = column->min_index < column->max_index;

  if (column->n == 0)
    return;

  if (cairo_has_current_point (cr))
    cairo_line_to (cr, column->x, column->first);
  else
    cairo_move_to (cr, column->x, column->first);

  if (column->n > 1)
    {
      cairo_line_to (cr, column->x, min_first ? column->min : column->max);
      cairo_line_to (cr, column->x, min_first ? column->max : column->min);
      cairo_line_to (cr, column->x, column->last);
    }

  column->n = 0;
}

/* Adds the curve to cr's path, for a plot of width x height: at most four points per pixel
 * column, however many steps the run has. */
void
impasto_loss_plot_trace (ImpastoLossPlot *self,
                         cairo_t         *cr,
                         int              width,
                         int              height)
{
  double span = MAX (self->max_log - self->min_log, 1e-6);
  double x_scale = (width - 2.0) / MAX (self->total_steps, 1);
  Column column = { 0 };

  g_return_if_fail (IMPASTO_IS_LOSS_PLOT (self));

  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *point = &g_array_index (self->points, Point, i);
      double x = 1.0 + point->step * x_scale;
      double y = 1.0 + (height - 2.0) * (self->max_log - point->log_loss) / span;

      if (column.n > 0 && floor (x) != floor (column.x))
        column_flush (&column, cr);
      column_add (&column, x, y);
    }

  column_flush (&column, cr);
}

void
impasto_loss_plot_get_line_color (ImpastoLossPlot *self,
                                  GdkRGBA         *color)
{
  static const GdkRGBA white = { 1, 1, 1, 1 };
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self));
  GdkRGBA text, accent, background;

  /* The theme's selection colour, made to stand out from the window as a graphic's line
   * must; the widget's own text colour is what it tends to. */
  gtk_style_context_get_color (style, &text);
  text.alpha = 1;
  impasto_color_lookup (GTK_WIDGET (self), "theme_selected_bg_color", &text, &accent);
  impasto_color_lookup (GTK_WIDGET (self), "theme_bg_color", &white, &background);
  impasto_color_readable (&accent, &text, &background, IMPASTO_GRAPHIC_CONTRAST, color);
}

static void
draw_plot (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        user_data)
{
  ImpastoLossPlot *self = IMPASTO_LOSS_PLOT (area);
  GdkRGBA color;

  impasto_loss_plot_get_line_color (self, &color);

  /* A faint baseline so an empty plot still reads as a plot. */
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.2);
  cairo_rectangle (cr, 0, height - 1, width, 1);
  cairo_fill (cr);

  /* Where the user steered: faint, under the curve. */
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.45);
  for (guint i = 0; i < self->marks->len; i++)
    {
      double x = 1.0 + g_array_index (self->marks, guint, i) * (width - 2.0)
                       / MAX (self->total_steps, 1);

      cairo_rectangle (cr, floor (x), 0, 1, height);
    }
  cairo_fill (cr);

  if (self->points->len < 2)
    return;

  gdk_cairo_set_source_rgba (cr, &color);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  impasto_loss_plot_trace (self, cr, width, height);
  cairo_stroke (cr);
}

static void
impasto_loss_plot_finalize (GObject *object)
{
  ImpastoLossPlot *self = (ImpastoLossPlot *)object;

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->marks, g_array_unref);

  G_OBJECT_CLASS (impasto_loss_plot_parent_class)->finalize (object);
}

static void
impasto_loss_plot_class_init (ImpastoLossPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = impasto_loss_plot_finalize;

  gtk_widget_class_set_css_name (widget_class, "impasto-loss-plot");
}

static void
impasto_loss_plot_init (ImpastoLossPlot *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (Point));
  self->marks = g_array_new (FALSE, FALSE, sizeof (guint));
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self), 64);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw_plot, NULL, NULL);
}

GtkWidget *
impasto_loss_plot_new (void)
{
  return g_object_new (IMPASTO_TYPE_LOSS_PLOT, NULL);
}

void
impasto_loss_plot_clear (ImpastoLossPlot *self)
{
  g_return_if_fail (IMPASTO_IS_LOSS_PLOT (self));

  g_array_set_size (self->points, 0);
  g_array_set_size (self->marks, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
impasto_loss_plot_set_range (ImpastoLossPlot *self,
                             guint            total_steps)
{
  g_return_if_fail (IMPASTO_IS_LOSS_PLOT (self));

  if (self->total_steps == total_steps)
    return;

  self->total_steps = total_steps;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Losses fall by orders of magnitude in the first steps: only a log scale shows the rest. */
void
impasto_loss_plot_append (ImpastoLossPlot *self,
                          guint            step,
                          double           loss)
{
  Point point;

  g_return_if_fail (IMPASTO_IS_LOSS_PLOT (self));

  if (!(loss > 0) || !isfinite (loss))
    return;

  point.step = step;
  point.log_loss = log10 (loss);

  if (self->points->len == 0 || point.log_loss < self->min_log)
    self->min_log = point.log_loss;
  if (self->points->len == 0 || point.log_loss > self->max_log)
    self->max_log = point.log_loss;

  g_array_append_val (self->points, point);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
impasto_loss_plot_get_n_points (ImpastoLossPlot *self)
{
  g_return_val_if_fail (IMPASTO_IS_LOSS_PLOT (self), 0);

  return self->points->len;
}

/* A line across the plot at step: where a change of the user's took effect. */
void
impasto_loss_plot_add_mark (ImpastoLossPlot *self,
                            guint            step)
{
  g_return_if_fail (IMPASTO_IS_LOSS_PLOT (self));

  g_array_append_val (self->marks, step);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
impasto_loss_plot_get_n_marks (ImpastoLossPlot *self)
{
  g_return_val_if_fail (IMPASTO_IS_LOSS_PLOT (self), 0);

  return self->marks->len;
}
