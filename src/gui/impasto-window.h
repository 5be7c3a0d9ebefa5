/* impasto-window.h: the main window
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "impasto-image-picker.h"
#include "impasto-job.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_WINDOW (impasto_window_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoWindow, impasto_window, IMPASTO, WINDOW, GtkApplicationWindow)

ImpastoWindow      *impasto_window_new                (GtkApplication *application);
void                impasto_window_open_files         (ImpastoWindow  *self,
                                                       GFile          *content,
                                                       GFile          *style);
void                impasto_window_set_model_path     (ImpastoWindow  *self,
                                                       const char     *path);
gboolean            impasto_window_get_model_loaded   (ImpastoWindow  *self);
gboolean            impasto_window_get_can_start      (ImpastoWindow  *self);
ImpastoImagePicker *impasto_window_get_content_picker (ImpastoWindow  *self);
ImpastoImagePicker *impasto_window_get_style_picker   (ImpastoWindow  *self);
GtkPicture         *impasto_window_get_preview        (ImpastoWindow  *self);
ImpastoJob         *impasto_window_get_job            (ImpastoWindow  *self);
char               *impasto_window_dup_suggested_name (ImpastoWindow  *self);
void                impasto_window_save_async         (ImpastoWindow       *self,
                                                       GFile               *file,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            impasto_window_save_finish        (GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
