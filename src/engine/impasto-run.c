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
      stage->h = stage->full_h = h;
      stage->w = stage->full_w = w;
    }
}

static gboolean
plan_chain (ImpastoRun *run,
            GError    **error)
{
  guint c = 3;

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
          stage->conv = impasto_conv_new (run->plan->stages[i].algorithm, in_c, c,
                                          stage->layer->weights, stage->layer->bias);
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

static void
allocate_stage (ImpastoRun            *run,
                Stage                 *stage,
                const ImpastoPlanStage *planned)
{
  gsize cc = (gsize) stage->c * stage->c;

  stage->capacity = planned->capacity;
  if (planned->keeps_out)
    stage->out = g_new (float, planned->capacity);
  else if (planned->needs_mask)
    stage->mask = g_new (guint8, planned->capacity);
  if (stage->has_content)
    stage->content_target = g_new (float, stage_size (stage));
  if (stage->has_style)
    stage->style_target = g_new (float, cc);
  if (stage->has_style && run->plan->tile_rows > 0)
    {
      stage->gram_sum = g_new (double, cc);
      stage->style_diff = g_new (float, cc);
    }
}

/* Allocates everything a step needs, as the plan sized it for the output (the largest
 * scale) and the style images: the whole images' maps, or a part's and the segments'
 * inputs. */
static void
allocate (ImpastoRun *run)
{
  const ImpastoPlan *plan = run->plan;

  impasto_run_set_size (run, run->params->width, run->params->height);
  for (guint i = 0; i < run->n_stages; i++)
    allocate_stage (run, &run->stages[i], &plan->stages[i]);

  run->kept_in = g_new0 (float *, MAX (plan->n_segments, 1));
  for (guint s = 1; s < plan->n_segments; s++)
    run->kept_in[s] = g_new (float, plan->segments[s].kept);
  for (guint k = 0; k < 2; k++)
    if (plan->kept_grad[k] > 0)
      run->kept_grad[k] = g_new (float, plan->kept_grad[k]);
  run->workspace_len = plan->workspace;
  run->scratch_a = g_new (float, plan->scratch_a);
  run->scratch_b = g_new (float, plan->scratch);
  run->workspace = g_new (float, plan->workspace);
  run->gram = g_new (float, plan->gram);
  run->x = g_new (float, run->n_pixels);
  /* The style images' planes pass through it as their targets are made. */
  run->grad = g_new (float, plan->planes);
}

gboolean
impasto_run_plan (ImpastoRun        *run,
                  const ImpastoPlan *plan,
                  GError           **error)
{
  run->plan = impasto_plan_copy (plan);
  run->n_stages = plan->n_stages;
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
      g_free (run->stages[i].gram_sum);
      g_free (run->stages[i].style_diff);
    }
  for (guint s = 0; run->kept_in != NULL && s < run->plan->n_segments; s++)
    g_free (run->kept_in[s]);
  g_clear_pointer (&run->kept_in, g_free);
  g_clear_pointer (&run->kept_grad[0], g_free);
  g_clear_pointer (&run->kept_grad[1], g_free);
  g_clear_pointer (&run->plan, impasto_plan_free);
  g_free (run->stages);
  g_free (run->scratch_a);
  g_free (run->scratch_b);
  g_free (run->workspace);
  g_free (run->gram);
}

/* Where a stage's output goes: its own buffer when kept, else the scratch buffer that does
 * not hold its input. */
float *
impasto_run_stage_output (ImpastoRun  *run,
              Stage       *stage,
              const float *in)
{
  if (stage->out != NULL)
    return stage->out;

  return in == run->scratch_a ? run->scratch_b : run->scratch_a;
}

void
impasto_run_forward_stage (ImpastoRun  *run,
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
      float *out = impasto_run_stage_output (run, stage, in);
      gint64 start = g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;

      impasto_run_forward_stage (run, stage, in, out);
      stage->forward_seconds += (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      stage->forward_passes++;
      in = out;
    }

  return TRUE;
}

static double
content_norm (const Stage *stage)
{
  return 1.0 / (2.0 * stage->full_h * stage->full_w * stage->c);
}

/* The seed's 1 / (4 N^2 M^2) gives a layer of N channels N^2 / 4 times the weight the
 * classic Torch tool gives it: (G / (N M) - A / (N M))^2 averaged over the N^2 entries. */
static double
style_norm (const ImpastoRunParams *params,
            const Stage            *stage)
{
  double m = (double) stage->full_h * stage->full_w, n = stage->c;

  if (params->style_norm == IMPASTO_STYLE_NORM_CHANNELS)
    return 1.0 / (n * n * n * n * m * m);

  return 1.0 / (4.0 * m * m * n * n);
}

double
impasto_run_content_scale (const Stage *stage)
{
  return stage->content_weight * content_norm (stage);
}

double
impasto_run_style_scale (ImpastoRun  *run,
                         const Stage *stage)
{
  return stage->style_weight * style_norm (run->params, stage);
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
      double scale = impasto_run_content_scale (stage);
      double ss = impasto_content_loss (stage->out, stage->content_target, stage_size (stage),
                                        (float) (2.0 * params->alpha * scale), grad, run->pool);

      *content += scale * ss;
    }
  if (stage->has_style)
    {
      double scale = impasto_run_style_scale (run, stage);
      double ss = impasto_style_loss (stage->out, stage->c, m, stage->style_target,
                                      (float) (4.0 * params->beta * scale), run->gram, grad,
                                      run->pool);

      *style += scale * ss;
    }
}

void
impasto_run_backward_stage (ImpastoRun *run,
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
      impasto_run_backward_stage (run, stage, g, dst);
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

/* The content and style losses, and their gradient, whole or part by part. */
static gboolean
network_losses (ImpastoRun   *run,
                const float  *image,
                float        *grad,
                double       *content,
                double       *style,
                GCancellable *cancellable)
{
  if (!impasto_run_fits_whole (run))
    return impasto_run_evaluate_tiled (run, image, grad, content, style, cancellable);
  if (!forward (run, image, cancellable))
    return FALSE;
  if (grad != NULL)
    return backward (run, grad, content, style, cancellable);

  /* Deepest first, as backward() adds them up: the loss of a point is the same to the bit
   * whichever way it was evaluated. */
  for (guint i = run->n_stages; i-- > 0;)
    stage_losses (run, &run->stages[i], NULL, content, style);
  return TRUE;
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
  if (!network_losses (run, image, grad, content, style, cancellable))
    return FALSE;

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
 * exactly 1 and the target is the Gram to the bit. style_m holds each stage's m_k; the
 * Grams are in the stage outputs, or summed over the parts in gram_sum when tiled. */
static void
add_style_grams (ImpastoRun  *run,
                 double       weight,
                 gboolean     first,
                 const gsize *style_m,
                 gboolean     tiled)
{
  for (guint i = 0; i < run->n_stages; i++)
    {
      Stage *stage = &run->stages[i];
      gsize m = (gsize) stage->h * stage->w, cc = (gsize) stage->c * stage->c;
      double factor;

      if (!stage->has_style)
        continue;

      factor = weight * ((double) m / (double) style_m[i]);
      if (!tiled)
        impasto_gram (stage->out, stage->c, style_m[i], run->gram, run->pool);
      for (gsize k = 0; k < cc; k++)
        {
          float term = tiled ? (float) (factor * (float) stage->gram_sum[k])
                             : (float) (factor * run->gram[k]);

          stage->style_target[k] = first ? term : stage->style_target[k] + term;
        }
    }
}

gboolean
impasto_run_fits_whole (ImpastoRun *run)
{
  gsize largest = 0;

  if (run->plan->tile_rows == 0)
    return TRUE;

  for (guint i = 0; i < run->n_stages; i++)
    {
      const Stage *stage = &run->stages[i];

      largest = MAX (largest, stage_size (stage));
      if (stage_size (stage) > stage->capacity
          || (stage->conv != NULL
              && impasto_conv_workspace_size (stage->conv, stage->in_h, stage->in_w)
                 > run->workspace_len))
        return FALSE;
    }

  return largest <= run->plan->scratch;
}

/* Style image k's features at the current scale: it is halved at each coarser scale as the
 * output is, so that its strokes keep their size against the picture. Whole when the
 * buffers hold it at that size, else part by part, as the plan made room for (its Grams
 * then in gram_sum). style_m gets each stage's positions; returns whether it went in parts. */
static gboolean
style_forward (ImpastoRun *run,
               guint       k,
               gsize      *style_m)
{
  guint width = run->width, height = run->height;
  guint style_w = impasto_size_at_scale (run->styles[k]->width, run->scale);
  guint style_h = impasto_size_at_scale (run->styles[k]->height, run->scale);
  g_autoptr(ImpastoImage) style = impasto_image_scale_down (run->styles[k], style_w, style_h);
  gboolean tiled;

  impasto_run_set_size (run, style_w, style_h);
  impasto_run_image_to_planes (style, run->mean, run->grad);
  tiled = !impasto_run_fits_whole (run);
  if (tiled)
    impasto_run_targets_tiled (run, run->grad, FALSE);
  else
    forward (run, run->grad, NULL);
  for (guint i = 0; i < run->n_stages; i++)
    style_m[i] = (gsize) run->stages[i].h * run->stages[i].w;
  impasto_run_set_size (run, width, height);
  return tiled;
}

/* The content's features at the current size, into the content targets. */
static void
content_forward (ImpastoRun *run)
{
  g_autoptr(ImpastoImage) content = impasto_image_scale_down (run->content, run->width,
                                                              run->height);

  impasto_run_image_to_planes (content, run->mean, run->grad);
  if (!impasto_run_fits_whole (run))
    {
      impasto_run_targets_tiled (run, run->grad, TRUE);
      return;
    }

  forward (run, run->grad, NULL);
  for (guint i = 0; i < run->n_stages; i++)
    if (run->stages[i].has_content)
      memcpy (run->stages[i].content_target, run->stages[i].out,
              stage_size (&run->stages[i]) * sizeof (float));
}

/* The targets at the current size, from the content image resized to it and the style images
 * resized in proportion. The style target is the classic neural-style's blend: sum over the
 * images of w_k G_k, the weights normalised to sum 1. Each image goes through the network on
 * its own, so several cost no more memory than one. */
void
impasto_run_compute_targets (ImpastoRun *run)
{
  g_autofree gsize *style_m = g_new (gsize, run->n_stages);

  content_forward (run);
  for (guint k = 0; k < run->n_styles; k++)
    {
      gboolean tiled = style_forward (run, k, style_m);

      add_style_grams (run, run->style_weights[k], k == 0, style_m, tiled);
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

const ImpastoPlan *
impasto_run_get_plan (ImpastoRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);

  return run->plan;
}

gboolean
impasto_run_fits_whole_for_tests (ImpastoRun *run)
{
  g_return_val_if_fail (run != NULL, FALSE);

  return impasto_run_fits_whole (run);
}

/* The convolution with the most work at the output size. */
static Stage *
heaviest_conv (ImpastoRun *run)
{
  Stage *best = NULL;
  double best_work = -1;

  for (guint i = 0; i < run->n_stages; i++)
    {
      const ImpastoPlanStage *planned = &run->plan->stages[i];
      double work = (double) run->stages[i].layer->in_channels * planned->c * planned->h
                    * planned->w;

      if (run->stages[i].conv != NULL && work > best_work)
        {
          best = &run->stages[i];
          best_work = work;
        }
    }

  return best;
}

double
impasto_run_measure_rate (ImpastoRun *run)
{
  const Stage *stage = heaviest_conv (run);
  guint in_c, out_c, h, w;
  gsize ws;
  g_autofree float *x = NULL, *y = NULL, *workspace = NULL;
  g_autofree guint8 *mask = NULL;
  gint64 start;
  double seconds;

  if (stage == NULL)
    return 1e12;

  in_c = stage->conv->in_c;
  out_c = stage->conv->out_c;
  h = MIN (run->params->height, 32);
  w = MIN (run->params->width, 64);
  ws = MAX (impasto_conv_workspace_size (stage->conv, h, w), 1);
  x = g_new0 (float, (gsize) MAX (in_c, out_c) * h * w);
  y = g_new (float, (gsize) out_c * h * w);
  mask = g_new (guint8, (gsize) out_c * h * w);
  workspace = g_new (float, ws);
  for (gsize i = 0; i < (gsize) in_c * h * w; i++)
    x[i] = (float) (i % 7) - 3.f;

  /* Once to warm the caches and the threads, then timed. */
  impasto_conv_forward_relu (stage->conv, x, h, w, y, mask, workspace, ws, run->pool);
  start = g_get_monotonic_time ();
  impasto_conv_forward_relu (stage->conv, x, h, w, y, mask, workspace, ws, run->pool);
  impasto_conv_backward_relu (stage->conv, y, NULL, mask, h, w, x, workspace, ws, run->pool);
  seconds = MAX (g_get_monotonic_time () - start, 1) / (double) G_USEC_PER_SEC;

  return 2 * 9.0 * in_c * out_c * h * w / seconds;
}
