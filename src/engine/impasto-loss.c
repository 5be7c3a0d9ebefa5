/* impasto-loss.c
 *
 * Sums are accumulated in double: a layer holds up to millions of terms, and float
 * accumulation would lose the small late-run changes the optimiser is chasing.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <cblas.h>

#include "impasto-loss.h"

/* The content loss in this many partial sums, the Gram in this many partial Grams, each over
 * a fixed range of pixels whatever the number of threads. */
#define CONTENT_PARTS 64
#define GRAM_PARTS 4
/* Total variation in this many bands of rows per plane, of at most TV_MAX_PLANES planes. */
#define TV_BANDS 16
#define TV_MAX_PLANES 4

typedef struct
{
  const float *x;
  const float *p;
  gsize        n;
  float        grad_scale;
  float       *grad;
  double       sums[CONTENT_PARTS];
} Content;

static void
content_task (guint    chunk,
              gpointer data)
{
  Content *c = data;
  gsize start, end;
  double sum = 0.0;

  impasto_pool_chunk (c->n, CONTENT_PARTS, chunk, 16, &start, &end);
  for (gsize i = start; i < end; i++)
    {
      float d = c->x[i] - c->p[i];

      sum += (double) d * d;
      if (c->grad != NULL)
        c->grad[i] += c->grad_scale * d;
    }
  c->sums[chunk] = sum;
}

double
impasto_content_loss (const float *x,
                      const float *p,
                      gsize        n,
                      float        grad_scale,
                      float       *grad,
                      ImpastoPool *pool)
{
  Content c = { x, p, n, grad_scale, grad, { 0 } };
  double sum = 0.0;

  impasto_pool_run (pool, CONTENT_PARTS, content_task, &c);
  for (guint i = 0; i < CONTENT_PARTS; i++)
    sum += c.sums[i];

  return sum;
}

gsize
impasto_gram_size (guint n)
{
  return (gsize) (1 + GRAM_PARTS) * n * n;
}

typedef struct
{
  const float *f;
  guint        n;
  gsize        m;
  gsize        ld;       /* floats from one channel of f to the next */
  float       *parts;    /* GRAM_PARTS upper triangles of n x n */
  const float *diff;     /* G - A, for the gradient */
  float        grad_scale;
  float       *grad;
} Style;

static void
gram_task (guint    part,
           gpointer data)
{
  const Style *s = data;
  gsize start, end;

  impasto_pool_chunk (s->m, GRAM_PARTS, part, 16, &start, &end);
  cblas_ssyrk (CblasRowMajor, CblasUpper, CblasNoTrans, s->n, end - start,
               1.f, s->f + start, s->ld, 0.f, s->parts + (gsize) part * s->n * s->n, s->n);
}

void
impasto_gram (const float *f,
              guint        n,
              gsize        m,
              float       *gram,
              ImpastoPool *pool)
{
  impasto_gram_strided (f, n, m, m, gram, pool);
}

void
impasto_gram_strided (const float *f,
                      guint        n,
                      gsize        m,
                      gsize        ld,
                      float       *gram,
                      ImpastoPool *pool)
{
  Style s = { .f = f, .n = n, .m = m, .ld = ld, .parts = gram + (gsize) n * n };

  impasto_pool_run (pool, GRAM_PARTS, gram_task, &s);
  for (guint i = 0; i < n; i++)
    for (guint j = i; j < n; j++)
      {
        float sum = 0.f;

        for (guint part = 0; part < GRAM_PARTS; part++)
          sum += s.parts[((gsize) part * n + i) * n + j];
        gram[(gsize) i * n + j] = gram[(gsize) j * n + i] = sum;
      }
}

/* Columns of the gradient, chunk by chunk: grad += scale (G - A) F. */
static void
style_grad_task (guint    chunk,
                 gpointer data)
{
  const Style *s = data;
  gsize start, end;

  impasto_pool_chunk (s->m, 2 * GRAM_PARTS, chunk, 16, &start, &end);
  if (start < end)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, s->n, end - start, s->n,
                 s->grad_scale, s->diff, s->n, s->f + start, s->m, 1.f, s->grad + start, s->m);
}

void
impasto_style_grad (const float *f,
                    guint        n,
                    gsize        m,
                    const float *diff,
                    float        grad_scale,
                    float       *grad,
                    ImpastoPool *pool)
{
  Style s = { f, n, m, m, NULL, diff, grad_scale, grad };

  impasto_pool_run (pool, 2 * GRAM_PARTS, style_grad_task, &s);
}

double
impasto_style_loss (const float *f,
                    guint        n,
                    gsize        m,
                    const float *a,
                    float        grad_scale,
                    float       *gram,
                    float       *grad,
                    ImpastoPool *pool)
{
  Style s = { f, n, m, m, NULL, gram, grad_scale, grad };
  double sum = 0.0;

  impasto_gram (f, n, m, gram, pool);
  for (gsize i = 0; i < (gsize) n * n; i++)
    {
      gram[i] -= a[i];
      sum += (double) gram[i] * gram[i];
    }

  /* G - A is symmetric, so d/dF of sum (G - A)^2 is 4 (G - A) F; the factor is in grad_scale. */
  if (grad != NULL)
    impasto_pool_run (pool, 2 * GRAM_PARTS, style_grad_task, &s);

  return sum;
}

typedef struct
{
  const float *x;
  guint        h;
  guint        w;
  float        grad_scale;
  float       *grad;
  double      *sums;      /* one per band of each plane */
} Tv;

/* The pairs whose first pixel lies in this band's rows, and the gradient of every pixel of
 * those rows, gathered from its neighbours so that no two bands write the same place. */
static void
tv_task (guint    task,
         gpointer data)
{
  const Tv *t = data;
  guint plane = task / TV_BANDS;
  gsize start, end;
  const float *x = t->x + (gsize) plane * t->h * t->w;
  float *grad = t->grad != NULL ? t->grad + (gsize) plane * t->h * t->w : NULL;
  double sum = 0.0;

  impasto_pool_chunk (t->h, TV_BANDS, task % TV_BANDS, 1, &start, &end);
  for (gsize y = start; y < end; y++)
    {
      const float *row = x + y * t->w;

      for (guint i = 0; i < t->w; i++)
        {
          float right = i + 1 < t->w ? row[i] - row[i + 1] : 0.f;
          float down = y + 1 < t->h ? row[i] - x[(y + 1) * t->w + i] : 0.f;

          sum += (double) right * right + (double) down * down;
          if (grad != NULL)
            {
              float left = i > 0 ? row[i] - row[i - 1] : 0.f;
              float up = y > 0 ? row[i] - x[(y - 1) * t->w + i] : 0.f;

              grad[y * t->w + i] += t->grad_scale * (right + down + left + up);
            }
        }
    }
  t->sums[task] = sum;
}

double
impasto_tv_loss (const float *x,
                 guint        c,
                 guint        h,
                 guint        w,
                 float        grad_scale,
                 float       *grad,
                 ImpastoPool *pool)
{
  double sums[TV_MAX_PLANES * TV_BANDS];
  Tv t = { x, h, w, grad_scale, grad, sums };
  double sum = 0.0;

  g_assert (c <= TV_MAX_PLANES);
  impasto_pool_run (pool, c * TV_BANDS, tv_task, &t);
  for (guint i = 0; i < c * TV_BANDS; i++)
    sum += sums[i];

  return sum;
}
