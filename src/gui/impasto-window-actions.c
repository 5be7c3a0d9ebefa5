/* impasto-window-actions.c: what the window's actions and dialogs do
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "impasto-background.h"
#include "impasto-file-dialog.h"
#include "impasto-file-id.h"
#include "impasto-image-io.h"
#include "impasto-window-private.h"

static char *
dup_stem (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  char *dot = strrchr (name, '.');

  if (dot != NULL && dot != name)
    *dot = '\0';

  return g_steal_pointer (&name);
}

/* "<content>-<style>.png", after the two images' names. */
char *
impasto_window_dup_suggested_name (ImpastoWindow *self)
{
  GFile *content;
  GFile *style;
  g_autofree char *content_stem = NULL;
  g_autofree char *style_stem = NULL;

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), NULL);

  content = impasto_image_picker_get_file (self->content_picker);
  style = impasto_image_picker_get_file (impasto_window_get_style_picker (self));
  if (content == NULL || style == NULL)
    return g_strdup ("impasto.png");

  content_stem = dup_stem (content);
  style_stem = dup_stem (style);

  return g_strdup_printf ("%s-%s.png", content_stem, style_stem);
}

/* The depth the save dialog last chose, for a PNG. */
static ImpastoPngDepth
impasto_window_get_save_depth (ImpastoWindow *self)
{
  g_autofree char *depth = g_settings_get_string (self->settings, "save-depth");

  return g_str_equal (depth, "16") ? IMPASTO_PNG_DEPTH_16 : IMPASTO_PNG_DEPTH_8;
}

/* The painting's own save (see impasto_job_save_async()), at the depth last chosen; without
 * one, there is nothing to save yet. */
void
impasto_window_save_async (ImpastoWindow       *self,
                           GFile               *file,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  impasto_window_save_snapshot_async (self, NULL, file, callback, user_data);
}

void
impasto_window_save_snapshot_async (ImpastoWindow       *self,
                                    ImpastoSnapshot     *snapshot,
                                    GFile               *file,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (snapshot == NULL || IMPASTO_IS_SNAPSHOT (snapshot));
  g_return_if_fail (G_IS_FILE (file));

  impasto_job_save_snapshot_async (self->job, snapshot, file,
                                   impasto_window_get_save_depth (self), callback, user_data);
}

gboolean
impasto_window_save_finish (GAsyncResult  *result,
                            GError       **error)
{
  return impasto_job_save_finish (result, error);
}

static void
show_error_dialog (ImpastoWindow *self,
                   const char    *title,
                   const char    *detail)
{
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR,
                                   GTK_BUTTONS_CLOSE,
                                   "%s", title);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", detail);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* What the dialog's save needs to report an error. */
typedef struct
{
  ImpastoWindow  *window;
  char           *name;
  char           *folder;  /* to open the dialog in next time, once saved */
  ImpastoAfter    after;   /* once saved */
  ImpastoPngDepth depth;   /* asked for */
} SaveRequest;

static void
save_request_free (SaveRequest *request)
{
  g_object_unref (request->window);
  g_free (request->name);
  g_free (request->folder);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveRequest, save_request_free)

static void
on_saved (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SaveRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  gboolean saved = impasto_window_save_finish (result, &error);

  if (saved && request->folder != NULL)
    g_settings_set_string (request->window->settings, "last-save-folder", request->folder);

  /* Closed meanwhile: there is no window left to tell. */
  if (!gtk_widget_get_realized (GTK_WIDGET (request->window)))
    return;

  if (saved)
    {
      g_autofree char *message = NULL;

      if (request->depth == IMPASTO_PNG_DEPTH_16
          && g_strcmp0 (impasto_image_type_for_path (request->name), "jpeg") == 0)
        /* Translators: %s is a file name. */
        message = g_strdup_printf (_("Saved as “%s”, at 8 bits a channel: a JPEG has no more. "
                                     "Save as PNG for 16 bits"), request->name);
      else
        /* Translators: %s is a file name. */
        message = g_strdup_printf (_("Saved as “%s”"), request->name);
      impasto_window_show_painting_status (request->window, message, FALSE);
      impasto_window_carry_out (request->window, request->after);
      return;
    }

  /* Translators: %s is a file name. */
  title = g_strdup_printf (_("Could not save “%s”"), request->name);
  show_error_dialog (request->window, title, error->message);
}

static void
save_to_file (ImpastoWindow *self,
              GFile         *file)
{
  g_autoptr(GFile) folder = g_file_get_parent (file);
  SaveRequest *request;

  request = g_new0 (SaveRequest, 1);
  request->window = g_object_ref (self);
  request->name = g_file_get_basename (file);
  if (folder != NULL)
    request->folder = g_file_get_path (folder);
  request->after = self->after_save;
  request->depth = impasto_window_get_save_depth (self);
  self->after_save = IMPASTO_AFTER_NOTHING;
  /* The dialog's own snapshot, or the latest painting. */
  impasto_window_save_snapshot_async (self, self->save_snapshot, file, on_saved, request);
  g_clear_object (&self->save_snapshot);
}

/* The question whose answer decides whether a save may replace an input. */
typedef struct
{
  ImpastoWindow *window;
  GFile         *file;
} Confirmation;

static void
confirmation_free (gpointer data,
                   GClosure *closure)
{
  Confirmation *confirmation = data;

  g_object_unref (confirmation->window);
  g_object_unref (confirmation->file);
  g_free (confirmation);
}

static void
on_replace_input_response (GtkDialog    *dialog,
                           int           response_id,
                           Confirmation *confirmation)
{
  if (response_id == GTK_RESPONSE_ACCEPT)
    save_to_file (confirmation->window, confirmation->file);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The input file would be replaced by the painting; message says which. */
static void
confirm_replace_input (ImpastoWindow *self,
                       GFile         *file,
                       const char    *message)
{
  GtkWidget *dialog;
  GtkWidget *replace;
  Confirmation *confirmation = g_new0 (Confirmation, 1);

  confirmation->window = g_object_ref (self);
  confirmation->file = g_object_ref (file);
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE, "%s", message);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("Saving the painting there replaces it, and it "
                                              "cannot be brought back."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  replace = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Replace"), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (replace, "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_replace_input_response),
                         confirmation, confirmation_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
is_file_of (ImpastoImagePicker *picker,
            GFile              *file)
{
  GFile *input = impasto_image_picker_get_file (picker);

  return input != NULL && g_file_peek_path (input) != NULL && g_file_peek_path (file) != NULL
         && impasto_file_same (g_file_peek_path (input), g_file_peek_path (file));
}

static gboolean
is_style_file (ImpastoWindow *self,
               GFile         *file)
{
  for (guint i = 0; i < impasto_style_list_get_n_styles (self->style_list); i++)
    if (is_file_of (impasto_style_list_get_picker (self->style_list, i), file))
      return TRUE;

  return FALSE;
}

/* What the save dialog does with the file chosen: saves, remembers its folder once saved, and
 * tells the user when that fails. The file chooser has already asked before replacing any file (GTK 4
 * always does); one of the images the painting is made from is worth asking again, by name,
 * since the chooser's question does not say that the photo itself would be lost. */
void
impasto_window_save_to_file (ImpastoWindow *self,
                             GFile         *file)
{
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  name = g_file_get_basename (file);
  if (is_file_of (self->content_picker, file))
    /* Translators: %s is a file name. */
    message = g_strdup_printf (_("Replace the content image “%s”?"), name);
  else if (is_style_file (self, file))
    /* Translators: %s is a file name. */
    message = g_strdup_printf (_("Replace the style image “%s”?"), name);

  if (message != NULL)
    confirm_replace_input (self, file, message);
  else
    save_to_file (self, file);
}

static void
on_save_file_chosen (GFile    *file,
                     gpointer  owner)
{
  impasto_window_save_to_file (owner, file);
}

static gboolean
is_folder (GFile *folder)
{
  return g_file_query_file_type (folder, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY;
}

/* Where the user last saved, as long as it is there; the first time, Pictures. */
static GFile *
dup_save_folder (ImpastoWindow *self)
{
  g_autofree char *last = g_settings_get_string (self->settings, "last-save-folder");
  const char *pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);
  g_autoptr(GFile) folder = NULL;

  if (*last != '\0')
    {
      folder = g_file_new_for_path (last);
      if (is_folder (folder))
        return g_steal_pointer (&folder);
      g_clear_object (&folder);
    }

  if (pictures != NULL)
    {
      folder = g_file_new_for_path (pictures);
      if (is_folder (folder))
        return g_steal_pointer (&folder);
    }

  return g_file_new_for_path (g_get_home_dir ());
}

/* Before the dialog's own handler, which may save at once. */
static void
on_save_response (GtkNativeDialog *dialog,
                  int              response_id,
                  ImpastoWindow   *self)
{
  const char *depth = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "depth");

  if (response_id == GTK_RESPONSE_ACCEPT && depth != NULL)
    g_settings_set_string (self->settings, "save-depth", depth);
}

/* 16 bits a channel keep the shades the run has for a large print; only a PNG holds them.
 * The depth remembered comes first: GTK 4.8's own dialog opens on the first option whatever
 * gtk_file_chooser_set_choice() says, which only a portal's follows. */
static void
add_depth_choice (ImpastoWindow        *self,
                  GtkFileChooserNative *dialog)
{
  g_autofree char *depth = g_settings_get_string (self->settings, "save-depth");
  gboolean sixteen = g_str_equal (depth, "16");
  const char *ids[] = { sixteen ? "16" : "8", sixteen ? "8" : "16", NULL };
  const char *labels[] = { NULL, NULL, NULL };

  for (guint i = 0; i < 2; i++)
    labels[i] = g_str_equal (ids[i], "16") ? _("16 bits (PNG only)") : _("8 bits");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "depth", _("Colour depth"), ids,
                               labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "depth", ids[0]);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_response), self, 0);
}

void
impasto_window_choose_save_file (ImpastoWindow *self)
{
  impasto_window_choose_save_file_then (self, IMPASTO_AFTER_NOTHING);
}

/* The save dialog; once the painting is saved, after is done. */
void
impasto_window_choose_save_file_then (ImpastoWindow *self,
                                      ImpastoAfter   after)
{
  /* As impasto_image_save() tells the format. */
  static const char * const png[] = { ".png", NULL };
  static const char * const jpeg[] = { ".jpg", ".jpeg", NULL };
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;
  g_autoptr(GFile) folder = NULL;

  self->after_save = after;
  g_clear_object (&self->save_snapshot);
  if (impasto_file_dialog_reshow (self->save_chooser))
    return;

  folder = dup_save_folder (self);
  dialog = impasto_file_dialog_new (GTK_WIDGET (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                    _("Save Painting"), _("_Save"), folder);
  impasto_file_dialog_add_format (dialog, _("PNG image"), "image/png", png);
  impasto_file_dialog_add_format (dialog, _("JPEG image"), "image/jpeg", jpeg);
  add_depth_choice (self, dialog);
  name = impasto_window_dup_suggested_name (self);
  impasto_file_dialog_set_name (dialog, name);

  impasto_file_dialog_show (&self->save_chooser, dialog, on_save_file_chosen, self);
}

static void
on_model_file_chosen (GFile    *file,
                      gpointer  owner)
{
  if (g_file_peek_path (file) != NULL)
    impasto_window_set_model_path (owner, g_file_peek_path (file));
}

void
impasto_window_choose_model (ImpastoWindow *self)
{
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter;

  if (impasto_file_dialog_reshow (self->model_chooser))
    return;

  dialog = impasto_file_dialog_new (GTK_WIDGET (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                    _("Choose Model File"), _("_Open"), NULL);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("MatConvNet models"));
  gtk_file_filter_add_pattern (filter, "*.mat");
  impasto_file_dialog_add_filter (dialog, filter);

  impasto_file_dialog_show (&self->model_chooser, dialog, on_model_file_chosen, self);
}

static void
open_content_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  impasto_image_picker_choose (IMPASTO_WINDOW (widget)->content_picker);
}

static void
open_style_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  impasto_image_picker_choose (impasto_window_get_style_picker (IMPASTO_WINDOW (widget)));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  impasto_window_start (IMPASTO_WINDOW (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  impasto_window_stop (IMPASTO_WINDOW (widget));
}

static void
start_from_picture_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  impasto_window_start_from_picture (IMPASTO_WINDOW (widget));
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  impasto_window_toggle_pause (IMPASTO_WINDOW (widget));
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  impasto_window_continue (IMPASTO_WINDOW (widget));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  impasto_window_choose_save_file (IMPASTO_WINDOW (widget));
}

static void
reset_defaults_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  impasto_window_reset_defaults (IMPASTO_WINDOW (widget));
}

static void
choose_model_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  impasto_window_choose_model (IMPASTO_WINDOW (widget));
}

/* Accelerators are the application's (see impasto-application.c). */
void
impasto_window_class_actions_init (ImpastoWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.open-content", NULL, open_content_action);
  gtk_widget_class_install_action (widget_class, "win.open-style", NULL, open_style_action);
  gtk_widget_class_install_action (widget_class, "win.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "win.start-from-picture", NULL,
                                   start_from_picture_action);
  gtk_widget_class_install_action (widget_class, "win.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.reset-defaults", NULL,
                                   reset_defaults_action);
  gtk_widget_class_install_action (widget_class, "win.choose-model", NULL, choose_model_action);
}
