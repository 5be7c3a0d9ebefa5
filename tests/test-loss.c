/* test-loss.c: content and style losses against double-precision sums and differences
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "impasto-adam.h"
#include "impasto-loss.h"
#include "naive.h"

static double
naive_style (const double *f, guint n, gsize m, const float *a)
{
  double sum = 0;

  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        double g = 0;

        for (gsize k = 0; k < m; k++)
          g += f[i * m + k] * f[j * m + k];
        sum += (g - a[i * n + j]) * (g - a[i * n + j]);
      }
  return sum;
}

static void
test_content (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (10);
  const gsize n = 1001;
  g_autofree float *x = naive_random_floats (rand, n, 0, 5);
  g_autofree float *p = naive_random_floats (rand, n, 0, 5);
  g_autofree float *grad = g_new0 (float, n);
  double ref = 0, value;

  for (gsize i = 0; i < n; i++)
    ref += ((double) x[i] - p[i]) * ((double) x[i] - p[i]);

  /* grad_scale 2 makes grad the exact derivative of the returned sum. */
  value = impasto_content_loss (x, p, n, 2.f, grad, NULL);
  /* x - p is rounded to float before it is squared: about 6e-8 relative per term. */
  g_assert_cmpfloat (fabs (value - ref), <, 1e-6 * ref);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (grad[i] - 2.0 * (x[i] - p[i])), <, 1e-5);
}

static void
test_gram (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  const guint n = 7;
  const gsize m = 53;
  g_autofree float *f = naive_random_floats (rand, n * m, -1, 2);
  g_autofree float *g = g_new (float, impasto_gram_size (n));

  impasto_gram (f, n, m, g, NULL);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        double ref = 0;

        for (gsize k = 0; k < m; k++)
          ref += (double) f[i * m + k] * f[j * m + k];
        g_assert_cmpfloat (fabs (g[i * n + j] - ref), <, 1e-4 * MAX (1, fabs (ref)));
      }
}

/* The value against a double sum, the gradient against central differences of that sum. */
static void
test_style (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  const guint n = 6;
  const gsize m = 41;
  g_autofree float *f = naive_random_floats (rand, n * m, 0, 1);
  g_autofree float *a = naive_random_floats (rand, n * n, 0, 12);
  g_autofree float *gram = g_new (float, impasto_gram_size (n));
  g_autofree float *grad = g_new0 (float, n * m);
  g_autofree double *fd = naive_from_floats (f, n * m);
  double value, ref;

  for (guint i = 0; i < n; i++)   /* a style target is symmetric, like any Gram matrix */
    for (guint j = 0; j < i; j++)
      a[i * n + j] = a[j * n + i];

  value = impasto_style_loss (f, n, m, a, 4.f, gram, grad, NULL);
  ref = naive_style (fd, n, m, a);
  g_assert_cmpfloat (fabs (value - ref), <, 1e-5 * ref);

  for (gsize k = 0; k < n * m; k += 7)
    {
      const double h = 1e-4;
      double saved = fd[k], up, down, derivative;

      fd[k] = saved + h;
      up = naive_style (fd, n, m, a);
      fd[k] = saved - h;
      down = naive_style (fd, n, m, a);
      fd[k] = saved;
      derivative = (up - down) / (2 * h);

      /* float32 (G - A) F against a double difference quotient with O(h^2) error. */
      g_assert_cmpfloat (fabs (grad[k] - derivative), <, 1e-4 * MAX (1, fabs (derivative)));
    }
}

/* Written from the definition: every horizontal and vertical pair of neighbours, once. */
static double
naive_tv (const double *x, guint c, guint h, guint w)
{
  double sum = 0;

  for (guint ch = 0; ch < c; ch++)
    for (guint y = 0; y < h; y++)
      for (guint xx = 0; xx < w; xx++)
        {
          const double *p = x + ((gsize) ch * h + y) * w + xx;

          if (xx + 1 < w)
            sum += (p[1] - p[0]) * (p[1] - p[0]);
          if (y + 1 < h)
            sum += (p[w] - p[0]) * (p[w] - p[0]);
        }
  return sum;
}

/* Odd sizes and a plane of one row, one column and one pixel: the edges have fewer
 * neighbours. The gradient against central differences of the double sum, which for a
 * quadratic are exact but for rounding. */
static void
test_tv (void)
{
  static const guint shapes[][3] = { { 3, 17, 23 }, { 3, 1, 9 }, { 2, 8, 1 }, { 1, 1, 1 },
                                     { 3, 40, 2 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      guint c = shapes[s][0], h = shapes[s][1], w = shapes[s][2];
      gsize n = (gsize) c * h * w;
      g_autofree float *x = naive_random_floats (rand, n, -128, 127);
      g_autofree float *grad = naive_random_floats (rand, n, -1, 1);
      g_autofree float *grad0 = g_memdup2 (grad, n * sizeof (float));
      g_autofree double *xd = naive_from_floats (x, n);
      g_autoptr(ImpastoPool) pool = impasto_pool_new (2, NULL);
      double value = impasto_tv_loss (x, c, h, w, 2.f, grad, pool);
      double ref = naive_tv (xd, c, h, w);

      g_test_message ("%ux%ux%u: %.9g, reference %.9g", c, h, w, value, ref);
      g_assert_cmpfloat (fabs (value - ref), <=, 1e-6 * MAX (ref, 1));
      /* and nothing written without a gradient, the same value */
      g_assert_cmpfloat (impasto_tv_loss (x, c, h, w, 2.f, NULL, NULL), ==, value);

      for (gsize k = 0; k < n; k++)
        {
          const double step = 0.5;
          double saved = xd[k], up, down, derivative;

          xd[k] = saved + step;
          up = naive_tv (xd, c, h, w);
          xd[k] = saved - step;
          down = naive_tv (xd, c, h, w);
          xd[k] = saved;
          derivative = (up - down) / (2 * step);
          /* grad was not zero: the gradient is added to it */
          g_assert_cmpfloat (fabs (grad[k] - grad0[k] - derivative), <, 1e-3);
        }
    }
}

/* TensorFlow 1's update, in double, from its documentation:
 * lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * x -= lr_t m / (sqrt(v) + eps). */
static void
test_adam (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  const gsize n = 64;
  const double lr = 1.0, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  g_autoptr(ImpastoAdam) adam = impasto_adam_new (n, lr, b1, b2, eps);
  g_autofree float *x = naive_random_floats (rand, n, -50, 50);
  g_autofree double *xd = naive_from_floats (x, n);
  g_autofree double *m = g_new0 (double, n), *v = g_new0 (double, n);
  g_autofree float *x0 = g_memdup2 (x, n * sizeof (float));

  for (guint t = 1; t <= 20; t++)
    {
      g_autofree float *g = naive_random_floats (rand, n, -3, 3);
      double lr_t = lr * sqrt (1 - pow (b2, t)) / (1 - pow (b1, t));

      impasto_adam_step (adam, x, g, NULL);
      for (gsize i = 0; i < n; i++)
        {
          m[i] = b1 * m[i] + (1 - b1) * g[i];
          v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
          xd[i] -= lr_t * m[i] / (sqrt (v[i]) + eps);
        }
      /* The first step moves every pixel by the learning rate, whatever the gradient. */
      for (gsize i = 0; t == 1 && i < n; i++)
        g_assert_cmpfloat (fabs (fabs (x[i] - x0[i]) - lr), <, 1e-4);
    }

  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (x[i] - xd[i]), <, 1e-3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/impasto/loss/content", test_content);
  g_test_add_func ("/impasto/loss/gram", test_gram);
  g_test_add_func ("/impasto/loss/style", test_style);
  g_test_add_func ("/impasto/loss/tv", test_tv);
  g_test_add_func ("/impasto/adam/matches-tensorflow", test_adam);

  return g_test_run ();
}
