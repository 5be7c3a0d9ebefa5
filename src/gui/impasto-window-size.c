/* impasto-window-size.c: the output sizes people use, and the memory a run of the size needs
 *
 * A size chosen from the list fits the content image's proportions: its long side is the
 * choice's (450, 1920, 3840), or the photo's own size. Editing the width or height makes the
 * choice Custom, unless the size is still the choice's.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "impasto-image-picker.h"
#include "impasto-run-memory.h"
#include "impasto-window-private.h"

/* In the order of the list; the setting's nicks. */
static const struct
{
  const char *nick;
  guint       long_side;      /* 0: the photo's own size */
  guint       width, height;  /* without a photo */
} sizes[] = {
  [IMPASTO_OUTPUT_SIZE_PREVIEW] = { "preview", 450, 450, 300 },
  [IMPASTO_OUTPUT_SIZE_FULL_HD] = { "full-hd", 1920, 1920, 1080 },
  [IMPASTO_OUTPUT_SIZE_4K] = { "4k", 3840, 3840, 2160 },
  [IMPASTO_OUTPUT_SIZE_PHOTO] = { "photo", 0, 0, 0 },
  [IMPASTO_OUTPUT_SIZE_CUSTOM] = { "custom", 0, 0, 0 },
};

static double
size_limit (ImpastoWindow *self)
{
  return gtk_adjustment_get_upper (impasto_window_get_param_adjustment (self, "width"));
}

/* The size of a choice; FALSE for Custom, and for the photo's own size without a photo. The
 * short side is rounded as "keep aspect" rounds the height. */
gboolean
impasto_window_get_choice_size (ImpastoWindow *self,
                                guint          choice,
                                guint         *width,
                                guint         *height)
{
  const ImpastoImage *photo = impasto_image_picker_get_image (self->content_picker);
  double long_side, limit = size_limit (self), w, h;

  g_assert (choice < G_N_ELEMENTS (sizes));

  if (choice == IMPASTO_OUTPUT_SIZE_CUSTOM
      || (photo == NULL && sizes[choice].long_side == 0))
    return FALSE;
  if (photo == NULL)
    {
      *width = sizes[choice].width;
      *height = sizes[choice].height;
      return TRUE;
    }

  long_side = sizes[choice].long_side > 0 ? sizes[choice].long_side
                                          : MAX (photo->width, photo->height);
  long_side = MIN (long_side, limit);
  if (photo->width >= photo->height)
    w = long_side;
  else
    w = round (long_side * photo->width / photo->height);
  h = round (w * photo->height / photo->width);
  *width = (guint) CLAMP (w, 1, limit);
  *height = (guint) CLAMP (h, 1, limit);
  return TRUE;
}

static void
set_size (ImpastoWindow *self,
          guint          width,
          guint          height)
{
  self->size_applying = TRUE;
  gtk_adjustment_set_value (impasto_window_get_param_adjustment (self, "width"), width);
  gtk_adjustment_set_value (impasto_window_get_param_adjustment (self, "height"), height);
  self->size_applying = FALSE;
}

/* The choice again, for a new photo or when it is chosen. */
void
impasto_window_apply_size_choice (ImpastoWindow *self)
{
  guint choice = gtk_drop_down_get_selected (self->size_dropdown), width, height;

  if (choice < G_N_ELEMENTS (sizes) && impasto_window_get_choice_size (self, choice, &width,
                                                                      &height))
    set_size (self, width, height);
  impasto_window_update_memory (self);
}

static gboolean
shows_choice (ImpastoWindow *self,
              guint          choice)
{
  guint width, height;

  return impasto_window_get_choice_size (self, choice, &width, &height)
         && width == gtk_adjustment_get_value (impasto_window_get_param_adjustment (self, "width"))
         && height == gtk_adjustment_get_value (impasto_window_get_param_adjustment (self,
                                                                                     "height"));
}

/* A size typed is Custom, unless it is the choice's still. */
static void
on_size_edited (ImpastoWindow *self)
{
  guint choice = gtk_drop_down_get_selected (self->size_dropdown);

  if (!self->size_applying && choice != IMPASTO_OUTPUT_SIZE_CUSTOM
      && !shows_choice (self, choice))
    gtk_drop_down_set_selected (self->size_dropdown, IMPASTO_OUTPUT_SIZE_CUSTOM);
  impasto_window_update_memory (self);
}

/* What a run of the size and the other controls needs, once the model is there to say. The
 * estimate allocates nothing: it walks the model's layers. */
void
impasto_window_update_memory (ImpastoWindow *self)
{
  g_autoptr(ImpastoRunParams) params = NULL;
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;
  guint64 bytes;

  if (self->memory_updating)
    return;
  if (self->network == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->memory_label), FALSE);
      return;
    }

  /* Reading the controls may make the height follow the width, which brings us back here. */
  self->memory_updating = TRUE;
  params = impasto_window_dup_params (self);
  self->memory_updating = FALSE;
  if (!impasto_run_estimate_memory_for (self->network, params, 1, &bytes, NULL))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->memory_label), FALSE);
      return;
    }

  size = g_format_size (bytes);
  /* Translators: %s is an amount of memory, "1.2 GB" */
  text = g_strdup_printf (_("A run of this size needs about %s of memory"), size);
  gtk_label_set_label (self->memory_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->memory_label), TRUE);
}

static gboolean
choice_from_setting (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    if (g_str_equal (sizes[i].nick, nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
choice_to_setting (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  guint choice = g_value_get_uint (value);

  if (choice >= G_N_ELEMENTS (sizes))
    return NULL;

  return g_variant_new_string (sizes[choice].nick);
}

/* After the settings are bound: the choice remembered stays as it was left, and so does the
 * size remembered with it. */
void
impasto_window_init_size (ImpastoWindow *self)
{
  g_settings_bind_with_mapping (self->settings, "output-size", self->size_dropdown, "selected",
                                G_SETTINGS_BIND_DEFAULT, choice_from_setting, choice_to_setting,
                                NULL, NULL);
  g_signal_connect_swapped (self->size_dropdown, "notify::selected",
                            G_CALLBACK (impasto_window_apply_size_choice), self);
  /* The optimiser's state is much of a run's memory. */
  g_signal_connect_swapped (self->preset_dropdown, "notify::selected",
                            G_CALLBACK (impasto_window_update_memory), self);
  g_signal_connect_swapped (impasto_window_get_param_adjustment (self, "width"), "value-changed",
                            G_CALLBACK (on_size_edited), self);
  g_signal_connect_swapped (impasto_window_get_param_adjustment (self, "height"),
                            "value-changed", G_CALLBACK (on_size_edited), self);
  impasto_window_update_memory (self);
}
