/* impasto-conv.h: one 3x3 convolution layer planned for a run: its algorithm and its
 * transformed weights, for any image size
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "impasto-pool.h"
#include "impasto-winograd.h"

G_BEGIN_DECLS

typedef enum
{
  IMPASTO_CONV_IM2COL,         /* banded im2col and one sgemm: the reference fast path */
  IMPASTO_CONV_WINOGRAD_2X2,
  IMPASTO_CONV_WINOGRAD_3X3,
  IMPASTO_CONV_WINOGRAD_4X4,
} ImpastoConvAlgorithm;

#define IMPASTO_CONV_N_ALGORITHMS 4

typedef struct
{
  ImpastoConvAlgorithm algorithm;
  guint                in_c, out_c;
  const float         *weights;   /* [out][in][3][3], borrowed */
  const float         *bias;      /* [out], borrowed */
  float               *u;         /* owned: the Winograd-transformed weights, or NULL */
} ImpastoConv;

const char  *impasto_conv_algorithm_name    (ImpastoConvAlgorithm algorithm);
/* Floats the transformed weights of this algorithm take (0 for im2col). */
gsize        impasto_conv_weights_size      (ImpastoConvAlgorithm algorithm,
                                             guint                in_c,
                                             guint                out_c);

/* weights and bias must outlive the convolution. */
ImpastoConv *impasto_conv_new               (ImpastoConvAlgorithm algorithm,
                                             guint                in_c,
                                             guint                out_c,
                                             const float         *weights,
                                             const float         *bias);
void         impasto_conv_free              (ImpastoConv         *conv);
/* Floats of scratch that forward and backward want at h x w. */
gsize        impasto_conv_workspace_size    (const ImpastoConv   *conv,
                                             guint                h,
                                             guint                w);
/* y = bias + conv(x), no ReLU; x is in_c x h x w, y out_c x h x w. */
void         impasto_conv_forward           (const ImpastoConv   *conv,
                                             const float         *x,
                                             guint                h,
                                             guint                w,
                                             float               *y,
                                             float               *workspace,
                                             gsize                workspace_len,
                                             ImpastoPool         *pool);
/* y = max (0, bias + conv(x)); mask, when not NULL, receives y > 0. Winograd does the ReLU
 * while each output row is still in cache. */
void         impasto_conv_forward_relu      (const ImpastoConv   *conv,
                                             const float         *x,
                                             guint                h,
                                             guint                w,
                                             float               *y,
                                             guint8              *mask,
                                             float               *workspace,
                                             gsize                workspace_len,
                                             ImpastoPool         *pool);
/* dx = conv^T (dy * relu'), relu' = (relu_y > 0) or relu_mask, exactly one of them given:
 * the backward of impasto_conv_forward_relu(). dy may be overwritten. */
void         impasto_conv_backward_relu     (const ImpastoConv   *conv,
                                             float               *dy,
                                             const float         *relu_y,
                                             const guint8        *relu_mask,
                                             guint                h,
                                             guint                w,
                                             float               *dx,
                                             float               *workspace,
                                             gsize                workspace_len,
                                             ImpastoPool         *pool);
/* dx = conv^T (dy), overwriting dx. */
void         impasto_conv_backward_input    (const ImpastoConv   *conv,
                                             const float         *dy,
                                             guint                h,
                                             guint                w,
                                             float               *dx,
                                             float               *workspace,
                                             gsize                workspace_len,
                                             ImpastoPool         *pool);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoConv, impasto_conv_free)

G_END_DECLS
