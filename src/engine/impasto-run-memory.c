/* impasto-run-memory.c: how much memory a run takes, known before it allocates any
 *
 * The estimate walks the layers the way impasto-run.c plans its stages and adds up the same
 * buffers, with the same choice of convolution algorithm; tests/test-run-memory.c holds it to
 * what impasto_run_new() and a run really allocate, so a change to either shows there.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "impasto-layers.h"
#include "impasto-loss.h"
#include "impasto-run-internal.h"
#include "impasto-run-memory.h"

typedef struct
{
  guint64 floats;      /* every float buffer, in floats */
  guint64 bytes;       /* masks and 8-bit images */
  gsize   max_stage;   /* the largest feature map: each scratch buffer holds one */
  gsize   max_gram;
  gsize   workspace;
} Tally;

static gboolean
is_loss_layer (const ImpastoLayerList *layers,
               const char             *name)
{
  for (guint i = 0; i < layers->n; i++)
    if (g_str_equal (layers->items[i].name, name))
      return TRUE;

  return FALSE;
}

/* The algorithm is chosen for the output size, whatever size an image goes through it at. */
static ImpastoConv
conv_for (const ImpastoLayer *layer,
          guint               h,
          guint               w)
{
  ImpastoConv conv = {
    .algorithm = impasto_run_choose_algorithm (layer->in_channels, layer->out_channels, h, w),
    .in_c = layer->in_channels,
    .out_c = layer->out_channels,
  };

  return conv;
}

static gboolean
check_chain (ImpastoNetwork *network,
             int             deepest,
             GError        **error)
{
  guint c = 3;

  for (int i = 0; i <= deepest; i++)
    {
      const ImpastoLayer *layer = impasto_network_get_layer (network, i);

      if (layer->in_channels != c)
        {
          g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID,
                       "Layer “%s” expects %u channels but receives %u",
                       layer->name, layer->in_channels, c);
          return FALSE;
        }
      if (layer->kind == IMPASTO_LAYER_CONV)
        c = layer->out_channels;
    }

  return TRUE;
}

/* Widens each stage's buffer (capacity) and the workspace to what an image of width x height
 * needs, as impasto-run.c's allocate() does for the output and each style image. */
static void
widen (ImpastoNetwork *network,
       int             deepest,
       guint           width,
       guint           height,
       const guint     output[2],
       gsize          *capacity,
       gsize          *workspace)
{
  guint c = 3, h = height, w = width, out_h = output[1], out_w = output[0];

  for (int i = 0; i <= deepest; i++)
    {
      const ImpastoLayer *layer = impasto_network_get_layer (network, i);

      if (layer->kind == IMPASTO_LAYER_POOL)
        {
          h = impasto_pool_out_size (h);
          w = impasto_pool_out_size (w);
          out_h = impasto_pool_out_size (out_h);
          out_w = impasto_pool_out_size (out_w);
        }
      else
        {
          ImpastoConv conv = conv_for (layer, out_h, out_w);

          c = layer->out_channels;
          *workspace = MAX (*workspace, impasto_conv_workspace_size (&conv, h, w));
        }
      capacity[i] = MAX (capacity[i], (gsize) c * h * w);
    }
}

/* One stage's share: its output (floats when a loss reads it, else a byte per value for the
 * backward pass) at its capacity, its targets, and its convolution's weights as loaded and
 * as transformed for its algorithm. */
static void
tally_stage (Tally                  *tally,
             const ImpastoRunParams *params,
             const ImpastoLayer     *layer,
             const guint             shape[3],
             gsize                   capacity)
{
  guint c = shape[0];
  gsize output_size = (gsize) c * shape[1] * shape[2];
  gboolean content = is_loss_layer (&params->content_layers, layer->name);
  gboolean style = is_loss_layer (&params->style_layers, layer->name);

  tally->max_stage = MAX (tally->max_stage, capacity);
  if (content || style)
    tally->floats += capacity;
  else if (impasto_run_stage_needs_mask (params, layer))
    tally->bytes += capacity;
  if (content)
    tally->floats += output_size;
  if (style)
    {
      tally->floats += (gsize) c * c;
      tally->max_gram = MAX (tally->max_gram, impasto_gram_size (c));
    }
  if (layer->kind == IMPASTO_LAYER_CONV)
    tally->floats += (guint64) layer->in_channels * layer->out_channels * 9
                     + layer->out_channels
                     + impasto_conv_weights_size (conv_for (layer, shape[1], shape[2]).algorithm,
                                                  layer->in_channels, layer->out_channels);
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

gboolean
impasto_run_estimate_memory (ImpastoNetwork         *network,
                             const ImpastoRunParams *params,
                             guint64                *bytes,
                             GError                **error)
{
  return impasto_run_estimate_memory_for (network, params, 1, bytes, error);
}

/* Without the style images at hand, each is taken to have the output's proportions: another
 * painting of the same area differs only in how its sides round at each pooling. */
gboolean
impasto_run_estimate_memory_for (ImpastoNetwork         *network,
                                 const ImpastoRunParams *params,
                                 guint                   n_styles,
                                 guint64                *bytes,
                                 GError                **error)
{
  guint sizes[IMPASTO_MAX_STYLES][2];
  double scale = params->style_scale > 0 ? params->style_scale : 1.0;

  g_return_val_if_fail (params != NULL, FALSE);

  n_styles = CLAMP (n_styles, 1, IMPASTO_MAX_STYLES);
  for (guint i = 0; i < n_styles; i++)
    {
      sizes[i][0] = (guint) MAX (round (params->width * scale), 1.0);
      sizes[i][1] = (guint) MAX (round (params->height * scale), 1.0);
    }
  return impasto_run_estimate_memory_sized (network, params, (const guint (*)[2]) sizes,
                                            n_styles, bytes, error);
}

/* Memory is planned for the output size, and the coarser scales reuse it; a style image
 * larger than the output widens the buffers it goes through to its own size. The style
 * images' Grams are computed one image after the other into the same buffers, so another
 * style image of the output's size costs its 8-bit copy only. */
gboolean
impasto_run_estimate_memory_sized (ImpastoNetwork         *network,
                                   const ImpastoRunParams *params,
                                   const guint             style_sizes[][2],
                                   guint                   n_styles,
                                   guint64                *bytes,
                                   GError                **error)
{
  const guint output[2] = { params->width, params->height };
  gsize n_pixels = (gsize) 3 * params->width * params->height, max_pixels = n_pixels;
  g_autofree gsize *capacity = NULL;
  g_autofree gsize *output_sizes = NULL;
  Tally tally = { .max_gram = 1 };
  guint shape[3] = { 3, params->height, params->width };
  int deepest;

  g_return_val_if_fail (network != NULL && params != NULL && bytes != NULL, FALSE);

  if ((deepest = impasto_run_params_find_deepest_layer (params, network, error)) < 0
      || !check_chain (network, deepest, error))
    return FALSE;

  capacity = g_new0 (gsize, deepest + 1);
  output_sizes = g_new0 (gsize, deepest + 1);
  widen (network, deepest, params->width, params->height, output, output_sizes,
         &tally.workspace);
  memcpy (capacity, output_sizes, (deepest + 1) * sizeof (gsize));
  for (guint k = 0; k < n_styles; k++)
    {
      gsize style_pixels = (gsize) 3 * style_sizes[k][0] * style_sizes[k][1];

      widen (network, deepest, style_sizes[k][0], style_sizes[k][1], output, capacity,
             &tally.workspace);
      max_pixels = MAX (max_pixels, style_pixels);
      tally.bytes += style_pixels;
    }
  for (int i = 0; i <= deepest; i++)
    {
      const ImpastoLayer *layer = impasto_network_get_layer (network, i);

      if (layer->kind == IMPASTO_LAYER_CONV)
        shape[0] = layer->out_channels;
      else
        {
          shape[1] = impasto_pool_out_size (shape[1]);
          shape[2] = impasto_pool_out_size (shape[2]);
        }
      tally_stage (&tally, params, layer, shape, capacity[i]);
    }

  /* Two scratch maps, the workspace (never empty), a Gram matrix with its partial sums; the
   * image, its gradient (which holds the largest image's planes as its targets are made),
   * the optimiser's state; the last good image and the run's copy of the content image, in
   * 8 bits. */
  tally.floats += 2 * (guint64) tally.max_stage + MAX (tally.workspace, 1) + tally.max_gram
                  + n_pixels + max_pixels + optimizer_floats (params, n_pixels);
  tally.bytes += 2 * (guint64) n_pixels;

  *bytes = tally.floats * sizeof (float) + tally.bytes;
  return TRUE;
}

/* MemAvailable in bytes, or 0 when /proc/meminfo does not say (an old kernel, no /proc). */
static guint64
read_mem_available (void)
{
  g_autofree char *text = NULL;
  const char *line;
  guint64 kib;

  if (!g_file_get_contents ("/proc/meminfo", &text, NULL, NULL)
      || (line = strstr (text, "MemAvailable:")) == NULL
      || sscanf (line, "MemAvailable: %" G_GUINT64_FORMAT " kB", &kib) != 1)
    return 0;

  return kib * 1024;
}

/* What a cgroup v2 memory limit leaves, or G_MAXUINT64 when there is none: a container's
 * MemAvailable is the host's. */
static guint64
read_cgroup_room (void)
{
  g_autofree char *cgroup = NULL;
  g_autofree char *max_text = NULL;
  g_autofree char *current_text = NULL;
  g_autofree char *dir = NULL;
  guint64 max, current;

  if (!g_file_get_contents ("/proc/self/cgroup", &cgroup, NULL, NULL)
      || !g_str_has_prefix (cgroup, "0::/"))
    return G_MAXUINT64;

  dir = g_build_filename ("/sys/fs/cgroup", g_strchomp (cgroup + 3), NULL);
  {
    g_autofree char *max_path = g_build_filename (dir, "memory.max", NULL);
    g_autofree char *current_path = g_build_filename (dir, "memory.current", NULL);

    if (!g_file_get_contents (max_path, &max_text, NULL, NULL)
        || !g_file_get_contents (current_path, &current_text, NULL, NULL)
        || !g_ascii_string_to_unsigned (g_strchomp (max_text), 10, 0, G_MAXUINT64, &max, NULL)
        || !g_ascii_string_to_unsigned (g_strchomp (current_text), 10, 0, G_MAXUINT64,
                                        &current, NULL))
      return G_MAXUINT64;   /* "max" means no limit */
  }

  return max > current ? max - current : 0;
}

guint64
impasto_memory_get_available (void)
{
  guint64 available = read_mem_available ();

  if (available == 0)
    available = (guint64) sysconf (_SC_AVPHYS_PAGES) * (guint64) sysconf (_SC_PAGESIZE);

  return MIN (available, read_cgroup_room ());
}

gboolean
impasto_run_check_memory (ImpastoNetwork         *network,
                          const ImpastoRunParams *params,
                          GError                **error)
{
  return impasto_run_check_memory_for (network, params, 1, error);
}

static gboolean
check_needed (const ImpastoRunParams *params,
              guint64                 needed,
              GError                **error)
{
  guint64 available;
  gboolean limited;
  g_autofree char *needed_text = NULL;
  g_autofree char *available_text = NULL;

  available = impasto_memory_get_available ();
  limited = params->memory_limit > 0 && params->memory_limit < available;
  if (limited)
    available = params->memory_limit;
  if (needed <= available)
    return TRUE;

  needed_text = g_format_size (needed);
  available_text = g_format_size (available);
  if (limited)
    g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_MEMORY,
                 "A %u×%u run needs about %s of memory, more than its limit of %s; "
                 "choose a smaller output size or a higher limit",
                 params->width, params->height, needed_text, available_text);
  else
    g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_MEMORY,
                 "A %u×%u run needs about %s of memory, but only %s is available; "
                 "choose a smaller output size or close other programs",
                 params->width, params->height, needed_text, available_text);
  return FALSE;
}

gboolean
impasto_run_check_memory_for (ImpastoNetwork         *network,
                              const ImpastoRunParams *params,
                              guint                   n_styles,
                              GError                **error)
{
  guint64 needed;

  return impasto_run_estimate_memory_for (network, params, n_styles, &needed, error)
         && check_needed (params, needed, error);
}

gboolean
impasto_run_check_memory_sized (ImpastoNetwork         *network,
                                const ImpastoRunParams *params,
                                const guint             style_sizes[][2],
                                guint                   n_styles,
                                GError                **error)
{
  guint64 needed;

  return impasto_run_estimate_memory_sized (network, params, style_sizes, n_styles, &needed,
                                            error)
         && check_needed (params, needed, error);
}
