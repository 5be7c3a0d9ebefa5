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
/* The same for a run with n_styles style images. */
gboolean impasto_run_estimate_memory_for (ImpastoNetwork         *network,
                                          const ImpastoRunParams *params,
                                          guint                   n_styles,
                                          guint64                *bytes,
                                          GError                **error);
/* The same with the style images' own sizes (width, height), which the buffers they go
 * through are widened to when larger than the output. */
gboolean impasto_run_estimate_memory_sized (ImpastoNetwork         *network,
                                            const ImpastoRunParams *params,
                                            const guint             style_sizes[][2],
                                            guint                   n_styles,
                                            guint64                *bytes,
                                            GError                **error);

/* What the machine can give a new allocation now: MemAvailable from /proc/meminfo (free
 * memory plus caches the kernel can drop), less where a cgroup v2 memory limit is closer. */
guint64  impasto_memory_get_available (void);

/* Refuses a run whose estimate exceeds what is available (or params->memory_limit, when set
 * and lower), with both figures in the message. */
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
