/* impasto-winograd.h: 3x3 SAME convolutions by Winograd's minimal filtering
 *
 * F(m x m, 3x3) computes an m x m block of outputs from a (m + 2) x (m + 2) input tile with
 * (m + 2)^2 multiplications per channel pair instead of 9 m^2: 2.25x fewer for F(2x2), 3.24x
 * fewer for F(3x3), 4x fewer for F(4x4). The products of a band of tiles are (m + 2)^2 independent sgemm calls,
 * [out x in] x [in x tiles], one per position of the transformed tile.
 *
 * Feature maps are planar as in impasto-layers.h.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "impasto-pool.h"

G_BEGIN_DECLS

typedef enum
{
  IMPASTO_WINOGRAD_2X2,   /* F(2x2, 3x3): 4x4 tiles */
  IMPASTO_WINOGRAD_3X3,   /* F(3x3, 3x3): 5x5 tiles */
  IMPASTO_WINOGRAD_4X4,   /* F(4x4, 3x3): 6x6 tiles */
} ImpastoWinograd;

/* Floats of transformed weights for one layer: (m + 2)^2 matrices of [out_c][in_c]. */
gsize impasto_winograd_weights_size   (ImpastoWinograd  kind,
                                       guint            in_c,
                                       guint            out_c);
/* u = G g G^T for every (out, in) pair of weights[out_c][in_c][3][3]; computed once per run. */
void  impasto_winograd_transform_weights (ImpastoWinograd  kind,
                                          const float     *weights,
                                          guint            in_c,
                                          guint            out_c,
                                          float           *u);

/* Floats of scratch for one band of tiles, bounded whatever the image size. */
gsize impasto_winograd_workspace_size (ImpastoWinograd  kind,
                                       guint            in_c,
                                       guint            out_c,
                                       guint            h,
                                       guint            w);

/* y[out_c][h][w] = bias + conv3x3(x[in_c][h][w]), zero padded; u from
 * impasto_winograd_transform_weights(). With relu, y = max (0, y) and mask (when not NULL)
 * receives y > 0. Any workspace of at least one tile row works. */
void  impasto_winograd_forward        (ImpastoWinograd  kind,
                                       const float     *x,
                                       guint            in_c,
                                       guint            h,
                                       guint            w,
                                       const float     *u,
                                       const float     *bias,
                                       guint            out_c,
                                       gboolean         relu,
                                       float           *y,
                                       guint8          *mask,
                                       float           *workspace,
                                       gsize            workspace_len,
                                       ImpastoPool     *pool);

/* dx[in_c][h][w] = the adjoint of the convolution applied to dy[out_c][h][w] (overwrites
 * dx), from the same u as the forward. With relu_y or relu_mask, dy is first passed back
 * through the ReLU: taken where relu_y > 0 (or relu_mask is set), 0 elsewhere. */
void  impasto_winograd_backward_input (ImpastoWinograd  kind,
                                       const float     *dy,
                                       const float     *relu_y,
                                       const guint8    *relu_mask,
                                       guint            out_c,
                                       guint            h,
                                       guint            w,
                                       const float     *u,
                                       guint            in_c,
                                       float           *dx,
                                       float           *workspace,
                                       gsize            workspace_len,
                                       ImpastoPool     *pool);

G_END_DECLS
