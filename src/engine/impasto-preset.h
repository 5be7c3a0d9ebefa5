/* impasto-preset.h: the quality presets, named schedules of a run that both front ends offer
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "impasto-run.h"

G_BEGIN_DECLS

/* The values are the GSettings enum's (see data/): do not reorder. */
typedef enum
{
  IMPASTO_PRESET_DRAFT,
  IMPASTO_PRESET_BALANCED,
  IMPASTO_PRESET_SEED_EXACT,
} ImpastoPreset;

#define IMPASTO_N_PRESETS 3

/* What both front ends start with: impasto-cli without --preset or --recipe, the window's
 * setting. impasto_run_params_new() gives the seed's schedule, Seed-exact's. */
#define IMPASTO_PRESET_DEFAULT IMPASTO_PRESET_BALANCED

typedef struct
{
  const char       *name;        /* for --preset and GSettings: "draft" */
  ImpastoOptimizer  optimizer;
  guint             n_scales;
  guint             steps;
  guint             snapshot_every;   /* a preview some fifty times a run, the seed's 50 at most */
  /* The other parameters it sets, as "tv-weight=10;pooling=avg" (the table's names and
   * texts), or NULL; each must be flagged IMPASTO_PARAM_SCHEDULE. */
  const char       *look;
} ImpastoPresetInfo;

const ImpastoPresetInfo *impasto_preset_get_info   (ImpastoPreset     preset);
gboolean                 impasto_preset_from_name  (const char       *name,
                                                    ImpastoPreset    *preset);
/* Sets every parameter flagged IMPASTO_PARAM_SCHEDULE: the preset's value, or the table's
 * default for one the preset leaves alone, so that no preset keeps another's look. */
void                     impasto_preset_apply      (ImpastoPreset     preset,
                                                    ImpastoRunParams *params);

G_END_DECLS
