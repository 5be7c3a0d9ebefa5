/* impasto-window-reset.c: Reset to Defaults, and its way back
 *
 * Reset changes every control at once. For a few seconds, or until one of them changes
 * again, a notice at the bottom of the preview offers to undo it: every value comes back
 * exactly as it was, with what the window has no control for (a recipe's). The style images
 * go back to the first one alone, and come back with the undo.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-params.h"
#include "impasto-window-private.h"

#define UNDO_SECONDS 10

struct _ImpastoResetUndo
{
  GPtrArray        *keys;
  GPtrArray        *before;       /* the user's values, NULL where the default was */
  GPtrArray        *after;        /* the values the reset left */
  ImpastoRunParams *base_params;
  /* The style images, which Reset leaves at the first one alone */
  guint             n_styles;
  GFile            *style_files[IMPASTO_MAX_STYLES];    /* NULL for an empty picker */
  char             *style_sha256[IMPASTO_MAX_STYLES];
  double            style_weights[IMPASTO_MAX_STYLES];
};

static void
variant_unref0 (gpointer variant)
{
  if (variant != NULL)
    g_variant_unref (variant);
}

static void
reset_undo_free (ImpastoResetUndo *undo)
{
  g_ptr_array_unref (undo->keys);
  g_ptr_array_unref (undo->before);
  g_ptr_array_unref (undo->after);
  g_clear_pointer (&undo->base_params, impasto_run_params_free);
  for (guint i = 0; i < undo->n_styles; i++)
    {
      g_clear_object (&undo->style_files[i]);
      g_free (undo->style_sha256[i]);
    }
  g_free (undo);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoResetUndo, reset_undo_free)

/* Every key Reset to Defaults resets, in the order that restores them: the preset first,
 * since choosing it sets the steps, then whether the height follows the width and the size
 * chosen from the list, then the parameters. */
static GPtrArray *
reset_keys (void)
{
  GPtrArray *keys = g_ptr_array_new ();
  const ImpastoParamSpec *specs;
  guint n_specs;

  g_ptr_array_add (keys, (gpointer) "preset");
  g_ptr_array_add (keys, (gpointer) "keep-aspect");
  g_ptr_array_add (keys, (gpointer) "output-size");
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    if (specs[i].flags & IMPASTO_PARAM_SETTING)
      g_ptr_array_add (keys, (gpointer) specs[i].name);

  return keys;
}

/* The notice goes, and with it the way back. */
void
impasto_window_forget_reset (ImpastoWindow *self)
{
  g_clear_handle_id (&self->reset_timeout_id, g_source_remove);
  g_clear_pointer (&self->reset_undo, reset_undo_free);
  gtk_revealer_set_reveal_child (self->reset_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-reset", FALSE);
}

static gboolean
on_undo_timeout (gpointer user_data)
{
  ImpastoWindow *self = user_data;

  self->reset_timeout_id = 0;
  impasto_window_forget_reset (self);

  return G_SOURCE_REMOVE;
}

static void
show_notice (ImpastoWindow *self)
{
  g_clear_handle_id (&self->reset_timeout_id, g_source_remove);
  self->reset_timeout_id = g_timeout_add_seconds (UNDO_SECONDS, on_undo_timeout, self);
  gtk_revealer_set_reveal_child (self->reset_revealer, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-reset", TRUE);
}

static void
keep_styles (ImpastoResetUndo *undo,
             ImpastoStyleList *list)
{
  undo->n_styles = impasto_style_list_get_n_styles (list);
  for (guint i = 0; i < undo->n_styles; i++)
    {
      ImpastoImagePicker *picker = impasto_style_list_get_picker (list, i);
      GFile *file = impasto_image_picker_get_file (picker);

      undo->style_files[i] = file != NULL ? g_object_ref (file) : NULL;
      undo->style_sha256[i] = g_strdup (impasto_image_picker_get_sha256 (picker));
      undo->style_weights[i] = impasto_style_list_get_weight (list, i);
    }
}

/* The ones after the first, which stayed, come back as the files they were. */
static void
restore_styles (const ImpastoResetUndo *undo,
                ImpastoStyleList       *list)
{
  impasto_style_list_set_n_styles (list, undo->n_styles);
  for (guint i = 0; i < undo->n_styles; i++)
    {
      if (i > 0 && undo->style_files[i] != NULL)
        impasto_image_picker_set_file_expecting (impasto_style_list_get_picker (list, i),
                                                 undo->style_files[i], undo->style_sha256[i]);
      impasto_style_list_set_weight (list, i, undo->style_weights[i]);
    }
}

/* A style added after the reset: undoing would take it away again. */
void
impasto_window_styles_changed (ImpastoWindow *self)
{
  if (self->reset_undo != NULL && impasto_style_list_get_n_styles (self->style_list) != 1)
    impasto_window_forget_reset (self);
}

void
impasto_window_reset_defaults (ImpastoWindow *self)
{
  g_autoptr(ImpastoResetUndo) undo = NULL;

  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  /* Reset again with nothing changed since: the way back is still to before the first. */
  if (self->reset_undo != NULL)
    {
      show_notice (self);
      return;
    }

  undo = g_new0 (ImpastoResetUndo, 1);
  undo->keys = reset_keys ();
  undo->before = g_ptr_array_new_with_free_func (variant_unref0);
  undo->after = g_ptr_array_new_with_free_func (variant_unref0);
  if (self->base_params != NULL)
    undo->base_params = impasto_run_params_copy (self->base_params);

  /* All read before any is reset: the preset's sets the steps. */
  for (guint i = 0; i < undo->keys->len; i++)
    g_ptr_array_add (undo->before,
                     g_settings_get_user_value (self->settings, g_ptr_array_index (undo->keys, i)));
  for (guint i = 0; i < undo->keys->len; i++)
    g_settings_reset (self->settings, g_ptr_array_index (undo->keys, i));
  impasto_window_set_base_params (self, NULL);
  keep_styles (undo, self->style_list);
  impasto_style_list_set_n_styles (self->style_list, 1);
  impasto_style_list_set_weight (self->style_list, 0, 1);

  for (guint i = 0; i < undo->keys->len; i++)
    g_ptr_array_add (undo->after,
                     g_settings_get_value (self->settings, g_ptr_array_index (undo->keys, i)));

  self->reset_undo = g_steal_pointer (&undo);
  show_notice (self);
}

void
impasto_window_undo_reset (ImpastoWindow *self)
{
  g_autoptr(ImpastoResetUndo) undo = NULL;

  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  undo = g_steal_pointer (&self->reset_undo);
  impasto_window_forget_reset (self);
  if (undo == NULL)
    return;

  for (guint i = 0; i < undo->keys->len; i++)
    {
      const char *key = g_ptr_array_index (undo->keys, i);
      GVariant *value = g_ptr_array_index (undo->before, i);

      if (value != NULL)
        g_settings_set_value (self->settings, key, value);
      else
        g_settings_reset (self->settings, key);
    }
  impasto_window_set_base_params (self, undo->base_params);
  restore_styles (undo, self->style_list);
}

/* A control changed after the reset: undoing would take that change back too. */
static void
on_setting_changed (GSettings     *settings,
                    const char    *key,
                    ImpastoWindow *self)
{
  ImpastoResetUndo *undo = self->reset_undo;
  g_autoptr(GVariant) value = NULL;
  guint i;

  if (undo == NULL
      || !g_ptr_array_find_with_equal_func (undo->keys, key, g_str_equal, &i))
    return;

  value = g_settings_get_value (settings, key);
  if (!g_variant_equal (value, g_ptr_array_index (undo->after, i)))
    impasto_window_forget_reset (self);
}

static void
undo_reset_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  impasto_window_undo_reset (IMPASTO_WINDOW (widget));
}

void
impasto_window_class_reset_init (ImpastoWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, reset_revealer);
  gtk_widget_class_install_action (widget_class, "win.undo-reset", NULL, undo_reset_action);
}

void
impasto_window_init_reset (ImpastoWindow *self)
{
  g_signal_connect (self->settings, "changed", G_CALLBACK (on_setting_changed), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-reset", FALSE);
}

void
impasto_window_dispose_reset (ImpastoWindow *self)
{
  g_clear_handle_id (&self->reset_timeout_id, g_source_remove);
  g_clear_pointer (&self->reset_undo, reset_undo_free);
}
