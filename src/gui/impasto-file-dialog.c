/* impasto-file-dialog.c
 *
 * A GtkFileChooserNative lives only while it is shown: its owner holds it in a slot (a field
 * of its own struct) from show to response, shows the same one again rather than a second,
 * and clears it when it goes away, so that no answer reaches an owner that is gone.
 *
 * A save dialog offers formats: each is a filter with the extensions its files end in, and
 * the name that comes back ends in one of them (see dup_save_file()).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "impasto-file-dialog.h"

/* On a format's filter: its extensions, the first the one its files are given. */
#define EXTENSIONS_KEY "impasto-extensions"
/* On the dialog: the names it was given, rather than typed by the user. A portal's dialog
 * says which filter was chosen only with its answer, and that renames the name given too. */
#define GIVEN_NAMES_KEY "impasto-given-names"
/* On the dialog: the question whether to replace a file of the completed name. */
#define QUESTION_KEY "impasto-question"

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

static const char * const *
filter_extensions (GtkFileFilter *filter)
{
  return filter != NULL ? g_object_get_data (G_OBJECT (filter), EXTENSIONS_KEY) : NULL;
}

/* The format whose extension name ends in, or NULL. */
static GtkFileFilter *
format_of_name (GtkFileChooser *chooser,
                const char     *name)
{
  g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (chooser);
  const char *dot = strrchr (name, '.');

  if (dot == NULL || dot == name)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (filters); i++)
    {
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);
      const char * const *extensions = filter_extensions (filter);

      for (guint j = 0; extensions != NULL && extensions[j] != NULL; j++)
        if (g_ascii_strcasecmp (dot, extensions[j]) == 0)
          return filter;
    }

  return NULL;
}

/* name with the extension of format in place of a format's, or after a name with none. */
static char *
name_in_format (GtkFileChooser *chooser,
                const char     *name,
                GtkFileFilter  *format)
{
  const char *extension = filter_extensions (format)[0];
  g_autofree char *stem = g_strdup (name);

  if (format_of_name (chooser, name) != NULL)
    *strrchr (stem, '.') = '\0';

  return g_strconcat (stem, extension, NULL);
}

static void
set_given_name (GtkFileChooser *chooser,
                const char     *name)
{
  GPtrArray *given = g_object_get_data (G_OBJECT (chooser), GIVEN_NAMES_KEY);

  if (given == NULL)
    {
      given = g_ptr_array_new_with_free_func (g_free);
      g_object_set_data_full (G_OBJECT (chooser), GIVEN_NAMES_KEY, given,
                              (GDestroyNotify) g_ptr_array_unref);
    }

  gtk_file_chooser_set_current_name (chooser, name);
  g_ptr_array_add (given, g_strdup (name));
}

/* Whether name is one the dialog was given, rather than one the user typed. */
static gboolean
is_given_name (GtkFileChooser *chooser,
               const char     *name)
{
  GPtrArray *given = g_object_get_data (G_OBJECT (chooser), GIVEN_NAMES_KEY);

  return given != NULL && g_ptr_array_find_with_equal_func (given, name, g_str_equal, NULL);
}

/* A format chosen renames the file to its extension. (GTK 4.8's own dialog tells its
 * GtkFileChooserNative of no choice the user makes there; dup_save_file() covers that.) */
static void
on_filter_changed (GtkFileChooser *chooser,
                   GParamSpec     *pspec,
                   gpointer        user_data)
{
  GtkFileFilter *format = gtk_file_chooser_get_filter (chooser);
  g_autofree char *name = gtk_file_chooser_get_current_name (chooser);
  g_autofree char *renamed = NULL;

  if (filter_extensions (format) == NULL || name == NULL || *name == '\0'
      || format_of_name (chooser, name) == format)
    return;

  renamed = name_in_format (chooser, name, format);
  set_given_name (chooser, renamed);
}

/* The name given (see impasto_file_dialog_add_format()). */
void
impasto_file_dialog_set_name (GtkFileChooserNative *dialog,
                              const char           *name)
{
  g_return_if_fail (GTK_IS_FILE_CHOOSER_NATIVE (dialog));
  g_return_if_fail (name != NULL);

  set_given_name (GTK_FILE_CHOOSER (dialog), name);
}

/* A format the save dialog offers: a filter of mime_type, named label, whose files end in
 * one of extensions (NULL-terminated, with their dots), the first of them when the name
 * ends in none. The first format added is chosen at first. */
void
impasto_file_dialog_add_format (GtkFileChooserNative *dialog,
                                const char           *label,
                                const char           *mime_type,
                                const char * const   *extensions)
{
  GtkFileFilter *filter;

  g_return_if_fail (GTK_IS_FILE_CHOOSER_NATIVE (dialog));
  g_return_if_fail (extensions != NULL && extensions[0] != NULL);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, label);
  gtk_file_filter_add_mime_type (filter, mime_type);
  g_object_set_data_full (G_OBJECT (filter), EXTENSIONS_KEY,
                          g_strdupv ((char **) extensions), (GDestroyNotify) g_strfreev);

  if (g_object_get_data (G_OBJECT (dialog), EXTENSIONS_KEY) == NULL)
    {
      g_object_set_data (G_OBJECT (dialog), EXTENSIONS_KEY, GINT_TO_POINTER (TRUE));
      g_signal_connect (dialog, "notify::filter", G_CALLBACK (on_filter_changed), NULL);
    }
  impasto_file_dialog_add_filter (dialog, filter);
}

/* The file chosen, in the format chosen: an extension the user typed decides the format; a
 * name the user left as it was given takes the extension of the format chosen, and so does
 * a name with none. *completed: whether the name is not the one the dialog said. */
static GFile *
dup_save_file (GtkFileChooser *chooser,
               gboolean       *completed)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);
  g_autoptr(GFile) folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *renamed = NULL;
  GtkFileFilter *chosen = gtk_file_chooser_get_filter (chooser);
  GtkFileFilter *named;

  *completed = FALSE;
  if (file == NULL || filter_extensions (chosen) == NULL
      || (folder = g_file_get_parent (file)) == NULL)
    return g_steal_pointer (&file);

  name = g_file_get_basename (file);
  named = format_of_name (GTK_FILE_CHOOSER (chooser), name);
  if (named == chosen || (named != NULL && !is_given_name (chooser, name)))
    return g_steal_pointer (&file);

  renamed = name_in_format (chooser, name, chosen);
  *completed = TRUE;
  return g_file_get_child (folder, renamed);
}

/* Empties the slot (which frees response), then tells the owner. */
static void
answer (Response *response,
        GFile    *file)
{
  ImpastoFileDialogFunc func = response->func;
  gpointer owner = response->owner;

  g_clear_object (response->slot);

  if (file != NULL)
    func (file, owner);
}

/* The question over a dialog whose name was completed into one that is taken. */
typedef struct
{
  GtkFileChooserNative *dialog;
  Response             *response;
  GFile                *file;
} Question;

static void
question_free (gpointer  data,
               GClosure *closure)
{
  Question *question = data;

  g_object_unref (question->file);
  g_free (question);
}

static void
on_question_response (GtkDialog *window,
                      int        response_id,
                      Question  *question)
{
  GtkFileChooserNative *dialog = question->dialog;
  Response *response = question->response;
  g_autoptr(GFile) file = g_object_ref (question->file);

  /* Destroys window; question goes once this handler returns. */
  g_object_set_data (G_OBJECT (dialog), QUESTION_KEY, NULL);

  if (response_id == GTK_RESPONSE_ACCEPT)
    {
      answer (response, file);
      return;
    }

  /* Back to the dialog, with the name as it would have been saved. */
  {
    g_autofree char *name = g_file_get_basename (file);

    set_given_name (GTK_FILE_CHOOSER (dialog), name);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
  }
}

static void
destroy_question (gpointer data)
{
  GtkWindow *window = data;

  /* Only ask_to_replace() connects to it. */
  g_signal_handlers_disconnect_matched (window, G_SIGNAL_MATCH_ID,
                                        g_signal_lookup ("response", GTK_TYPE_DIALOG),
                                        0, NULL, NULL, NULL);
  /* Perhaps destroyed already, with its parent. */
  gtk_window_destroy (window);
  g_object_unref (window);
}

/* The file chooser asked before replacing the file it named, not the one completed from it:
 * asks the same. */
static void
ask_to_replace (GtkFileChooserNative *dialog,
                Response             *response,
                GFile                *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *folder_name = g_file_get_parse_name (folder);
  GtkWindow *parent = gtk_native_dialog_get_transient_for (GTK_NATIVE_DIALOG (dialog));
  GtkWidget *window;
  GtkWidget *replace;
  Question *question = g_new0 (Question, 1);

  question->dialog = dialog;
  question->response = response;
  question->file = g_object_ref (file);

  window = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   /* Translators: %s is a file name. */
                                   _("Replace “%s”?"), name);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (window),
                                            /* Translators: %s is a folder. */
                                            _("A file of that name is already in “%s”, and "
                                              "replacing it overwrites what it holds."),
                                            folder_name);
  gtk_dialog_add_button (GTK_DIALOG (window), _("_Cancel"), GTK_RESPONSE_CANCEL);
  replace = gtk_dialog_add_button (GTK_DIALOG (window), _("_Replace"), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (replace, "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (window), GTK_RESPONSE_CANCEL);
  g_signal_connect_data (window, "response", G_CALLBACK (on_question_response), question,
                         question_free, 0);

  /* Destroyed with the dialog, or once answered. */
  g_object_set_data_full (G_OBJECT (dialog), QUESTION_KEY, g_object_ref (window),
                          destroy_question);
  gtk_window_present (GTK_WINDOW (window));
}

/* Shows the dialog already open, if there is one (or the question it is waiting for): TRUE
 * when it did. */
gboolean
impasto_file_dialog_reshow (GtkFileChooserNative *dialog)
{
  GtkWindow *question;

  if (dialog == NULL)
    return FALSE;

  question = g_object_get_data (G_OBJECT (dialog), QUESTION_KEY);
  if (question != NULL)
    gtk_window_present (question);
  else
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
  return TRUE;
}

static void
on_response (GtkNativeDialog *dialog,
             int              response_id,
             Response        *response)
{
  g_autoptr(GFile) file = NULL;
  gboolean completed = FALSE;

  if (response_id == GTK_RESPONSE_ACCEPT)
    file = dup_save_file (GTK_FILE_CHOOSER (dialog), &completed);

  if (completed && g_file_query_exists (file, NULL))
    ask_to_replace (GTK_FILE_CHOOSER_NATIVE (dialog), response, file);
  else
    answer (response, file);
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

  g_object_set_data (G_OBJECT (dialog), QUESTION_KEY, NULL);
  /* Only impasto_file_dialog_show() connects to it. */
  g_signal_handlers_disconnect_matched (dialog, G_SIGNAL_MATCH_ID,
                                        g_signal_lookup ("response", GTK_TYPE_NATIVE_DIALOG),
                                        0, NULL, NULL, NULL);
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (dialog));
  g_object_unref (dialog);
}
