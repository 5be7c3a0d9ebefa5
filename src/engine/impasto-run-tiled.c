/* impasto-run-tiled.c: the objective part by part (strips of the full width, or tiles),
 * equal to the whole image's up to the order of float sums
 *
 * A first pass runs every segment part by part with its forward halo; it keeps each next
 * segment's input whole, sums the content errors and the Gram matrices over the parts' own
 * pixels, and so finishes every Gram before any gradient needs one. The second pass goes
 * back from the deepest segment: each part recomputes its segment from the kept input with
 * the wider backward halo, takes its share of the gradient from the segment after it, adds
 * the losses' gradients (the style's is (G - A) F, pixel by pixel, once G is known) and
 * sends its own pixels of the gradient to the segment before it.
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
  guint y0, y1;   /* the part's own rows of its segment's input */
  guint e0, e1;   /* the rows it reads, halo included */
  guint x0, x1;   /* its own columns */
  guint f0, f1;   /* the columns it reads */
} Part;

typedef enum
{
  PASS_LOSSES,          /* sum the content errors and the Grams */
  PASS_CONTENT_TARGET,  /* copy the content layers' features into their targets, and Grams */
  PASS_GRAMS,           /* the Grams alone, of a style image */
} Pass;

/* Rows (or columns) at a stage q poolings into the segment, the poolings rounding up. */
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
  return seg->first == 0 ? run->width : run->stages[seg->first - 1].full_w;
}

/* Poolings inside the segment: the level of its output. */
static guint
segment_pools (ImpastoRun               *run,
               const ImpastoPlanSegment *seg)
{
  guint q = 0;

  for (guint i = seg->first; i < seg->end; i++)
    q += run->stages[i].layer->kind == IMPASTO_LAYER_POOL;
  return q;
}

/* Columns of a part: a strip's, or a tile's as wide as the image or wider, are its width. */
static guint
part_cols (ImpastoRun               *run,
           const ImpastoPlanSegment *seg)
{
  guint in_w = segment_in_w (run, seg);

  return seg->cols == 0 || seg->cols > in_w ? in_w : seg->cols;
}

static guint
n_cols (ImpastoRun               *run,
        const ImpastoPlanSegment *seg)
{
  return (segment_in_w (run, seg) + part_cols (run, seg) - 1) / part_cols (run, seg);
}

static guint
n_parts (ImpastoRun               *run,
          const ImpastoPlanSegment *seg)
{
  return (segment_in_h (run, seg) + seg->rows - 1) / seg->rows * n_cols (run, seg);
}

static void
span_at (guint  len,
         guint  size,
         guint  index,
         guint  halo,
         guint *a0,
         guint *a1,
         guint *e0,
         guint *e1)
{
  *a0 = MIN (index * size, len);
  *a1 = MIN (*a0 + size, len);
  *e0 = *a0 > halo ? *a0 - halo : 0;
  *e1 = MIN (*a1 + halo, len);
}

/* Parts go row by row of them, left to right. */
static void
part_at (ImpastoRun               *run,
          const ImpastoPlanSegment *seg,
          guint                     index,
          guint                     halo,
          Part                    *part)
{
  guint nx = n_cols (run, seg);

  span_at (segment_in_h (run, seg), seg->rows, index / nx, halo, &part->y0, &part->y1,
           &part->e0, &part->e1);
  span_at (segment_in_w (run, seg), part_cols (run, seg), index % nx, halo, &part->x0,
           &part->x1, &part->f0, &part->f1);
}

/* A rectangle of c planes: rows [r0, r0 + rows) and columns [c0, c0 + cols) of planes of
 * h x w. */
typedef struct
{
  guint h, w, r0, c0;
} Rect;

static void
copy_rect (const float *src,
           Rect         from,
           float       *dst,
           Rect         to,
           guint        c,
           guint        rows,
           guint        cols)
{
  for (guint k = 0; k < c; k++)
    {
      const float *s = src + ((gsize) k * from.h + from.r0) * from.w + from.c0;
      float *d = dst + ((gsize) k * to.h + to.r0) * to.w + to.c0;

      if (cols == from.w && cols == to.w)
        memcpy (d, s, (gsize) rows * cols * sizeof (float));
      else
        for (guint r = 0; r < rows; r++)
          memcpy (d + (gsize) r * to.w, s + (gsize) r * from.w, cols * sizeof (float));
    }
}

static Rect
rect (guint h,
      guint w,
      guint r0,
      guint c0)
{
  return (Rect) { h, w, r0, c0 };
}

/* The part's shapes through the segment, for rows x cols of its input. */
static void
set_part_shapes (ImpastoRun               *run,
                  const ImpastoPlanSegment *seg,
                  guint                     rows,
                  guint                     cols)
{
  for (guint i = seg->first; i < seg->end; i++)
    {
      Stage *stage = &run->stages[i];

      stage->in_h = rows;
      stage->in_w = cols;
      if (stage->layer->kind == IMPASTO_LAYER_POOL)
        {
          rows = impasto_pool_out_size (rows);
          cols = impasto_pool_out_size (cols);
        }
      stage->h = rows;
      stage->w = cols;
    }
}

/* Back to the whole image's shapes at the current scale. */
static void
restore_shapes (ImpastoRun *run)
{
  guint h = run->height, w = run->width;

  for (guint i = 0; i < run->n_stages; i++)
    {
      run->stages[i].in_h = h;
      run->stages[i].in_w = w;
      h = run->stages[i].h = run->stages[i].full_h;
      w = run->stages[i].w = run->stages[i].full_w;
    }
}

/* The segment on a part of its input, already in scratch_a; returns its output. */
static const float *
forward_part (ImpastoRun               *run,
               const ImpastoPlanSegment *seg,
               const Part              *part)
{
  const float *in = run->scratch_a;

  set_part_shapes (run, seg, part->e1 - part->e0, part->f1 - part->f0);
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
load_part (ImpastoRun               *run,
            const ImpastoPlanSegment *seg,
            const float              *in,
            const Part              *part)
{
  guint rows = part->e1 - part->e0, cols = part->f1 - part->f0;

  copy_rect (in, rect (segment_in_h (run, seg), segment_in_w (run, seg), part->e0, part->f0),
             run->scratch_a, rect (rows, cols, 0, 0), segment_in_c (run, seg), rows, cols);
}

/* What a stage q poolings into the segment does with the part's own pixels. The content
 * error goes a channel and a row at a time on this thread: a plane of a part is too little
 * work to wake the workers for, hundreds of times a part. The Gram of own columns fewer than
 * the part's (its halo left and right) goes through scratch_b, packed: it no longer holds
 * anything. */
static void
part_losses (ImpastoRun  *run,
              Stage       *stage,
              const Part *part,
              guint        q,
              Pass         pass)
{
  guint r0 = level_rows (part->y0, q), r1 = level_rows (part->y1, q);
  guint c0 = level_rows (part->x0, q), c1 = level_rows (part->x1, q);
  guint local_r = r0 - level_rows (part->e0, q), local_c = c0 - level_rows (part->f0, q);
  guint rows = r1 - r0, cols = c1 - c0;
  gsize plane = (gsize) stage->h * stage->w, full = (gsize) stage->full_h * stage->full_w;
  const float *f = stage->out + (gsize) local_r * stage->w + local_c;

  if (stage->has_content && pass == PASS_CONTENT_TARGET)
    copy_rect (stage->out, rect (stage->h, stage->w, local_r, local_c), stage->content_target,
               rect (stage->full_h, stage->full_w, r0, c0), stage->c, rows, cols);
  else if (stage->has_content && pass == PASS_LOSSES)
    for (guint k = 0; k < stage->c; k++)
      {
        const float *p = stage->content_target + k * full + (gsize) r0 * stage->full_w + c0;

        if (cols == stage->w && cols == stage->full_w)
          stage->content_ss += impasto_content_loss (f + k * plane, p, (gsize) rows * cols,
                                                     0.f, NULL, NULL);
        else
          for (guint r = 0; r < rows; r++)
            stage->content_ss += impasto_content_loss (f + k * plane + (gsize) r * stage->w,
                                                       p + (gsize) r * stage->full_w, cols,
                                                       0.f, NULL, NULL);
      }
  if (stage->has_style)
    {
      gsize cc = (gsize) stage->c * stage->c, n = (gsize) rows * cols;

      if (cols == stage->w)
        impasto_gram_strided (f, stage->c, n, plane, run->gram, run->pool);
      else
        {
          copy_rect (stage->out, rect (stage->h, stage->w, local_r, local_c), run->scratch_b,
                     rect (rows, cols, 0, 0), stage->c, rows, cols);
          impasto_gram (run->scratch_b, stage->c, n, run->gram, run->pool);
        }
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

/* Every segment part by part, each one's output kept whole for the next (before the losses,
 * which may take the scratch it is in). */
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

      for (guint k = 0; k < n_parts (run, seg); k++)
        {
          const Stage *last = &run->stages[seg->end - 1];
          guint q = segment_pools (run, seg), r0, c0;
          const float *out;
          Part part;

          if (g_cancellable_is_cancelled (cancellable))
            return FALSE;

          part_at (run, seg, k, seg->halo, &part);
          load_part (run, seg, in, &part);
          out = forward_part (run, seg, &part);
          if (s + 1 < plan->n_segments)
            {
              r0 = level_rows (part.y0, q);
              c0 = level_rows (part.x0, q);
              copy_rect (out, rect (last->h, last->w, r0 - level_rows (part.e0, q),
                                    c0 - level_rows (part.f0, q)),
                         run->kept_in[s + 1], rect (last->full_h, last->full_w, r0, c0),
                         last->c, level_rows (part.y1, q) - r0, level_rows (part.x1, q) - c0);
            }
          q = 0;
          for (guint i = seg->first; i < seg->end; i++)
            {
              q += run->stages[i].layer->kind == IMPASTO_LAYER_POOL;
              if (run->stages[i].has_content || run->stages[i].has_style)
                part_losses (run, &run->stages[i], &part, q, pass);
            }
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

/* The losses' gradients at a stage, on every pixel of the part. */
static void
part_loss_grads (ImpastoRun  *run,
                  Stage       *stage,
                  const Part *part,
                  guint        q,
                  float       *g)
{
  gsize plane = (gsize) stage->h * stage->w, full = (gsize) stage->full_h * stage->full_w;
  guint r0 = level_rows (part->e0, q), c0 = level_rows (part->f0, q);

  if (stage->has_content)
    {
      float scale = (float) (2.0 * run->params->alpha * impasto_run_content_scale (stage));

      for (guint k = 0; k < stage->c; k++)
        {
          const float *p = stage->content_target + k * full + (gsize) r0 * stage->full_w + c0;

          if (stage->w == stage->full_w)
            impasto_content_loss (stage->out + k * plane, p, plane, scale, g + k * plane, NULL);
          else
            for (guint r = 0; r < stage->h; r++)
              impasto_content_loss (stage->out + k * plane + (gsize) r * stage->w,
                                    p + (gsize) r * stage->full_w, stage->w, scale,
                                    g + k * plane + (gsize) r * stage->w, NULL);
        }
    }
  if (stage->has_style)
    {
      float scale = (float) (4.0 * run->params->beta * impasto_run_style_scale (run, stage));

      impasto_style_grad (stage->out, stage->c, plane, stage->style_diff, scale, g, run->pool);
    }
}

/* One part of a segment backward: from dout (the gradient of its output, NULL for the
 * deepest) to its own pixels of din. */
static void
backward_part (ImpastoRun               *run,
                const ImpastoPlanSegment *seg,
                const Part              *part,
                const float              *dout,
                float                    *din)
{
  const Stage *last = &run->stages[seg->end - 1];
  float *g = run->scratch_a, *g_prev = run->scratch_b;
  guint q = segment_pools (run, seg), rows = part->e1 - part->e0, cols = part->f1 - part->f0;

  if (dout != NULL)
    copy_rect (dout, rect (last->full_h, last->full_w, level_rows (part->e0, q),
                           level_rows (part->f0, q)),
               g, rect (last->h, last->w, 0, 0), last->c, last->h, last->w);
  else
    memset (g, 0, (gsize) last->c * last->h * last->w * sizeof (float));

  for (guint i = seg->end; i-- > seg->first;)
    {
      Stage *stage = &run->stages[i];
      float *swap;

      part_loss_grads (run, stage, part, q, g);
      impasto_run_backward_stage (run, stage, g, g_prev);
      q -= stage->layer->kind == IMPASTO_LAYER_POOL;
      swap = g;
      g = g_prev;
      g_prev = swap;
    }
  copy_rect (g, rect (rows, cols, part->y0 - part->e0, part->x0 - part->f0), din,
             rect (segment_in_h (run, seg), segment_in_w (run, seg), part->y0, part->x0),
             segment_in_c (run, seg), part->y1 - part->y0, part->x1 - part->x0);
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

      for (guint k = 0; k < n_parts (run, seg); k++)
        {
          Part part;

          if (g_cancellable_is_cancelled (cancellable))
            return FALSE;

          part_at (run, seg, k, seg->halo_back, &part);
          /* A segment in one part still has its forward pass in its buffers. */
          if (n_parts (run, seg) > 1)
            {
              load_part (run, seg, in, &part);
              forward_part (run, seg, &part);
            }
          else
            set_part_shapes (run, seg, part.e1 - part.e0, part.f1 - part.f0);
          backward_part (run, seg, &part, dout, din);
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
