/* impasto-compare-view.c: the preview, or the photo and the painting either side of a divider
 *
 * Off, the view is its child (the preview as it always was). On, it draws the painting in the
 * frame content-fit contain gives it, and the photo in that same frame left of the divider,
 * scaled to it: the two line up pixel for pixel, as the run saw them. The divider follows a
 * drag or a click, and Left, Right, Home and End once the view has the focus.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "impasto-compare-view.h"

/* How far Left and Right move the divider, as a share of the frame. */
#define KEY_STEP 0.05
#define KNOB_RADIUS 12.0

struct _ImpastoCompareView
{
  GtkWidget     parent_instance;

  GtkWidget    *child;
  GdkPaintable *paintable;
  GdkPaintable *before;
  double        position;
  double        drag_start_x;
  guint         comparing : 1;
};

G_DEFINE_FINAL_TYPE (ImpastoCompareView, impasto_compare_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHILD,
  PROP_PAINTABLE,
  PROP_BEFORE,
  PROP_COMPARING,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
impasto_compare_view_get_frame (ImpastoCompareView *self,
                                double              width,
                                double              height,
                                graphene_rect_t    *frame)
{
  double ratio, w, h;

  g_return_val_if_fail (IMPASTO_IS_COMPARE_VIEW (self), FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  if (self->paintable == NULL || width <= 0 || height <= 0
      || (ratio = gdk_paintable_get_intrinsic_aspect_ratio (self->paintable)) <= 0)
    return FALSE;

  /* As GtkPicture 4.8 places a paintable with content-fit contain. */
  if (ratio > width / height)
    w = width, h = width / ratio;
  else
    w = height * ratio, h = height;
  graphene_rect_init (frame, (width - ceil (w)) / 2, floor (height - ceil (h)) / 2, w, h);

  return TRUE;
}

static void
append_paintable (GtkSnapshot           *snapshot,
                  GdkPaintable          *paintable,
                  const graphene_rect_t *frame,
                  const graphene_rect_t *clip)
{
  /* GTK 4.8 leaks what is drawn under an empty clip: the divider at an edge. */
  if (clip->size.width <= 0)
    return;

  gtk_snapshot_push_clip (snapshot, clip);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &frame->origin);
  gdk_paintable_snapshot (paintable, snapshot, frame->size.width, frame->size.height);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);
}

/* A light line with a dark edge, to be seen on any picture, and a knob that shows the focus. */
static void
append_divider (ImpastoCompareView    *self,
                GtkSnapshot           *snapshot,
                const graphene_rect_t *frame,
                double                 x)
{
  static const GdkRGBA light = { 1, 1, 1, 0.9 };
  static const GdkRGBA dark = { 0, 0, 0, 0.5 };
  static const GdkRGBA focus = { 0.208, 0.518, 0.894, 1 };
  double y = frame->origin.y + frame->size.height / 2;
  gboolean focused = gtk_widget_has_visible_focus (GTK_WIDGET (self));
  const GdkRGBA *edge = focused ? &focus : &dark;
  float edge_width = focused ? 3 : 1;
  GskRoundedRect knob;

  gtk_snapshot_append_color (snapshot, &dark,
                             &GRAPHENE_RECT_INIT (x - 2, frame->origin.y, 4, frame->size.height));
  gtk_snapshot_append_color (snapshot, &light,
                             &GRAPHENE_RECT_INIT (x - 1, frame->origin.y, 2, frame->size.height));

  gsk_rounded_rect_init_from_rect (&knob,
                                   &GRAPHENE_RECT_INIT (x - KNOB_RADIUS, y - KNOB_RADIUS,
                                                        2 * KNOB_RADIUS, 2 * KNOB_RADIUS),
                                   KNOB_RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &knob);
  gtk_snapshot_append_color (snapshot, &light, &knob.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &knob,
                              (float[4]) { edge_width, edge_width, edge_width, edge_width },
                              (GdkRGBA[4]) { *edge, *edge, *edge, *edge });
}

static void
impasto_compare_view_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  ImpastoCompareView *self = IMPASTO_COMPARE_VIEW (widget);
  graphene_rect_t frame;
  double x;

  if (!self->comparing || self->before == NULL
      || !impasto_compare_view_get_frame (self, gtk_widget_get_width (widget),
                                          gtk_widget_get_height (widget), &frame))
    {
      GTK_WIDGET_CLASS (impasto_compare_view_parent_class)->snapshot (widget, snapshot);
      return;
    }

  x = frame.origin.x + round (self->position * frame.size.width);
  append_paintable (snapshot, self->paintable, &frame,
                    &GRAPHENE_RECT_INIT (x, frame.origin.y,
                                         frame.origin.x + frame.size.width - x,
                                         frame.size.height));
  append_paintable (snapshot, self->before, &frame,
                    &GRAPHENE_RECT_INIT (frame.origin.x, frame.origin.y,
                                         x - frame.origin.x, frame.size.height));
  append_divider (self, snapshot, &frame, x);
}

static void
set_position_at (ImpastoCompareView *self,
                 double              x)
{
  graphene_rect_t frame;

  if (impasto_compare_view_get_frame (self, gtk_widget_get_width (GTK_WIDGET (self)),
                                      gtk_widget_get_height (GTK_WIDGET (self)), &frame))
    impasto_compare_view_set_position (self, (x - frame.origin.x) / frame.size.width);
}

/* A press anywhere puts the divider there; dragging moves it on. */
static void
on_drag_begin (GtkGestureDrag     *gesture,
               double              x,
               double              y,
               ImpastoCompareView *self)
{
  if (!self->comparing)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_start_x = x;
  set_position_at (self, x);
}

static void
on_drag_update (GtkGestureDrag     *gesture,
                double              offset_x,
                double              offset_y,
                ImpastoCompareView *self)
{
  set_position_at (self, self->drag_start_x + offset_x);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ImpastoCompareView    *self)
{
  if (!self->comparing)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      impasto_compare_view_set_position (self, self->position - KEY_STEP);
      return TRUE;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      impasto_compare_view_set_position (self, self->position + KEY_STEP);
      return TRUE;

    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      impasto_compare_view_set_position (self, 0);
      return TRUE;

    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      impasto_compare_view_set_position (self, 1);
      return TRUE;

    default:
      return FALSE;
    }
}

static void
update_accessible (ImpastoCompareView *self)
{
  g_autofree char *text = NULL;

  /* Translators: where the divider between the photo and the painting is. */
  text = g_strdup_printf (_("The photo on %.0f%% of the width"), self->position * 100);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 100.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, self->position * 100,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_DISABLED, !self->comparing,
                               -1);
}

static void
on_paintable_invalidated (ImpastoCompareView *self)
{
  if (self->comparing)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_paintable (ImpastoCompareView  *self,
               GdkPaintable       **field,
               GdkPaintable        *paintable,
               GParamSpec          *pspec)
{
  if (*field == paintable)
    return;

  if (*field != NULL)
    g_signal_handlers_disconnect_by_data (*field, self);
  g_set_object (field, paintable);
  if (paintable != NULL)
    {
      g_signal_connect_swapped (paintable, "invalidate-contents",
                                G_CALLBACK (on_paintable_invalidated), self);
      g_signal_connect_swapped (paintable, "invalidate-size",
                                G_CALLBACK (on_paintable_invalidated), self);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/* The knob shows the focus. */
static void
impasto_compare_view_state_flags_changed (GtkWidget     *widget,
                                          GtkStateFlags  previous)
{
  if ((previous ^ gtk_widget_get_state_flags (widget)) & GTK_STATE_FLAG_FOCUS_VISIBLE)
    gtk_widget_queue_draw (widget);

  GTK_WIDGET_CLASS (impasto_compare_view_parent_class)->state_flags_changed (widget, previous);
}

static void
impasto_compare_view_dispose (GObject *object)
{
  ImpastoCompareView *self = (ImpastoCompareView *)object;

  g_clear_pointer (&self->child, gtk_widget_unparent);
  set_paintable (self, &self->paintable, NULL, properties[PROP_PAINTABLE]);
  set_paintable (self, &self->before, NULL, properties[PROP_BEFORE]);

  G_OBJECT_CLASS (impasto_compare_view_parent_class)->dispose (object);
}

static void
impasto_compare_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ImpastoCompareView *self = IMPASTO_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;

    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;

    case PROP_BEFORE:
      g_value_set_object (value, self->before);
      break;

    case PROP_COMPARING:
      g_value_set_boolean (value, self->comparing);
      break;

    case PROP_POSITION:
      g_value_set_double (value, self->position);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_compare_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  ImpastoCompareView *self = IMPASTO_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      impasto_compare_view_set_child (self, g_value_get_object (value));
      break;

    case PROP_PAINTABLE:
      impasto_compare_view_set_paintable (self, g_value_get_object (value));
      break;

    case PROP_BEFORE:
      impasto_compare_view_set_before (self, g_value_get_object (value));
      break;

    case PROP_COMPARING:
      impasto_compare_view_set_comparing (self, g_value_get_boolean (value));
      break;

    case PROP_POSITION:
      impasto_compare_view_set_position (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_compare_view_class_init (ImpastoCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = impasto_compare_view_dispose;
  object_class->get_property = impasto_compare_view_get_property;
  object_class->set_property = impasto_compare_view_set_property;
  widget_class->snapshot = impasto_compare_view_snapshot;
  widget_class->state_flags_changed = impasto_compare_view_state_flags_changed;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The painting, right of the divider. */
  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL,
                         GDK_TYPE_PAINTABLE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The photo, left of it, scaled to the painting's frame. */
  properties[PROP_BEFORE] =
    g_param_spec_object ("before", NULL, NULL,
                         GDK_TYPE_PAINTABLE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_COMPARING] =
    g_param_spec_boolean ("comparing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The divider, as a share of the frame's width from its left edge. */
  properties[PROP_POSITION] =
    g_param_spec_double ("position", NULL, NULL,
                         0, 1, 0.5,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "impasto-compare-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
impasto_compare_view_init (ImpastoCompareView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->position = 0.5;

  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  update_accessible (self);
}

GtkWidget *
impasto_compare_view_new (void)
{
  return g_object_new (IMPASTO_TYPE_COMPARE_VIEW, NULL);
}

GtkWidget *
impasto_compare_view_get_child (ImpastoCompareView *self)
{
  g_return_val_if_fail (IMPASTO_IS_COMPARE_VIEW (self), NULL);

  return self->child;
}

void
impasto_compare_view_set_child (ImpastoCompareView *self,
                                GtkWidget          *child)
{
  g_return_if_fail (IMPASTO_IS_COMPARE_VIEW (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;

  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

GdkPaintable *
impasto_compare_view_get_paintable (ImpastoCompareView *self)
{
  g_return_val_if_fail (IMPASTO_IS_COMPARE_VIEW (self), NULL);

  return self->paintable;
}

void
impasto_compare_view_set_paintable (ImpastoCompareView *self,
                                    GdkPaintable       *paintable)
{
  g_return_if_fail (IMPASTO_IS_COMPARE_VIEW (self));
  g_return_if_fail (paintable == NULL || GDK_IS_PAINTABLE (paintable));

  set_paintable (self, &self->paintable, paintable, properties[PROP_PAINTABLE]);
}

GdkPaintable *
impasto_compare_view_get_before (ImpastoCompareView *self)
{
  g_return_val_if_fail (IMPASTO_IS_COMPARE_VIEW (self), NULL);

  return self->before;
}

void
impasto_compare_view_set_before (ImpastoCompareView *self,
                                 GdkPaintable       *before)
{
  g_return_if_fail (IMPASTO_IS_COMPARE_VIEW (self));
  g_return_if_fail (before == NULL || GDK_IS_PAINTABLE (before));

  set_paintable (self, &self->before, before, properties[PROP_BEFORE]);
}

gboolean
impasto_compare_view_get_comparing (ImpastoCompareView *self)
{
  g_return_val_if_fail (IMPASTO_IS_COMPARE_VIEW (self), FALSE);

  return self->comparing;
}

/* Only while comparing does the view take the focus and the pointer. */
void
impasto_compare_view_set_comparing (ImpastoCompareView *self,
                                    gboolean            comparing)
{
  g_return_if_fail (IMPASTO_IS_COMPARE_VIEW (self));

  comparing = !!comparing;
  if (self->comparing == comparing)
    return;

  self->comparing = comparing;
  gtk_widget_set_focusable (GTK_WIDGET (self), comparing);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), comparing ? "col-resize" : NULL);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARING]);
}

double
impasto_compare_view_get_position (ImpastoCompareView *self)
{
  g_return_val_if_fail (IMPASTO_IS_COMPARE_VIEW (self), 0);

  return self->position;
}

/* Clamped to [0, 1]: all painting to all photo. */
void
impasto_compare_view_set_position (ImpastoCompareView *self,
                                   double              position)
{
  g_return_if_fail (IMPASTO_IS_COMPARE_VIEW (self));

  position = isnan (position) ? 0.5 : CLAMP (position, 0, 1);
  if (self->position == position)
    return;

  self->position = position;
  update_accessible (self);
  if (self->comparing)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}
