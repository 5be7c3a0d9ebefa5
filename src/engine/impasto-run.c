/* impasto-run.c: one optimisation's network, memory and objective
 *
 * Memory is planned once for the output size and reused by the coarser scales. A stage keeps
 * its float output only when a loss needs it; otherwise its output lives in one of two
 * scratch buffers until the next stage has read it, and the backward pass gets by with one
 * byte per value (the ReLU mask, or where each pooling window's maximum was).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-layers.h"
#include "impasto-loss.h"
#include "impasto-resample.h"
#include "impasto-run-internal.h"

static gsize
stage_size (const Stage *stage)
{
  return (gsize) stage->c * stage->h * stage->w;
}

void
impasto_run_image_to_planes (const ImpastoImage *image,
                             const float         mean[3],
                             float              *planes)
{
  gsize hw = (gsize) image->width * image->height;

  for (gsize i = 0; i < hw; i++)
    for (guint c = 0; c < 3; c++)
      planes[c * hw + i] = image->pixels[3 * i + c] - mean[c];
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

/* By measurement on this engine (see tests/bench.c): F(4x4) beats im2col by 1.9-2.4x and
 * F(2x2) by 1.2-1.4x on every VGG layer with 64 or more input channels; with 3 input channels
 * the transforms cost more than they save. F(4x4)'s weights take 4x the raw ones, 38 MB for a
 * 512 x 512 layer, which would take a run over its memory budget. Those layers use F(3x3)
 * (2.8x the raw weights), 19% faster than F(2x2) (1.8x) on conv4 at 450x300 (56x38); on
 * smaller planes such as conv5's (28x19) its sgemm calls get too narrow to gain anything, and
 * F(2x2) keeps the memory. */
ImpastoConvAlgorithm
impasto_run_choose_algorithm (guint in_c,
                              guint out_c,
                              guint h,
                              guint w)
{
  if (in_c < 16)
    return IMPASTO_CONV_IM2COL;
  if ((gsize) in_c * out_c <= 256 * 256)
    return IMPASTO_CONV_WINOGRAD_4X4;
  if ((gsize) h * w >= 32 * 32)
    return IMPASTO_CONV_WINOGRAD_3X3;

  return IMPASTO_CONV_WINOGRAD_2X2;
}

/* Shapes of every stage for an image of width x height. */
void
impasto_run_set_size (ImpastoRun *run,
                      guint       width,
                      guint       height)
{
  guint c = 3, h = height, w = width;

  run->width = width;
  run->height = height;
  run->n_pixels = (gsize) 3 * width * height;
  for (guint i = 0; i < run->n_stages; i++)
    {
      Stage *stage = &run->stages[i];

      stage->in_c = c;
      stage->in_h = h;
      stage->in_w = w;
      if (stage->layer->kind == IMPASTO_LAYER_POOL)
        {
          h = impasto_pool_out_size (h);
          w = impasto_pool_out_size (w);
        }
      else
        c = stage->layer->out_channels;
      stage->c = c;
      stage->h = h;
      stage->w = w;
    }
}

static gboolean
plan_chain (ImpastoRun *run,
            GError    **error)
{
  guint c = 3, h = run->params->height, w = run->params->width;

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
      if (stage->layer->kind == IMPASTO_LAYER_CONV)
        {
          guint in_c = stage->layer->in_channels;

          c = stage->layer->out_channels;
          stage->conv = impasto_conv_new (impasto_run_choose_algorithm (in_c, c, h, w), in_c, c,
                                          stage->layer->weights, stage->layer->bias);
        }
      else
        {
          h = impasto_pool_out_size (h);
          w = impasto_pool_out_size (w);
        }
    }

  return TRUE;
}

static void
plan_losses (ImpastoRun *run)
{
  const ImpastoRunParams *params = run->params;

  for (guint i = 0; i < params->content_layers.n; i++)
    {
      Stage *stage = &run->stages[find_stage (run, params->content_layers.items[i].name)];

      stage->content_weight += params->content_layers.items[i].weight / params->content_layers.n;
      stage->has_content = TRUE;
    }
  for (guint i = 0; i < params->style_layers.n; i++)
    {
      Stage *stage = &run->stages[find_stage (run, params->style_layers.items[i].name)];

      stage->style_weight += params->style_layers.items[i].weight / params->style_layers.n;
      stage->has_style = TRUE;
    }
}

/* Whether a stage whose output no loss keeps needs a byte per value for its backward pass:
 * a ReLU's mask or a max pooling's argmax; average pooling needs neither. */
gboolean
impasto_run_stage_needs_mask (const ImpastoRunParams *params,
                              const ImpastoLayer     *layer)
{
  return layer->kind != IMPASTO_LAYER_POOL || params->pooling != IMPASTO_POOLING_AVG;
}

/* Widens each stage's buffer (capacity) and the workspace to what an image of width x height
 * needs on its way through the network. */
static void
widen (ImpastoRun *run,
       guint       width,
       guint       height,
       gsize      *capacity)
{
  impasto_run_set_size (run, width, height);
  for (guint i = 0; i < run->n_stages; i++)
    {
      Stage *stage = &run->stages[i];

      capacity[i] = MAX (capacity[i], stage_size (stage));
      if (stage->conv != NULL)
        run->workspace_len = MAX (run->workspace_len,
                                  impasto_conv_workspace_size (stage->conv, stage->in_h,
                                                               stage->in_w));
    }
}

/* Allocates everything a step needs, sized for the output (the largest scale), and for the
 * style images, which go through the network at their own size. */
static void
allocate (ImpastoRun *run)
{
  g_autofree gsize *capacity = g_new0 (gsize, run->n_stages);
  gsize max_size = 0, max_gram = 1, max_pixels = (gsize) 3 * run->params->width
                                                 * run->params->height;

  for (guint k = 0; k < run->n_styles; k++)
    {
      widen (run, run->styles[k]->width, run->styles[k]->height, capacity);
      max_pixels = MAX (max_pixels, (gsize) 3 * run->styles[k]->width * run->styles[k]->height);
    }
  widen (run, run->params->width, run->params->height, capacity);
  for (guint i = 0; i < run->n_stages; i++)
    {
      Stage *stage = &run->stages[i];

      max_size = MAX (max_size, capacity[i]);
      if (stage->has_content || stage->has_style)
        stage->out = g_new (float, capacity[i]);
      else if (impasto_run_stage_needs_mask (run->params, stage->layer))
        stage->mask = g_new (guint8, capacity[i]);
      if (stage->has_content)
        stage->content_target = g_new (float, stage_size (stage));
      if (stage->has_style)
        {
          stage->style_target = g_new (float, (gsize) stage->c * stage->c);
          max_gram = MAX (max_gram, impasto_gram_size (stage->c));
        }
    }

  run->scratch_a = g_new (float, max_size);
  run->scratch_b = g_new (float, max_size);
  run->workspace = g_new (float, MAX (run->workspace_len, 1));
  run->gram = g_new (float, max_gram);
  run->x = g_new (float, run->n_pixels);
  /* The style images' planes pass through it as their targets are made. */
  run->grad = g_new (float, max_pixels);
}

gboolean
impasto_run_plan (ImpastoRun *run,
                  GError    **error)
{
  int deepest = impasto_run_params_find_deepest_layer (run->params, run->network, error);

  if (deepest < 0)
    return FALSE;

  run->n_stages = deepest + 1;
  run->stages = g_new0 (Stage, run->n_stages);
  if (!plan_chain (run, error))
    return FALSE;

  plan_losses (run);
  allocate (run);
  return TRUE;
}

void
impasto_run_free_stages (ImpastoRun *run)
{
  for (guint i = 0; i < run->n_stages; i++)
    {
      impasto_conv_free (run->stages[i].conv);
      g_free (run->stages[i].out);
      g_free (run->stages[i].mask);
      g_free (run->stages[i].content_target);
      g_free (run->stages[i].style_target);
    }
  g_free (run->stages);
  g_free (run->scratch_a);
  g_free (run->scratch_b);
  g_free (run->workspace);
  g_free (run->gram);
}

/* Where a stage's output goes: its own buffer when kept, else the scratch buffer that does
 * not hold its input. */
static float *
stage_output (ImpastoRun  *run,
              Stage       *stage,
              const float *in)
{
  if (stage->out != NULL)
    return stage->out;

  return in == run->scratch_a ? run->scratch_b : run->scratch_a;
}

static void
forward_stage (ImpastoRun  *run,
               Stage       *stage,
               const float *in,
               float       *out)
{
  if (stage->layer->kind == IMPASTO_LAYER_POOL && run->params->pooling == IMPASTO_POOLING_AVG)
    {
      impasto_avgpool2x2_forward (in, stage->in_c, stage->in_h, stage->in_w, out, run->pool);
    }
  else if (stage->layer->kind == IMPASTO_LAYER_POOL)
    {
      impasto_maxpool2x2_forward (in, stage->in_c, stage->in_h, stage->in_w, out, stage->mask,
                                  run->pool);
    }
  else
    {
      impasto_conv_forward_relu (stage->conv, in, stage->in_h, stage->in_w, out, stage->mask,
                                 run->workspace, run->workspace_len, run->pool);
    }
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
      float *out = stage_output (run, stage, in);
      gint64 start = g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;

      forward_stage (run, stage, in, out);
      stage->forward_seconds += (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      stage->forward_passes++;
      in = out;
    }

  return TRUE;
}

static double
content_norm (const Stage *stage)
{
  return 1.0 / (2.0 * stage->h * stage->w * stage->c);
}

/* The seed's 1 / (4 N^2 M^2) gives a layer of N channels N^2 / 4 times the weight the
 * classic Torch tool gives it: (G / (N M) - A / (N M))^2 averaged over the N^2 entries. */
static double
style_norm (const ImpastoRunParams *params,
            const Stage            *stage)
{
  double m = (double) stage->h * stage->w, n = stage->c;

  if (params->style_norm == IMPASTO_STYLE_NORM_CHANNELS)
    return 1.0 / (n * n * n * n * m * m);

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

  if (stage->has_content)
    {
      double scale = stage->content_weight * content_norm (stage);
      double ss = impasto_content_loss (stage->out, stage->content_target, stage_size (stage),
                                        (float) (2.0 * params->alpha * scale), grad, run->pool);

      *content += scale * ss;
    }
  if (stage->has_style)
    {
      double scale = stage->style_weight * style_norm (params, stage);
      double ss = impasto_style_loss (stage->out, stage->c, m, stage->style_target,
                                      (float) (4.0 * params->beta * scale), run->gram, grad,
                                      run->pool);

      *style += scale * ss;
    }
}

static void
backward_stage (ImpastoRun *run,
                Stage      *stage,
                float      *g,
                float      *dst)
{
  if (stage->layer->kind == IMPASTO_LAYER_POOL && run->params->pooling == IMPASTO_POOLING_AVG)
    {
      impasto_avgpool2x2_backward (g, stage->in_c, stage->in_h, stage->in_w, dst, run->pool);
      return;
    }
  if (stage->layer->kind == IMPASTO_LAYER_POOL)
    {
      impasto_maxpool2x2_backward (stage->mask, g, stage->in_c, stage->in_h, stage->in_w, dst,
                                   run->pool);
      return;
    }

  impasto_conv_backward_relu (stage->conv, g, stage->out, stage->mask, stage->in_h, stage->in_w,
                              dst, run->workspace, run->workspace_len, run->pool);
}

/* Back from the deepest stage to the image; each stage's losses join the gradient on the way.
 * The forward's scratch buffers are free by now and carry the gradients. */
static gboolean
backward (ImpastoRun   *run,
          float        *image_grad,
          double       *content,
          double       *style,
          GCancellable *cancellable)
{
  float *g = run->scratch_a, *g_prev = run->scratch_b;

  memset (g, 0, stage_size (&run->stages[run->n_stages - 1]) * sizeof (float));
  for (int i = run->n_stages - 1; i >= 0; i--)
    {
      Stage *stage = &run->stages[i];
      float *dst = i > 0 ? g_prev : image_grad;
      gint64 start = g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;

      stage_losses (run, stage, g, content, style);
      backward_stage (run, stage, g, dst);
      stage->backward_seconds += (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      stage->backward_passes++;
      g_prev = g;
      g = dst;
    }

  return TRUE;
}

/* Smoothing acts on the image itself, after the network has sent its gradient back to it. */
static double
tv_losses (ImpastoRun  *run,
           const float *image,
           float       *grad)
{
  float scale = (float) (2.0 * run->params->tv_weight);

  return impasto_tv_loss (image, 3, run->height, run->width, scale,
                          run->params->tv_weight > 0 ? grad : NULL, run->pool);
}

gboolean
impasto_run_evaluate_at (ImpastoRun   *run,
                         const float  *image,
                         float        *grad,
                         double       *total,
                         double       *content,
                         double       *style,
                         double       *tv,
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
      /* Deepest first, as backward() adds them up: the loss of a point is the same to the
       * bit whichever way it was evaluated. */
      for (guint i = run->n_stages; i-- > 0;)
        stage_losses (run, &run->stages[i], NULL, content, style);
    }

  *tv = tv_losses (run, image, grad);
  run->evaluations++;
  *total = run->params->alpha * *content + run->params->beta * *style;
  /* Without smoothing the total is the seed's to the bit, even for an image gone NaN. */
  if (run->params->tv_weight > 0)
    *total += run->params->tv_weight * *tv;
  return TRUE;
}

/* Adds weight times this image's Grams to the style targets. Each Gram is divided by its own
 * image's positions m_k and multiplied by the output's m, which style_norm() divides by
 * twice over: the loss compares G / m with G_k / m_k, and images of different sizes weigh by
 * their weights alone. With one image of the output's size and weight 1 the factor is
 * exactly 1 and the target is the Gram to the bit. style_m holds each stage's m_k, the stage
 * outputs the style image's features. */
static void
add_style_grams (ImpastoRun  *run,
                 double       weight,
                 gboolean     first,
                 const gsize *style_m)
{
  for (guint i = 0; i < run->n_stages; i++)
    {
      Stage *stage = &run->stages[i];
      gsize m = (gsize) stage->h * stage->w, cc = (gsize) stage->c * stage->c;
      double factor;

      if (!stage->has_style)
        continue;

      factor = weight * ((double) m / (double) style_m[i]);
      impasto_gram (stage->out, stage->c, style_m[i], run->gram, run->pool);
      for (gsize k = 0; k < cc; k++)
        {
          float term = (float) (factor * run->gram[k]);

          stage->style_target[k] = first ? term : stage->style_target[k] + term;
        }
    }
}

/* Style image k's features at the current scale, in the stage outputs: it is halved at each
 * coarser scale as the output is, so that its strokes keep their size against the picture.
 * style_m gets each stage's positions. */
static void
style_forward (ImpastoRun *run,
               guint       k,
               gsize      *style_m)
{
  guint width = run->width, height = run->height;
  guint style_w = impasto_size_at_scale (run->styles[k]->width, run->scale);
  guint style_h = impasto_size_at_scale (run->styles[k]->height, run->scale);
  g_autoptr(ImpastoImage) style = impasto_image_scale_down (run->styles[k], style_w, style_h);

  impasto_run_set_size (run, style_w, style_h);
  impasto_run_image_to_planes (style, run->mean, run->grad);
  forward (run, run->grad, NULL);
  for (guint i = 0; i < run->n_stages; i++)
    style_m[i] = (gsize) run->stages[i].h * run->stages[i].w;
  impasto_run_set_size (run, width, height);
}

/* The targets at the current size, from the content image resized to it and the style images
 * resized in proportion. The style target is the classic neural-style's blend: sum over the
 * images of w_k G_k, the weights normalised to sum 1. Each image goes through the network on
 * its own, so several cost no more memory than one. */
void
impasto_run_compute_targets (ImpastoRun *run)
{
  g_autoptr(ImpastoImage) content = impasto_image_scale_down (run->content, run->width,
                                                              run->height);
  g_autofree gsize *style_m = g_new (gsize, run->n_stages);

  impasto_run_image_to_planes (content, run->mean, run->grad);
  forward (run, run->grad, NULL);
  for (guint i = 0; i < run->n_stages; i++)
    if (run->stages[i].has_content)
      memcpy (run->stages[i].content_target, run->stages[i].out,
              stage_size (&run->stages[i]) * sizeof (float));

  for (guint k = 0; k < run->n_styles; k++)
    {
      style_forward (run, k, style_m);
      add_style_grams (run, run->style_weights[k], k == 0, style_m);
    }
  impasto_run_reset_stage_seconds (run);
}

const float *
impasto_run_get_style_target (ImpastoRun *run,
                              guint       stage)
{
  g_return_val_if_fail (stage < run->n_stages, NULL);

  return run->stages[stage].style_target;
}

guint
impasto_run_get_n_stages (ImpastoRun *run)
{
  return run->n_stages;
}

const char *
impasto_run_get_stage_name (ImpastoRun *run,
                            guint       stage)
{
  g_return_val_if_fail (stage < run->n_stages, NULL);

  return run->stages[stage].layer->name;
}

int
impasto_run_get_stage_algorithm (ImpastoRun *run,
                                 guint       stage)
{
  g_return_val_if_fail (stage < run->n_stages, -1);

  return run->stages[stage].conv != NULL ? (int) run->stages[stage].conv->algorithm : -1;
}

void
impasto_run_get_stage_seconds (ImpastoRun *run,
                               guint       stage,
                               double     *forward_seconds,
                               double     *backward_seconds)
{
  g_return_if_fail (stage < run->n_stages);

  const Stage *s = &run->stages[stage];

  *forward_seconds = s->forward_passes > 0 ? s->forward_seconds / s->forward_passes : 0.0;
  *backward_seconds = s->backward_passes > 0 ? s->backward_seconds / s->backward_passes : 0.0;
}

void
impasto_run_reset_stage_seconds (ImpastoRun *run)
{
  for (guint i = 0; i < run->n_stages; i++)
    {
      run->stages[i].forward_seconds = run->stages[i].backward_seconds = 0;
      run->stages[i].forward_passes = run->stages[i].backward_passes = 0;
    }
}
