/* impasto-window-recipe.c: a result of Impasto's opened like any image
 *
 * Its recipe sets every control and names the inputs, which are found by path or by name
 * beside the result and loaded only with the contents they had: a missing or changed one is
 * named in its picker.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "impasto-params.h"
#include "impasto-preset.h"
#include "impasto-session.h"
#include "impasto-window-private.h"

/* The preset of the recipe's optimiser and scales; the steps and the interval are the
 * recipe's own after. */
static ImpastoPreset
preset_for (const ImpastoRunParams *params)
{
  ImpastoPreset fallback = IMPASTO_PRESET_DEFAULT;

  for (guint i = 0; i < IMPASTO_N_PRESETS; i++)
    {
      const ImpastoPresetInfo *info = impasto_preset_get_info (i);

      if (info->optimizer == params->optimizer && info->n_scales == params->n_scales)
        return i;
      if (info->optimizer == params->optimizer)
        fallback = i;
    }

  return fallback;
}

static void
restore_controls (ImpastoWindow          *self,
                  const ImpastoRunParams *params)
{
  const ImpastoParamSpec *specs;
  guint n_specs;
  ImpastoPreset preset = preset_for (params);

  /* The preset first: choosing it sets the steps, which the recipe's then replace. */
  g_settings_set_enum (self->settings, "preset", preset);
  g_settings_set_boolean (self->settings, "keep-aspect", FALSE);
  g_settings_set_string (self->settings, "output-size", "custom");
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    if (specs[i].flags & IMPASTO_PARAM_SETTING)
      gtk_adjustment_set_value (impasto_window_get_param_adjustment (self, specs[i].name),
                                impasto_param_get_value (params, &specs[i]));

  /* What the window has no control for comes from the recipe too. */
  impasto_window_set_base_params (self, params);
}

static void
restore_input (ImpastoWindow            *self,
               ImpastoImagePicker       *picker,
               const ImpastoRecipeInput *input,
               const char               *beside,
               const char               *what)
{
  g_autofree char *path = impasto_recipe_find_input (input, beside);
  g_autoptr(GFile) file = NULL;

  if (path == NULL)
    {
      g_autofree char *message = impasto_recipe_describe_missing (input, what);

      impasto_image_picker_show_error (picker, message);
      return;
    }

  file = g_file_new_for_path (path);
  impasto_image_picker_set_file_expecting (picker, file, input->sha256);
}

/* text: the recipe that file, a result, carries. */
void
impasto_window_open_recipe (ImpastoWindow *self,
                            GFile         *file,
                            const char    *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_from_text (text, -1, &error);
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;
  const char *beside = folder != NULL ? g_file_peek_path (folder) : NULL;

  if (recipe == NULL)
    {
      /* Translators: the first %s is a file name, the second what is wrong with its recipe. */
      message = g_strdup_printf (_("“%s” was made by Impasto, but its recipe cannot be used: %s"),
                                 name, error->message);
      impasto_window_show_status (self, message, TRUE);
      return;
    }

  restore_controls (self, recipe->params);
  /* Translators: the kind of image, in "The content image “photo.jpg” is missing". */
  restore_input (self, self->content_picker, &recipe->content, beside, _("content"));
  impasto_style_list_set_n_styles (self->style_list, recipe->n_styles);
  for (guint i = 0; i < recipe->n_styles; i++)
    {
      restore_input (self, impasto_style_list_get_picker (self->style_list, i),
                     &recipe->styles[i], beside, _("style"));
      impasto_style_list_set_weight (self->style_list, i, recipe->styles[i].weight);
    }

  /* Translators: %s is a file name. */
  message = g_strdup_printf (_("The controls and images of “%s” are back, as it was made"),
                             name);
  impasto_window_show_status (self, message, FALSE);
}
