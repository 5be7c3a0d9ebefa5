/* impasto-adam.c: TensorFlow 1's ApplyAdam, in float as it computes it
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "impasto-adam.h"

struct _ImpastoAdam
{
  gsize  n;
  float  learning_rate;
  float  beta1;
  float  beta2;
  float  epsilon;
  float  beta1_power;   /* beta1^t, kept as a running float product as TensorFlow does */
  float  beta2_power;
  float *m;
  float *v;
};

ImpastoAdam *
impasto_adam_new (gsize n,
                  float learning_rate,
                  float beta1,
                  float beta2,
                  float epsilon)
{
  ImpastoAdam *adam = g_new0 (ImpastoAdam, 1);

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
impasto_adam_step (ImpastoAdam *adam,
                   float       *x,
                   const float *grad)
{
  float lr_t;

  adam->beta1_power *= adam->beta1;
  adam->beta2_power *= adam->beta2;
  lr_t = adam->learning_rate * sqrtf (1.f - adam->beta2_power) / (1.f - adam->beta1_power);

  for (gsize i = 0; i < adam->n; i++)
    {
      float g = grad[i];

      adam->m[i] += (g - adam->m[i]) * (1.f - adam->beta1);
      adam->v[i] += (g * g - adam->v[i]) * (1.f - adam->beta2);
      x[i] -= adam->m[i] * lr_t / (sqrtf (adam->v[i]) + adam->epsilon);
    }
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
