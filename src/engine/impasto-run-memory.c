/* impasto-run-memory.c: how much memory a run takes, known before it allocates any
 *
 * The estimate is the plan's (impasto-plan.c), the one impasto-run.c allocates by;
 * tests/test-run-memory.c holds it to what impasto_run_new() and a run really allocate.
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

#include "impasto-plan.h"
#include "impasto-run-internal.h"
#include "impasto-run-memory.h"

gboolean
impasto_run_estimate_memory (ImpastoNetwork         *network,
                             const ImpastoRunParams *params,
                             guint64                *bytes,
                             GError                **error)
{
  return impasto_run_estimate_memory_for (network, params, 1, bytes, error);
}

/* Another painting of the same area differs only in how its sides round at each pooling. */
static guint
assume_style_sizes (const ImpastoRunParams *params,
                    guint                   n_styles,
                    guint                   sizes[][2])
{
  double scale = params->style_scale > 0 ? params->style_scale : 1.0;

  n_styles = CLAMP (n_styles, 1, IMPASTO_MAX_STYLES);
  for (guint i = 0; i < n_styles; i++)
    {
      sizes[i][0] = (guint) MAX (round (params->width * scale), 1.0);
      sizes[i][1] = (guint) MAX (round (params->height * scale), 1.0);
    }
  return n_styles;
}

gboolean
impasto_run_estimate_memory_for (ImpastoNetwork         *network,
                                 const ImpastoRunParams *params,
                                 guint                   n_styles,
                                 guint64                *bytes,
                                 GError                **error)
{
  ImpastoRunEstimate estimate;

  g_return_val_if_fail (bytes != NULL, FALSE);

  if (!impasto_run_estimate (network, params, n_styles, &estimate, error))
    return FALSE;

  *bytes = estimate.bytes;
  return TRUE;
}

gboolean
impasto_run_estimate_memory_sized (ImpastoNetwork         *network,
                                   const ImpastoRunParams *params,
                                   const guint             style_sizes[][2],
                                   guint                   n_styles,
                                   guint64                *bytes,
                                   GError                **error)
{
  ImpastoRunEstimate estimate;

  g_return_val_if_fail (bytes != NULL, FALSE);

  if (!impasto_run_estimate_sized (network, params, style_sizes, n_styles, &estimate, error))
    return FALSE;

  *bytes = estimate.bytes;
  return TRUE;
}

/* What the process holds beside the run's own buffers: its code and libraries, the decoded
 * photos and BLAS's packing buffers (20 MB measured, a 64x48 run's peak resident set less
 * its estimate, and 4 MB to spare), and the images a front end hands over, 8 bits a
 * channel, alive while the run is made: the photo at the output's size and each painting
 * at its own (style_sizes; NULL: the output's). */
#define PROCESS_BYTES ((guint64) 24 * 1000 * 1000)

guint64
impasto_run_memory_beside (const ImpastoRunParams *params,
                           const guint             style_sizes[][2],
                           guint                   n_styles)
{
  guint64 pixels;

  g_return_val_if_fail (params != NULL, 0);

  pixels = (guint64) params->width * params->height;
  for (guint k = 0; k < n_styles; k++)
    pixels += style_sizes != NULL ? (guint64) style_sizes[k][0] * style_sizes[k][1]
                                  : (guint64) params->width * params->height;
  return PROCESS_BYTES + 3 * pixels;
}

/* The memory a run may take: the limit when one is set below what is available. */
static guint64
memory_limit (const ImpastoRunParams *params,
              gboolean               *limited)
{
  guint64 available = impasto_memory_get_available ();

  *limited = params->memory_limit > 0 && params->memory_limit < available;
  return *limited ? params->memory_limit : available;
}

/* What the run's buffers may take of it, the rest of the process left room. */
static guint64
memory_budget (const ImpastoRunParams *params,
               const guint             style_sizes[][2],
               guint                   n_styles,
               gboolean               *limited)
{
  guint64 limit = memory_limit (params, limited);
  guint64 outside = impasto_run_memory_beside (params, style_sizes, n_styles);

  return limit > outside ? limit - outside : 0;
}

static void
fill_estimate (ImpastoRunEstimate *estimate,
               const ImpastoPlan  *plan,
               const ImpastoPlan  *whole)
{
  estimate->bytes = plan->bytes;
  estimate->tile_rows = plan->tile_rows;
  estimate->tile_cols = plan->tile_cols;
  estimate->work = plan->work;
  estimate->work_ratio = whole->work > 0 ? plan->work / whole->work : 1.0;
  estimate->seconds_per_step = 0.0;
}

gboolean
impasto_run_estimate (ImpastoNetwork         *network,
                      const ImpastoRunParams *params,
                      guint                   n_styles,
                      ImpastoRunEstimate     *estimate,
                      GError                **error)
{
  guint sizes[IMPASTO_MAX_STYLES][2];

  g_return_val_if_fail (params != NULL, FALSE);

  n_styles = assume_style_sizes (params, n_styles, sizes);
  return impasto_run_estimate_sized (network, params, (const guint (*)[2]) sizes, n_styles,
                                     estimate, error);
}

gboolean
impasto_run_estimate_sized (ImpastoNetwork         *network,
                            const ImpastoRunParams *params,
                            const guint             style_sizes[][2],
                            guint                   n_styles,
                            ImpastoRunEstimate     *estimate,
                            GError                **error)
{
  g_autoptr(ImpastoPlan) plan = NULL;
  g_autoptr(ImpastoPlan) whole = NULL;
  gboolean limited;

  g_return_val_if_fail (network != NULL && params != NULL && estimate != NULL, FALSE);

  plan = impasto_plan_choose (network, params, style_sizes, n_styles,
                              memory_budget (params, style_sizes, n_styles, &limited), error);
  if (plan == NULL)
    return FALSE;

  whole = impasto_plan_new (network, params, style_sizes, n_styles, 0, 0, 0, error);
  fill_estimate (estimate, plan, whole);
  return TRUE;
}

void
impasto_run_get_estimate (ImpastoRun         *run,
                          ImpastoRunEstimate *estimate)
{
  g_autoptr(ImpastoPlan) whole = NULL;
  guint sizes[IMPASTO_MAX_STYLES][2];

  g_return_if_fail (run != NULL && estimate != NULL);

  for (guint k = 0; k < run->n_styles; k++)
    {
      sizes[k][0] = run->styles[k]->width;
      sizes[k][1] = run->styles[k]->height;
    }
  whole = impasto_plan_new (run->network, run->params, (const guint (*)[2]) sizes,
                            run->n_styles, 0, 0, 0, NULL);
  fill_estimate (estimate, run->plan, whole);
  estimate->seconds_per_step = run->plan->work / impasto_run_measure_rate (run);
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

/* What cannot fit even in the smallest tiles: L-BFGS's history alone, or everything. */
static void
set_too_big (const ImpastoRunParams *params,
             const ImpastoPlan      *plan,
             guint64                 outside,
             guint64                 limit,
             gboolean                limited,
             GError                **error)
{
  g_autofree char *needed = g_format_size (plan->bytes + outside);
  g_autofree char *room = g_format_size (limit);
  g_autofree char *what = plan->tile_rows > 0 && plan->tile_cols > 0
                          ? g_strdup_printf (" even in tiles of %u×%u", plan->tile_cols,
                                             plan->tile_rows)
                          : plan->tile_rows > 0
                          ? g_strdup_printf (" even in strips of %u rows", plan->tile_rows)
                          : g_strdup ("");
  g_autofree char *history = g_format_size ((guint64) 2 * LBFGS_HISTORY * 3 * params->width
                                            * params->height * sizeof (float));
  g_autofree char *lbfgs = params->optimizer == IMPASTO_OPTIMIZER_LBFGS
                           ? g_strdup_printf (" (L-BFGS keeps %s of history; Adam needs far "
                                              "less)", history)
                           : g_strdup ("");

  if (limited)
    g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_MEMORY,
                 "A %u×%u run needs at least %s of memory%s, more than its limit of %s%s; "
                 "choose a smaller output size or a higher limit",
                 params->width, params->height, needed, what, room, lbfgs);
  else
    g_set_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_MEMORY,
                 "A %u×%u run needs at least %s of memory%s, but only %s is available%s; "
                 "choose a smaller output size or close other programs",
                 params->width, params->height, needed, what, room, lbfgs);
}

ImpastoPlan *
impasto_run_choose_plan (ImpastoNetwork         *network,
                         const ImpastoRunParams *params,
                         const guint             style_sizes[][2],
                         guint                   n_styles,
                         GError                **error)
{
  gboolean limited;
  guint64 budget = memory_budget (params, style_sizes, n_styles, &limited);
  g_autoptr(ImpastoPlan) plan = impasto_plan_choose (network, params, style_sizes, n_styles,
                                                     budget, error);

  if (plan == NULL)
    return NULL;
  if (plan->bytes > budget)
    {
      set_too_big (params, plan, impasto_run_memory_beside (params, style_sizes, n_styles),
                   memory_limit (params, &limited), limited, error);
      return NULL;
    }

  return g_steal_pointer (&plan);
}

gboolean
impasto_run_check_memory_for (ImpastoNetwork         *network,
                              const ImpastoRunParams *params,
                              guint                   n_styles,
                              GError                **error)
{
  guint sizes[IMPASTO_MAX_STYLES][2];

  g_return_val_if_fail (params != NULL, FALSE);

  n_styles = assume_style_sizes (params, n_styles, sizes);
  return impasto_run_check_memory_sized (network, params, (const guint (*)[2]) sizes,
                                         n_styles, error);
}

gboolean
impasto_run_check_memory_sized (ImpastoNetwork         *network,
                                const ImpastoRunParams *params,
                                const guint             style_sizes[][2],
                                guint                   n_styles,
                                GError                **error)
{
  g_autoptr(ImpastoPlan) plan = impasto_run_choose_plan (network, params, style_sizes,
                                                         n_styles, error);

  return plan != NULL;
}
