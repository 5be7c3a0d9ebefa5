/* impasto-preview-paintable.c: a picture that is replaced in place
 *
 * GtkPicture queues a resize whenever it is given a new paintable, and on X11 every resize
 * of a window's contents costs the main thread a handful of round trips to the X server
 * (GDK asks for the monitor's work area again). A run replaces the picture at every
 * snapshot with one of the same size: this paintable stays, its texture changes, and the
 * picture only redraws.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-preview-paintable.h"

struct _ImpastoPreviewPaintable
{
  GObject     parent_instance;

  GdkTexture *texture;
};

static void impasto_preview_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ImpastoPreviewPaintable, impasto_preview_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      impasto_preview_paintable_iface_init))

enum {
  PROP_0,
  PROP_TEXTURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
impasto_preview_paintable_snapshot (GdkPaintable *paintable,
                                    GdkSnapshot  *snapshot,
                                    double        width,
                                    double        height)
{
  ImpastoPreviewPaintable *self = IMPASTO_PREVIEW_PAINTABLE (paintable);

  if (self->texture != NULL)
    gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static GdkPaintable *
impasto_preview_paintable_get_current_image (GdkPaintable *paintable)
{
  ImpastoPreviewPaintable *self = IMPASTO_PREVIEW_PAINTABLE (paintable);

  if (self->texture != NULL)
    return g_object_ref (GDK_PAINTABLE (self->texture));

  return gdk_paintable_new_empty (0, 0);
}

static int
impasto_preview_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  ImpastoPreviewPaintable *self = IMPASTO_PREVIEW_PAINTABLE (paintable);

  return self->texture != NULL ? gdk_texture_get_width (self->texture) : 0;
}

static int
impasto_preview_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  ImpastoPreviewPaintable *self = IMPASTO_PREVIEW_PAINTABLE (paintable);

  return self->texture != NULL ? gdk_texture_get_height (self->texture) : 0;
}

static void
impasto_preview_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = impasto_preview_paintable_snapshot;
  iface->get_current_image = impasto_preview_paintable_get_current_image;
  iface->get_intrinsic_width = impasto_preview_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = impasto_preview_paintable_get_intrinsic_height;
}

static void
impasto_preview_paintable_finalize (GObject *object)
{
  ImpastoPreviewPaintable *self = (ImpastoPreviewPaintable *)object;

  g_clear_object (&self->texture);

  G_OBJECT_CLASS (impasto_preview_paintable_parent_class)->finalize (object);
}

static void
impasto_preview_paintable_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  ImpastoPreviewPaintable *self = IMPASTO_PREVIEW_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_preview_paintable_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  ImpastoPreviewPaintable *self = IMPASTO_PREVIEW_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      impasto_preview_paintable_set_texture (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_preview_paintable_class_init (ImpastoPreviewPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = impasto_preview_paintable_finalize;
  object_class->get_property = impasto_preview_paintable_get_property;
  object_class->set_property = impasto_preview_paintable_set_property;

  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL,
                         GDK_TYPE_TEXTURE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
impasto_preview_paintable_init (ImpastoPreviewPaintable *self)
{
}

ImpastoPreviewPaintable *
impasto_preview_paintable_new (void)
{
  return g_object_new (IMPASTO_TYPE_PREVIEW_PAINTABLE, NULL);
}

/* The picture shown, or NULL while there is none. */
GdkTexture *
impasto_preview_paintable_get_texture (ImpastoPreviewPaintable *self)
{
  g_return_val_if_fail (IMPASTO_IS_PREVIEW_PAINTABLE (self), NULL);

  return self->texture;
}

/* Only a picture of another size changes the paintable's size. */
void
impasto_preview_paintable_set_texture (ImpastoPreviewPaintable *self,
                                       GdkTexture              *texture)
{
  gboolean same_size;

  g_return_if_fail (IMPASTO_IS_PREVIEW_PAINTABLE (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (self->texture == texture)
    return;

  same_size = self->texture != NULL && texture != NULL &&
              gdk_texture_get_width (self->texture) == gdk_texture_get_width (texture) &&
              gdk_texture_get_height (self->texture) == gdk_texture_get_height (texture);

  g_set_object (&self->texture, texture);

  if (!same_size)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}
