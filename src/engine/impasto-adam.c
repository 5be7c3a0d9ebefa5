/* impasto-adam.c: TensorFlow 1's ApplyAdam, in float as it computes it
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-adam.h"

#define CHUNK_FLOATS ((gsize) 64 * 1024)

struct _ImpastoAdam
{
  gsize  capacity;
  gsize  n;
  float  learning_rate;
  float  beta1;
  float  beta2;
  float  epsilon;
  float  beta1_power;   /* beta1^t, kept as a running float product as TensorFlow does */
  float  beta2_power;
  float *m;
  float *v;
  /* the step in progress */
  float       *x;
  const float *grad;
  float        lr_t;
};

ImpastoAdam *
impasto_adam_new (gsize n,
                  float learning_rate,
                  float beta1,
                  float beta2,
                  float epsilon)
{
  ImpastoAdam *adam = g_new0 (ImpastoAdam, 1);

  adam->capacity = n;
  adam->n = n;
  adam->learning_rate = learning_rate;
  adam->beta1 = beta1;
  adam->beta2 = beta2;
  adam->epsilon = epsilon;
  adam->beta1_power = 1.f;
  adam->beta2_power = 1.f;
  adam->m = g_new0 (float, n);
  adam->v = g_new0 (float, n);

  return adam;
}

void
impasto_adam_reset (ImpastoAdam *adam,
                    gsize        n)
{
  g_return_if_fail (n <= adam->capacity);

  adam->n = n;
  adam->beta1_power = 1.f;
  adam->beta2_power = 1.f;
  memset (adam->m, 0, n * sizeof (float));
  memset (adam->v, 0, n * sizeof (float));
}

static void
step_task (guint    chunk,
           gpointer data)
{
  ImpastoAdam *adam = data;
  gsize start = chunk * CHUNK_FLOATS, end = MIN (start + CHUNK_FLOATS, adam->n);
  float *x = adam->x, *m = adam->m, *v = adam->v;
  const float *grad = adam->grad;

  for (gsize i = start; i < end; i++)
    {
      float g = grad[i];

      m[i] += (g - m[i]) * (1.f - adam->beta1);
      v[i] += (g * g - v[i]) * (1.f - adam->beta2);
      x[i] -= m[i] * adam->lr_t / (sqrtf (v[i]) + adam->epsilon);
    }
}

void
impasto_adam_step (ImpastoAdam *adam,
                   float       *x,
                   const float *grad,
                   ImpastoPool *pool)
{
  adam->beta1_power *= adam->beta1;
  adam->beta2_power *= adam->beta2;
  adam->lr_t = adam->learning_rate * sqrtf (1.f - adam->beta2_power)
               / (1.f - adam->beta1_power);
  adam->x = x;
  adam->grad = grad;
  impasto_pool_run (pool, (adam->n + CHUNK_FLOATS - 1) / CHUNK_FLOATS, step_task, adam);
}

void
impasto_adam_free (ImpastoAdam *adam)
{
  if (adam == NULL)
    return;

  g_free (adam->m);
  g_free (adam->v);
  g_free (adam);
}
