/* impasto-loss.h: the content and style losses of Gatys et al.
 *
 * Each returns a plain sum of squares (the caller applies the normalisation and the layer
 * weight) and adds grad_scale times the gradient of half that sum into grad.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns sum (x - p)^2; grad += grad_scale * (x - p) when grad is not NULL. */
double impasto_content_loss (const float *x,
                             const float *p,
                             gsize        n,
                             float        grad_scale,
                             float       *grad);

/* gram[n][n] = F F^T for the n x m matrix f (n channels of m pixels each). */
void   impasto_gram         (const float *f,
                             guint        n,
                             gsize        m,
                             float       *gram);

/* Returns sum (G - A)^2 with G = F F^T, using gram[n][n] as scratch;
 * grad[n][m] += grad_scale * (G - A) F when grad is not NULL. */
double impasto_style_loss   (const float *f,
                             guint        n,
                             gsize        m,
                             const float *a,
                             float        grad_scale,
                             float       *gram,
                             float       *grad);

G_END_DECLS
