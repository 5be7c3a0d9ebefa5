/* impasto-run-params.c: the parameters of a run, with the seed program's defaults
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-run.h"

#define MAX_SIDE    8192u
#define MAX_STEPS   1000000u
/* Far beyond any machine's cores, far below a process's limit on threads. */
#define MAX_THREADS 256u

G_DEFINE_QUARK (impasto-run-error-quark, impasto_run_error)

static void
add_layer (ImpastoLossLayer *layers,
           guint            *n_layers,
           const char       *name,
           double            weight)
{
  g_return_if_fail (*n_layers < IMPASTO_MAX_LOSS_LAYERS);

  layers[*n_layers].name = g_strdup (name);
  layers[*n_layers].weight = weight;
  (*n_layers)++;
}

void
impasto_run_params_add_content_layer (ImpastoRunParams *params,
                                      const char       *name,
                                      double            weight)
{
  add_layer (params->content_layers, &params->n_content_layers, name, weight);
}

void
impasto_run_params_add_style_layer (ImpastoRunParams *params,
                                    const char       *name,
                                    double            weight)
{
  add_layer (params->style_layers, &params->n_style_layers, name, weight);
}

void
impasto_run_params_clear_layers (ImpastoRunParams *params)
{
  for (guint i = 0; i < params->n_content_layers; i++)
    g_clear_pointer (&params->content_layers[i].name, g_free);
  for (guint i = 0; i < params->n_style_layers; i++)
    g_clear_pointer (&params->style_layers[i].name, g_free);
  params->n_content_layers = 0;
  params->n_style_layers = 0;
}

/* The seed program's choices: 450x300, alpha 1, beta 500, noise 0.5, Adam with learning rate
 * 1 for 3000 steps, a snapshot every 50, content on conv4_2 and conv5_2, style on convN_1. */
ImpastoRunParams *
impasto_run_params_new (void)
{
  ImpastoRunParams *params = g_new0 (ImpastoRunParams, 1);
  static const char * const style[] = { "conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1" };

  params->width = 450;
  params->height = 300;
  params->alpha = 1.0;
  params->beta = 500.0;
  params->noise = 0.5;
  params->steps = 3000;
  params->learning_rate = 1.0;
  params->snapshot_every = 50;
  params->seed = 0;
  params->mean = IMPASTO_MEAN_SEED;
  params->optimizer = IMPASTO_OPTIMIZER_ADAM;
  params->n_scales = 1;
  params->threads = 0;
  impasto_run_params_add_content_layer (params, "conv4_2", 0.5);
  impasto_run_params_add_content_layer (params, "conv5_2", 0.5);
  for (guint i = 0; i < G_N_ELEMENTS (style); i++)
    impasto_run_params_add_style_layer (params, style[i], 0.2);

  return params;
}

ImpastoRunParams *
impasto_run_params_copy (const ImpastoRunParams *params)
{
  ImpastoRunParams *copy;

  g_return_val_if_fail (params != NULL, NULL);

  copy = g_memdup2 (params, sizeof *params);
  for (guint i = 0; i < copy->n_content_layers; i++)
    copy->content_layers[i].name = g_strdup (params->content_layers[i].name);
  for (guint i = 0; i < copy->n_style_layers; i++)
    copy->style_layers[i].name = g_strdup (params->style_layers[i].name);

  return copy;
}

void
impasto_run_params_free (ImpastoRunParams *params)
{
  if (params == NULL)
    return;

  impasto_run_params_clear_layers (params);
  g_free (params);
}

static gboolean
check_layers (const ImpastoLossLayer *layers,
              guint                   n_layers,
              const char             *kind,
              GError                **error)
{
  for (guint i = 0; i < n_layers; i++)
    if (layers[i].name == NULL || !isfinite (layers[i].weight) || layers[i].weight < 0)
      {
        g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                     "The %s layer weights must be finite and not negative", kind);
        return FALSE;
      }

  return TRUE;
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID, message);
  return FALSE;
}

gboolean
impasto_run_params_validate (const ImpastoRunParams *params,
                             GError                **error)
{
  g_return_val_if_fail (params != NULL, FALSE);

  if (params->width < 1 || params->width > MAX_SIDE
      || params->height < 1 || params->height > MAX_SIDE)
    {
      g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                   "The output size must be between 1x1 and %ux%u pixels", MAX_SIDE, MAX_SIDE);
      return FALSE;
    }
  if (params->steps < 1 || params->steps > MAX_STEPS)
    {
      g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                   "The number of steps must be between 1 and %u", MAX_STEPS);
      return FALSE;
    }
  if (!isfinite (params->noise) || params->noise < 0 || params->noise > 1)
    return invalid (error, "The noise ratio must be between 0 and 1");
  if (!isfinite (params->alpha) || params->alpha < 0
      || !isfinite (params->beta) || params->beta < 0)
    return invalid (error, "The content and style weights must be finite and not negative");
  if (!isfinite (params->learning_rate) || params->learning_rate <= 0)
    return invalid (error, "The learning rate must be a positive number");
  if (params->n_scales < 1 || params->n_scales > IMPASTO_MAX_SCALES)
    {
      g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                   "The number of scales must be between 1 and %u", IMPASTO_MAX_SCALES);
      return FALSE;
    }
  if (params->steps < params->n_scales)
    return invalid (error, "A run needs at least one step per scale");
  if (params->threads > MAX_THREADS)
    {
      g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                   "The number of threads must be between 1 and %u (0: one per core)",
                   MAX_THREADS);
      return FALSE;
    }
  if (params->optimizer != IMPASTO_OPTIMIZER_ADAM && params->optimizer != IMPASTO_OPTIMIZER_LBFGS)
    return invalid (error, "Unknown optimizer");
  if (params->n_content_layers + params->n_style_layers == 0)
    return invalid (error, "A run needs at least one content or style layer");

  return check_layers (params->content_layers, params->n_content_layers, "content", error)
         && check_layers (params->style_layers, params->n_style_layers, "style", error);
}

char **
impasto_run_params_get_loss_layers (const ImpastoRunParams *params)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < params->n_content_layers; i++)
    g_strv_builder_add (builder, params->content_layers[i].name);
  for (guint i = 0; i < params->n_style_layers; i++)
    g_strv_builder_add (builder, params->style_layers[i].name);

  return g_strv_builder_end (builder);
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
