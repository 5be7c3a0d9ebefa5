/* impasto-plan.c: the shapes, algorithms and buffer sizes of a run, whole or in strips
 *
 * Halos come from the stages themselves. Walking a segment forward from a cut between two
 * strips, each convolution spoils one more row next to it and a pooling halves the spoilt
 * rows (rounding up, its windows aligned on the strip's even origin). The backward pass
 * spoils as much again: the gradient is wrong next to the cut, and wrong wherever the forward
 * values it is multiplied with (ReLU masks, argmaxes, features of a loss) are.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "impasto-layers.h"
#include "impasto-loss.h"
#include "impasto-plan.h"
#include "impasto-run-internal.h"

static gboolean
is_loss_layer (const ImpastoLayerList *layers,
               const char             *name)
{
  for (guint i = 0; i < layers->n; i++)
    if (g_str_equal (layers->items[i].name, name))
      return TRUE;

  return FALSE;
}

static guint
round_up (guint value,
          guint multiple)
{
  return (value + multiple - 1) / multiple * multiple;
}

static gboolean
is_pool (const ImpastoNetwork *network,
         guint                 i)
{
  return impasto_network_get_layer (network, i)->kind == IMPASTO_LAYER_POOL;
}

/* Where an image of some size lands at each stage: the output, or a style image of its own
 * size (style_scale), which only goes forward, once a scale, to make its Grams. */
typedef struct
{
  guint  height, width;
  guint *h, *w;       /* each stage's output rows and columns */
} Dims;

static void
dims_init (Dims                 *dims,
           const ImpastoPlan    *plan,
           const ImpastoNetwork *network,
           guint                 width,
           guint                 height)
{
  dims->width = width;
  dims->height = height;
  dims->h = g_new (guint, plan->n_stages);
  dims->w = g_new (guint, plan->n_stages);
  for (guint i = 0; i < plan->n_stages; i++)
    {
      if (is_pool (network, i))
        {
          height = impasto_pool_out_size (height);
          width = impasto_pool_out_size (width);
        }
      dims->h[i] = height;
      dims->w[i] = width;
    }
}

static void
dims_clear (Dims *dims)
{
  g_clear_pointer (&dims->h, g_free);
  g_clear_pointer (&dims->w, g_free);
}

/* The output's, then each style image's (the output's size when style_sizes is NULL). */
static Dims *
images_new (const ImpastoPlan    *plan,
            const ImpastoNetwork *network,
            const guint           style_sizes[][2],
            guint                 n_images)
{
  Dims *images = g_new0 (Dims, n_images);

  dims_init (&images[0], plan, network, plan->width, plan->height);
  for (guint k = 1; k < n_images; k++)
    dims_init (&images[k], plan, network,
               style_sizes != NULL ? style_sizes[k - 1][0] : plan->width,
               style_sizes != NULL ? style_sizes[k - 1][1] : plan->height);
  return images;
}

static void
images_free (Dims  *images,
             guint  n_images)
{
  for (guint k = 0; k < n_images; k++)
    dims_clear (&images[k]);
  g_free (images);
}

/* A convolution's scratch for rows x w planes, with the algorithm chosen at the output size. */
static void
widen_workspace (ImpastoPlan          *plan,
                 const ImpastoNetwork *network,
                 guint                 i,
                 guint                 rows,
                 guint                 w)
{
  const ImpastoLayer *layer = impasto_network_get_layer (network, i);
  ImpastoConv conv = {
    .algorithm = plan->stages[i].algorithm,
    .in_c = layer->in_channels,
    .out_c = layer->out_channels,
  };

  if (layer->kind == IMPASTO_LAYER_CONV)
    plan->workspace = MAX (plan->workspace, impasto_conv_workspace_size (&conv, rows, w));
}

/* The shapes at the output size, checked against the chain. */
static gboolean
plan_shapes (ImpastoPlan            *plan,
             const ImpastoNetwork   *network,
             const ImpastoRunParams *params,
             GError                **error)
{
  guint c = 3, h = plan->height, w = plan->width;

  for (guint i = 0; i < plan->n_stages; i++)
    {
      const ImpastoLayer *layer = impasto_network_get_layer (network, i);
      ImpastoPlanStage *stage = &plan->stages[i];

      if (layer->in_channels != c)
        {
          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                       "Layer “%s” expects %u channels but receives %u",
                       layer->name, layer->in_channels, c);
          return FALSE;
        }
      if (layer->kind == IMPASTO_LAYER_POOL)
        {
          h = impasto_pool_out_size (h);
          w = impasto_pool_out_size (w);
        }
      else
        {
          stage->algorithm = impasto_run_choose_algorithm (c, layer->out_channels, h, w);
          c = layer->out_channels;
        }
      stage->c = c;
      stage->h = h;
      stage->w = w;
      stage->keeps_out = is_loss_layer (&params->content_layers, layer->name)
                         || is_loss_layer (&params->style_layers, layer->name);
      stage->needs_mask = !stage->keeps_out && impasto_run_stage_needs_mask (params, layer);
    }

  return TRUE;
}

static void
plan_halos (ImpastoPlanSegment   *seg,
            const ImpastoNetwork *network)
{
  guint n = seg->end - seg->first, spoilt = 0, back = 0, halo = 0;
  g_autofree guint *forward = g_new (guint, n);

  seg->align = 1;
  for (guint k = 0; k < n; k++)
    {
      if (is_pool (network, seg->first + k))
        {
          spoilt = (spoilt + 1) / 2;
          seg->align *= 2;
        }
      else
        spoilt++;
      forward[k] = spoilt;
      halo = MAX (halo, spoilt * seg->align);
    }
  for (guint k = n; k-- > 0;)
    back = is_pool (network, seg->first + k) ? 2 * MAX (back, forward[k])
                                             : MAX (back, forward[k]) + 1;
  seg->halo = round_up (halo, seg->align);
  seg->halo_back = round_up (MAX (back, halo), seg->align);
}

static void
plan_segments (ImpastoPlan          *plan,
               const ImpastoNetwork *network,
               guint64               cuts)
{
  guint first = 0, shift = 0;

  plan->segments = g_new0 (ImpastoPlanSegment, plan->n_stages);
  for (guint i = 0; i < plan->n_stages; i++)
    {
      gboolean cut = i + 1 < plan->n_stages && is_pool (network, i) && (cuts >> i & 1);

      if (!cut && i + 1 < plan->n_stages)
        continue;

      ImpastoPlanSegment *seg = &plan->segments[plan->n_segments++];

      seg->first = first;
      seg->end = i + 1;
      seg->shift = shift;
      plan_halos (seg, network);
      for (guint k = seg->first; k < seg->end; k++)
        shift += is_pool (network, k);
      first = i + 1;
    }
}

/* Rows of each stage of seg for rows of its input, the poolings rounding up. */
static guint
rows_after (const ImpastoNetwork *network,
            guint                 first,
            guint                 stage,
            guint                 rows)
{
  for (guint k = first; k <= stage; k++)
    if (is_pool (network, k))
      rows = impasto_pool_out_size (rows);
  return rows;
}

static guint
segment_in_h (const Dims               *dims,
              const ImpastoPlanSegment *seg)
{
  return seg->first == 0 ? dims->height : dims->h[seg->first - 1];
}

static guint
segment_in_w (const Dims               *dims,
              const ImpastoPlanSegment *seg)
{
  return seg->first == 0 ? dims->width : dims->w[seg->first - 1];
}

static guint
segment_n_strips (const Dims               *dims,
                  const ImpastoPlanSegment *seg)
{
  return (segment_in_h (dims, seg) + seg->rows - 1) / seg->rows;
}

/* Rows of the segment's input a strip with this halo reads. */
static guint
strip_rows (const Dims               *dims,
            const ImpastoPlanSegment *seg,
            guint                     strip,
            guint                     halo)
{
  guint in_h = segment_in_h (dims, seg);
  guint y0 = strip * seg->rows, y1 = MIN (in_h, y0 + seg->rows);

  return MIN (in_h, y1 + halo) - (y0 > halo ? y0 - halo : 0);
}

/* The most values any buffer of the segment holds for a strip of rows (and its halo). */
static gsize
footprint (const ImpastoPlan        *plan,
           const ImpastoNetwork     *network,
           const Dims               *output,
           const ImpastoPlanSegment *seg,
           guint                     rows)
{
  guint in_h = segment_in_h (output, seg), in_c = seg->first == 0 ? 3
                                                                 : plan->stages[seg->first - 1].c;
  guint ext = MIN (in_h, rows + 2 * seg->halo_back);
  gsize most = (gsize) in_c * ext * plan->stages[seg->first].w;

  for (guint i = seg->first; i < seg->end; i++)
    most = MAX (most, (gsize) plan->stages[i].c * rows_after (network, seg->first, i, ext)
                      * plan->stages[i].w);
  return most;
}

/* Deeper segments have smaller maps: as many rows as fit what the first one's strips take. */
static void
plan_rows (ImpastoPlan          *plan,
           const ImpastoNetwork *network,
           const Dims           *output)
{
  gsize budget = footprint (plan, network, output, &plan->segments[0], plan->tile_rows);

  plan->segments[0].rows = plan->tile_rows;
  for (guint s = 1; s < plan->n_segments; s++)
    {
      ImpastoPlanSegment *seg = &plan->segments[s];
      guint in_h = segment_in_h (output, seg);

      seg->rows = round_up (in_h, seg->align);
      while (seg->rows > seg->align && footprint (plan, network, output, seg, seg->rows)
                                       > budget)
        seg->rows -= seg->align;
    }
}

static double
conv_work (const ImpastoNetwork *network,
           const ImpastoPlan    *plan,
           guint                 i,
           guint                 rows)
{
  const ImpastoLayer *layer = impasto_network_get_layer (network, i);

  if (layer->kind != IMPASTO_LAYER_CONV)
    return 0.0;
  return 9.0 * layer->in_channels * layer->out_channels * rows * plan->stages[i].w;
}

/* Buffer capacities for the longest strip of each segment, and the work of a step: a
 * forward pass, then for the gradient a forward again (unless the segment is one strip) and
 * a backward on wider strips. */
static void
plan_strips (ImpastoPlan          *plan,
             const ImpastoNetwork *network,
             const Dims           *output)
{
  for (guint s = 0; s < plan->n_segments; s++)
    {
      const ImpastoPlanSegment *seg = &plan->segments[s];
      guint in_c = seg->first == 0 ? 3 : plan->stages[seg->first - 1].c;
      guint n_strips = segment_n_strips (output, seg);

      for (guint strip = 0; strip < n_strips; strip++)
        {
          guint fwd = strip_rows (output, seg, strip, seg->halo);
          guint back = strip_rows (output, seg, strip, seg->halo_back);

          plan->scratch = MAX (plan->scratch,
                               (gsize) in_c * back * plan->stages[seg->first].w);
          for (guint i = seg->first; i < seg->end; i++)
            {
              ImpastoPlanStage *stage = &plan->stages[i];
              guint rows = rows_after (network, seg->first, i, back);

              stage->capacity = MAX (stage->capacity, (gsize) stage->c * rows * stage->w);
              widen_workspace (plan, network, i, rows, stage->w);
              plan->work += (n_strips > 1 ? 2 : 1)
                            * conv_work (network, plan, i, rows_after (network, seg->first, i,
                                                                       fwd));
              plan->work += conv_work (network, plan, i, rows);
            }
        }
    }
}

/* A style image goes through the same strips forward only, at its own width: its strips
 * may need wider buffers than the output's, never more work in a step. */
static void
plan_style_strips (ImpastoPlan          *plan,
                   const ImpastoNetwork *network,
                   const Dims           *style)
{
  for (guint s = 0; s < plan->n_segments; s++)
    {
      const ImpastoPlanSegment *seg = &plan->segments[s];
      guint in_c = seg->first == 0 ? 3 : plan->stages[seg->first - 1].c;

      for (guint strip = 0; strip < segment_n_strips (style, seg); strip++)
        {
          guint fwd = strip_rows (style, seg, strip, seg->halo);

          plan->scratch = MAX (plan->scratch,
                               (gsize) in_c * fwd * segment_in_w (style, seg));
          for (guint i = seg->first; i < seg->end; i++)
            {
              ImpastoPlanStage *stage = &plan->stages[i];
              guint rows = rows_after (network, seg->first, i, fwd);

              stage->capacity = MAX (stage->capacity, (gsize) stage->c * rows * style->w[i]);
              widen_workspace (plan, network, i, rows, style->w[i]);
            }
        }
    }
}

/* Every image whole; the work is the output's. */
static void
plan_whole (ImpastoPlan          *plan,
            const ImpastoNetwork *network,
            const Dims           *images,
            guint                 n_images)
{
  for (guint i = 0; i < plan->n_stages; i++)
    {
      ImpastoPlanStage *stage = &plan->stages[i];

      for (guint k = 0; k < n_images; k++)
        {
          stage->capacity = MAX (stage->capacity,
                                 (gsize) stage->c * images[k].h[i] * images[k].w[i]);
          widen_workspace (plan, network, i, images[k].h[i], images[k].w[i]);
        }
      plan->work += 2 * conv_work (network, plan, i, stage->h);
    }
}

/* What the boundaries between segments keep: each input whole (the largest image's), and two
 * gradient buffers that the segments pass back to each other (the output's alone). */
static void
plan_kept (ImpastoPlan *plan,
           const Dims  *images,
           guint        n_images)
{
  for (guint s = 1; s < plan->n_segments; s++)
    {
      ImpastoPlanSegment *seg = &plan->segments[s];
      const ImpastoPlanStage *in = &plan->stages[seg->first - 1];
      gsize size = (gsize) in->c * in->h * in->w;

      seg->kept = size;
      for (guint k = 1; k < n_images; k++)
        seg->kept = MAX (seg->kept, (gsize) in->c * segment_in_h (&images[k], seg)
                                    * segment_in_w (&images[k], seg));
      plan->kept_inputs += seg->kept;
      plan->kept_grad[s % 2] = MAX (plan->kept_grad[s % 2], size);
    }
}

/* Adam keeps two moments; L-BFGS its history of (s, y) pairs, a direction, the point and
 * gradient it started its line search from, and the gradient of the best trial so far. */
static guint64
optimizer_floats (const ImpastoRunParams *params,
                  gsize                   n_pixels)
{
  if (params->optimizer == IMPASTO_OPTIMIZER_LBFGS)
    return (2 * LBFGS_HISTORY + 4) * (guint64) n_pixels
           + 2 * LBFGS_HISTORY * sizeof (double) / sizeof (float);

  return 2 * (guint64) n_pixels;
}

/* A convolution's weights as loaded and as transformed for its algorithm. */
static guint64
conv_floats (const ImpastoPlan    *plan,
             const ImpastoNetwork *network,
             guint                 i)
{
  const ImpastoLayer *layer = impasto_network_get_layer (network, i);

  return (guint64) layer->in_channels * layer->out_channels * 9 + layer->out_channels
         + impasto_conv_weights_size (plan->stages[i].algorithm, layer->in_channels,
                                      layer->out_channels);
}

/* One stage's share: its buffer, its targets, and for strips the Gram summed over them (in
 * doubles) and G - A, kept for the backward pass. */
static guint64
stage_bytes (ImpastoPlan            *plan,
             const ImpastoNetwork   *network,
             const ImpastoRunParams *params,
             guint                   i)
{
  const ImpastoLayer *layer = impasto_network_get_layer (network, i);
  const ImpastoPlanStage *stage = &plan->stages[i];
  gsize cc = (gsize) stage->c * stage->c;
  guint64 bytes = 0;

  if (stage->keeps_out)
    bytes += stage->capacity * sizeof (float);
  else if (stage->needs_mask)
    bytes += stage->capacity;
  if (is_loss_layer (&params->content_layers, layer->name))
    bytes += (guint64) stage->c * stage->h * stage->w * sizeof (float);
  if (is_loss_layer (&params->style_layers, layer->name))
    {
      bytes += cc * sizeof (float);
      if (plan->tile_rows > 0)
        bytes += cc * (sizeof (double) + sizeof (float));
      plan->gram = MAX (plan->gram, impasto_gram_size (stage->c));
    }
  if (layer->kind == IMPASTO_LAYER_CONV)
    bytes += conv_floats (plan, network, i) * sizeof (float);
  return bytes;
}

/* Two scratch maps (the first big enough for the image's planes when there are coarser
 * scales), the workspace (never empty), a Gram matrix with its partial sums; the image and
 * its gradient (which holds the largest image's planes as the targets are made), the
 * optimiser's state; the last good image and the run's copies of the content and style
 * images, in 8 bits. */
static void
plan_bytes (ImpastoPlan            *plan,
            const ImpastoNetwork   *network,
            const ImpastoRunParams *params,
            const Dims             *images,
            guint                   n_images)
{
  gsize n_pixels = (gsize) 3 * plan->width * plan->height;
  guint64 floats, copies = 2 * (guint64) n_pixels;

  plan->bytes = 0;
  plan->gram = 1;
  for (guint i = 0; i < plan->n_stages; i++)
    {
      gsize size = plan->stages[i].capacity;

      plan->scratch = MAX (plan->scratch, size);
      plan->bytes += stage_bytes (plan, network, params, i);
    }
  /* Coarse scales bring their image to the output size through it. */
  plan->scratch_a = params->n_scales > 1 ? MAX (plan->scratch, n_pixels) : plan->scratch;
  plan->workspace = MAX (plan->workspace, 1);
  plan->planes = n_pixels;
  for (guint k = 1; k < n_images; k++)
    {
      gsize style_pixels = (gsize) 3 * images[k].width * images[k].height;

      plan->planes = MAX (plan->planes, style_pixels);
      copies += style_pixels;
    }
  floats = (guint64) plan->scratch_a + plan->scratch + plan->workspace + plan->gram
           + plan->kept_inputs + plan->kept_grad[0] + plan->kept_grad[1]
           + n_pixels + plan->planes + optimizer_floats (params, n_pixels);
  plan->bytes += floats * sizeof (float) + copies;
}

ImpastoPlan *
impasto_plan_new (const ImpastoNetwork   *network,
                  const ImpastoRunParams *params,
                  const guint             style_sizes[][2],
                  guint                   n_styles,
                  guint                   tile_rows,
                  guint64                 cuts,
                  GError                **error)
{
  g_autoptr(ImpastoPlan) plan = g_new0 (ImpastoPlan, 1);
  int deepest = impasto_run_params_find_deepest_layer (params, network, error);
  guint n_images = 1 + MAX (n_styles, 1);
  Dims *images;

  if (deepest < 0)
    return NULL;

  plan->width = params->width;
  plan->height = params->height;
  plan->n_stages = deepest + 1;
  plan->stages = g_new0 (ImpastoPlanStage, plan->n_stages);
  if (!plan_shapes (plan, network, params, error))
    return NULL;

  images = images_new (plan, network, n_styles > 0 ? style_sizes : NULL, n_images);
  if (tile_rows > 0)
    {
      plan_segments (plan, network, cuts);
      tile_rows = round_up (tile_rows, plan->segments[0].align);
    }
  if (tile_rows > 0 && tile_rows < plan->height)
    {
      plan->tile_rows = tile_rows;
      plan_rows (plan, network, &images[0]);
      plan_strips (plan, network, &images[0]);
      for (guint k = 1; k < n_images; k++)
        plan_style_strips (plan, network, &images[k]);
      plan_kept (plan, images, n_images);
    }
  else
    {
      g_clear_pointer (&plan->segments, g_free);
      plan->n_segments = 0;
      plan_whole (plan, network, images, n_images);
    }
  plan_bytes (plan, network, params, images, n_images);
  images_free (images, n_images);
  return g_steal_pointer (&plan);
}

ImpastoPlan *
impasto_plan_copy (const ImpastoPlan *plan)
{
  ImpastoPlan *copy = g_memdup2 (plan, sizeof *plan);

  copy->stages = g_memdup2 (plan->stages, plan->n_stages * sizeof *plan->stages);
  copy->segments = plan->segments != NULL
                   ? g_memdup2 (plan->segments, plan->n_stages * sizeof *plan->segments)
                   : NULL;
  return copy;
}

void
impasto_plan_free (ImpastoPlan *plan)
{
  if (plan == NULL)
    return;

  g_free (plan->stages);
  g_free (plan->segments);
  g_free (plan);
}

/* The largest strips with these cuts that fit in budget, or NULL. Memory grows with the
 * strips' rows, so halving the range finds them. */
static ImpastoPlan *
largest_fitting (const ImpastoNetwork   *network,
                 const ImpastoRunParams *params,
                 const guint             style_sizes[][2],
                 guint                   n_styles,
                 guint64                 cuts,
                 guint                   align,
                 guint64                 budget)
{
  g_autoptr(ImpastoPlan) best = NULL;
  guint lo = 1, hi = MAX ((params->height + align - 1) / align, 2) - 1;

  while (lo <= hi)
    {
      guint mid = lo + (hi - lo) / 2;
      g_autoptr(ImpastoPlan) plan = impasto_plan_new (network, params, style_sizes, n_styles,
                                                      mid * align, cuts, NULL);

      if (plan->bytes <= budget)
        {
          g_clear_pointer (&best, impasto_plan_free);
          best = g_steal_pointer (&plan);
          lo = mid + 1;
        }
      else
        hi = mid - 1;
    }

  return g_steal_pointer (&best);
}

static gboolean
better (const ImpastoPlan *a,
        const ImpastoPlan *b)
{
  return b == NULL || a->work < b->work || (a->work == b->work && a->bytes < b->bytes);
}

ImpastoPlan *
impasto_plan_choose (const ImpastoNetwork   *network,
                     const ImpastoRunParams *params,
                     const guint             style_sizes[][2],
                     guint                   n_styles,
                     guint64                 budget,
                     GError                **error)
{
  g_autoptr(ImpastoPlan) whole = impasto_plan_new (network, params, style_sizes, n_styles, 0, 0,
                                                   error);
  g_autoptr(ImpastoPlan) best = NULL;
  g_autoptr(ImpastoPlan) smallest = NULL;
  guint64 pools = 0;
  guint align = 1;

  if (whole == NULL || whole->bytes <= budget)
    return g_steal_pointer (&whole);

  for (guint i = 0; i + 1 < whole->n_stages; i++)
    if (impasto_network_get_layer (network, i)->kind == IMPASTO_LAYER_POOL)
      pools |= G_GUINT64_CONSTANT (1) << i;
  for (guint i = 0; i < whole->n_stages; i++)
    align *= impasto_network_get_layer (network, i)->kind == IMPASTO_LAYER_POOL ? 2 : 1;

  /* Every subset of the poolings to cut after, walked as the submasks of pools. */
  for (guint64 cuts = pools;; cuts = (cuts - 1) & pools)
    {
      g_autoptr(ImpastoPlan) fits = largest_fitting (network, params, style_sizes, n_styles,
                                                     cuts, align, budget);
      g_autoptr(ImpastoPlan) least = impasto_plan_new (network, params, style_sizes, n_styles,
                                                       align, cuts, NULL);

      if (fits != NULL && better (fits, best))
        {
          g_clear_pointer (&best, impasto_plan_free);
          best = g_steal_pointer (&fits);
        }
      if (smallest == NULL || least->bytes < smallest->bytes)
        {
          g_clear_pointer (&smallest, impasto_plan_free);
          smallest = g_steal_pointer (&least);
        }
      if (cuts == 0)
        break;
    }

  return best != NULL ? g_steal_pointer (&best) : g_steal_pointer (&smallest);
}
