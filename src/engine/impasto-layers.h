/* impasto-layers.h: VGG's layers, forward and backward to the input
 *
 * Feature maps are planar float32: channel c, row y, column x is at x[(c * h + y) * w + x].
 * Only gradients with respect to a layer's input are ever computed, never weight gradients.
 * Every function splits its work over pool (NULL: the calling thread alone); the results do not
 * depend on the number of threads.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "impasto-pool.h"

G_BEGIN_DECLS

/* Output size of 2x2 stride-2 SAME pooling. */
static inline guint
impasto_pool_out_size (guint size)
{
  return (size + 1) / 2;
}

/* Floats of scratch the convolutions want for a layer of this shape: one band of im2col
 * rows, bounded so that memory stays small whatever the image size. */
gsize impasto_conv3x3_workspace_size   (guint        in_c,
                                        guint        h,
                                        guint        w);

/* y[out_c][h][w] = bias + conv3x3(x[in_c][h][w]), zero padded, no ReLU. */
void  impasto_conv3x3_forward          (const float *x,
                                        guint        in_c,
                                        guint        h,
                                        guint        w,
                                        const float *weights,
                                        const float *bias,
                                        guint        out_c,
                                        float       *y,
                                        float       *workspace,
                                        gsize        workspace_len,
                                        ImpastoPool *pool);

/* dx[in_c][h][w] = the adjoint of the convolution applied to dy[out_c][h][w] (overwrites dx). */
void  impasto_conv3x3_backward_input   (const float *dy,
                                        guint        out_c,
                                        guint        h,
                                        guint        w,
                                        const float *weights,
                                        guint        in_c,
                                        float       *dx,
                                        float       *workspace,
                                        gsize        workspace_len,
                                        ImpastoPool *pool);

/* x = max (x, 0); when mask is not NULL, mask[i] = (x[i] > 0): the backward pass then needs
 * one byte per value instead of the float output. */
void  impasto_relu_forward             (float        *x,
                                        gsize         n,
                                        guint8       *mask,
                                        ImpastoPool  *pool);

/* dy *= (y > 0), where y is the ReLU's output. */
void  impasto_relu_backward            (const float  *y,
                                        float        *dy,
                                        gsize         n,
                                        ImpastoPool  *pool);
/* dy *= mask, the mask written by impasto_relu_forward(). */
void  impasto_relu_backward_mask       (const guint8 *mask,
                                        float        *dy,
                                        gsize         n,
                                        ImpastoPool  *pool);

/* y[c][(h+1)/2][(w+1)/2] = max over each 2x2 window that lies inside x; argmax[c][(h+1)/2]
 * [(w+1)/2] receives where in its window (2 * row + column) the first maximum in row-major
 * order was. */
void  impasto_maxpool2x2_forward       (const float  *x,
                                        guint         c,
                                        guint         h,
                                        guint         w,
                                        float        *y,
                                        guint8       *argmax,
                                        ImpastoPool  *pool);

/* dx[c][h][w] (overwritten) receives each dy at the maximum argmax names. */
void  impasto_maxpool2x2_backward      (const guint8 *argmax,
                                        const float  *dy,
                                        guint         c,
                                        guint         h,
                                        guint         w,
                                        float        *dx,
                                        ImpastoPool  *pool);

/* y[c][(h+1)/2][(w+1)/2] = the mean of each 2x2 window over its part inside x (a cut-short
 * window at an odd edge averages the two or one values it has, as TensorFlow's SAME pooling
 * does); it needs no record for the backward pass. */
void  impasto_avgpool2x2_forward       (const float  *x,
                                        guint         c,
                                        guint         h,
                                        guint         w,
                                        float        *y,
                                        ImpastoPool  *pool);

/* dx[c][h][w] (overwritten) receives each dy shared equally over its window's part inside. */
void  impasto_avgpool2x2_backward      (const float  *dy,
                                        guint         c,
                                        guint         h,
                                        guint         w,
                                        float        *dx,
                                        ImpastoPool  *pool);

G_END_DECLS
