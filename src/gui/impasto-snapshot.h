/* impasto-snapshot.h: one picture a run gave out on its way, with its step
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "impasto-image.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_SNAPSHOT (impasto_snapshot_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoSnapshot, impasto_snapshot, IMPASTO, SNAPSHOT, GObject)

/* pixels: 8-bit RGB, width * 3 bytes a row, as the worker sent them. Main thread only: the
 * texture is made here. */
ImpastoSnapshot *impasto_snapshot_new             (guint            step,
                                                   guint            width,
                                                   guint            height,
                                                   GBytes          *pixels);
guint            impasto_snapshot_get_step        (ImpastoSnapshot *self);
guint            impasto_snapshot_get_width       (ImpastoSnapshot *self);
guint            impasto_snapshot_get_height      (ImpastoSnapshot *self);
GBytes          *impasto_snapshot_get_pixels      (ImpastoSnapshot *self);
GdkTexture      *impasto_snapshot_get_texture     (ImpastoSnapshot *self);
ImpastoImage    *impasto_snapshot_dup_image       (ImpastoSnapshot *self);
/* The file last saved with these pixels, and its SHA-256; FALSE while there is none. */
gboolean         impasto_snapshot_get_saved_file  (ImpastoSnapshot *self,
                                                   const char     **path,
                                                   const char     **sha256);
void             impasto_snapshot_set_saved_file  (ImpastoSnapshot *self,
                                                   const char      *path,
                                                   const char      *sha256);

G_END_DECLS
