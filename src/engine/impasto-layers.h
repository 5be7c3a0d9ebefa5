/* impasto-layers.h: VGG's layers, forward and backward to the input
 *
 * Feature maps are planar float32: channel c, row y, column x is at x[(c * h + y) * w + x].
 * Only gradients with respect to a layer's input are ever computed, never weight gradients.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

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
                                        gsize        workspace_len);

/* dx[in_c][h][w] = the adjoint of the convolution applied to dy[out_c][h][w] (overwrites dx). */
void  impasto_conv3x3_backward_input   (const float *dy,
                                        guint        out_c,
                                        guint        h,
                                        guint        w,
                                        const float *weights,
                                        guint        in_c,
                                        float       *dx,
                                        float       *workspace,
                                        gsize        workspace_len);

void  impasto_relu_forward             (float       *x,
                                        gsize        n);

/* dy *= (y > 0), where y is the ReLU's output. */
void  impasto_relu_backward            (const float *y,
                                        float       *dy,
                                        gsize        n);

/* y[c][(h+1)/2][(w+1)/2] = max over each 2x2 window that lies inside x. */
void  impasto_maxpool2x2_forward       (const float *x,
                                        guint        c,
                                        guint        h,
                                        guint        w,
                                        float       *y);

/* dx (overwritten) receives each dy at its window's first maximum in row-major order. */
void  impasto_maxpool2x2_backward      (const float *x,
                                        const float *dy,
                                        guint        c,
                                        guint        h,
                                        guint        w,
                                        float       *dx);

G_END_DECLS
