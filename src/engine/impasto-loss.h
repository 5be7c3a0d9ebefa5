/* impasto-loss.h: the content and style losses of Gatys et al., and total variation
 *
 * Each returns a plain sum of squares (the caller applies the normalisation and the layer
 * weight) and adds grad_scale times the gradient of half that sum into grad. The work is split
 * over pool in fixed chunks, and partial sums are added in a fixed order, so the results do not
 * depend on the number of threads.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "impasto-pool.h"

G_BEGIN_DECLS

/* Returns sum (x - p)^2; grad += grad_scale * (x - p) when grad is not NULL. */
double impasto_content_loss (const float *x,
                             const float *p,
                             gsize        n,
                             float        grad_scale,
                             float       *grad,
                             ImpastoPool *pool);

/* Floats of scratch the Gram of n channels needs (the Gram itself and partial sums). */
gsize  impasto_gram_size    (guint        n);

/* gram[n][n] = F F^T for the n x m matrix f (n channels of m pixels each); gram holds
 * impasto_gram_size (n) floats. */
void   impasto_gram         (const float *f,
                             guint        n,
                             gsize        m,
                             float       *gram,
                             ImpastoPool *pool);

/* The same for channels ld floats apart (ld >= m): rows of a taller map. */
void   impasto_gram_strided (const float *f,
                             guint        n,
                             gsize        m,
                             gsize        ld,
                             float       *gram,
                             ImpastoPool *pool);

/* grad[n][m] += grad_scale * diff F, diff the n x n (G - A) of a Gram finished earlier. */
void   impasto_style_grad   (const float *f,
                             guint        n,
                             gsize        m,
                             const float *diff,
                             float        grad_scale,
                             float       *grad,
                             ImpastoPool *pool);

/* Returns sum (G - A)^2 with G = F F^T, using gram (impasto_gram_size (n) floats) as scratch;
 * grad[n][m] += grad_scale * (G - A) F when grad is not NULL. */
double impasto_style_loss   (const float *f,
                             guint        n,
                             gsize        m,
                             const float *a,
                             float        grad_scale,
                             float       *gram,
                             float       *grad,
                             ImpastoPool *pool);

/* Total variation of c (at most 4) planes of h x w: returns the sum of (x[y][x+1] - x[y][x])^2 and
 * (x[y+1][x] - x[y][x])^2 over every plane; grad[c][h][w] += grad_scale times the gradient
 * of half that sum when grad is not NULL. */
double impasto_tv_loss      (const float *x,
                             guint        c,
                             guint        h,
                             guint        w,
                             float        grad_scale,
                             float       *grad,
                             ImpastoPool *pool);

G_END_DECLS
