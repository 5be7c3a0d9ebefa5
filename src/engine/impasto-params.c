/* impasto-params.c: the table of run parameters, and reading, writing and checking them
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "impasto-params.h"

#define OFFSET(field) G_STRUCT_OFFSET (ImpastoRunParams, field)

static const char * const mean_nicks[] = { "seed", "imagenet", NULL };
static const char * const optimizer_nicks[] = { "adam", "lbfgs", NULL };
static const char * const png_depth_nicks[] = { "8", "16", NULL };
static const char * const resample_nicks[] = { "box", "triangle", NULL };
static const char * const original_colours_nicks[] = { "no", "yes", NULL };
static const char * const colour_match_nicks[] = { "none", "histogram", "linear", NULL };
static const char * const pooling_nicks[] = { "max", "avg", NULL };
static const char * const init_nicks[] = { "noise", "content", "random", NULL };
static const char * const style_norm_nicks[] = { "seed", "channels", NULL };

/* The seed program's choices: 450x300, alpha 1, beta 500, noise 0.5, Adam with learning rate
 * 1 for 3000 steps, a snapshot every 50, content on conv4_2 and conv5_2, style on convN_1. */
static const ImpastoParamSpec specs[] = {
  { "width", IMPASTO_PARAM_UINT, IMPASTO_PARAM_SETTING, OFFSET (width),
    450, 1, 8192, 1, NULL, NULL, "N", N_("px"),
    N_("Width"), N_("Output width") },
  { "height", IMPASTO_PARAM_UINT, IMPASTO_PARAM_SETTING, OFFSET (height),
    300, 1, 8192, 1, NULL, NULL, "N", N_("px"),
    N_("Height"), N_("Output height") },
  { "alpha", IMPASTO_PARAM_DOUBLE,
    IMPASTO_PARAM_STEERABLE | IMPASTO_PARAM_SETTING | IMPASTO_PARAM_LOGARITHMIC,
    OFFSET (alpha), 1, 0, 1e6, 1, NULL, NULL, "X", NULL,
    N_("Content weight (α)"), N_("How much the painting keeps of the photo") },
  { "beta", IMPASTO_PARAM_DOUBLE,
    IMPASTO_PARAM_STEERABLE | IMPASTO_PARAM_SETTING | IMPASTO_PARAM_LOGARITHMIC,
    OFFSET (beta), 500, 0, 1e9, 1, NULL, NULL, "X", NULL,
    N_("Style weight (β)"), N_("How much the painting takes from the painting's style") },
  { "noise", IMPASTO_PARAM_DOUBLE, IMPASTO_PARAM_SETTING | IMPASTO_PARAM_SCHEDULE,
    OFFSET (noise),
    0.5, 0, 1, 1, NULL, NULL, "X", NULL,
    N_("Noise"), N_("Share of noise in the starting image") },
  { "steps", IMPASTO_PARAM_UINT,
    IMPASTO_PARAM_SETTING | IMPASTO_PARAM_SCHEDULE | IMPASTO_PARAM_LOGARITHMIC, OFFSET (steps),
    3000, 1, 100000, 1, NULL, NULL, "N", NULL,
    N_("Steps"), N_("Optimisation steps, all scales together") },
  { "optimizer", IMPASTO_PARAM_ENUM, IMPASTO_PARAM_SCHEDULE, OFFSET (optimizer),
    IMPASTO_OPTIMIZER_ADAM, 0, G_N_ELEMENTS (optimizer_nicks) - 2, 1, optimizer_nicks, NULL,
    "NAME", NULL,
    N_("Optimizer"), N_("The optimizer: Adam (the seed's) or L-BFGS (fewer steps to the same loss)") },
  { "scales", IMPASTO_PARAM_UINT, IMPASTO_PARAM_SCHEDULE, OFFSET (n_scales),
    1, 1, IMPASTO_MAX_SCALES, 1, NULL, NULL, "N", NULL,
    N_("Scales"), N_("Work coarse to fine over this many scales, each half the next") },
  { "lr", IMPASTO_PARAM_DOUBLE, IMPASTO_PARAM_MIN_EXCLUSIVE, OFFSET (learning_rate),
    1, 0, 1e30, 1, NULL, NULL, "X", NULL,
    N_("Learning rate"), N_("Adam's learning rate, or L-BFGS's largest first change of a pixel") },
  { "snapshot-every", IMPASTO_PARAM_UINT, IMPASTO_PARAM_SETTING | IMPASTO_PARAM_SCHEDULE,
    OFFSET (snapshot_every), 50, 0, 100000, 1, NULL, NULL, "N", NULL,
    N_("Preview every"), N_("Report and show a snapshot every N steps, 0 for only the last") },
  { "seed", IMPASTO_PARAM_UINT64, 0, OFFSET (seed),
    0, 0, 9007199254740991.0, 1, NULL, NULL, "N", NULL,
    N_("Seed"), N_("Seed of the starting noise") },
  { "mean", IMPASTO_PARAM_ENUM, 0, OFFSET (mean),
    IMPASTO_MEAN_SEED, 0, G_N_ELEMENTS (mean_nicks) - 2, 1, mean_nicks, NULL, "NAME", NULL,
    N_("Pixel mean"), N_("The pixel mean to subtract: the seed's 128, or ImageNet's own") },
  { "content-layers", IMPASTO_PARAM_LAYERS, 0, OFFSET (content_layers),
    0, 0, 0, 1, NULL, "conv4_2:0.5,conv5_2:0.5", "LAYER:WEIGHT,…", NULL,
    N_("Content layers"), N_("The layers whose features the painting keeps, with weights") },
  { "style-layers", IMPASTO_PARAM_LAYERS, 0, OFFSET (style_layers),
    0, 0, 0, 1, NULL, "conv1_1:0.2,conv2_1:0.2,conv3_1:0.2,conv4_1:0.2,conv5_1:0.2",
    "LAYER:WEIGHT,…", NULL,
    N_("Style layers"), N_("The layers whose Gram matrices the painting matches, with weights") },
  { "threads", IMPASTO_PARAM_UINT, 0, OFFSET (threads),
    0, 0, IMPASTO_MAX_THREADS, 1, NULL, NULL, "N", NULL,
    N_("Threads"), N_("Threads to compute with, 0 for one per core") },
  { "max-memory", IMPASTO_PARAM_UINT64, 0, OFFSET (memory_limit),
    0, 0, 1e9, 1e6, NULL, NULL, "MB", N_("MB"),
    N_("Memory limit"),
    N_("Memory a run may take: a larger picture is painted in strips or tiles; 0 for the memory available") },
  { "png-depth", IMPASTO_PARAM_ENUM, IMPASTO_PARAM_SAVING, OFFSET (png_depth),
    IMPASTO_PNG_DEPTH_8, 0, G_N_ELEMENTS (png_depth_nicks) - 2, 1, png_depth_nicks, NULL,
    "BITS", NULL,
    N_("PNG bits per channel"),
    N_("Bits per channel of a PNG result: 16 keeps the smooth shades of a large print"), 2 },
  /* Box by default: the only filter of format 1, whose recipes must make the same pictures. */
  { "resample", IMPASTO_PARAM_ENUM, IMPASTO_PARAM_SCHEDULE, OFFSET (resample),
    IMPASTO_RESAMPLE_BOX, 0, G_N_ELEMENTS (resample_nicks) - 2, 1, resample_nicks, NULL,
    "NAME", NULL,
    N_("Resampling"),
    N_("How the images are resized to the output: box (the mean of each pixel's area) or "
       "triangle (PIL's bilinear, as the seed)"), 2 },
  { "original-colors", IMPASTO_PARAM_ENUM, 0, OFFSET (original_colours),
    IMPASTO_ORIGINAL_COLOURS_NO, 0, G_N_ELEMENTS (original_colours_nicks) - 2, 1,
    original_colours_nicks, NULL, "NAME", NULL,
    N_("Photo's colours"),
    N_("Keep the photo's colours: the painting gives only the brightness (Y of YIQ)"), 2 },
  { "color-match", IMPASTO_PARAM_ENUM, 0, OFFSET (colour_match),
    IMPASTO_COLOUR_MATCH_NONE, 0, G_N_ELEMENTS (colour_match_nicks) - 2, 1,
    colour_match_nicks, NULL, "NAME", NULL,
    N_("Colour matching"),
    N_("Give the painting the photo's colours before the run: none, each channel's histogram, "
       "or their mean and covariance (linear)"), 2 },
  { "tv-weight", IMPASTO_PARAM_DOUBLE,
    IMPASTO_PARAM_STEERABLE | IMPASTO_PARAM_LOGARITHMIC | IMPASTO_PARAM_SCHEDULE,
    OFFSET (tv_weight), 0, 0, 1000, 1, NULL, NULL, "X", NULL,
    N_("Smoothing (TV)"),
    N_("Weight of the total variation, the squared differences of neighbouring pixels "
       "(0 to 255): smooths out speckles"), 2 },
  { "pooling", IMPASTO_PARAM_ENUM, IMPASTO_PARAM_SCHEDULE, OFFSET (pooling),
    IMPASTO_POOLING_MAX, 0, G_N_ELEMENTS (pooling_nicks) - 2, 1, pooling_nicks, NULL, "NAME",
    NULL,
    N_("Pooling"), N_("How the network shrinks its maps: max (the seed's) or avg, which "
                      "paints smoother strokes"), 2 },
  { "init", IMPASTO_PARAM_ENUM, 0, OFFSET (init),
    IMPASTO_INIT_NOISE, 0, G_N_ELEMENTS (init_nicks) - 2, 1, init_nicks, NULL, "NAME", NULL,
    N_("Start from"),
    N_("What the painting starts from: the photo blended with noise by Noise, the photo "
       "itself, or noise alone"), 2 },
  { "style-norm", IMPASTO_PARAM_ENUM, 0, OFFSET (style_norm),
    IMPASTO_STYLE_NORM_SEED, 0, G_N_ELEMENTS (style_norm_nicks) - 2, 1, style_norm_nicks, NULL,
    "NAME", NULL,
    N_("Style normalisation"),
    N_("How each style layer's loss is scaled: seed (the seed's, which weighs a layer by its "
       "channels squared, the deep layers most) or channels (divided by them as well, as the "
       "classic Torch tool does, so that no layer counts more for its width)"), 2 },
  /* 0 by default: recipes from before it, and the seed, stretch the painting. */
  { "style-scale", IMPASTO_PARAM_DOUBLE, 0, OFFSET (style_scale),
    0, 0, 4, 1, NULL, NULL, "X", NULL,
    N_("Style scale"),
    N_("Size of the painting against the output, its proportions kept: 1 gives it the "
       "output's area, 2 strokes twice as large, 0.5 half; 0 stretches it to the output's "
       "size, as the seed"), 2 },
};

/* The shortest text that reads back as the same double: 0.2, not 0.20000000000000001. */
char *
impasto_format_double (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%.0f", value);
  for (int digits = 1; digits < 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        return g_strdup (buffer);
    }

  return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value));
}

const ImpastoParamSpec *
impasto_params_get_specs (guint *n_specs)
{
  *n_specs = G_N_ELEMENTS (specs);
  return specs;
}

const ImpastoParamSpec *
impasto_params_find (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    if (g_str_equal (specs[i].name, name))
      return &specs[i];

  return NULL;
}

static gpointer
field (ImpastoRunParams       *params,
       const ImpastoParamSpec *spec)
{
  return G_STRUCT_MEMBER_P (params, spec->offset);
}

static gconstpointer
const_field (const ImpastoRunParams *params,
             const ImpastoParamSpec *spec)
{
  return G_STRUCT_MEMBER_P (params, spec->offset);
}

double
impasto_param_get_value (const ImpastoRunParams *params,
                         const ImpastoParamSpec *spec)
{
  gconstpointer p = const_field (params, spec);

  switch (spec->type)
    {
    case IMPASTO_PARAM_UINT:
      return *(const guint *) p / spec->scale;
    case IMPASTO_PARAM_UINT64:
      return *(const guint64 *) p / spec->scale;
    case IMPASTO_PARAM_DOUBLE:
      return *(const double *) p;
    case IMPASTO_PARAM_ENUM:
      return *(const int *) p;
    case IMPASTO_PARAM_LAYERS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
in_range (const ImpastoParamSpec *spec,
          double                  value)
{
  if (!isfinite (value) || value > spec->maximum)
    return FALSE;
  if (spec->flags & IMPASTO_PARAM_MIN_EXCLUSIVE)
    return value > spec->minimum;

  return value >= spec->minimum;
}

static gboolean
is_whole (const ImpastoParamSpec *spec)
{
  return spec->type != IMPASTO_PARAM_DOUBLE;
}

/* "seed or imagenet", "draft, balanced or seed-exact" */
static char *
join_choices (const char * const *words)
{
  g_autofree char *head = g_strjoinv (", ", (char **) words);
  char *last = strrchr (head, ',');

  if (last != NULL)
    {
      *last = '\0';
      return g_strdup_printf (_("%s or %s"), head, last + 2);
    }
  return g_steal_pointer (&head);
}

char *
impasto_param_describe_range (const ImpastoParamSpec *spec)
{
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;

  if (spec->type == IMPASTO_PARAM_ENUM)
    return join_choices (spec->nicks);
  if (spec->type == IMPASTO_PARAM_LAYERS)
    return g_strdup (_("conv1_1 to conv5_4, each with a weight of 0 or more"));

  low = impasto_format_double (spec->minimum);
  high = impasto_format_double (spec->maximum);
  if (spec->flags & IMPASTO_PARAM_MIN_EXCLUSIVE)
    /* Translators: a range of numbers, "more than 0, at most 1e+30" */
    return g_strdup_printf (_("more than %s, at most %s"), low, high);

  /* Translators: a range of numbers, "0 to 100" */
  return g_strdup_printf (_("%s to %s"), low, high);
}

static gboolean
range_error (const ImpastoParamSpec *spec,
             const char             *value,
             GError                **error)
{
  g_autofree char *range = impasto_param_describe_range (spec);

  g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
               _("%s must be %s, not %s"), spec->name, range, value);
  return FALSE;
}

static gboolean
value_error (const ImpastoParamSpec *spec,
             double                  value,
             GError                **error)
{
  g_autofree char *text = impasto_format_double (value);

  return range_error (spec, text, error);
}

gboolean
impasto_param_set_value (ImpastoRunParams       *params,
                         const ImpastoParamSpec *spec,
                         double                  value,
                         GError                **error)
{
  gpointer p = field (params, spec);

  g_return_val_if_fail (spec->type != IMPASTO_PARAM_LAYERS, FALSE);

  if (!in_range (spec, value) || (is_whole (spec) && value != floor (value)))
    return value_error (spec, value, error);

  switch (spec->type)
    {
    case IMPASTO_PARAM_UINT:
      *(guint *) p = (guint) (value * spec->scale);
      break;
    case IMPASTO_PARAM_UINT64:
      *(guint64 *) p = (guint64) (value * spec->scale);
      break;
    case IMPASTO_PARAM_DOUBLE:
      *(double *) p = value;
      break;
    case IMPASTO_PARAM_ENUM:
      *(int *) p = (int) value;
      break;
    case IMPASTO_PARAM_LAYERS:
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

static gboolean
parse_number (const ImpastoParamSpec *spec,
              const char             *text,
              double                 *value,
              GError                **error)
{
  char *end = NULL;

  if (spec->type == IMPASTO_PARAM_ENUM)
    {
      for (guint i = 0; spec->nicks[i] != NULL; i++)
        if (g_str_equal (spec->nicks[i], text))
          {
            *value = i;
            return TRUE;
          }
      return range_error (spec, text, error);
    }

  if (is_whole (spec))
    {
      guint64 n;

      /* Exact beyond 2^53 would need no double on the way; the ranges stay below it. */
      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &n, NULL))
        {
          g_autofree char *range = impasto_param_describe_range (spec);

          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                       _("%s must be a whole number (%s), not “%s”"), spec->name, range, text);
          return FALSE;
        }
      *value = (double) n;
      return TRUE;
    }

  *value = g_ascii_strtod (text, &end);
  if (*text == '\0' || end == NULL || *end != '\0')
    {
      g_autofree char *range = impasto_param_describe_range (spec);

      g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                   _("%s must be a number (%s), not “%s”"), spec->name, range, text);
      return FALSE;
    }

  return TRUE;
}

gboolean
impasto_param_parse (ImpastoRunParams       *params,
                     const ImpastoParamSpec *spec,
                     const char             *text,
                     GError                **error)
{
  double value;

  if (spec->type == IMPASTO_PARAM_LAYERS)
    return impasto_layer_list_parse (field (params, spec), text, error);

  return parse_number (spec, text, &value, error)
         && impasto_param_set_value (params, spec, value, error);
}

char *
impasto_param_to_string (const ImpastoRunParams *params,
                         const ImpastoParamSpec *spec)
{
  gconstpointer p = const_field (params, spec);

  switch (spec->type)
    {
    case IMPASTO_PARAM_UINT:
      return g_strdup_printf ("%u", (guint) (*(const guint *) p / spec->scale));
    case IMPASTO_PARAM_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) (*(const guint64 *) p / spec->scale));
    case IMPASTO_PARAM_DOUBLE:
      return impasto_format_double (*(const double *) p);
    case IMPASTO_PARAM_ENUM:
      return g_strdup (spec->nicks[*(const int *) p]);
    case IMPASTO_PARAM_LAYERS:
      return impasto_layer_list_to_string (p);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
check_layers (const ImpastoParamSpec *spec,
              const ImpastoLayerList *list,
              GError                **error)
{
  for (guint i = 0; i < list->n; i++)
    if (list->items[i].name == NULL || !isfinite (list->items[i].weight)
        || list->items[i].weight < 0)
      {
        g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                     _("%s: the layer weights must be finite and not negative"), spec->name);
        return FALSE;
      }

  return TRUE;
}

gboolean
impasto_param_check (const ImpastoRunParams *params,
                     const ImpastoParamSpec *spec,
                     GError                **error)
{
  double value;

  if (spec->type == IMPASTO_PARAM_LAYERS)
    return check_layers (spec, const_field (params, spec), error);

  value = impasto_param_get_value (params, spec);
  if (spec->type == IMPASTO_PARAM_UINT64 || spec->type == IMPASTO_PARAM_UINT)
    {
      /* A stored value that is no whole number of the shown unit still counts. */
      if (value > spec->maximum || value < spec->minimum)
        return value_error (spec, value, error);
      return TRUE;
    }
  if (!in_range (spec, value))
    return value_error (spec, value, error);

  return TRUE;
}

gboolean
impasto_param_equal (const ImpastoRunParams *a,
                     const ImpastoRunParams *b,
                     const ImpastoParamSpec *spec)
{
  g_autofree char *text_a = impasto_param_to_string (a, spec);
  g_autofree char *text_b = impasto_param_to_string (b, spec);

  return g_str_equal (text_a, text_b);
}

void
impasto_params_set_defaults (ImpastoRunParams *params)
{
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      const ImpastoParamSpec *spec = &specs[i];

      if (spec->type == IMPASTO_PARAM_LAYERS)
        {
          gboolean ok = impasto_layer_list_parse (field (params, spec), spec->default_text, NULL);

          g_assert (ok);
        }
      else
        {
          gboolean ok = impasto_param_set_value (params, spec, spec->default_value, NULL);

          g_assert (ok);
        }
    }
}

/* VGG19's convolutions: conv1_1 … conv1_2, conv2_1 … conv2_2, conv3_1 … conv3_4, conv4_1 …
 * conv4_4, conv5_1 … conv5_4. */
static gboolean
is_vgg_conv_name (const char *name)
{
  static const guint per_block[] = { 2, 2, 4, 4, 4 };
  guint block, index;
  char end;

  if (sscanf (name, "conv%u_%u%c", &block, &index, &end) != 2)
    return FALSE;
  if (block < 1 || block > G_N_ELEMENTS (per_block) || index < 1 || index > per_block[block - 1])
    return FALSE;

  /* no leading zeros, signs or spaces: the name must read back as written */
  {
    g_autofree char *canonical = g_strdup_printf ("conv%u_%u", block, index);

    return g_str_equal (name, canonical);
  }
}

gboolean
impasto_layer_list_parse (ImpastoLayerList *list,
                          const char       *text,
                          GError          **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  ImpastoLayerList parsed = { 0 };

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (items[i], ":", 2);
      /* g_strsplit() gives no element at all for "" */
      const char *name = parts[0] != NULL ? g_strstrip (parts[0]) : "";
      double weight = 1.0;
      char *end = NULL;

      if (*name == '\0' && items[1] == NULL && parts[0] == NULL)
        break;   /* "" is no layer at all */
      if (parsed.n == IMPASTO_MAX_LOSS_LAYERS)
        {
          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                       _("At most %u layers can be given"), IMPASTO_MAX_LOSS_LAYERS);
          impasto_layer_list_clear (&parsed);
          return FALSE;
        }
      if (!is_vgg_conv_name (name))
        {
          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                       _("“%s” is not a layer: give conv1_1 to conv5_4, as in "
                         "“conv4_2:0.5,conv5_2:0.5”"), name);
          impasto_layer_list_clear (&parsed);
          return FALSE;
        }
      if (parts[1] != NULL)
        {
          weight = g_ascii_strtod (g_strstrip (parts[1]), &end);
          if (*parts[1] == '\0' || *end != '\0' || !isfinite (weight) || weight < 0)
            {
              g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                           _("The weight of layer %s must be a number, 0 or more, not “%s”"),
                           name, parts[1]);
              impasto_layer_list_clear (&parsed);
              return FALSE;
            }
        }
      impasto_layer_list_add (&parsed, name, weight);
    }

  impasto_layer_list_clear (list);
  *list = parsed;
  return TRUE;
}

char *
impasto_layer_list_to_string (const ImpastoLayerList *list)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < list->n; i++)
    {
      g_autofree char *weight = impasto_format_double (list->items[i].weight);

      g_string_append_printf (text, "%s%s:%s", i > 0 ? "," : "", list->items[i].name, weight);
    }

  return g_string_free (text, FALSE);
}

gboolean
impasto_steer_check (const char              *name,
                     double                   value,
                     const ImpastoParamSpec **spec_out,
                     GError                 **error)
{
  const ImpastoParamSpec *spec = impasto_params_find (name);
  g_autoptr(ImpastoRunParams) scratch = NULL;

  if (spec == NULL || !(spec->flags & IMPASTO_PARAM_STEERABLE))
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autofree char *steerable = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
        if (specs[i].flags & IMPASTO_PARAM_STEERABLE)
          g_ptr_array_add (names, (gpointer) specs[i].name);
      g_ptr_array_add (names, NULL);
      steerable = join_choices ((const char * const *) names->pdata);
      /* Translators: the second %s lists the parameters that can, "alpha, beta or tv-weight". */
      g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                   _("“%s” cannot be changed during a run; %s can"), name, steerable);
      return FALSE;
    }

  scratch = impasto_run_params_new ();
  if (!impasto_param_set_value (scratch, spec, value, error))
    return FALSE;

  if (spec_out != NULL)
    *spec_out = spec;
  return TRUE;
}

static gboolean
steer_syntax_error (const char *item,
                    GError    **error)
{
  g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
               _("“%s” is no change: write STEP:NAME=VALUE, as in “200:beta=2000”"), item);
  return FALSE;
}

gboolean
impasto_steering_parse (const char *text,
                        GArray     *steers,
                        GError    **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  g_autoptr(GArray) parsed = g_array_new (FALSE, FALSE, sizeof (ImpastoSteer));

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);
      g_auto(GStrv) step_rest = g_strsplit (item, ":", 2);
      g_auto(GStrv) name_value = NULL;
      const ImpastoParamSpec *spec;
      ImpastoSteer steer;
      guint64 step;
      char *end;

      if (*item == '\0' && items[1] == NULL)
        break;
      /* g_strsplit() gives no element at all for "" */
      if (g_strv_length (step_rest) != 2
          || !g_ascii_string_to_unsigned (step_rest[0], 10, 0, G_MAXUINT, &step, NULL))
        return steer_syntax_error (item, error);
      name_value = g_strsplit (step_rest[1], "=", 2);
      if (g_strv_length (name_value) != 2 || *name_value[1] == '\0')
        return steer_syntax_error (item, error);
      steer.value = g_ascii_strtod (name_value[1], &end);
      if (*end != '\0')
        return steer_syntax_error (item, error);
      if (!impasto_steer_check (name_value[0], steer.value, &spec, error))
        return FALSE;
      steer.step = (guint) step;
      steer.name = spec->name;
      g_array_append_val (parsed, steer);
    }

  g_array_append_vals (steers, parsed->data, parsed->len);
  return TRUE;
}

char *
impasto_steering_to_string (const ImpastoSteer *steers,
                            guint               n_steers)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_steers; i++)
    {
      g_autofree char *value = impasto_format_double (steers[i].value);

      g_string_append_printf (text, "%s%u:%s=%s", i > 0 ? "," : "", steers[i].step,
                              steers[i].name, value);
    }

  return g_string_free (text, FALSE);
}
