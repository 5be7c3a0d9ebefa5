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

#include "impasto-preset.h"

static const ImpastoPresetInfo presets[IMPASTO_N_PRESETS] = {
  [IMPASTO_PRESET_DRAFT] = { "draft", IMPASTO_OPTIMIZER_LBFGS, 1, 50, 1,
                               IMPASTO_RESAMPLE_BOX },
  [IMPASTO_PRESET_BALANCED] = { "balanced", IMPASTO_OPTIMIZER_LBFGS, 1, 120, 2,
                                  IMPASTO_RESAMPLE_BOX },
  [IMPASTO_PRESET_SEED_EXACT] = { "seed-exact", IMPASTO_OPTIMIZER_ADAM, 1, 3000, 50,
                                    IMPASTO_RESAMPLE_TRIANGLE },
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

/* Sets the optimiser, the scales, the steps, how often a snapshot is taken and how the inputs
 * are resized (Seed-exact as the seed did, with PIL's bilinear); a front end may
 * override any of them after. */
void
impasto_preset_apply (ImpastoPreset     preset,
                      ImpastoRunParams *params)
{
  const ImpastoPresetInfo *info = impasto_preset_get_info (preset);

  g_return_if_fail (info != NULL);
  g_return_if_fail (params != NULL);

  params->optimizer = info->optimizer;
  params->n_scales = info->n_scales;
  params->steps = info->steps;
  params->snapshot_every = info->snapshot_every;
  params->resample = info->resample;
}
