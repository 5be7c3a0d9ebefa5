/* impasto-plan.c: the shapes, algorithms and buffer sizes of a run, whole, in strips or in tiles
 *
 * Halos come from the stages themselves, the same for rows and columns. Walking a segment
 * forward from a cut between two parts, each convolution spoils one more row next to it and
 * a pooling halves the spoilt rows (rounding up, its windows aligned on the part's even
 * origin). The backward pass spoils as much again: the gradient is wrong next to the cut,
 * and wrong wherever the forward values it is multiplied with (ReLU masks, argmaxes,
 * features of a loss) are.
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

/* Parts of size (0: one part of it all) along a side of len. */
static guint
n_parts (guint len,
         guint size)
{
  return size == 0 ? 1 : (len + size - 1) / size;
}

/* What part index of a side reads, its halo included. */
static guint
part_extent (guint len,
             guint size,
             guint index,
             guint halo)
{
  guint a0, a1;

  if (size == 0)
    return len;
  a0 = index * size;
  a1 = MIN (len, a0 + size);
  return MIN (len, a1 + halo) - (a0 > halo ? a0 - halo : 0);
}

/* The distinct extents of the parts along a side, in extents (n_parts entries at most);
 * returns how many. Only the parts near the ends differ, so there are few. */
static guint
part_extents (guint  len,
              guint  size,
              guint  halo,
              guint *extents)
{
  guint found = 0;

  for (guint index = 0; index < n_parts (len, size); index++)
    {
      guint e = part_extent (len, size, index, halo), k = 0;

      while (k < found && extents[k] != e)
        k++;
      if (k == found)
        extents[found++] = e;
    }
  return found;
}

/* The rows (or columns) a stage of the segment computes over all the parts along a side. */
static double
side_sum (const ImpastoNetwork     *network,
          const ImpastoPlanSegment *seg,
          guint                     i,
          guint                     len,
          guint                     size,
          guint                     halo)
{
  double sum = 0;

  for (guint index = 0; index < n_parts (len, size); index++)
    sum += rows_after (network, seg->first, i, part_extent (len, size, index, halo));
  return sum;
}

/* The most values any buffer of the segment holds for a part of rows x cols (cols 0: the
 * full width) and its halo. */
static gsize
footprint (const ImpastoPlan        *plan,
           const ImpastoNetwork     *network,
           const Dims               *output,
           const ImpastoPlanSegment *seg,
           guint                     rows,
           guint                     cols)
{
  guint in_h = segment_in_h (output, seg), in_w = segment_in_w (output, seg);
  guint in_c = seg->first == 0 ? 3 : plan->stages[seg->first - 1].c;
  guint ext = MIN (in_h, rows + 2 * seg->halo_back);
  guint ext_w = cols == 0 ? in_w : MIN (in_w, cols + 2 * seg->halo_back);
  gsize most = (gsize) in_c * ext * ext_w;

  for (guint i = seg->first; i < seg->end; i++)
    most = MAX (most, (gsize) plan->stages[i].c * rows_after (network, seg->first, i, ext)
                      * rows_after (network, seg->first, i, ext_w));
  return most;
}

/* Deeper segments have smaller maps: parts as large as fit what the first one's take, of the
 * full width for strips, square for tiles. */
static void
plan_rows (ImpastoPlan          *plan,
           const ImpastoNetwork *network,
           const Dims           *output)
{
  gsize budget = footprint (plan, network, output, &plan->segments[0], plan->tile_rows,
                            plan->tile_cols);

  plan->segments[0].rows = plan->tile_rows;
  plan->segments[0].cols = plan->tile_cols;
  for (guint s = 1; s < plan->n_segments; s++)
    {
      ImpastoPlanSegment *seg = &plan->segments[s];
      guint in_h = segment_in_h (output, seg), in_w = segment_in_w (output, seg);
      guint side = round_up (plan->tile_cols == 0 ? in_h : MAX (in_h, in_w), seg->align);

      while (side > seg->align
             && footprint (plan, network, output, seg, side, plan->tile_cols == 0 ? 0 : side)
                > budget)
        side -= seg->align;
      seg->rows = side;
      seg->cols = plan->tile_cols == 0 ? 0 : side;
    }
}

static double
conv_work (const ImpastoNetwork *network,
           guint                 i,
           guint                 rows,
           guint                 cols)
{
  const ImpastoLayer *layer = impasto_network_get_layer (network, i);

  if (layer->kind != IMPASTO_LAYER_CONV)
    return 0.0;
  return 9.0 * layer->in_channels * layer->out_channels * rows * cols;
}

/* Buffer capacities for the largest part of each segment (of image dims), and with work
 * (NULL for a style image, which goes forward only) the work of a step: a forward pass,
 * then for the gradient a forward again (unless the segment is one part) and a backward on
 * wider parts. The parts' rows and columns are independent, so each side's few distinct
 * extents stand for all of them. */
static void
plan_parts (ImpastoPlan          *plan,
            const ImpastoNetwork *network,
            const Dims           *dims,
            double               *work)
{
  for (guint s = 0; s < plan->n_segments; s++)
    {
      const ImpastoPlanSegment *seg = &plan->segments[s];
      guint in_c = seg->first == 0 ? 3 : plan->stages[seg->first - 1].c;
      guint in_h = segment_in_h (dims, seg), in_w = segment_in_w (dims, seg);
      guint cols = seg->cols >= in_w ? 0 : seg->cols;
      guint halo = work != NULL ? seg->halo_back : seg->halo;
      guint ny = n_parts (in_h, seg->rows), nx = n_parts (in_w, cols);
      g_autofree guint *rows_ext = g_new (guint, ny), *cols_ext = g_new (guint, nx);
      guint n_rows = part_extents (in_h, seg->rows, halo, rows_ext);
      guint n_cols = part_extents (in_w, cols, halo, cols_ext);

      for (guint a = 0; a < n_rows; a++)
        for (guint b = 0; b < n_cols; b++)
          {
            plan->scratch = MAX (plan->scratch, (gsize) in_c * rows_ext[a] * cols_ext[b]);
            for (guint i = seg->first; i < seg->end; i++)
              {
                ImpastoPlanStage *stage = &plan->stages[i];
                guint r = rows_after (network, seg->first, i, rows_ext[a]);
                guint c = rows_after (network, seg->first, i, cols_ext[b]);

                stage->capacity = MAX (stage->capacity, (gsize) stage->c * r * c);
                widen_workspace (plan, network, i, r, c);
              }
          }
      if (work == NULL)
        continue;

      /* The forward pass reads the narrower halo. */
      for (guint i = seg->first; i < seg->end; i++)
        *work += conv_work (network, i, 1, 1)
                 * ((ny * nx == 1 ? 1 : 2) * side_sum (network, seg, i, in_h, seg->rows, seg->halo)
                    * side_sum (network, seg, i, in_w, cols, seg->halo)
                    + side_sum (network, seg, i, in_h, seg->rows, halo)
                      * side_sum (network, seg, i, in_w, cols, halo));
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
      plan->work += 2 * conv_work (network, i, stage->h, stage->w);
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

/* One stage's share: its buffer, its targets, and in parts the Gram summed over them (in
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
                  guint                   tile_cols,
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
      tile_cols = round_up (tile_cols, plan->segments[0].align);
      if (tile_cols >= plan->width)
        tile_cols = 0;
    }
  if (tile_rows > 0 && (tile_rows < plan->height || tile_cols > 0))
    {
      plan->tile_rows = tile_rows;
      plan->tile_cols = tile_cols;
      plan_rows (plan, network, &images[0]);
      plan_parts (plan, network, &images[0], &plan->work);
      for (guint k = 1; k < n_images; k++)
        plan_parts (plan, network, &images[k], NULL);
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

/* The largest strips (or square tiles) with these cuts that fit in budget, or NULL. Memory
 * grows with the parts' size, so halving the range finds them. */
static ImpastoPlan *
largest_fitting (const ImpastoNetwork   *network,
                 const ImpastoRunParams *params,
                 const guint             style_sizes[][2],
                 guint                   n_styles,
                 guint64                 cuts,
                 gboolean                tiles,
                 guint                   align,
                 guint64                 budget)
{
  g_autoptr(ImpastoPlan) best = NULL;
  guint side = tiles ? MAX (params->width, params->height) : params->height;
  guint lo = 1, hi = MAX ((side + align - 1) / align, 2) - 1;

  while (lo <= hi)
    {
      guint mid = lo + (hi - lo) / 2;
      g_autoptr(ImpastoPlan) plan = impasto_plan_new (network, params, style_sizes, n_styles,
                                                      mid * align, tiles ? mid * align : 0,
                                                      cuts, NULL);

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
                                                   0, error);
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

  /* Every subset of the poolings to cut after, walked as the submasks of pools, in strips
   * and in square tiles; the smallest is the tiles of one alignment step. */
  for (guint64 cuts = pools;; cuts = (cuts - 1) & pools)
    {
      g_autoptr(ImpastoPlan) least = impasto_plan_new (network, params, style_sizes, n_styles,
                                                       align, align, cuts, NULL);

      for (int tiles = 0; tiles < 2; tiles++)
        {
          g_autoptr(ImpastoPlan) fits = largest_fitting (network, params, style_sizes, n_styles,
                                                         cuts, tiles, align, budget);

          if (fits != NULL && better (fits, best))
            {
              g_clear_pointer (&best, impasto_plan_free);
              best = g_steal_pointer (&fits);
            }
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
