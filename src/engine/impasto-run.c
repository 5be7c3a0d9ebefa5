/* impasto-run.c: one optimisation, from its parameters to its snapshots
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-adam.h"
#include "impasto-layers.h"
#include "impasto-loss.h"
#include "impasto-run.h"
#include "impasto-run-memory.h"

#define NOISE_RANGE 20.f    /* the seed's initial noise is uniform in [-20, 20] */
#define RATE_WINDOW 10      /* steps averaged for seconds_per_step */

/* One layer of the network as this run uses it: its output and what the losses want of it. */
typedef struct
{
  const ImpastoLayer *layer;
  guint  in_c, in_h, in_w;
  guint  c, h, w;          /* output shape */
  float *out;              /* post-ReLU output for convolutions */
  double content_weight;   /* already divided by the number of content layers; 0: none */
  double style_weight;     /* likewise */
  float *content_target;   /* c x h x w */
  float *style_target;     /* c x c Gram matrix */
} Stage;

struct _ImpastoRun
{
  ImpastoNetwork   *network;
  ImpastoRunParams *params;
  float             mean[3];
  guint             n_stages;
  Stage            *stages;
  gsize             n_pixels;      /* 3 x height x width */
  float            *x;             /* the image being optimised, planar, mean subtracted */
  float            *grad;
  float            *grad_a;        /* ping-pong gradient buffers, sized for the largest stage */
  float            *grad_b;
  float            *workspace;
  gsize             workspace_len;
  float            *gram;
  ImpastoAdam      *adam;
  ImpastoImage     *last_good;     /* the last image whose loss was finite */
  gboolean          diverged;
  guint             step;
  double            step_seconds[RATE_WINDOW];
};

static gsize
stage_size (const Stage *stage)
{
  return (gsize) stage->c * stage->h * stage->w;
}

static void
image_to_planes (const ImpastoImage *image,
                 const float         mean[3],
                 float              *planes)
{
  gsize hw = (gsize) image->width * image->height;

  for (gsize i = 0; i < hw; i++)
    for (guint c = 0; c < 3; c++)
      planes[c * hw + i] = image->pixels[3 * i + c] - mean[c];
}

/* The seed writes np.clip (x + mean, 0, 255).astype ('uint8'), which truncates. A NaN
 * becomes 0 rather than reaching the cast, where it would be undefined behaviour. */
static void
planes_to_image (const float   *planes,
                 const float    mean[3],
                 ImpastoImage  *image)
{
  gsize hw = (gsize) image->width * image->height;

  for (gsize i = 0; i < hw; i++)
    for (guint c = 0; c < 3; c++)
      {
        float v = planes[c * hw + i] + mean[c];

        image->pixels[3 * i + c] = v > 0.f ? (guint8) MIN (v, 255.f) : 0;
      }
}

/* The ReLUs turn NaN features into zeros, so an image gone NaN (an infinite gradient makes
 * Adam's update inf / inf) can still show a finite loss: the pixels are checked too. */
static gboolean
is_finite_image (ImpastoRun *run)
{
  for (gsize i = 0; i < run->n_pixels; i++)
    if (!isfinite (run->x[i]))
      return FALSE;

  return TRUE;
}

static int
find_stage (ImpastoRun *run,
            const char *name)
{
  for (guint i = 0; i < run->n_stages; i++)
    if (g_str_equal (run->stages[i].layer->name, name))
      return i;

  return -1;
}

/* Lays out the stages up to the deepest loss layer and allocates everything a step needs. */
static gboolean
plan_stages (ImpastoRun *run,
             GError    **error)
{
  const ImpastoRunParams *params = run->params;
  guint c = 3, h = params->height, w = params->width;
  gsize max_size = 0, max_gram = 0;
  int deepest = -1;

  for (guint i = 0; i < params->n_content_layers + params->n_style_layers; i++)
    {
      const char *name = i < params->n_content_layers
                         ? params->content_layers[i].name
                         : params->style_layers[i - params->n_content_layers].name;
      int index = impasto_network_find_layer (run->network, name);

      if (index < 0)
        {
          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                       "The model has no layer “%s”", name);
          return FALSE;
        }
      if (impasto_network_get_layer (run->network, index)->kind != IMPASTO_LAYER_CONV)
        {
          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                       "Layer “%s” is a pooling layer; losses use convolution layers", name);
          return FALSE;
        }
      deepest = MAX (deepest, index);
    }

  run->n_stages = deepest + 1;
  run->stages = g_new0 (Stage, run->n_stages);
  for (guint i = 0; i < run->n_stages; i++)
    {
      Stage *stage = &run->stages[i];

      stage->layer = impasto_network_get_layer (run->network, i);
      if (stage->layer->in_channels != c)
        {
          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                       "Layer “%s” expects %u channels but receives %u",
                       stage->layer->name, stage->layer->in_channels, c);
          return FALSE;
        }
      stage->in_c = c;
      stage->in_h = h;
      stage->in_w = w;
      if (stage->layer->kind == IMPASTO_LAYER_POOL)
        {
          h = impasto_pool_out_size (h);
          w = impasto_pool_out_size (w);
        }
      else
        {
          c = stage->layer->out_channels;
          run->workspace_len = MAX (run->workspace_len,
                                    impasto_conv3x3_workspace_size (stage->in_c, h, w));
        }
      stage->c = c;
      stage->h = h;
      stage->w = w;
      stage->out = g_new (float, stage_size (stage));
      max_size = MAX (max_size, stage_size (stage));
    }

  for (guint i = 0; i < params->n_content_layers; i++)
    {
      Stage *stage = &run->stages[find_stage (run, params->content_layers[i].name)];

      stage->content_weight += params->content_layers[i].weight / params->n_content_layers;
      if (stage->content_target == NULL)
        stage->content_target = g_new (float, stage_size (stage));
    }
  for (guint i = 0; i < params->n_style_layers; i++)
    {
      Stage *stage = &run->stages[find_stage (run, params->style_layers[i].name)];

      stage->style_weight += params->style_layers[i].weight / params->n_style_layers;
      if (stage->style_target == NULL)
        stage->style_target = g_new (float, (gsize) stage->c * stage->c);
      max_gram = MAX (max_gram, (gsize) stage->c * stage->c);
    }

  run->grad_a = g_new (float, max_size);
  run->grad_b = g_new (float, max_size);
  run->workspace = g_new (float, MAX (run->workspace_len, 1));
  run->gram = g_new (float, MAX (max_gram, 1));

  return TRUE;
}

/* Runs the stages on image; FALSE when cancelled in between. */
static gboolean
forward (ImpastoRun   *run,
         const float  *image,
         GCancellable *cancellable)
{
  const float *in = image;

  for (guint i = 0; i < run->n_stages; i++)
    {
      Stage *stage = &run->stages[i];

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;

      if (stage->layer->kind == IMPASTO_LAYER_POOL)
        {
          impasto_maxpool2x2_forward (in, stage->in_c, stage->in_h, stage->in_w, stage->out);
        }
      else
        {
          impasto_conv3x3_forward (in, stage->in_c, stage->in_h, stage->in_w,
                                   stage->layer->weights, stage->layer->bias, stage->c,
                                   stage->out, run->workspace, run->workspace_len);
          impasto_relu_forward (stage->out, stage_size (stage));
        }
      in = stage->out;
    }

  return TRUE;
}

static double
content_norm (const Stage *stage)
{
  return 1.0 / (2.0 * stage->h * stage->w * stage->c);
}

static double
style_norm (const Stage *stage)
{
  double m = (double) stage->h * stage->w, n = stage->c;

  return 1.0 / (4.0 * m * m * n * n);
}

/* Adds this stage's losses to the totals and, when grad is set, their gradients into it. */
static void
stage_losses (ImpastoRun  *run,
              Stage       *stage,
              float       *grad,
              double      *content,
              double      *style)
{
  const ImpastoRunParams *params = run->params;
  gsize m = (gsize) stage->h * stage->w;

  if (stage->content_target != NULL)
    {
      double scale = stage->content_weight * content_norm (stage);
      double ss = impasto_content_loss (stage->out, stage->content_target, stage_size (stage),
                                        (float) (2.0 * params->alpha * scale), grad);

      *content += scale * ss;
    }
  if (stage->style_target != NULL)
    {
      double scale = stage->style_weight * style_norm (stage);
      double ss = impasto_style_loss (stage->out, stage->c, m, stage->style_target,
                                      (float) (4.0 * params->beta * scale), run->gram, grad);

      *style += scale * ss;
    }
}

/* Back from the deepest stage to the image; each stage's losses join the gradient on the way. */
static gboolean
backward (ImpastoRun   *run,
          float        *image_grad,
          double       *content,
          double       *style,
          GCancellable *cancellable)
{
  float *g = run->grad_a, *g_prev = run->grad_b;

  memset (g, 0, stage_size (&run->stages[run->n_stages - 1]) * sizeof (float));
  for (int i = run->n_stages - 1; i >= 0; i--)
    {
      Stage *stage = &run->stages[i];
      const float *in = i > 0 ? run->stages[i - 1].out : NULL;
      float *dst = i > 0 ? g_prev : image_grad;

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;

      stage_losses (run, stage, g, content, style);
      if (stage->layer->kind == IMPASTO_LAYER_POOL)
        {
          impasto_maxpool2x2_backward (in, g, stage->in_c, stage->in_h, stage->in_w, dst);
        }
      else
        {
          impasto_relu_backward (stage->out, g, stage_size (stage));
          impasto_conv3x3_backward_input (g, stage->c, stage->in_h, stage->in_w,
                                          stage->layer->weights, stage->in_c, dst,
                                          run->workspace, run->workspace_len);
        }
      g_prev = g;
      g = dst;
    }

  return TRUE;
}

static gboolean
evaluate (ImpastoRun   *run,
          const float  *image,
          float        *grad,
          double       *total,
          double       *content,
          double       *style,
          GCancellable *cancellable)
{
  *content = *style = 0.0;

  if (!forward (run, image, cancellable))
    return FALSE;

  if (grad != NULL)
    {
      if (!backward (run, grad, content, style, cancellable))
        return FALSE;
    }
  else
    {
      for (guint i = 0; i < run->n_stages; i++)
        stage_losses (run, &run->stages[i], NULL, content, style);
    }

  *total = run->params->alpha * *content + run->params->beta * *style;
  return TRUE;
}

static void
compute_targets (ImpastoRun         *run,
                 const ImpastoImage *content,
                 const ImpastoImage *style)
{
  image_to_planes (content, run->mean, run->x);
  forward (run, run->x, NULL);
  for (guint i = 0; i < run->n_stages; i++)
    if (run->stages[i].content_target != NULL)
      memcpy (run->stages[i].content_target, run->stages[i].out,
              stage_size (&run->stages[i]) * sizeof (float));

  image_to_planes (style, run->mean, run->x);
  forward (run, run->x, NULL);
  for (guint i = 0; i < run->n_stages; i++)
    {
      Stage *stage = &run->stages[i];

      if (stage->style_target != NULL)
        impasto_gram (stage->out, stage->c, (gsize) stage->h * stage->w, stage->style_target);
    }
}

/* uniform noise in [-20, 20] * noise + content * (1 - noise), both mean subtracted */
static void
init_image (ImpastoRun         *run,
            const ImpastoImage *content)
{
  guint32 seed[2] = { (guint32) run->params->seed, (guint32) (run->params->seed >> 32) };
  g_autoptr(GRand) rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
  gsize hw = (gsize) content->width * content->height;
  float noise = run->params->noise;

  image_to_planes (content, run->mean, run->x);
  for (gsize i = 0; i < hw; i++)
    for (guint c = 0; c < 3; c++)
      {
        float u = (float) g_rand_double_range (rand, -NOISE_RANGE, NOISE_RANGE);

        run->x[c * hw + i] = u * noise + run->x[c * hw + i] * (1.f - noise);
      }
}

static gboolean
check_image (const ImpastoImage     *image,
             const char             *what,
             const ImpastoRunParams *params,
             GError                **error)
{
  if (image->width == params->width && image->height == params->height)
    return TRUE;

  g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
               "The %s image is %ux%u, but the run is %ux%u",
               what, image->width, image->height, params->width, params->height);
  return FALSE;
}

ImpastoRun *
impasto_run_new (ImpastoNetwork         *network,
                 const ImpastoRunParams *params,
                 const ImpastoImage     *content,
                 const ImpastoImage     *style,
                 GError                **error)
{
  g_autoptr(ImpastoRun) run = NULL;

  g_return_val_if_fail (network != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (content != NULL && style != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Refusing a run that cannot fit beats being killed by the kernel halfway through. */
  if (!impasto_run_params_validate (params, error)
      || !check_image (content, "content", params, error)
      || !check_image (style, "style", params, error)
      || !impasto_run_check_memory (network, params, error))
    return NULL;

  run = g_new0 (ImpastoRun, 1);
  run->network = impasto_network_ref (network);
  run->params = impasto_run_params_copy (params);
  impasto_run_params_get_mean (params, run->mean);
  run->n_pixels = (gsize) 3 * params->width * params->height;
  run->x = g_new (float, run->n_pixels);
  run->grad = g_new (float, run->n_pixels);
  if (!plan_stages (run, error))
    return NULL;

  compute_targets (run, content, style);
  init_image (run, content);
  run->adam = impasto_adam_new (run->n_pixels, params->learning_rate, 0.9f, 0.999f, 1e-8f);
  run->last_good = impasto_image_new (params->width, params->height);
  planes_to_image (run->x, run->mean, run->last_good);

  return g_steal_pointer (&run);
}

void
impasto_run_free (ImpastoRun *run)
{
  if (run == NULL)
    return;

  for (guint i = 0; i < run->n_stages; i++)
    {
      g_free (run->stages[i].out);
      g_free (run->stages[i].content_target);
      g_free (run->stages[i].style_target);
    }
  g_free (run->stages);
  g_free (run->x);
  g_free (run->grad);
  g_free (run->grad_a);
  g_free (run->grad_b);
  g_free (run->workspace);
  g_free (run->gram);
  impasto_adam_free (run->adam);
  impasto_image_free (run->last_good);
  impasto_run_params_free (run->params);
  g_clear_pointer (&run->network, impasto_network_unref);
  g_free (run);
}

static double
mean_step_seconds (ImpastoRun *run)
{
  guint n = MIN (run->step, RATE_WINDOW);
  double sum = 0;

  for (guint i = 0; i < n; i++)
    sum += run->step_seconds[i];

  return n > 0 ? sum / n : 0.0;
}

static gboolean
is_snapshot_step (ImpastoRun *run)
{
  guint every = run->params->snapshot_every;

  return run->step == run->params->steps || (every > 0 && run->step % every == 0);
}

gboolean
impasto_run_execute (ImpastoRun          *run,
                     ImpastoProgressFunc  func,
                     gpointer             user_data,
                     GCancellable        *cancellable,
                     GError             **error)
{
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (run != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (;;)
    {
      gint64 step_start = g_get_monotonic_time ();
      gboolean last = run->step >= run->params->steps;
      ImpastoProgress progress = { 0 };

      if (!evaluate (run, run->x, last ? NULL : run->grad, &progress.total_loss,
                     &progress.content_loss, &progress.style_loss, cancellable))
        break;

      if (!isfinite (progress.total_loss) || !is_finite_image (run))
        {
          g_autofree char *what = isfinite (progress.total_loss)
                                  ? g_strdup ("image became NaN or infinite")
                                  : g_strdup_printf ("loss became %g", progress.total_loss);

          run->diverged = TRUE;
          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_DIVERGED,
                       "The %s at step %u; the image of step %u is kept. "
                       "Try a lower learning rate or style weight",
                       what, run->step, run->step > 0 ? run->step - 1 : 0);
          return FALSE;
        }
      planes_to_image (run->x, run->mean, run->last_good);

      if (!last)
        impasto_adam_step (run->adam, run->x, run->grad);

      if (func != NULL)
        {
          progress.step = run->step;
          progress.total_steps = run->params->steps;
          progress.seconds_per_step = mean_step_seconds (run);
          progress.elapsed = (step_start - start) / (double) G_USEC_PER_SEC;
          progress.snapshot = is_snapshot_step (run) ? run->last_good : NULL;
          func (&progress, user_data);
        }

      if (last)
        return TRUE;

      run->step_seconds[run->step % RATE_WINDOW] =
        (g_get_monotonic_time () - step_start) / (double) G_USEC_PER_SEC;
      run->step++;

      if (g_cancellable_is_cancelled (cancellable))
        break;
    }

  g_cancellable_set_error_if_cancelled (cancellable, error);
  return FALSE;
}

ImpastoImage *
impasto_run_dup_image (ImpastoRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);

  /* Stopped right after a step that went wrong, the image is not checked yet. */
  if (!run->diverged && is_finite_image (run))
    planes_to_image (run->x, run->mean, run->last_good);

  return impasto_image_copy (run->last_good);
}

guint
impasto_run_get_step (ImpastoRun *run)
{
  g_return_val_if_fail (run != NULL, 0);

  return run->step;
}

float *
impasto_run_get_pixels (ImpastoRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);

  return run->x;
}

double
impasto_run_evaluate (ImpastoRun  *run,
                      const float *image,
                      float       *grad,
                      double      *content_loss,
                      double      *style_loss)
{
  double total, content, style;

  g_return_val_if_fail (run != NULL, NAN);

  evaluate (run, image, grad, &total, &content, &style, NULL);
  if (content_loss != NULL)
    *content_loss = content;
  if (style_loss != NULL)
    *style_loss = style;

  return total;
}
