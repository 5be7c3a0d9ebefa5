/* impasto-params.h: every run parameter described once
 *
 * One table gives each parameter of ImpastoRunParams its name (the command line's option, the
 * recipe's key and, for those the window keeps, the GSettings key), its type, default, range,
 * unit, label and help, and whether it may change while a run goes. Validation, parsing and
 * printing, impasto-cli's options and --help, recipes and the window's limits all come from
 * it; tests hold the GSettings schema and the window's adjustments to it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "impasto-run.h"

G_BEGIN_DECLS

typedef enum
{
  IMPASTO_PARAM_UINT,     /* a guint */
  IMPASTO_PARAM_UINT64,   /* a guint64 */
  IMPASTO_PARAM_DOUBLE,   /* a finite double */
  IMPASTO_PARAM_ENUM,     /* an enum, written as one of nicks */
  IMPASTO_PARAM_LAYERS,   /* an ImpastoLayerList, written "conv4_2:0.5,conv5_2:0.5" */
} ImpastoParamType;

typedef enum
{
  IMPASTO_PARAM_STEERABLE     = 1 << 0,   /* may change between two steps of a run */
  IMPASTO_PARAM_SETTING       = 1 << 1,   /* the window keeps it under the same GSettings key */
  IMPASTO_PARAM_SCHEDULE      = 1 << 2,   /* a preset chooses it unless it is given */
  IMPASTO_PARAM_MIN_EXCLUSIVE = 1 << 3,   /* the minimum itself is not allowed */
  IMPASTO_PARAM_LOGARITHMIC   = 1 << 4,   /* spans decades: a slider for it goes by factors */
  IMPASTO_PARAM_SAVING        = 1 << 5,   /* how the result is written: the window asks it
                                           * where the file is chosen, not in its panel */
} ImpastoParamFlags;

typedef struct
{
  const char         *name;       /* "alpha" */
  ImpastoParamType    type;
  ImpastoParamFlags   flags;
  gsize               offset;     /* in ImpastoRunParams */
  /* Numbers and enums, in the unit shown to people (an enum's index into nicks). */
  double              default_value;
  double              minimum;
  double              maximum;
  double              scale;      /* the stored value is the shown one times this (or 1) */
  const char * const *nicks;      /* enums: NULL-terminated, in the enum's order */
  const char         *default_text;   /* layers */
  const char         *arg;        /* what --help calls the value: "X", "N", "NAME" */
  const char         *unit;       /* "px", "MB", or NULL */
  const char         *label;      /* translatable, marked with N_() */
  const char         *help;       /* translatable, marked with N_() */
  guint               since_format;   /* the recipe format that added it; 0: the first */
} ImpastoParamSpec;

const ImpastoParamSpec *impasto_params_get_specs  (guint                  *n_specs);
const ImpastoParamSpec *impasto_params_find       (const char             *name);

void      impasto_params_set_defaults   (ImpastoRunParams       *params);
/* Numbers and enums in the shown unit (an enum's index); not for layers. */
double    impasto_param_get_value       (const ImpastoRunParams *params,
                                         const ImpastoParamSpec *spec);
/* Checks value against the spec's type and range first; params is untouched on failure. */
gboolean  impasto_param_set_value       (ImpastoRunParams       *params,
                                         const ImpastoParamSpec *spec,
                                         double                  value,
                                         GError                **error);
/* text as impasto_param_to_string() writes it, as typed on a command line or in a recipe. */
gboolean  impasto_param_parse           (ImpastoRunParams       *params,
                                         const ImpastoParamSpec *spec,
                                         const char             *text,
                                         GError                **error);
/* Exact: parsing it back gives the same bits. */
char     *impasto_param_to_string       (const ImpastoRunParams *params,
                                         const ImpastoParamSpec *spec);
gboolean  impasto_param_check           (const ImpastoRunParams *params,
                                         const ImpastoParamSpec *spec,
                                         GError                **error);
/* "0 to 100", "more than 0, at most 1e+30", "draft, balanced or seed-exact" */
char     *impasto_param_describe_range  (const ImpastoParamSpec *spec);
gboolean  impasto_param_equal           (const ImpastoRunParams *a,
                                         const ImpastoRunParams *b,
                                         const ImpastoParamSpec *spec);

/* "200:beta=2000,400:alpha=5": ImpastoSteer values appended to steers, each checked. */
gboolean  impasto_steering_parse        (const char             *text,
                                         GArray                 *steers,
                                         GError                **error);
char     *impasto_steering_to_string    (const ImpastoSteer     *steers,
                                         guint                   n_steers);
/* A steerable parameter's value checked, or FALSE with error set. */
gboolean  impasto_steer_check           (const char             *name,
                                         double                  value,
                                         const ImpastoParamSpec **spec,
                                         GError                **error);

char     *impasto_format_double         (double                  value);

/* The deepest layer a layer list can name: a network loaded up to it serves any run. */
#define IMPASTO_DEEPEST_LAYER "conv5_4"

gboolean  impasto_layer_list_parse      (ImpastoLayerList       *list,
                                         const char             *text,
                                         GError                **error);
char     *impasto_layer_list_to_string  (const ImpastoLayerList *list);

G_END_DECLS
