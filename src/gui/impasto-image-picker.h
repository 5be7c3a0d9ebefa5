/* impasto-image-picker.h: a button that chooses an image, shows it, and takes drops
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "impasto-image.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_IMAGE_PICKER (impasto_image_picker_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoImagePicker, impasto_image_picker, IMPASTO, IMAGE_PICKER, GtkWidget)

GtkWidget          *impasto_image_picker_new           (void);
const char         *impasto_image_picker_get_title     (ImpastoImagePicker *self);
void                impasto_image_picker_set_title     (ImpastoImagePicker *self,
                                                        const char         *title);
const char         *impasto_image_picker_get_folder    (ImpastoImagePicker *self);
void                impasto_image_picker_set_folder    (ImpastoImagePicker *self,
                                                        const char         *folder);
/* Loads file on a worker thread; "file" is notified once it is loaded. A file that cannot be
 * loaded leaves the image there was (if any), with the reason shown under the button. */
void                impasto_image_picker_set_file      (ImpastoImagePicker *self,
                                                        GFile              *file);
void                impasto_image_picker_set_file_expecting (ImpastoImagePicker *self,
                                                         GFile              *file,
                                                         const char         *sha256);
void                impasto_image_picker_show_error    (ImpastoImagePicker *self,
                                                         const char         *message);
GFile              *impasto_image_picker_get_file      (ImpastoImagePicker *self);
const ImpastoImage *impasto_image_picker_get_image     (ImpastoImagePicker *self);
const char         *impasto_image_picker_get_sha256    (ImpastoImagePicker *self);
const char         *impasto_image_picker_get_recipe    (ImpastoImagePicker *self);
GdkTexture         *impasto_image_picker_get_preview   (ImpastoImagePicker *self);
gboolean            impasto_image_picker_get_loading   (ImpastoImagePicker *self);
const char         *impasto_image_picker_get_error     (ImpastoImagePicker *self);
void                impasto_image_picker_choose        (ImpastoImagePicker *self);

G_END_DECLS
