/* impasto-style-row.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "impasto-style-row.h"

struct _ImpastoStyleRow
{
  GtkWidget           parent_instance;

  ImpastoImagePicker *picker;
  GtkWidget          *weight_box;
  GtkAdjustment      *weight_adjustment;
  GtkLabel           *share_label;
};

G_DEFINE_FINAL_TYPE (ImpastoStyleRow, impasto_style_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WEIGHT,
  N_PROPS
};

enum {
  MOVE,
  REMOVE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
on_weight_changed (ImpastoStyleRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WEIGHT]);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[MOVE], 0, g_str_equal (action_name, "style-row.move-up") ? -1 : 1);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[REMOVE], 0);
}

static void
impasto_style_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), IMPASTO_TYPE_STYLE_ROW);

  G_OBJECT_CLASS (impasto_style_row_parent_class)->dispose (object);
}

static void
impasto_style_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ImpastoStyleRow *self = IMPASTO_STYLE_ROW (object);

  switch (prop_id)
    {
    case PROP_WEIGHT:
      g_value_set_double (value, impasto_style_row_get_weight (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_style_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ImpastoStyleRow *self = IMPASTO_STYLE_ROW (object);

  switch (prop_id)
    {
    case PROP_WEIGHT:
      impasto_style_row_set_weight (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_style_row_class_init (ImpastoStyleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = impasto_style_row_dispose;
  object_class->get_property = impasto_style_row_get_property;
  object_class->set_property = impasto_style_row_set_property;

  /* Relative: the engine makes the weights of a blend add up to one. */
  properties[PROP_WEIGHT] =
    g_param_spec_double ("weight", NULL, NULL,
                         0, 1000, 1,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* By one place: -1 up, 1 down. */
  signals[MOVE] = g_signal_new ("move", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (IMPASTO_TYPE_IMAGE_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/impasto/Impasto/impasto-style-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ImpastoStyleRow, picker);
  gtk_widget_class_bind_template_child (widget_class, ImpastoStyleRow, weight_box);
  gtk_widget_class_bind_template_child (widget_class, ImpastoStyleRow, weight_adjustment);
  gtk_widget_class_bind_template_child (widget_class, ImpastoStyleRow, share_label);
  gtk_widget_class_bind_template_callback (widget_class, on_weight_changed);

  gtk_widget_class_install_action (widget_class, "style-row.move-up", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "style-row.move-down", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "style-row.remove", NULL, remove_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "impasto-style-row");
}

static void
impasto_style_row_init (ImpastoStyleRow *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
}

GtkWidget *
impasto_style_row_new (void)
{
  return g_object_new (IMPASTO_TYPE_STYLE_ROW, NULL);
}

ImpastoImagePicker *
impasto_style_row_get_picker (ImpastoStyleRow *self)
{
  g_return_val_if_fail (IMPASTO_IS_STYLE_ROW (self), NULL);

  return self->picker;
}

double
impasto_style_row_get_weight (ImpastoStyleRow *self)
{
  g_return_val_if_fail (IMPASTO_IS_STYLE_ROW (self), 0);

  return gtk_adjustment_get_value (self->weight_adjustment);
}

/* The adjustment notifies "weight" through on_weight_changed(), only on a real change. */
void
impasto_style_row_set_weight (ImpastoStyleRow *self,
                              double           weight)
{
  g_return_if_fail (IMPASTO_IS_STYLE_ROW (self));

  gtk_adjustment_set_value (self->weight_adjustment, weight);
}

void
impasto_style_row_set_place (ImpastoStyleRow *self,
                             guint            index,
                             guint            n,
                             double           share)
{
  g_autofree char *title = NULL;
  g_autofree char *share_text = NULL;

  g_return_if_fail (IMPASTO_IS_STYLE_ROW (self));
  g_return_if_fail (index < n);

  /* Translators: the title of the n-th of several style images' pickers. */
  title = n > 1 ? g_strdup_printf (_("Style Image %u"), index + 1) : g_strdup (_("Style Image"));
  impasto_image_picker_set_title (self->picker, title);

  gtk_widget_set_visible (self->weight_box, n > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "style-row.move-up", index > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "style-row.move-down", index + 1 < n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "style-row.remove", n > 1);

  /* Translators: a style image's share of the blend, in percent. */
  share_text = g_strdup_printf (_("%.0f %%"), share * 100);
  gtk_label_set_label (self->share_label, share_text);
}
