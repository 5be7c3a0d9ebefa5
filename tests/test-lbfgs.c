/* test-lbfgs.c: L-BFGS on problems whose minimum is known
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-lbfgs.h"

#define N 200

/* f(x) = 1/2 sum a_i (x_i - c_i)^2 + 1/2 b (sum (x_i - c_i))^2: convex, minimum 0 at c, its
 * curvatures spread over two orders of magnitude and coupled through the second term. */
typedef struct
{
  double        a[N];
  double        b;
  double        c[N];
  guint         evaluations;
  GCancellable *cancel_after;   /* cancelled when evaluations reaches cancel_at */
  guint         cancel_at;
} Quadratic;

static gboolean
quadratic (const float *x,
           float       *grad,
           double      *loss,
           gpointer     user_data)
{
  Quadratic *q = user_data;
  double sum = 0, f = 0;

  q->evaluations++;
  if (q->cancel_after != NULL && q->evaluations >= q->cancel_at)
    {
      g_cancellable_cancel (q->cancel_after);
      return FALSE;
    }

  for (guint i = 0; i < N; i++)
    sum += x[i] - q->c[i];
  for (guint i = 0; i < N; i++)
    {
      double d = x[i] - q->c[i];

      f += 0.5 * q->a[i] * d * d;
      grad[i] = (float) (q->a[i] * d + q->b * sum);
    }
  *loss = f + 0.5 * q->b * sum * sum;
  return TRUE;
}

static void
quadratic_init (Quadratic *q,
                float     *x)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (21);

  *q = (Quadratic) { .b = 0.05 };
  for (guint i = 0; i < N; i++)
    {
      q->a[i] = pow (10.0, g_rand_double_range (rand, -1, 1));
      q->c[i] = g_rand_double_range (rand, -50, 50);
      x[i] = (float) g_rand_double_range (rand, -100, 100);
    }
}

static void
test_quadratic (void)
{
  g_autoptr(ImpastoLbfgs) lbfgs = impasto_lbfgs_new (N, 8);
  Quadratic q;
  float x[N], grad[N];
  double loss, start, error = 0;
  guint steps = 0;

  quadratic_init (&q, x);
  quadratic (x, grad, &loss, &q);
  start = loss;
  while (steps < 200 && loss > 1e-12 * start)
    {
      g_assert_cmpint (impasto_lbfgs_step (lbfgs, x, &loss, grad, 1.0, quadratic, &q, NULL),
                       ==, IMPASTO_LBFGS_MOVED);
      steps++;
    }
  for (guint i = 0; i < N; i++)
    error = MAX (error, fabs (x[i] - q.c[i]));

  g_test_message ("%u steps, %u evaluations, largest error %.3g", steps, q.evaluations, error);
  g_assert_cmpfloat (loss, <=, 1e-12 * start);
  /* Every curvature is at least 0.1, so a loss L leaves x within sqrt(2 L / 0.1) of c. */
  g_assert_cmpfloat (error, <=, sqrt (2e-12 * start / 0.1));
  g_assert_cmpuint (steps, <, 200);
  /* The line search rarely needs a second trial: the budget is 1.2 evaluations a step. */
  g_assert_cmpfloat ((double) (q.evaluations - 1) / steps, <=, 1.2);
  g_assert_cmpuint (impasto_lbfgs_get_n_evaluations (lbfgs), ==, q.evaluations - 1);
}

/* The first step after a reset starts by moving nothing by more than first_step, and only
 * goes further when that lowers the loss more: it ends at least as low as that first trial. */
static void
test_first_step (void)
{
  g_autoptr(ImpastoLbfgs) lbfgs = impasto_lbfgs_new (N, 5);
  Quadratic q;
  float x[N], trial[N], grad[N];
  double loss, trial_loss, max = 0;

  quadratic_init (&q, x);
  quadratic (x, grad, &loss, &q);
  for (guint i = 0; i < N; i++)
    max = MAX (max, fabs (grad[i]));
  for (guint i = 0; i < N; i++)
    trial[i] = x[i] - (float) (0.5 / max) * grad[i];
  quadratic (trial, grad, &trial_loss, &q);
  quadratic (x, grad, &loss, &q);

  g_assert_cmpint (impasto_lbfgs_step (lbfgs, x, &loss, grad, 0.5, quadratic, &q, NULL),
                   ==, IMPASTO_LBFGS_MOVED);
  g_assert_cmpfloat (loss, <=, trial_loss);
}

/* Cancelled in the middle of a line search: x, loss and gradient are the step's start. */
static void
test_cancel (void)
{
  g_autoptr(ImpastoLbfgs) lbfgs = impasto_lbfgs_new (N, 5);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Quadratic q;
  float x[N], x0[N], grad[N], grad0[N];
  double loss, loss0;

  quadratic_init (&q, x);
  quadratic (x, grad, &loss, &q);
  for (guint i = 0; i < 5; i++)
    impasto_lbfgs_step (lbfgs, x, &loss, grad, 1.0, quadratic, &q, cancellable);
  memcpy (x0, x, sizeof x);
  memcpy (grad0, grad, sizeof grad);
  loss0 = loss;

  q.cancel_after = cancellable;
  q.cancel_at = q.evaluations + 1;
  g_assert_cmpint (impasto_lbfgs_step (lbfgs, x, &loss, grad, 1.0, quadratic, &q, cancellable),
                   ==, IMPASTO_LBFGS_CANCELLED);
  g_assert_cmpmem (x, sizeof x, x0, sizeof x0);
  g_assert_cmpmem (grad, sizeof grad, grad0, sizeof grad0);
  g_assert_cmpfloat (loss, ==, loss0);
}

/* At the minimum there is nowhere lower to go, and that is not a failure. */
static void
test_stall (void)
{
  g_autoptr(ImpastoLbfgs) lbfgs = impasto_lbfgs_new (N, 5);
  Quadratic q;
  float x[N], grad[N];
  double loss;

  quadratic_init (&q, x);
  for (guint i = 0; i < N; i++)
    x[i] = (float) q.c[i];
  quadratic (x, grad, &loss, &q);
  for (guint i = 0; i < N; i++)
    grad[i] = 0.f;
  g_assert_cmpint (impasto_lbfgs_step (lbfgs, x, &loss, grad, 1.0, quadratic, &q, NULL),
                   ==, IMPASTO_LBFGS_AT_MINIMUM);
  g_assert_cmpfloat (x[0], ==, (float) q.c[0]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/impasto/lbfgs/quadratic-minimum", test_quadratic);
  g_test_add_func ("/impasto/lbfgs/first-step", test_first_step);
  g_test_add_func ("/impasto/lbfgs/cancel", test_cancel);
  g_test_add_func ("/impasto/lbfgs/stall", test_stall);

  return g_test_run ();
}
