/* impasto-file-dialog.h: the native file chooser, as every part of the window uses it
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Called with the chosen file; not called when the dialog is cancelled or cleared. */
typedef void (*ImpastoFileDialogFunc) (GFile    *file,
                                       gpointer  owner);

GtkFileChooserNative *impasto_file_dialog_new        (GtkWidget             *owner,
                                                      GtkFileChooserAction   action,
                                                      const char            *title,
                                                      const char            *accept_label,
                                                      GFile                 *folder);
void                  impasto_file_dialog_add_filter (GtkFileChooserNative  *dialog,
                                                      GtkFileFilter         *filter);
void                  impasto_file_dialog_add_format (GtkFileChooserNative  *dialog,
                                                      const char            *label,
                                                      const char            *mime_type,
                                                      const char * const    *extensions);
void                  impasto_file_dialog_set_name   (GtkFileChooserNative  *dialog,
                                                      const char            *name);
gboolean              impasto_file_dialog_reshow     (GtkFileChooserNative  *dialog);
void                  impasto_file_dialog_show       (GtkFileChooserNative **slot,
                                                      GtkFileChooserNative  *dialog,
                                                      ImpastoFileDialogFunc  func,
                                                      gpointer               owner);
void                  impasto_file_dialog_clear      (GtkFileChooserNative **slot);

G_END_DECLS
