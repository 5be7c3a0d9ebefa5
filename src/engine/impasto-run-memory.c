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

/* A convolution's weights as loaded, its weights transformed for its algorithm, and the
 * scratch it wants at h x w. */
static void
tally_conv (Tally              *tally,
            const ImpastoLayer *layer,
            guint               h,
            guint               w)
{
  ImpastoConv conv = {
    .algorithm = impasto_run_choose_algorithm (layer->in_channels, layer->out_channels, h, w),
    .in_c = layer->in_channels,
    .out_c = layer->out_channels,
  };

  tally->floats += (guint64) layer->in_channels * layer->out_channels * 9 + layer->out_channels;
  tally->floats += impasto_conv_weights_size (conv.algorithm, conv.in_c, conv.out_c);
  tally->workspace = MAX (tally->workspace, impasto_conv_workspace_size (&conv, h, w));
}

/* One stage's share: its output (floats when a loss reads it, else a byte per value for the
 * backward pass), its targets, and its convolution. */
static void
tally_stage (Tally                  *tally,
             const ImpastoRunParams *params,
             const ImpastoLayer     *layer,
             guint                   c,
             guint                   h,
             guint                   w)
{
  gsize size = (gsize) c * h * w;
  gboolean content = is_loss_layer (&params->content_layers, layer->name);
  gboolean style = is_loss_layer (&params->style_layers, layer->name);

  tally->max_stage = MAX (tally->max_stage, size);
  if (content || style)
    tally->floats += size;
  else if (impasto_run_stage_needs_mask (params, layer))
    tally->bytes += size;
  if (content)
    tally->floats += size;
  if (style)
    {
      tally->floats += (gsize) c * c;
      tally->max_gram = MAX (tally->max_gram, impasto_gram_size (c));
    }
  if (layer->kind == IMPASTO_LAYER_CONV)
    tally_conv (tally, layer, h, w);
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

/* Memory is planned for the output size, and the coarser scales reuse it. The style images'
 * Grams are computed one image after the other into the same buffers, so another style image
 * costs its 8-bit copy only. */
gboolean
impasto_run_estimate_memory_for (ImpastoNetwork         *network,
                                 const ImpastoRunParams *params,
                                 guint                   n_styles,
                                 guint64                *bytes,
                                 GError                **error)
{
  guint c = 3, h = params->height, w = params->width;
  gsize n_pixels = (gsize) 3 * h * w;
  Tally tally = { .max_gram = 1 };
  int deepest;

  g_return_val_if_fail (network != NULL && params != NULL && bytes != NULL, FALSE);

  if ((deepest = impasto_run_params_find_deepest_layer (params, network, error)) < 0)
    return FALSE;

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
      if (layer->kind == IMPASTO_LAYER_POOL)
        {
          h = impasto_pool_out_size (h);
          w = impasto_pool_out_size (w);
        }
      else
        {
          c = layer->out_channels;
        }
      tally_stage (&tally, params, layer, c, h, w);
    }

  /* Two scratch maps, the workspace (never empty), a Gram matrix with its partial sums; the
   * image and its gradient, the optimiser's state; the last good image and the run's copies
   * of the content and style images, in 8 bits. */
  tally.floats += 2 * (guint64) tally.max_stage + MAX (tally.workspace, 1) + tally.max_gram
                  + 2 * (guint64) n_pixels + optimizer_floats (params, n_pixels);
  tally.bytes += (2 + (guint64) MAX (n_styles, 1)) * n_pixels;

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

gboolean
impasto_run_check_memory_for (ImpastoNetwork         *network,
                              const ImpastoRunParams *params,
                              guint                   n_styles,
                              GError                **error)
{
  guint64 needed, available;
  gboolean limited;
  g_autofree char *needed_text = NULL;
  g_autofree char *available_text = NULL;

  if (!impasto_run_estimate_memory_for (network, params, n_styles, &needed, error))
    return FALSE;

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
