/* impasto-run-memory.h: how much memory a run takes, known before it allocates any
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "impasto-run.h"

G_BEGIN_DECLS

/* Bytes a run of params on network takes: the feature maps (or masks) of every layer it
 * computes, the scratch and gradient buffers, the content and style targets, the
 * convolutions' workspace and transformed weights, the optimiser's state, the image and its
 * 8-bit copies, and the weights of the layers it uses (already in memory once the network is
 * loaded, counted all the same to stay on the safe side). Fails as impasto_run_new() would
 * when params name a layer the network lacks. */
gboolean impasto_run_estimate_memory  (ImpastoNetwork         *network,
                                       const ImpastoRunParams *params,
                                       guint64                *bytes,
                                       GError                **error);
/* The same for a run with n_styles style images. Without the images at hand, each is taken
 * to have the output's proportions, at style_scale times its sides (the output's size when
 * params stretch it to the output). */
gboolean impasto_run_estimate_memory_for (ImpastoNetwork         *network,
                                          const ImpastoRunParams *params,
                                          guint                   n_styles,
                                          guint64                *bytes,
                                          GError                **error);
/* The same with the style images' own sizes (width, height) at the output scale: the plan
 * widens the buffers they go through, whole or in parts, when they are larger than the
 * output. */
gboolean impasto_run_estimate_memory_sized (ImpastoNetwork         *network,
                                            const ImpastoRunParams *params,
                                            const guint             style_sizes[][2],
                                            guint                   n_styles,
                                            guint64                *bytes,
                                            GError                **error);

typedef struct
{
  guint64 bytes;       /* what impasto_run_estimate_memory_for() gives */
  guint   tile_rows;   /* image rows per part, 0 when the image is evaluated whole */
  guint   tile_cols;   /* image columns per tile, 0 for strips of the full width */
  double  work;        /* multiply-adds of the convolutions in one step */
  double  work_ratio;  /* work against the whole image's, 1 when whole; strips recompute */
  double  seconds_per_step;  /* from impasto_run_get_estimate() only, else 0 */
} ImpastoRunEstimate;

/* The plan a run of params would take with the memory there is now (or its limit): the
 * whole image when it fits, else strips or tiles. When even the smallest tiles do not fit,
 * the estimate is theirs, and impasto_run_check_memory_for() refuses the run. */
gboolean impasto_run_estimate         (ImpastoNetwork         *network,
                                       const ImpastoRunParams *params,
                                       guint                   n_styles,
                                       ImpastoRunEstimate     *estimate,
                                       GError                **error);
gboolean impasto_run_estimate_sized   (ImpastoNetwork         *network,
                                       const ImpastoRunParams *params,
                                       const guint             style_sizes[][2],
                                       guint                   n_styles,
                                       ImpastoRunEstimate     *estimate,
                                       GError                **error);

/* What the rest of the process holds beside a run of params (code and libraries, the images
 * a front end hands over): a limit or the memory available is planned for less this, so that
 * the whole process stays within it. style_sizes as for impasto_run_estimate_sized(). */
guint64  impasto_run_memory_beside    (const ImpastoRunParams *params,
                                       const guint             style_sizes[][2],
                                       guint                   n_styles);

/* The estimate of the plan run was made with, and the seconds a step of it should take on
 * this machine: its work at the rate one of its convolutions runs at here, timed on a small
 * plane with the run's threads (a few tens of milliseconds). */
void     impasto_run_get_estimate     (ImpastoRun             *run,
                                       ImpastoRunEstimate     *estimate);

/* What the machine can give a new allocation now: MemAvailable from /proc/meminfo (free
 * memory plus caches the kernel can drop), less where a cgroup v2 memory limit is closer. */
guint64  impasto_memory_get_available (void);

/* Refuses a run that does not fit what is available (or params->memory_limit, when set and
 * lower) even in tiles, with both figures in the message. */
gboolean impasto_run_check_memory     (ImpastoNetwork         *network,
                                       const ImpastoRunParams *params,
                                       GError                **error);
gboolean impasto_run_check_memory_for (ImpastoNetwork         *network,
                                       const ImpastoRunParams *params,
                                       guint                   n_styles,
                                       GError                **error);
gboolean impasto_run_check_memory_sized (ImpastoNetwork         *network,
                                         const ImpastoRunParams *params,
                                         const guint             style_sizes[][2],
                                         guint                   n_styles,
                                         GError                **error);

G_END_DECLS
