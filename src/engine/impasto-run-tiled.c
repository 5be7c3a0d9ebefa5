/* impasto-run-tiled.c: the objective strip by strip, equal to the whole image's up to the
 * order of float sums
 *
 * A first pass runs every segment strip by strip with its forward halo; it keeps each next
 * segment's input whole, sums the content errors and the Gram matrices over the strips'
 * own rows, and so finishes every Gram before any gradient needs one. The second pass goes
 * back from the deepest segment: each strip recomputes its segment from the kept input with
 * the wider backward halo, takes its share of the gradient from the segment after it, adds
 * the losses' gradients (the style's is (G - A) F, pixel by pixel, once G is known) and
 * sends its own rows of the gradient to the segment before it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "impasto-layers.h"
#include "impasto-loss.h"
#include "impasto-run-internal.h"

typedef struct
{
  guint y0, y1;   /* the strip's own rows of its segment's input */
  guint e0, e1;   /* the rows it reads, halo included */
} Strip;

typedef enum
{
  PASS_LOSSES,          /* sum the content errors and the Grams */
  PASS_CONTENT_TARGET,  /* copy the content layers' features into their targets, and Grams */
  PASS_GRAMS,           /* the Grams alone, of a style image */
} Pass;

/* Rows at a stage q poolings into the segment, the poolings rounding up. */
static guint
level_rows (guint rows,
            guint q)
{
  for (guint k = 0; k < q; k++)
    rows = impasto_pool_out_size (rows);
  return rows;
}

static guint
segment_in_c (ImpastoRun               *run,
              const ImpastoPlanSegment *seg)
{
  return seg->first == 0 ? 3 : run->stages[seg->first - 1].c;
}

static guint
segment_in_h (ImpastoRun               *run,
              const ImpastoPlanSegment *seg)
{
  return seg->first == 0 ? run->height : run->stages[seg->first - 1].full_h;
}

static guint
segment_in_w (ImpastoRun               *run,
              const ImpastoPlanSegment *seg)
{
  return seg->first == 0 ? run->width : run->stages[seg->first - 1].w;
}

static guint
n_strips (ImpastoRun               *run,
          const ImpastoPlanSegment *seg)
{
  return (segment_in_h (run, seg) + seg->rows - 1) / seg->rows;
}

static void
strip_at (ImpastoRun               *run,
          const ImpastoPlanSegment *seg,
          guint                     index,
          guint                     halo,
          Strip                    *strip)
{
  guint rows = seg->rows, in_h = segment_in_h (run, seg);

  strip->y0 = MIN (index * rows, in_h);
  strip->y1 = MIN (strip->y0 + rows, in_h);
  strip->e0 = strip->y0 > halo ? strip->y0 - halo : 0;
  strip->e1 = MIN (strip->y1 + halo, in_h);
}

/* Rows [r0, r1) of c planes of h x w into c planes of r1 - r0 rows, or back. */
static void
copy_rows (const float *src,
           guint        src_h,
           guint        src_r0,
           float       *dst,
           guint        dst_h,
           guint        dst_r0,
           guint        c,
           guint        rows,
           guint        w)
{
  for (guint k = 0; k < c; k++)
    memcpy (dst + ((gsize) k * dst_h + dst_r0) * w, src + ((gsize) k * src_h + src_r0) * w,
            (gsize) rows * w * sizeof (float));
}

/* The strip's shapes through the segment, for rows of its input. */
static void
set_strip_shapes (ImpastoRun               *run,
                  const ImpastoPlanSegment *seg,
                  guint                     rows)
{
  for (guint i = seg->first; i < seg->end; i++)
    {
      Stage *stage = &run->stages[i];

      stage->in_h = rows;
      if (stage->layer->kind == IMPASTO_LAYER_POOL)
        rows = impasto_pool_out_size (rows);
      stage->h = rows;
    }
}

/* Back to the whole image's shapes at the current scale. */
static void
restore_shapes (ImpastoRun *run)
{
  guint h = run->height;

  for (guint i = 0; i < run->n_stages; i++)
    {
      run->stages[i].in_h = h;
      h = run->stages[i].h = run->stages[i].full_h;
    }
}

/* The segment on a strip's rows of its input, already in scratch_a; returns its output. */
static const float *
forward_strip (ImpastoRun               *run,
               const ImpastoPlanSegment *seg,
               const Strip              *strip)
{
  const float *in = run->scratch_a;

  set_strip_shapes (run, seg, strip->e1 - strip->e0);
  for (guint i = seg->first; i < seg->end; i++)
    {
      Stage *stage = &run->stages[i];
      float *out = impasto_run_stage_output (run, stage, in);

      impasto_run_forward_stage (run, stage, in, out);
      in = out;
    }

  return in;
}

static void
load_strip (ImpastoRun               *run,
            const ImpastoPlanSegment *seg,
            const float              *in,
            const Strip              *strip)
{
  copy_rows (in, segment_in_h (run, seg), strip->e0, run->scratch_a, strip->e1 - strip->e0, 0,
             segment_in_c (run, seg), strip->e1 - strip->e0, segment_in_w (run, seg));
}

/* What a stage q poolings into the segment does with the strip's own rows. The content
 * error goes a channel at a time on this thread: a plane of a strip is too little work to
 * wake the workers for, hundreds of times a strip. */
static void
strip_losses (ImpastoRun  *run,
              Stage       *stage,
              const Strip *strip,
              guint        q,
              Pass         pass)
{
  guint r0 = level_rows (strip->y0, q), r1 = level_rows (strip->y1, q);
  guint local = r0 - level_rows (strip->e0, q);
  gsize plane = (gsize) stage->h * stage->w, full = (gsize) stage->full_h * stage->w;
  gsize n = (gsize) (r1 - r0) * stage->w;
  const float *f = stage->out + (gsize) local * stage->w;

  if (stage->has_content && pass == PASS_CONTENT_TARGET)
    copy_rows (stage->out, stage->h, local, stage->content_target, stage->full_h, r0,
               stage->c, r1 - r0, stage->w);
  else if (stage->has_content && pass == PASS_LOSSES)
    for (guint k = 0; k < stage->c; k++)
      stage->content_ss += impasto_content_loss (f + k * plane,
                                                 stage->content_target + k * full
                                                 + (gsize) r0 * stage->w,
                                                 n, 0.f, NULL, NULL);
  if (stage->has_style)
    {
      gsize cc = (gsize) stage->c * stage->c;

      impasto_gram_strided (f, stage->c, n, plane, run->gram, run->pool);
      for (gsize k = 0; k < cc; k++)
        stage->gram_sum[k] += run->gram[k];
    }
}

static void
reset_sums (ImpastoRun *run)
{
  for (guint i = 0; i < run->n_stages; i++)
    {
      Stage *stage = &run->stages[i];

      stage->content_ss = stage->style_ss = 0.0;
      if (stage->gram_sum != NULL)
        memset (stage->gram_sum, 0, (gsize) stage->c * stage->c * sizeof (double));
    }
}

/* Every segment strip by strip, each one's output kept whole for the next. */
static gboolean
forward_pass (ImpastoRun   *run,
              const float  *image,
              Pass          pass,
              GCancellable *cancellable)
{
  const ImpastoPlan *plan = run->plan;

  reset_sums (run);
  for (guint s = 0; s < plan->n_segments; s++)
    {
      const ImpastoPlanSegment *seg = &plan->segments[s];
      const float *in = s == 0 ? image : run->kept_in[s];

      for (guint k = 0; k < n_strips (run, seg); k++)
        {
          const Stage *last = &run->stages[seg->end - 1];
          guint q = 0, r0, r1;
          const float *out;
          Strip strip;

          if (g_cancellable_is_cancelled (cancellable))
            return FALSE;

          strip_at (run, seg, k, seg->halo, &strip);
          load_strip (run, seg, in, &strip);
          out = forward_strip (run, seg, &strip);
          for (guint i = seg->first; i < seg->end; i++)
            {
              q += run->stages[i].layer->kind == IMPASTO_LAYER_POOL;
              if (run->stages[i].has_content || run->stages[i].has_style)
                strip_losses (run, &run->stages[i], &strip, q, pass);
            }
          if (s + 1 == plan->n_segments)
            continue;
          r0 = level_rows (strip.y0, q);
          r1 = level_rows (strip.y1, q);
          copy_rows (out, last->h, r0 - level_rows (strip.e0, q), run->kept_in[s + 1],
                     last->full_h, r0, last->c, r1 - r0, last->w);
        }
    }

  return TRUE;
}

/* The losses from the sums, deepest first as the whole image's evaluation adds them, and
 * G - A for the backward pass. */
static void
finish_losses (ImpastoRun *run,
               double     *content,
               double     *style)
{
  for (guint i = run->n_stages; i-- > 0;)
    {
      Stage *stage = &run->stages[i];

      if (stage->has_content)
        *content += impasto_run_content_scale (stage) * stage->content_ss;
      if (!stage->has_style)
        continue;
      for (gsize k = 0; k < (gsize) stage->c * stage->c; k++)
        {
          stage->style_diff[k] = (float) stage->gram_sum[k] - stage->style_target[k];
          stage->style_ss += (double) stage->style_diff[k] * stage->style_diff[k];
        }
      *style += impasto_run_style_scale (run, stage) * stage->style_ss;
    }
}

/* The losses' gradients at a stage, on every row of the strip. */
static void
strip_loss_grads (ImpastoRun  *run,
                  Stage       *stage,
                  const Strip *strip,
                  guint        q,
                  float       *g)
{
  gsize plane = (gsize) stage->h * stage->w, full = (gsize) stage->full_h * stage->w;
  guint r0 = level_rows (strip->e0, q);

  if (stage->has_content)
    {
      float scale = (float) (2.0 * run->params->alpha * impasto_run_content_scale (stage));

      for (guint k = 0; k < stage->c; k++)
        impasto_content_loss (stage->out + k * plane,
                              stage->content_target + k * full + (gsize) r0 * stage->w,
                              plane, scale, g + k * plane, NULL);
    }
  if (stage->has_style)
    {
      float scale = (float) (4.0 * run->params->beta * impasto_run_style_scale (run, stage));

      impasto_style_grad (stage->out, stage->c, plane, stage->style_diff, scale, g, run->pool);
    }
}

/* One strip of a segment backward: from dout (the gradient of its output, NULL for the
 * deepest) to its own rows of din. */
static void
backward_strip (ImpastoRun               *run,
                const ImpastoPlanSegment *seg,
                const Strip              *strip,
                const float              *dout,
                float                    *din)
{
  const Stage *last = &run->stages[seg->end - 1];
  float *g = run->scratch_a, *g_prev = run->scratch_b;
  guint q = 0;

  for (guint i = seg->first; i < seg->end; i++)
    q += run->stages[i].layer->kind == IMPASTO_LAYER_POOL;
  if (dout != NULL)
    copy_rows (dout, last->full_h, level_rows (strip->e0, q), g, last->h, 0, last->c, last->h,
               last->w);
  else
    memset (g, 0, (gsize) last->c * last->h * last->w * sizeof (float));

  for (guint i = seg->end; i-- > seg->first;)
    {
      Stage *stage = &run->stages[i];
      float *swap;

      strip_loss_grads (run, stage, strip, q, g);
      impasto_run_backward_stage (run, stage, g, g_prev);
      q -= stage->layer->kind == IMPASTO_LAYER_POOL;
      swap = g;
      g = g_prev;
      g_prev = swap;
    }
  copy_rows (g, strip->e1 - strip->e0, strip->y0 - strip->e0, din, segment_in_h (run, seg),
             strip->y0, segment_in_c (run, seg), strip->y1 - strip->y0, segment_in_w (run, seg));
}

static gboolean
backward_pass (ImpastoRun   *run,
               const float  *image,
               float        *image_grad,
               GCancellable *cancellable)
{
  const ImpastoPlan *plan = run->plan;
  const float *dout = NULL;

  for (guint s = plan->n_segments; s-- > 0;)
    {
      const ImpastoPlanSegment *seg = &plan->segments[s];
      const float *in = s == 0 ? image : run->kept_in[s];
      float *din = s == 0 ? image_grad : run->kept_grad[s % 2];

      for (guint k = 0; k < n_strips (run, seg); k++)
        {
          Strip strip;

          if (g_cancellable_is_cancelled (cancellable))
            return FALSE;

          strip_at (run, seg, k, seg->halo_back, &strip);
          /* A segment in one strip still has its forward pass in its buffers. */
          if (n_strips (run, seg) > 1)
            {
              load_strip (run, seg, in, &strip);
              forward_strip (run, seg, &strip);
            }
          else
            set_strip_shapes (run, seg, strip.e1 - strip.e0);
          backward_strip (run, seg, &strip, dout, din);
        }
      dout = din;
    }

  return TRUE;
}

gboolean
impasto_run_evaluate_tiled (ImpastoRun   *run,
                            const float  *image,
                            float        *grad,
                            double       *content,
                            double       *style,
                            GCancellable *cancellable)
{
  gboolean done;

  done = forward_pass (run, image, PASS_LOSSES, cancellable);
  if (done)
    finish_losses (run, content, style);
  if (done && grad != NULL)
    done = backward_pass (run, image, grad, cancellable);
  restore_shapes (run);
  return done;
}

void
impasto_run_targets_tiled (ImpastoRun  *run,
                           const float *planes,
                           gboolean     content)
{
  forward_pass (run, planes, content ? PASS_CONTENT_TARGET : PASS_GRAMS, NULL);
  restore_shapes (run);
}
