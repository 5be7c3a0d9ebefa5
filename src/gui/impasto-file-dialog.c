/* impasto-file-dialog.c
 *
 * A GtkFileChooserNative lives only while it is shown: its owner holds it in a slot (a field
 * of its own struct) from show to response, shows the same one again rather than a second,
 * and clears it when it goes away, so that no answer reaches an owner that is gone.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "impasto-file-dialog.h"

typedef struct
{
  GtkFileChooserNative  **slot;
  ImpastoFileDialogFunc   func;
  gpointer                owner;
} Response;

static void
response_free (gpointer data,
               GClosure *closure)
{
  g_free (data);
}

/* A modal dialog over owner's window, opening in folder (when not NULL). The caller adds
 * filters, a name to save as, and then shows it with impasto_file_dialog_show(). */
GtkFileChooserNative *
impasto_file_dialog_new (GtkWidget            *owner,
                         GtkFileChooserAction  action,
                         const char           *title,
                         const char           *accept_label,
                         GFile                *folder)
{
  GtkRoot *root;
  GtkFileChooserNative *dialog;

  g_return_val_if_fail (GTK_IS_WIDGET (owner), NULL);
  g_return_val_if_fail (folder == NULL || G_IS_FILE (folder), NULL);

  root = gtk_widget_get_root (owner);
  dialog = gtk_file_chooser_native_new (title,
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        action,
                                        accept_label,
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);

  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);

  return dialog;
}

/* Takes filter over. */
void
impasto_file_dialog_add_filter (GtkFileChooserNative *dialog,
                                GtkFileFilter        *filter)
{
  g_return_if_fail (GTK_IS_FILE_CHOOSER_NATIVE (dialog));
  g_return_if_fail (GTK_IS_FILE_FILTER (filter));

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
}

/* Shows the dialog already open, if there is one: TRUE when it did. */
gboolean
impasto_file_dialog_reshow (GtkFileChooserNative *dialog)
{
  if (dialog == NULL)
    return FALSE;

  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
  return TRUE;
}

static void
on_response (GtkNativeDialog *dialog,
             int              response_id,
             Response        *response)
{
  g_autoptr(GFile) file = NULL;
  ImpastoFileDialogFunc func = response->func;
  gpointer owner = response->owner;

  if (response_id == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  /* Frees response. */
  g_clear_object (response->slot);

  if (file != NULL)
    func (file, owner);
}

/* Keeps dialog in *slot until its response, then empties the slot and calls func. */
void
impasto_file_dialog_show (GtkFileChooserNative  **slot,
                          GtkFileChooserNative   *dialog,
                          ImpastoFileDialogFunc   func,
                          gpointer                owner)
{
  Response *response;

  g_return_if_fail (slot != NULL && *slot == NULL);
  g_return_if_fail (GTK_IS_FILE_CHOOSER_NATIVE (dialog));
  g_return_if_fail (func != NULL);

  response = g_new0 (Response, 1);
  response->slot = slot;
  response->func = func;
  response->owner = owner;

  *slot = dialog;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response), response,
                         response_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* For the owner's dispose: closes the dialog in *slot, if any, without an answer. */
void
impasto_file_dialog_clear (GtkFileChooserNative **slot)
{
  GtkFileChooserNative *dialog;

  g_return_if_fail (slot != NULL);

  dialog = g_steal_pointer (slot);
  if (dialog == NULL)
    return;

  /* Only impasto_file_dialog_show() connects to it. */
  g_signal_handlers_disconnect_matched (dialog, G_SIGNAL_MATCH_ID,
                                        g_signal_lookup ("response", GTK_TYPE_NATIVE_DIALOG),
                                        0, NULL, NULL, NULL);
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (dialog));
  g_object_unref (dialog);
}
