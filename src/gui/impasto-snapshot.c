/* impasto-snapshot.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "impasto-snapshot.h"

struct _ImpastoSnapshot
{
  GObject     parent_instance;

  guint       step;
  guint       width;
  guint       height;
  GBytes     *pixels;
  GdkTexture *texture;   /* over the same bytes */
  char       *saved_path;
  char       *saved_sha256;
};

G_DEFINE_FINAL_TYPE (ImpastoSnapshot, impasto_snapshot, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STEP,
  PROP_TEXTURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
impasto_snapshot_finalize (GObject *object)
{
  ImpastoSnapshot *self = (ImpastoSnapshot *)object;

  g_clear_pointer (&self->pixels, g_bytes_unref);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->saved_path, g_free);
  g_clear_pointer (&self->saved_sha256, g_free);

  G_OBJECT_CLASS (impasto_snapshot_parent_class)->finalize (object);
}

static void
impasto_snapshot_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ImpastoSnapshot *self = IMPASTO_SNAPSHOT (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_uint (value, self->step);
      break;

    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_snapshot_class_init (ImpastoSnapshotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = impasto_snapshot_finalize;
  object_class->get_property = impasto_snapshot_get_property;

  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL,
                         GDK_TYPE_TEXTURE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
impasto_snapshot_init (ImpastoSnapshot *self)
{
}

ImpastoSnapshot *
impasto_snapshot_new (guint   step,
                      guint   width,
                      guint   height,
                      GBytes *pixels)
{
  ImpastoSnapshot *self;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (pixels != NULL, NULL);
  g_return_val_if_fail (g_bytes_get_size (pixels) == (gsize) width * height * 3, NULL);

  self = g_object_new (IMPASTO_TYPE_SNAPSHOT, NULL);
  self->step = step;
  self->width = width;
  self->height = height;
  self->pixels = g_bytes_ref (pixels);
  self->texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, pixels,
                                          (gsize) width * 3);

  return self;
}

guint
impasto_snapshot_get_step (ImpastoSnapshot *self)
{
  g_return_val_if_fail (IMPASTO_IS_SNAPSHOT (self), 0);

  return self->step;
}

guint
impasto_snapshot_get_width (ImpastoSnapshot *self)
{
  g_return_val_if_fail (IMPASTO_IS_SNAPSHOT (self), 0);

  return self->width;
}

guint
impasto_snapshot_get_height (ImpastoSnapshot *self)
{
  g_return_val_if_fail (IMPASTO_IS_SNAPSHOT (self), 0);

  return self->height;
}

GBytes *
impasto_snapshot_get_pixels (ImpastoSnapshot *self)
{
  g_return_val_if_fail (IMPASTO_IS_SNAPSHOT (self), NULL);

  return self->pixels;
}

GdkTexture *
impasto_snapshot_get_texture (ImpastoSnapshot *self)
{
  g_return_val_if_fail (IMPASTO_IS_SNAPSHOT (self), NULL);

  return self->texture;
}

ImpastoImage *
impasto_snapshot_dup_image (ImpastoSnapshot *self)
{
  ImpastoImage *image;

  g_return_val_if_fail (IMPASTO_IS_SNAPSHOT (self), NULL);

  image = impasto_image_new (self->width, self->height);
  memcpy (image->pixels, g_bytes_get_data (self->pixels, NULL),
          impasto_image_get_n_bytes (image));

  return image;
}

gboolean
impasto_snapshot_get_saved_file (ImpastoSnapshot  *self,
                                 const char      **path,
                                 const char      **sha256)
{
  g_return_val_if_fail (IMPASTO_IS_SNAPSHOT (self), FALSE);

  if (self->saved_path == NULL || self->saved_sha256 == NULL)
    return FALSE;

  *path = self->saved_path;
  *sha256 = self->saved_sha256;
  return TRUE;
}

void
impasto_snapshot_set_saved_file (ImpastoSnapshot *self,
                                 const char      *path,
                                 const char      *sha256)
{
  g_return_if_fail (IMPASTO_IS_SNAPSHOT (self));

  g_free (self->saved_path);
  self->saved_path = g_strdup (path);
  g_free (self->saved_sha256);
  self->saved_sha256 = g_strdup (sha256);
}
