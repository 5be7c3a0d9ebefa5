/* impasto-plan.h: the shapes, algorithms and buffer sizes of a run, for its size and its
 * parts; both the allocation and the memory estimate read them
 *
 * A plan evaluates the whole image at once, or in parts: horizontal strips of the full width,
 * or tiles cut in both directions. In parts, the chain of stages is cut into segments after
 * some poolings; the input of every segment but the first (which is the image) is kept whole,
 * with its gradient, and each segment runs part by part on its rows and columns plus a halo
 * on every side wide enough that the part's own pixels come out exact.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "impasto-conv.h"
#include "impasto-network.h"
#include "impasto-run.h"

G_BEGIN_DECLS

typedef struct
{
  guint first, end;   /* stages [first, end) */
  guint shift;        /* poolings before the segment: its rows are the image's >> shift */
  guint align;        /* 2^(poolings inside): where parts and halos may start */
  guint halo;         /* rows and columns of the segment's input on every side of a part,
                       * forward */
  guint halo_back;    /* the same for the backward pass, which recomputes the forward */
  guint rows;         /* rows of its input per part: the first segment's tile_rows, the
                       * others as many as fit the first's buffers (a whole segment in one
                       * part keeps its forward pass for the backward one) */
  guint cols;         /* columns of its input per part; 0: strips, the image's full width */
  gsize kept;         /* floats of its input kept whole (0 for the first): the largest of the
                       * output's and the style images' */
} ImpastoPlanSegment;

typedef struct
{
  guint    c, h, w;       /* output shape at the output size */
  gboolean keeps_out;     /* a loss reads its float output */
  gboolean needs_mask;    /* otherwise: a byte per value for the backward pass */
  gsize    capacity;      /* values its buffer holds: c x h x w, or a part's worth */
  ImpastoConvAlgorithm algorithm;
} ImpastoPlanStage;

typedef struct
{
  guint               width, height;
  guint               n_stages;
  ImpastoPlanStage   *stages;
  guint               tile_rows;     /* image rows per part of the first segment; 0: the
                                      * whole image at once */
  guint               tile_cols;     /* image columns per part; 0: strips of the full width */
  guint               n_segments;
  ImpastoPlanSegment *segments;
  gsize               scratch;       /* floats in each of the two scratch buffers */
  gsize               scratch_a;     /* the first one's, which also holds the image's planes */
  gsize               planes;        /* floats of the gradient, which also holds the planes of
                                      * each image the targets are made from */
  gsize               workspace;
  gsize               gram;
  gsize               kept_inputs;   /* floats of every segment input kept whole */
  gsize               kept_grad[2];  /* floats in the two buffers of their gradients: the
                                      * odd segments' inputs, and the even ones' */
  guint64             bytes;         /* everything the run allocates, network included */
  double              work;          /* multiply-adds of the convolutions in one step */
} ImpastoPlan;

/* The plan the run takes: the whole image when it fits in budget bytes, else the strips or
 * square tiles that fit and cost the least work; NULL (with both figures in error) when
 * nothing fits.
 * style_sizes holds each style image's width and height at the output scale (NULL: the
 * output's): a style image goes through the same buffers, whole or in the same parts, to
 * make its Grams, and they are widened to it when it is larger than the output. */
ImpastoPlan *impasto_plan_choose   (const ImpastoNetwork   *network,
                                    const ImpastoRunParams *params,
                                    const guint             style_sizes[][2],
                                    guint                   n_styles,
                                    guint64                 budget,
                                    GError                **error);
/* A plan of tile_rows x tile_cols parts (tile_rows 0: whole; tile_cols 0: strips of the full
 * width), cutting after every pooling in cuts (a bit per stage index); both are rounded up to
 * what the poolings need. */
ImpastoPlan *impasto_plan_new      (const ImpastoNetwork   *network,
                                    const ImpastoRunParams *params,
                                    const guint             style_sizes[][2],
                                    guint                   n_styles,
                                    guint                   tile_rows,
                                    guint                   tile_cols,
                                    guint64                 cuts,
                                    GError                **error);
ImpastoPlan *impasto_plan_copy     (const ImpastoPlan      *plan);
void         impasto_plan_free     (ImpastoPlan            *plan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoPlan, impasto_plan_free)

G_END_DECLS
