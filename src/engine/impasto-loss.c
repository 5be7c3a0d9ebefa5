/* impasto-loss.c
 *
 * Sums are accumulated in double: a layer holds up to millions of terms, and float
 * accumulation would lose the small late-run changes the optimiser is chasing.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cblas.h>

#include "impasto-loss.h"

double
impasto_content_loss (const float *x,
                      const float *p,
                      gsize        n,
                      float        grad_scale,
                      float       *grad)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      float d = x[i] - p[i];

      sum += (double) d * d;
      if (grad != NULL)
        grad[i] += grad_scale * d;
    }

  return sum;
}

void
impasto_gram (const float *f,
              guint        n,
              gsize        m,
              float       *gram)
{
  cblas_ssyrk (CblasRowMajor, CblasUpper, CblasNoTrans, n, m, 1.f, f, m, 0.f, gram, n);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < i; j++)
      gram[(gsize) i * n + j] = gram[(gsize) j * n + i];
}

double
impasto_style_loss (const float *f,
                    guint        n,
                    gsize        m,
                    const float *a,
                    float        grad_scale,
                    float       *gram,
                    float       *grad)
{
  double sum = 0.0;

  impasto_gram (f, n, m, gram);
  for (gsize i = 0; i < (gsize) n * n; i++)
    {
      gram[i] -= a[i];
      sum += (double) gram[i] * gram[i];
    }

  /* G - A is symmetric, so d/dF of sum (G - A)^2 is 4 (G - A) F; the factor is in grad_scale. */
  if (grad != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m, n,
                 grad_scale, gram, n, f, m, 1.f, grad, m);

  return sum;
}
