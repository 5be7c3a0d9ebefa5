/* impasto-preset.c
 *
 * L-BFGS gets much further per step than the seed's Adam (its 50 steps reach the loss of 380
 * Adam steps, its 120 that of 1128), and like Adam it lowers the loss further by painting over
 * the photo, so the presets stop it early. Coarse to fine is in none: with the seed's style
 * weight the small scales drift towards the painting's own layout. See the README.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-params.h"
#include "impasto-preset.h"

#define LOOK "noise=0;pooling=avg;tv-weight=0.2"

static const ImpastoPresetInfo presets[IMPASTO_N_PRESETS] = {
  /* Started from the photo itself: from the seed's half noise, L-BFGS leaves pixel speckle
   * over the picture and dissolves more of the scene. Average pooling paints the painting's
   * strokes stronger and longer with the scene still standing (see the README's contact
   * sheet). */
  [IMPASTO_PRESET_DRAFT] = { "draft", IMPASTO_OPTIMIZER_LBFGS, 1, 50, 1, LOOK },
  [IMPASTO_PRESET_BALANCED] = { "balanced", IMPASTO_OPTIMIZER_LBFGS, 1, 100, 2, LOOK },
  /* The seed resized its inputs with scipy.misc.imresize: PIL's bilinear. */
  [IMPASTO_PRESET_SEED_EXACT] = { "seed-exact", IMPASTO_OPTIMIZER_ADAM, 1, 3000, 50,
                                  "resample=triangle" },
};

const ImpastoPresetInfo *
impasto_preset_get_info (ImpastoPreset preset)
{
  g_return_val_if_fail ((guint) preset < IMPASTO_N_PRESETS, NULL);

  return &presets[preset];
}

/* FALSE when name is none of "draft", "balanced" and "seed-exact". */
gboolean
impasto_preset_from_name (const char    *name,
                          ImpastoPreset *preset)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (preset != NULL, FALSE);

  for (guint i = 0; i < IMPASTO_N_PRESETS; i++)
    if (g_str_equal (presets[i].name, name))
      {
        *preset = (ImpastoPreset) i;
        return TRUE;
      }

  return FALSE;
}

static void
set_param (ImpastoRunParams       *params,
           const ImpastoParamSpec *spec,
           const char             *text)
{
  g_autoptr(GError) error = NULL;

  /* The presets are ours: a test holds every one of them to the table. */
  if (!impasto_param_parse (params, spec, text, &error))
    g_error ("preset: %s", error->message);
}

static void
reset_schedule (ImpastoRunParams *params)
{
  g_autoptr(ImpastoRunParams) defaults = impasto_run_params_new ();
  const ImpastoParamSpec *specs;
  guint n_specs;

  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    if (specs[i].flags & IMPASTO_PARAM_SCHEDULE)
      {
        g_autofree char *text = impasto_param_to_string (defaults, &specs[i]);

        set_param (params, &specs[i], text);
      }
}

static void
apply_look (const char       *look,
            ImpastoRunParams *params)
{
  g_auto(GStrv) settings = g_strsplit (look, ";", -1);

  for (guint i = 0; settings[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (settings[i], "=", 2);
      const ImpastoParamSpec *spec = impasto_params_find (pair[0]);

      g_assert (spec != NULL && pair[1] != NULL && (spec->flags & IMPASTO_PARAM_SCHEDULE));
      set_param (params, spec, pair[1]);
    }
}

/* A front end may override any of what it sets after. */
void
impasto_preset_apply (ImpastoPreset     preset,
                      ImpastoRunParams *params)
{
  const ImpastoPresetInfo *info = impasto_preset_get_info (preset);

  g_return_if_fail (info != NULL);
  g_return_if_fail (params != NULL);

  reset_schedule (params);
  if (info->look != NULL)
    apply_look (info->look, params);
  params->optimizer = info->optimizer;
  params->n_scales = info->n_scales;
  params->steps = info->steps;
  params->snapshot_every = info->snapshot_every;
}
