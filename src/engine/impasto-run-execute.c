/* impasto-run-execute.c: a run's life: its scales, its optimiser, its progress reports
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-colour-transfer.h"
#include "impasto-params.h"
#include "impasto-resample.h"
#include "impasto-run-internal.h"
#include "impasto-run-memory.h"

#define NOISE_RANGE   20.f   /* the seed's initial noise is uniform in [-20, 20] */

/* Shares of the steps per scale, coarsest first: a step at half the size costs a quarter. */
static const double step_shares[IMPASTO_MAX_SCALES][IMPASTO_MAX_SCALES] = {
  { 1.0 },
  { 0.6, 0.4 },
  { 0.5, 0.3, 0.2 },
};

/* Updates made at a scale (0: the output size); the output size takes what rounding left,
 * and the steps a Continue added. */
static guint
scale_steps (ImpastoRun *run,
             guint       scale)
{
  const ImpastoRunParams *params = run->params;
  guint n = params->n_scales, coarse = 0;

  for (guint s = n - 1; s > 0; s--)
    {
      guint steps = MAX ((guint) (params->steps * step_shares[n - 1][n - 1 - s]), 1);

      if (s == scale)
        return steps;
      coarse += steps;
    }

  return MAX ((int) (params->steps > coarse ? params->steps - coarse : 1) + run->extra_steps, 1);
}

static guint
total_steps (ImpastoRun *run)
{
  guint total = 0;

  for (guint s = 0; s < run->params->n_scales; s++)
    total += scale_steps (run, s);
  return total;
}

static void
set_scale (ImpastoRun *run,
           guint       scale)
{
  run->scale = scale;
  impasto_run_set_size (run, impasto_size_at_scale (run->params->width, scale),
                        impasto_size_at_scale (run->params->height, scale));
}

/* The seed writes np.clip (x + mean, 0, 255).astype ('uint8'), which truncates; a NaN becomes
 * 0 rather than reaching the cast, where it would be undefined behaviour. Coarse images are
 * upsampled to the output size first, through grad's memory when spare is NULL. */
static const float *
planes_at_output_size (ImpastoRun  *run,
                       const float *planes,
                       float       *spare,
                       guint        width,
                       guint        height)
{
  if (run->width == width && run->height == height)
    return planes;

  impasto_planes_resize (planes, 3, run->height, run->width, spare, height, width);
  return spare;
}

static void
planes_to_pixels (ImpastoRun   *run,
                  const float  *planes,
                  ImpastoImage *image)
{
  gsize hw = (gsize) image->width * image->height;

  for (gsize i = 0; i < hw; i++)
    for (guint c = 0; c < 3; c++)
      {
        float v = planes[c * hw + i] + run->mean[c];

        image->pixels[3 * i + c] = v > 0.f ? (guint8) MIN (v, 255.f) : 0;
      }
}

static void
planes_to_image (ImpastoRun   *run,
                 const float  *planes,
                 float        *spare,
                 ImpastoImage *image)
{
  planes_to_pixels (run, planes_at_output_size (run, planes, spare, image->width,
                                                image->height), image);
  /* Every image given out, snapshots, results and a new run's start alike. */
  if (run->params->original_colours == IMPASTO_ORIGINAL_COLOURS_YES)
    impasto_image_keep_colours (image, run->content);
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

/* The seed's: uniform noise in [-20, 20] * noise + content * (1 - noise), both mean
 * subtracted, at the current (coarsest) scale; or the content alone, or the noise alone. */
static void
init_image (ImpastoRun *run)
{
  guint32 seed[2] = { (guint32) run->params->seed, (guint32) (run->params->seed >> 32) };
  g_autoptr(GRand) rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
  g_autoptr(ImpastoImage) content = impasto_image_scale_down (run->content, run->width,
                                                              run->height);
  gsize hw = (gsize) run->width * run->height;
  float noise = run->params->noise;

  impasto_run_image_to_planes (content, run->mean, run->x);
  if (run->params->init == IMPASTO_INIT_CONTENT)
    return;
  for (gsize i = 0; i < hw; i++)
    for (guint c = 0; c < 3; c++)
      {
        float u = (float) g_rand_double_range (rand, -NOISE_RANGE, NOISE_RANGE);

        if (run->params->init == IMPASTO_INIT_RANDOM)
          run->x[c * hw + i] = u;
        else
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

/* Both optimisers work on the current scale's pixels only. */
static void
reset_optimizer (ImpastoRun *run)
{
  if (run->adam != NULL)
    impasto_adam_reset (run->adam, run->n_pixels);
  else
    impasto_lbfgs_reset (run->lbfgs, run->n_pixels);
}

/* Weights normalised to sum 1, as the classic neural-style divides its -style_blend_weights
 * by their sum; NULL with error set when they make no blend. */
static double *
normalise_style_weights (const double *weights,
                         guint         n_styles,
                         GError      **error)
{
  g_autofree double *normalised = NULL;
  double sum = 0.0;

  if (n_styles == 0 || n_styles > IMPASTO_MAX_STYLES)
    {
      g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                   "A run takes 1 to %d style images, not %u", IMPASTO_MAX_STYLES, n_styles);
      return NULL;
    }
  for (guint i = 0; i < n_styles; i++)
    {
      if (!isfinite (weights[i]) || weights[i] < 0.0)
        {
          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                       "The weight of style image %u is %g; a style weight is a number of 0 "
                       "or more", i + 1, weights[i]);
          return NULL;
        }
      sum += weights[i];
    }
  if (!(sum > 0.0) || !isfinite (sum))
    {
      g_set_error_literal (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                           "The style images’ weights add up to 0 or overflow; give at least "
                           "one a weight above 0");
      return NULL;
    }

  normalised = g_new (double, n_styles);
  for (guint i = 0; i < n_styles; i++)
    normalised[i] = weights[i] / sum;
  return g_steal_pointer (&normalised);
}

static gboolean
check_styles (const ImpastoImage *const *styles,
              guint                      n_styles,
              const ImpastoRunParams    *params,
              GError                   **error)
{
  for (guint i = 0; i < n_styles; i++)
    {
      g_autofree char *what = n_styles > 1 ? g_strdup_printf ("style %u", i + 1)
                                           : g_strdup ("style");

      if (params->style_scale == 0 && !check_image (styles[i], what, params, error))
        return FALSE;
      if (params->style_scale > 0
          && !impasto_run_params_check_style_size (params, styles[i]->width,
                                                   styles[i]->height, error))
        return FALSE;
    }
  return TRUE;
}

ImpastoRun *
impasto_run_new (ImpastoNetwork         *network,
                 const ImpastoRunParams *params,
                 const ImpastoImage     *content,
                 const ImpastoImage     *style,
                 GError                **error)
{
  const double weight = 1.0;

  g_return_val_if_fail (style != NULL, NULL);

  return impasto_run_new_blend (network, params, content, &style, &weight, 1, error);
}

ImpastoRun *
impasto_run_new_blend (ImpastoNetwork             *network,
                       const ImpastoRunParams     *params,
                       const ImpastoImage         *content,
                       const ImpastoImage *const  *styles,
                       const double               *weights,
                       guint                       n_styles,
                       GError                    **error)
{
  return impasto_run_new_planned (network, params, content, styles, weights, n_styles, NULL,
                                  error);
}

ImpastoRun *
impasto_run_new_planned (ImpastoNetwork             *network,
                         const ImpastoRunParams     *params,
                         const ImpastoImage         *content,
                         const ImpastoImage *const  *styles,
                         const double               *weights,
                         guint                       n_styles,
                         const ImpastoPlan          *forced,
                         GError                    **error)
{
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(ImpastoPlan) plan = NULL;
  g_autofree double *normalised = NULL;
  guint style_sizes[IMPASTO_MAX_STYLES][2];
  gsize n_pixels;

  g_return_val_if_fail (network != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (content != NULL && styles != NULL && weights != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < n_styles; i++)
    g_return_val_if_fail (styles[i] != NULL, NULL);

  /* Refusing a run that cannot fit beats being killed by the kernel halfway through. */
  if (!impasto_run_params_validate (params, error)
      || (normalised = normalise_style_weights (weights, n_styles, error)) == NULL
      || !check_image (content, "content", params, error)
      || !check_styles (styles, n_styles, params, error))
    return NULL;
  for (guint i = 0; i < n_styles; i++)
    {
      style_sizes[i][0] = styles[i]->width;
      style_sizes[i][1] = styles[i]->height;
    }
  if (forced != NULL)
    plan = impasto_plan_copy (forced);
  else if ((plan = impasto_run_choose_plan (network, params, (const guint (*)[2]) style_sizes,
                                            n_styles, error)) == NULL)
    return NULL;

  n_pixels = (gsize) 3 * params->width * params->height;
  run = g_new0 (ImpastoRun, 1);
  g_mutex_init (&run->control_lock);
  g_cond_init (&run->control_changed);
  run->pending = g_array_new (FALSE, FALSE, sizeof (ImpastoSteer));
  run->steering_log = g_array_new (FALSE, FALSE, sizeof (ImpastoSteer));
  run->network = impasto_network_ref (network);
  run->params = impasto_run_params_copy (params);
  run->pool = impasto_pool_new (params->threads, error);
  if (run->pool == NULL)
    return NULL;
  run->content = impasto_image_copy (content);
  run->n_styles = n_styles;
  run->styles = g_new (ImpastoImage *, n_styles);
  for (guint i = 0; i < n_styles; i++)
    run->styles[i] = impasto_image_copy (styles[i]);
  run->style_weights = g_steal_pointer (&normalised);
  impasto_run_params_get_mean (params, run->mean);
  if (!impasto_run_plan (run, plan, error))
    return NULL;

  if (params->optimizer == IMPASTO_OPTIMIZER_LBFGS)
    run->lbfgs = impasto_lbfgs_new (n_pixels, LBFGS_HISTORY);
  else
    run->adam = impasto_adam_new (n_pixels, params->learning_rate, 0.9f, 0.999f, 1e-8f);
  run->last_good = impasto_image_new (params->width, params->height);

  set_scale (run, params->n_scales - 1);
  reset_optimizer (run);
  impasto_run_compute_targets (run);
  init_image (run);
  planes_to_image (run, run->x, run->grad, run->last_good);

  return g_steal_pointer (&run);
}

void
impasto_run_free (ImpastoRun *run)
{
  if (run == NULL)
    return;

  if (run->stages != NULL)
    impasto_run_free_stages (run);
  g_free (run->x);
  g_free (run->grad);
  impasto_adam_free (run->adam);
  impasto_lbfgs_free (run->lbfgs);
  impasto_image_free (run->last_good);
  impasto_image_free (run->content);
  for (guint i = 0; i < run->n_styles; i++)
    impasto_image_free (run->styles[i]);
  g_free (run->styles);
  g_free (run->style_weights);
  impasto_pool_free (run->pool);
  impasto_run_params_free (run->params);
  g_clear_pointer (&run->network, impasto_network_unref);
  g_array_unref (run->pending);
  g_array_unref (run->steering_log);
  g_mutex_clear (&run->control_lock);
  g_cond_clear (&run->control_changed);
  g_free (run);
}

/* The next finer scale starts from the upsampled image, with its own targets. L-BFGS's
 * history is of vectors of the coarser size and objective. Adam starts again too: its
 * moments carried over (upsampled, and scaled to the finer scale's smaller gradients) moved
 * the picture no less on tubingen x starry_night and ended with a 23% higher loss (see the
 * README). */
static void
next_scale (ImpastoRun *run)
{
  guint h = run->height, w = run->width;

  set_scale (run, run->scale - 1);
  run->scale_done = 0;
  impasto_planes_resize (run->x, 3, h, w, run->grad, run->height, run->width);
  memcpy (run->x, run->grad, run->n_pixels * sizeof (float));
  impasto_run_compute_targets (run);
  reset_optimizer (run);
}

static gboolean
evaluate (ImpastoRun *run,
          gboolean    with_gradient)
{
  return impasto_run_evaluate_at (run, run->x, with_gradient ? run->grad : NULL, &run->loss,
                                  &run->content_loss, &run->style_loss, &run->tv_loss,
                                  run->cancellable);
}

static gboolean
objective (const float *x,
           float       *grad,
           double      *loss,
           gpointer     user_data)
{
  ImpastoRun *run = user_data;

  return impasto_run_evaluate_at (run, x, grad, loss, &run->content_loss, &run->style_loss,
                                  &run->tv_loss, run->cancellable);
}

typedef enum
{
  ADVANCE_MOVED,
  ADVANCE_CONVERGED,   /* L-BFGS found no lower point, twice */
  ADVANCE_AT_MINIMUM,  /* the gradient is zero: the image is the answer already */
  ADVANCE_STOPPED,     /* moved, then cancelled before the new point was evaluated */
  ADVANCE_CANCELLED,   /* cancelled before moving */
} Advance;

static Advance
advance_lbfgs (ImpastoRun *run)
{
  double content = run->content_loss, style = run->style_loss, tv = run->tv_loss;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      ImpastoLbfgsResult result = impasto_lbfgs_step (run->lbfgs, run->x, &run->loss, run->grad,
                                                      run->params->learning_rate, objective,
                                                      run, run->cancellable);

      if (result == IMPASTO_LBFGS_MOVED)
        return ADVANCE_MOVED;
      if (result == IMPASTO_LBFGS_AT_MINIMUM)
        return ADVANCE_AT_MINIMUM;

      /* x and the loss are back where they were; so must their parts be */
      run->content_loss = content;
      run->style_loss = style;
      run->tv_loss = tv;
      if (result == IMPASTO_LBFGS_CANCELLED)
        return ADVANCE_CANCELLED;
    }

  return ADVANCE_CONVERGED;
}

/* One update; evaluate_after says whether the new point's loss (and gradient) is wanted. */
static Advance
advance (ImpastoRun *run,
         gboolean    evaluate_after,
         gboolean    with_gradient)
{
  if (run->lbfgs != NULL)
    return advance_lbfgs (run);

  impasto_adam_step (run->adam, run->x, run->grad, run->pool);
  if (evaluate_after && !evaluate (run, with_gradient))
    return ADVANCE_STOPPED;

  return ADVANCE_MOVED;
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

/* The steps still to make, at the rate of the recent ones brought to the output's size: a
 * scale has a quarter of the pixels of the next finer one, and takes a quarter of the time.
 * Just after a change of scale the recent steps are the coarser scale's. */
static double
seconds_left (ImpastoRun *run)
{
  guint n = MIN (run->step, RATE_WINDOW);
  double at_output = 0, left = 0;

  for (guint i = 0; i < n; i++)
    at_output += run->step_seconds[i] * (double) (1u << 2 * run->step_scales[i]) / n;
  for (guint s = 0; s <= run->scale; s++)
    {
      guint steps = scale_steps (run, s);

      if (s == run->scale)
        steps = steps > run->scale_done ? steps - run->scale_done : 0;
      left += at_output * steps / (double) (1u << 2 * s);
    }
  return left;
}

typedef struct
{
  ImpastoProgressFunc func;
  gpointer            user_data;
  guint               total_steps;
} Reporter;

static void
report (ImpastoRun     *run,
        const Reporter *reporter,
        gboolean        last)
{
  guint every = run->params->snapshot_every;
  gboolean snapshot = last || (every > 0 && run->step % every == 0);
  ImpastoProgress progress = {
    .step = run->step,
    .total_steps = reporter->total_steps,
    .scale = run->scale,
    .evaluations = run->evaluations,
    .total_loss = run->loss,
    .content_loss = run->content_loss,
    .style_loss = run->style_loss,
    .tv_loss = run->tv_loss,
    .seconds_per_step = mean_step_seconds (run),
    .seconds_left = seconds_left (run),
    .elapsed = (g_get_monotonic_time () - run->clock_start) / (double) G_USEC_PER_SEC,
    .params = run->params,
  };

  /* A Continue starts where the last execution reported its end. */
  if (run->reported && !last)
    return;
  run->reported = TRUE;
  if (run->scale == 0 || snapshot)
    planes_to_image (run, run->x, run->scratch_a, run->last_good);
  progress.snapshot = snapshot ? run->last_good : NULL;
  if (reporter->func != NULL)
    reporter->func (&progress, reporter->user_data);
}

static gboolean
diverged (ImpastoRun *run,
          GError    **error)
{
  g_autofree char *what = NULL;

  if (isfinite (run->loss) && is_finite_image (run))
    return FALSE;

  run->diverged = TRUE;
  /* Before any update no learning rate is to blame. */
  if (run->step == 0)
    {
      g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_DIVERGED,
                   "The loss of the starting image is not finite: the model's weights or "
                   "the content and style weights are too large; the starting image is kept");
      return TRUE;
    }

  what = isfinite (run->loss) ? g_strdup ("image became NaN or infinite")
                              : g_strdup_printf ("loss became %g", run->loss);
  g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_DIVERGED,
               "The %s at step %u; the image of step %u is kept. "
               "Try a lower learning rate or style weight",
               what, run->step, run->step - 1);
  return TRUE;
}

/* A slider dragged sends many values between two steps; the last one is the change. */
static void
log_change (GArray             *log,
            const ImpastoSteer *steer)
{
  for (guint i = log->len; i-- > 0;)
    {
      ImpastoSteer *earlier = &g_array_index (log, ImpastoSteer, i);

      if (earlier->step != steer->step)
        break;
      if (g_str_equal (earlier->name, steer->name))
        {
          earlier->value = steer->value;
          return;
        }
    }

  g_array_append_val (log, *steer);
}

/* Between two steps: waits while paused, then makes the changes that are due, at this step.
 * The gradient the next step follows is the new objective's; L-BFGS's history was made by
 * the old one. FALSE when cancelled meanwhile. */
static gboolean
take_controls (ImpastoRun *run)
{
  g_autoptr(GArray) due = g_array_new (FALSE, FALSE, sizeof (ImpastoSteer));
  gint64 wait_start = g_get_monotonic_time ();

  g_mutex_lock (&run->control_lock);
  run->holding = TRUE;
  while (run->paused && !g_cancellable_is_cancelled (run->cancellable))
    g_cond_wait (&run->control_changed, &run->control_lock);
  run->holding = FALSE;
  for (guint i = 0; i < run->pending->len;)
    {
      ImpastoSteer *steer = &g_array_index (run->pending, ImpastoSteer, i);

      if (steer->step > run->step)
        {
          i++;
          continue;
        }
      steer->step = run->step;
      g_array_append_val (due, *steer);
      log_change (run->steering_log, steer);
      impasto_param_set_value (run->params, impasto_params_find (steer->name), steer->value,
                               NULL);
      g_array_remove_index (run->pending, i);
    }
  g_mutex_unlock (&run->control_lock);
  run->clock_start += g_get_monotonic_time () - wait_start;

  if (g_cancellable_is_cancelled (run->cancellable))
    return FALSE;
  if (due->len == 0)
    return TRUE;

  if (run->lbfgs != NULL)
    impasto_lbfgs_reset (run->lbfgs, run->n_pixels);
  return evaluate (run, TRUE);
}

/* The steps of the current scale, from where it got to. At the output size the last image is
 * reported too; at a coarse scale it becomes the next scale's start instead. FALSE with error
 * set on cancellation or divergence. */
static gboolean
run_scale (ImpastoRun     *run,
           const Reporter *reporter,
           GError        **error)
{
  guint steps = scale_steps (run, run->scale);
  gboolean output_size = run->scale == 0;

  if (!evaluate (run, TRUE))
    return FALSE;

  for (;;)
    {
      guint k = run->scale_done;
      gint64 step_start;
      Advance result;

      if (diverged (run, error))
        return FALSE;
      report (run, reporter, output_size && k >= steps);
      if (k >= steps)
        return TRUE;
      if (!take_controls (run))
        return FALSE;

      step_start = g_get_monotonic_time ();
      result = advance (run, output_size || k + 1 < steps, k + 1 < steps);
      if (result == ADVANCE_CANCELLED)
        return FALSE;
      run->step_seconds[run->step % RATE_WINDOW] =
        (g_get_monotonic_time () - step_start) / (double) G_USEC_PER_SEC;
      run->step_scales[run->step % RATE_WINDOW] = run->scale;
      /* Converging before any step is a first step too large to lower the loss at all,
       * not a result: the image is still the starting one. */
      if (result == ADVANCE_CONVERGED && run->step == 0)
        {
          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_STALLED,
                       "L-BFGS could not make a single step: none it tried lowered the loss "
                       "(%" G_GUINT64_FORMAT " evaluations); the starting image is kept. "
                       "Try a lower learning rate", run->evaluations);
          return FALSE;
        }
      if (result == ADVANCE_CONVERGED || result == ADVANCE_AT_MINIMUM)
        {
          if (output_size)
            report (run, reporter, TRUE);
          return TRUE;
        }
      run->step++;
      run->scale_done++;
      run->reported = FALSE;
      if (result == ADVANCE_STOPPED)
        return FALSE;
      if (!output_size && k + 1 == steps)
        return TRUE;
      if (g_cancellable_is_cancelled (run->cancellable))
        return FALSE;
    }
}

/* A coarse scale's result at its own size, before it is upsampled for the next. */
static void
report_scale (ImpastoRun *run)
{
  g_autoptr(ImpastoImage) image = NULL;

  if (run->scale_func == NULL)
    return;

  image = impasto_image_new (run->width, run->height);
  planes_to_pixels (run, run->x, image);
  run->scale_func (image, run->scale, run->scale_data);
}

void
impasto_run_set_scale_func (ImpastoRun       *run,
                            ImpastoScaleFunc  func,
                            gpointer          user_data)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (!run->executing);

  run->scale_func = func;
  run->scale_data = user_data;
}

/* In the thread that cancels: a paused run must notice. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  ImpastoRun *run = user_data;

  g_mutex_lock (&run->control_lock);
  g_cond_broadcast (&run->control_changed);
  g_mutex_unlock (&run->control_lock);
}

gboolean
impasto_run_execute (ImpastoRun          *run,
                     ImpastoProgressFunc  func,
                     gpointer             user_data,
                     GCancellable        *cancellable,
                     GError             **error)
{
  Reporter reporter = { func, user_data, 0 };
  gulong handler = 0;
  gboolean ok;

  g_return_val_if_fail (run != NULL, FALSE);
  g_return_val_if_fail (!run->executing && !run->diverged, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  run->executing = TRUE;
  run->started = TRUE;
  run->cancellable = cancellable;
  run->clock_start = g_get_monotonic_time () - run->elapsed_usec;
  reporter.total_steps = total_steps (run);
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), run, NULL);

  while ((ok = run_scale (run, &reporter, error)) && run->scale > 0)
    {
      report_scale (run);
      next_scale (run);
    }

  g_cancellable_disconnect (cancellable, handler);
  run->elapsed_usec = g_get_monotonic_time () - run->clock_start;
  run->cancellable = NULL;
  run->executing = FALSE;

  if (!ok && (error == NULL || *error == NULL))
    g_cancellable_set_error_if_cancelled (cancellable, error);
  return ok;
}

void
impasto_run_add_steps (ImpastoRun *run,
                       guint       steps)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (!run->executing);

  run->extra_steps += steps;
}

/* At the output size the run ends `steps` after its current step; stopped at a coarse scale,
 * it finishes those and makes `steps` more at the output size than it would have. */
void
impasto_run_continue_for (ImpastoRun *run,
                          guint       steps)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (!run->executing);
  g_return_if_fail (steps >= 1);

  if (run->scale > 0)
    run->extra_steps += steps;
  else
    run->extra_steps += (int) (run->scale_done + steps) - (int) scale_steps (run, 0);
}

void
impasto_run_set_start_image (ImpastoRun         *run,
                             const ImpastoImage *image)
{
  g_autoptr(ImpastoImage) start = NULL;

  g_return_if_fail (run != NULL && image != NULL);
  g_return_if_fail (!run->started);
  g_return_if_fail (image->width == run->params->width && image->height == run->params->height);

  start = impasto_image_scale_down (image, run->width, run->height);
  impasto_run_image_to_planes (start, run->mean, run->x);
  planes_to_image (run, run->x, run->grad, run->last_good);
}

gboolean
impasto_run_steer (ImpastoRun  *run,
                   guint        step,
                   const char  *name,
                   double       value,
                   GError     **error)
{
  const ImpastoParamSpec *spec;
  ImpastoSteer steer;

  g_return_val_if_fail (run != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!impasto_steer_check (name, value, &spec, error))
    return FALSE;

  steer = (ImpastoSteer) { step, spec->name, value };
  g_mutex_lock (&run->control_lock);
  g_array_append_val (run->pending, steer);
  g_mutex_unlock (&run->control_lock);

  return TRUE;
}

void
impasto_run_set_paused (ImpastoRun *run,
                        gboolean    paused)
{
  g_return_if_fail (run != NULL);

  g_mutex_lock (&run->control_lock);
  run->paused = paused;
  g_cond_broadcast (&run->control_changed);
  g_mutex_unlock (&run->control_lock);
}

GArray *
impasto_run_dup_steering_log (ImpastoRun *run)
{
  GArray *log;

  g_return_val_if_fail (run != NULL, NULL);

  g_mutex_lock (&run->control_lock);
  log = g_array_copy (run->steering_log);
  g_mutex_unlock (&run->control_lock);

  return log;
}

ImpastoRunParams *
impasto_run_dup_params (ImpastoRun *run)
{
  ImpastoRunParams *params;

  g_return_val_if_fail (run != NULL, NULL);

  g_mutex_lock (&run->control_lock);
  params = impasto_run_params_copy (run->params);
  g_mutex_unlock (&run->control_lock);

  return params;
}

ImpastoImage *
impasto_run_dup_image (ImpastoRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);

  /* Stopped right after a step that went wrong, the image is not checked yet. */
  if (!run->diverged && is_finite_image (run))
    planes_to_image (run, run->x, run->scratch_a, run->last_good);

  return impasto_image_copy (run->last_good);
}

guint16 *
impasto_run_dup_pixels16 (ImpastoRun *run,
                          guint      *width,
                          guint      *height)
{
  guint w, h;
  gsize hw;
  guint16 *pixels;

  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail (width != NULL && height != NULL, NULL);

  w = *width = run->last_good->width;
  h = *height = run->last_good->height;
  hw = (gsize) w * h;
  pixels = g_new (guint16, 3 * hw);
  if (!run->diverged && is_finite_image (run))
    {
      const float *planes = planes_at_output_size (run, run->x, run->scratch_a, w, h);

      for (gsize i = 0; i < hw; i++)
        for (guint c = 0; c < 3; c++)
          {
            float v = CLAMP (planes[c * hw + i] + run->mean[c], 0.f, 255.f);

            pixels[3 * i + c] = (guint16) lrintf (v * (65535.f / 255.f));
          }
      if (run->params->original_colours == IMPASTO_ORIGINAL_COLOURS_YES)
        impasto_pixels16_keep_colours (pixels, run->content);
    }
  else
    for (gsize i = 0; i < 3 * hw; i++)
      pixels[i] = run->last_good->pixels[i] * 257u;

  return pixels;
}

gboolean
impasto_run_is_holding (ImpastoRun *run)
{
  gboolean holding;

  g_return_val_if_fail (run != NULL, FALSE);

  g_mutex_lock (&run->control_lock);
  holding = run->holding && run->paused;
  g_mutex_unlock (&run->control_lock);

  return holding;
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
  double total, content, style, tv;

  g_return_val_if_fail (run != NULL, NAN);

  impasto_run_evaluate_at (run, image, grad, &total, &content, &style, &tv, NULL);
  if (content_loss != NULL)
    *content_loss = content;
  if (style_loss != NULL)
    *style_loss = style;

  return total;
}
