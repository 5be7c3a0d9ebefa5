/* impasto-window-unsaved.c: nothing painted is lost without being asked
 *
 * Closing the window, quitting, a new run and a new image each drop the painting there is.
 * When no file holds it yet, GNOME's save-before-close question comes first: Save takes the
 * user to the save dialog and goes on once the painting is saved, Discard goes on at once,
 * Cancel keeps everything as it was.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "impasto-window-private.h"

static gboolean
has_unsaved_painting (ImpastoWindow *self)
{
  return self->job != NULL && !self->painting_discarded && impasto_job_get_unsaved (self->job);
}

void
impasto_window_carry_out (ImpastoWindow *self,
                          ImpastoAfter   after)
{
  switch (after)
    {
    case IMPASTO_AFTER_CLOSE:
      gtk_window_close (GTK_WINDOW (self));
      break;

    case IMPASTO_AFTER_START:
      impasto_window_start (self);
      break;

    case IMPASTO_AFTER_NEW_IMAGE:
      impasto_window_drop_painting (self);
      break;

    case IMPASTO_AFTER_START_FROM_PICTURE:
      impasto_window_start_from_picture (self);
      break;

    case IMPASTO_AFTER_CONTINUE_FROM_SNAPSHOT:
      impasto_window_continue_from_snapshot (self);
      break;

    case IMPASTO_AFTER_NOTHING:
    default:
      break;
    }
}

typedef struct
{
  ImpastoWindow *window;
  ImpastoAfter   after;
  int            response;
} Answer;

static void
answer_free (gpointer data)
{
  Answer *answer = data;

  g_object_unref (answer->window);
  g_free (answer);
}

static gboolean
act_on_answer (gpointer data)
{
  Answer *answer = data;

  switch (answer->response)
    {
    case GTK_RESPONSE_ACCEPT:
      impasto_window_choose_save_file_then (answer->window, answer->after);
      break;

    case GTK_RESPONSE_REJECT:
      answer->window->painting_discarded = TRUE;
      impasto_window_carry_out (answer->window, answer->after);
      break;

    default:
      break;
    }

  return G_SOURCE_REMOVE;
}

/* Acted on once the dialog's own signal is over: closing the window it belongs to inside it
 * would pull the window away from under the dialog. */
static void
on_response (GtkDialog     *dialog,
             int            response,
             ImpastoWindow *self)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->window = g_object_ref (self);
  answer->after = self->after_question;
  answer->response = response;
  self->question = NULL;
  self->after_question = IMPASTO_AFTER_NOTHING;
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_idle_add_full (G_PRIORITY_DEFAULT, act_on_answer, answer, answer_free);
}

/* TRUE when after may be done now; otherwise the question is asked, and after is done once
 * it is answered so. */
gboolean
impasto_window_may_drop_painting (ImpastoWindow *self,
                                  ImpastoAfter   after)
{
  GtkWidget *dialog;

  if (!has_unsaved_painting (self))
    return TRUE;

  if (self->question != NULL)
    {
      gtk_window_present (self->question);
      return FALSE;
    }

  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   "%s", _("Save the Painting?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("The painting has not been saved; without "
                                              "saving, it is lost."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Discard"), GTK_RESPONSE_REJECT);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Save…"), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                                GTK_RESPONSE_REJECT),
                            "destructive-action");
  gtk_widget_add_css_class (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                                GTK_RESPONSE_ACCEPT),
                            "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), self);

  self->question = GTK_WINDOW (dialog);
  self->after_question = after;
  gtk_window_present (GTK_WINDOW (dialog));

  return FALSE;
}

/* The window's close button, Ctrl+W and quitting all come here. */
static gboolean
on_close_request (GtkWindow *window)
{
  GtkWindowClass *parent = g_type_class_peek_parent (G_OBJECT_GET_CLASS (window));

  if (!impasto_window_may_drop_painting (IMPASTO_WINDOW (window), IMPASTO_AFTER_CLOSE))
    return TRUE;

  return parent->close_request != NULL && parent->close_request (window);
}

void
impasto_window_class_unsaved_init (ImpastoWindowClass *klass)
{
  GTK_WINDOW_CLASS (klass)->close_request = on_close_request;
}

/* The save-before question, for the tests: NULL when none is asked. */
GtkWindow *
impasto_window_get_question (ImpastoWindow *self)
{
  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), NULL);

  return self->question;
}
