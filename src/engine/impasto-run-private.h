/* impasto-run-private.h: what the benchmarks and tests may look at inside a run
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "impasto-conv.h"
#include "impasto-plan.h"
#include "impasto-run.h"

G_BEGIN_DECLS

/* The stages (layers) the run computes, up to its deepest loss layer. */
guint       impasto_run_get_n_stages      (ImpastoRun  *run);
const char *impasto_run_get_stage_name    (ImpastoRun  *run,
                                           guint        stage);
/* The convolution algorithm of a stage, or -1 for pooling. */
int         impasto_run_get_stage_algorithm (ImpastoRun *run,
                                             guint       stage);
/* Mean seconds of one pass through a stage since the last reset: forward (convolution and
 * ReLU, or pooling) and backward (the losses at that stage, then back to its input). A step
 * makes one of each, but for the last, whose gradient is never needed. */
void        impasto_run_get_stage_seconds (ImpastoRun  *run,
                                           guint        stage,
                                           double      *forward,
                                           double      *backward);
void        impasto_run_reset_stage_seconds (ImpastoRun *run);
/* The stage's style target (c x c floats) at the current scale, or NULL when it has none. */
const float *impasto_run_get_style_target (ImpastoRun  *run,
                                           guint        stage);

/* impasto_run_new_blend() with plan instead of the one the memory available chooses (NULL:
 * that one); plan must be made for the same network, params and style images' sizes. */
ImpastoRun *impasto_run_new_planned      (ImpastoNetwork             *network,
                                          const ImpastoRunParams     *params,
                                          const ImpastoImage         *content,
                                          const ImpastoImage *const  *styles,
                                          const double               *weights,
                                          guint                       n_styles,
                                          const ImpastoPlan          *plan,
                                          GError                    **error);
/* The run's plan: whole, or the strips it evaluates in. */
const ImpastoPlan *impasto_run_get_plan  (ImpastoRun                 *run);

/* Whether the run's buffers hold the whole image at its current scale (else it goes strip
 * by strip). */
gboolean    impasto_run_fits_whole_for_tests (ImpastoRun             *run);

/* Called on the run's thread with each coarse scale's last image, at that scale's own size
 * (the mean added back, clipped, the photo's colours not applied), before it is upsampled
 * to start the next: to measure how far the finer scales move away from it. */
typedef void (*ImpastoScaleFunc) (const ImpastoImage *image,
                                  guint               scale,
                                  gpointer            user_data);
void        impasto_run_set_scale_func    (ImpastoRun       *run,
                                           ImpastoScaleFunc  func,
                                           gpointer          user_data);

G_END_DECLS
