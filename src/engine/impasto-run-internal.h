/* impasto-run-internal.h: the run's insides, shared by impasto-run.c (the network, its memory
 * and the objective) and impasto-run-execute.c (scales, optimisers and progress)
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "impasto-adam.h"
#include "impasto-conv.h"
#include "impasto-lbfgs.h"
#include "impasto-plan.h"
#include "impasto-pool.h"
#include "impasto-run-private.h"

G_BEGIN_DECLS

#define RATE_WINDOW 10      /* steps averaged for seconds_per_step */
#define LBFGS_HISTORY 8     /* the (s, y) pairs L-BFGS keeps */

/* One layer of the network as this run uses it, at the current scale. */
typedef struct
{
  const ImpastoLayer *layer;
  ImpastoConv *conv;            /* convolutions only */
  guint    in_c, in_h, in_w;
  guint    c, h, w;             /* output shape: the image's, or a part's */
  guint    full_h, full_w;      /* the whole image's at the current scale */
  gsize    capacity;            /* values out or mask holds */
  gboolean has_content;
  gboolean has_style;
  float   *out;                 /* post-ReLU output, kept when a loss uses it */
  guint8  *mask;                /* otherwise: the ReLU mask, or the pooling argmax */
  double   content_weight;      /* already divided by the number of content layers */
  double   style_weight;        /* likewise */
  float   *content_target;      /* c x h x w */
  float   *style_target;        /* c x c Gram matrix */
  double  *gram_sum;            /* in parts: the Gram summed over them */
  float   *style_diff;          /* in parts: G - A, for the backward pass */
  double   content_ss;          /* in parts: sums of squares over them */
  double   style_ss;
  double   forward_seconds;
  double   backward_seconds;
  guint    forward_passes;     /* since the last reset, to average the seconds over */
  guint    backward_passes;
} Stage;

struct _ImpastoRun
{
  ImpastoNetwork   *network;
  ImpastoRunParams *params;
  ImpastoPool      *pool;
  ImpastoPlan      *plan;
  float           **kept_in;       /* in parts: each segment's input, whole (NULL for the first) */
  float            *kept_grad[2];  /* in parts: their gradients, passed back between segments */
  float             mean[3];
  ImpastoImage     *content;       /* at the output size */
  ImpastoImage    **styles;        /* n_styles of them, at the output size or their own
                                    * (style_scale) */
  double           *style_weights; /* normalised to sum 1 */
  guint             n_styles;
  guint             n_stages;
  Stage            *stages;
  float            *scratch_a;     /* forward outputs that are not kept, then gradients */
  float            *scratch_b;
  float            *workspace;
  gsize             workspace_len;
  float            *gram;

  /* The current scale. */
  guint             scale;         /* 0: the output size */
  guint             width;
  guint             height;
  gsize             n_pixels;      /* 3 x height x width */
  float            *x;             /* the image being optimised, planar, mean subtracted */
  float            *grad;
  double            loss;          /* at x */
  double            content_loss;
  double            style_loss;
  double            tv_loss;

  ImpastoAdam      *adam;
  ImpastoLbfgs     *lbfgs;
  GCancellable     *cancellable;   /* during impasto_run_execute() */
  ImpastoImage     *last_good;     /* the last image whose loss was finite, output size */
  gboolean          diverged;
  gboolean          started;
  guint             step;          /* over all scales */
  guint             scale_done;    /* steps made at the current scale */
  int               extra_steps;   /* added at the output size by a Continue */
  guint64           evaluations;
  double            step_seconds[RATE_WINDOW];
  guint             step_scales[RATE_WINDOW];   /* the scale each of them was made at */
  gint64            clock_start;   /* when the optimisation began, pauses left out */
  gint64            elapsed_usec;  /* of the executions before this one */
  gboolean          executing;
  gboolean          reported;      /* step was reported already */
  ImpastoScaleFunc  scale_func;    /* for benchmarks: each coarse scale's result */
  gpointer          scale_data;

  /* What other threads ask for, taken between two steps */
  GMutex            control_lock;
  GCond             control_changed;
  GArray           *pending;       /* ImpastoSteer not yet due */
  GArray           *steering_log;  /* ImpastoSteer made, at the steps they took effect */
  gboolean          paused;
  gboolean          holding;         /* the worker waits, paused, between two steps */
};

/* The plan for the memory there is (or params' limit), or NULL with the figures in error. */
ImpastoPlan *impasto_run_choose_plan   (ImpastoNetwork         *network,
                                        const ImpastoRunParams *params,
                                        const guint             style_sizes[][2],
                                        guint                   n_styles,
                                        GError                **error);
gboolean impasto_run_plan              (ImpastoRun         *run,
                                        const ImpastoPlan  *plan,
                                        GError            **error);
/* The convolution algorithm a layer of this shape runs with, on h x w planes at the output
 * size. */
ImpastoConvAlgorithm impasto_run_choose_algorithm (guint in_c,
                                                   guint out_c,
                                                   guint h,
                                                   guint w);
gboolean impasto_run_stage_needs_mask  (const ImpastoRunParams *params,
                                        const ImpastoLayer     *layer);
void     impasto_run_free_stages       (ImpastoRun         *run);
void     impasto_run_set_size          (ImpastoRun         *run,
                                        guint               width,
                                        guint               height);
void     impasto_run_compute_targets   (ImpastoRun         *run);
void     impasto_run_image_to_planes   (const ImpastoImage *image,
                                        const float         mean[3],
                                        float              *planes);
gboolean impasto_run_evaluate_at       (ImpastoRun         *run,
                                        const float        *image,
                                        float              *grad,
                                        double             *total,
                                        double             *content,
                                        double             *style,
                                        double             *tv,
                                        GCancellable       *cancellable);

float   *impasto_run_stage_output      (ImpastoRun         *run,
                                        Stage              *stage,
                                        const float        *in);
void     impasto_run_forward_stage     (ImpastoRun         *run,
                                        Stage              *stage,
                                        const float        *in,
                                        float              *out);
void     impasto_run_backward_stage    (ImpastoRun         *run,
                                        Stage              *stage,
                                        float              *g,
                                        float              *dst);
double   impasto_run_content_scale     (const Stage        *stage);
double   impasto_run_style_scale       (ImpastoRun         *run,
                                        const Stage        *stage);
/* Multiply-adds a second, as the plan counts them, of the run's heaviest convolution forward
 * and backward on a small plane. */
double   impasto_run_measure_rate      (ImpastoRun         *run);
/* Whether the buffers hold the whole image at the current scale. */
gboolean impasto_run_fits_whole        (ImpastoRun         *run);

/* impasto-run-tiled.c: the objective and the targets part by part, for a plan in parts
 * when the current scale does not fit whole. */
gboolean impasto_run_evaluate_tiled    (ImpastoRun         *run,
                                        const float        *image,
                                        float              *grad,
                                        double             *content,
                                        double             *style,
                                        GCancellable       *cancellable);
void     impasto_run_targets_tiled     (ImpastoRun         *run,
                                        const float        *content_planes,
                                        gboolean            content);

G_END_DECLS
