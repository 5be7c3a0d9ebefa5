/* impasto-run-params.c: the parameters of a run as a value; their table is impasto-params.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-params.h"
#include "impasto-run.h"

G_DEFINE_QUARK (impasto-run-error-quark, impasto_run_error)

/* A painting's strokes need a few pixels to be seen by conv5_1, four poolings down; more than
 * this many times the output's pixels (style scale 4 gives 16) is a mistake, not a look. */
#define MIN_STYLE_SIDE      16
#define MAX_STYLE_PIXELS    20

void
impasto_layer_list_add (ImpastoLayerList *list,
                        const char       *name,
                        double            weight)
{
  g_return_if_fail (list->n < IMPASTO_MAX_LOSS_LAYERS);

  list->items[list->n].name = g_strdup (name);
  list->items[list->n].weight = weight;
  list->n++;
}

void
impasto_layer_list_clear (ImpastoLayerList *list)
{
  for (guint i = 0; i < list->n; i++)
    g_clear_pointer (&list->items[i].name, g_free);
  list->n = 0;
}

static void
layer_list_copy (ImpastoLayerList *list)
{
  for (guint i = 0; i < list->n; i++)
    list->items[i].name = g_strdup (list->items[i].name);
}

ImpastoRunParams *
impasto_run_params_new (void)
{
  ImpastoRunParams *params = g_new0 (ImpastoRunParams, 1);

  impasto_params_set_defaults (params);

  return params;
}

ImpastoRunParams *
impasto_run_params_copy (const ImpastoRunParams *params)
{
  ImpastoRunParams *copy;

  g_return_val_if_fail (params != NULL, NULL);

  copy = g_memdup2 (params, sizeof *params);
  layer_list_copy (&copy->content_layers);
  layer_list_copy (&copy->style_layers);

  return copy;
}

void
impasto_run_params_free (ImpastoRunParams *params)
{
  if (params == NULL)
    return;

  impasto_layer_list_clear (&params->content_layers);
  impasto_layer_list_clear (&params->style_layers);
  g_free (params);
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID, message);
  return FALSE;
}

/* Each value against its row of the table, then what the rows cannot say alone. */
gboolean
impasto_run_params_validate (const ImpastoRunParams *params,
                             GError                **error)
{
  const ImpastoParamSpec *specs;
  guint n_specs;

  g_return_val_if_fail (params != NULL, FALSE);

  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    if (!impasto_param_check (params, &specs[i], error))
      return FALSE;

  if (params->steps < params->n_scales)
    return invalid (error, "A run needs at least one step per scale");
  if (params->content_layers.n + params->style_layers.n == 0)
    return invalid (error, "A run needs at least one content or style layer");

  return TRUE;
}

char **
impasto_run_params_get_loss_layers (const ImpastoRunParams *params)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < params->content_layers.n; i++)
    g_strv_builder_add (builder, params->content_layers.items[i].name);
  for (guint i = 0; i < params->style_layers.n; i++)
    g_strv_builder_add (builder, params->style_layers.items[i].name);

  return g_strv_builder_end (builder);
}

int
impasto_run_params_find_deepest_layer (const ImpastoRunParams *params,
                                       const ImpastoNetwork   *network,
                                       GError                **error)
{
  g_auto(GStrv) names = impasto_run_params_get_loss_layers (params);
  int deepest = -1;

  for (guint i = 0; names[i] != NULL; i++)
    {
      int index = impasto_network_find_layer (network, names[i]);

      if (index < 0)
        {
          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                       "The model has no layer “%s”", names[i]);
          return -1;
        }
      if (impasto_network_get_layer (network, index)->kind != IMPASTO_LAYER_CONV)
        {
          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                       "Layer “%s” is a pooling layer; losses use convolution layers", names[i]);
          return -1;
        }
      deepest = MAX (deepest, index);
    }

  return deepest;
}

void
impasto_run_params_get_mean (const ImpastoRunParams *params,
                             float                   mean[3])
{
  static const float seed_mean[3] = { 128.f, 128.f, 128.f };
  static const float imagenet_mean[3] = { 123.68f, 116.779f, 103.939f };

  memcpy (mean, params->mean == IMPASTO_MEAN_IMAGENET ? imagenet_mean : seed_mean,
          sizeof seed_mean);
}

gboolean
impasto_run_params_check_style_size (const ImpastoRunParams *params,
                                     guint                   width,
                                     guint                   height,
                                     GError                **error)
{
  guint min_side = MIN (MIN_STYLE_SIDE, MIN (params->width, params->height));
  g_autofree char *scale = impasto_format_double (params->style_scale);

  if (width < min_side || height < min_side)
    {
      g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                   "At style scale %s the style image would be %u×%u pixels, under the "
                   "least of %u a side; choose a larger style scale", scale, width, height,
                   min_side);
      return FALSE;
    }
  if ((guint64) width * height > (guint64) MAX_STYLE_PIXELS * params->width * params->height)
    {
      g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                   "At style scale %s the style image would be %u×%u pixels, more than %d "
                   "times the output’s %u×%u; choose a smaller style scale", scale, width,
                   height, MAX_STYLE_PIXELS, params->width, params->height);
      return FALSE;
    }

  return TRUE;
}

/* Style scale 1 gives the image the output's area in its own proportions, so that a
 * portrait painting is not blown up to a landscape output's width. */
gboolean
impasto_run_params_get_style_size (const ImpastoRunParams *params,
                                   guint                   image_width,
                                   guint                   image_height,
                                   guint                  *width,
                                   guint                  *height,
                                   GError                **error)
{
  double factor;

  g_return_val_if_fail (params != NULL && width != NULL && height != NULL, FALSE);
  g_return_val_if_fail (image_width > 0 && image_height > 0, FALSE);

  if (params->style_scale == 0)
    {
      *width = params->width;
      *height = params->height;
      return TRUE;
    }

  factor = params->style_scale * sqrt ((double) params->width * params->height
                                       / ((double) image_width * image_height));
  *width = (guint) MIN (MAX (round (image_width * factor), 1.0), 1e6);
  *height = (guint) MIN (MAX (round (image_height * factor), 1.0), 1e6);
  return impasto_run_params_check_style_size (params, *width, *height, error);
}
