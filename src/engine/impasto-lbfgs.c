/* impasto-lbfgs.c: Nocedal and Wright's algorithm 7.4 (two-loop recursion) with a line
 * search that backtracks until the loss has decreased enough (Armijo) and lengthens a first
 * trial that was accepted but plainly too short (the weak Wolfe curvature condition)
 *
 * Vectors are float, as the image is; every dot product is summed in double.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-lbfgs.h"

#define ARMIJO      1e-4    /* sufficient decrease: f(x + t d) <= f(x) + ARMIJO t g.d */
#define WOLFE       0.9     /* a step is too short while g(x + t d).d < WOLFE g.d */
#define MAX_TRIALS  12
#define MAX_LONGER  6       /* times a too short step is made 4x longer */

struct _ImpastoLbfgs
{
  gsize    capacity;
  gsize    n;
  guint    history;
  guint    count;           /* pairs stored */
  guint    newest;          /* slot of the newest pair */
  float   *s;               /* history x capacity: x_{k+1} - x_k */
  float   *y;               /* history x capacity: g_{k+1} - g_k */
  double  *rho;             /* 1 / (s . y) */
  double  *alpha;
  float   *d;               /* the search direction */
  float   *x0;              /* the iteration's starting point and gradient */
  float   *g0;
  float   *g_best;          /* the gradient at the best point while a step is lengthened */
  guint64  n_evaluations;
};

static double
dot (const float *a,
     const float *b,
     gsize        n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += (double) a[i] * b[i];
  return sum;
}

/* y += a x */
static void
axpy (double       a,
      const float *x,
      float       *y,
      gsize        n)
{
  float af = (float) a;

  for (gsize i = 0; i < n; i++)
    y[i] += af * x[i];
}

ImpastoLbfgs *
impasto_lbfgs_new (gsize capacity,
                   guint history)
{
  ImpastoLbfgs *lbfgs = g_new0 (ImpastoLbfgs, 1);

  g_return_val_if_fail (history > 0, NULL);

  lbfgs->capacity = capacity;
  lbfgs->n = capacity;
  lbfgs->history = history;
  lbfgs->s = g_new (float, history * capacity);
  lbfgs->y = g_new (float, history * capacity);
  lbfgs->rho = g_new (double, history);
  lbfgs->alpha = g_new (double, history);
  lbfgs->d = g_new (float, capacity);
  lbfgs->x0 = g_new (float, capacity);
  lbfgs->g0 = g_new (float, capacity);
  lbfgs->g_best = g_new (float, capacity);

  return lbfgs;
}

void
impasto_lbfgs_free (ImpastoLbfgs *lbfgs)
{
  if (lbfgs == NULL)
    return;

  g_free (lbfgs->s);
  g_free (lbfgs->y);
  g_free (lbfgs->rho);
  g_free (lbfgs->alpha);
  g_free (lbfgs->d);
  g_free (lbfgs->x0);
  g_free (lbfgs->g0);
  g_free (lbfgs->g_best);
  g_free (lbfgs);
}

void
impasto_lbfgs_reset (ImpastoLbfgs *lbfgs,
                     gsize         n)
{
  g_return_if_fail (n <= lbfgs->capacity);

  lbfgs->n = n;
  lbfgs->count = 0;
}

static float *
pair_s (ImpastoLbfgs *lbfgs,
        guint         slot)
{
  return lbfgs->s + (gsize) slot * lbfgs->capacity;
}

static float *
pair_y (ImpastoLbfgs *lbfgs,
        guint         slot)
{
  return lbfgs->y + (gsize) slot * lbfgs->capacity;
}

/* d = -H g, H the inverse Hessian estimate scaled by s.y / y.y of the newest pair. */
static void
two_loop (ImpastoLbfgs *lbfgs,
          const float  *g)
{
  gsize n = lbfgs->n;
  guint m = lbfgs->history;
  float *q = lbfgs->d;
  double gamma;

  memcpy (q, g, n * sizeof (float));
  for (guint i = 0; i < lbfgs->count; i++)
    {
      guint slot = (lbfgs->newest + m - i) % m;

      lbfgs->alpha[slot] = lbfgs->rho[slot] * dot (pair_s (lbfgs, slot), q, n);
      axpy (-lbfgs->alpha[slot], pair_y (lbfgs, slot), q, n);
    }

  gamma = 1.0 / (lbfgs->rho[lbfgs->newest]
                 * dot (pair_y (lbfgs, lbfgs->newest), pair_y (lbfgs, lbfgs->newest), n));
  for (gsize i = 0; i < n; i++)
    q[i] *= (float) gamma;

  for (guint i = lbfgs->count; i-- > 0;)
    {
      guint slot = (lbfgs->newest + m - i) % m;
      double beta = lbfgs->rho[slot] * dot (pair_y (lbfgs, slot), q, n);

      axpy (lbfgs->alpha[slot] - beta, pair_s (lbfgs, slot), q, n);
    }

  for (gsize i = 0; i < n; i++)
    q[i] = -q[i];
}

/* Steepest descent, scaled so that no value moves by more than first_step. */
static double
first_direction (ImpastoLbfgs *lbfgs,
                 const float  *g,
                 double        first_step)
{
  double max = 0.0;

  for (gsize i = 0; i < lbfgs->n; i++)
    {
      lbfgs->d[i] = -g[i];
      max = MAX (max, fabs (g[i]));
    }

  return max > 0 ? first_step / max : 1.0;
}

/* Keeps s = x - x0 and y = g - g0 when they carry curvature (s.y > 0). */
static void
remember (ImpastoLbfgs *lbfgs,
          const float  *x,
          const float  *g)
{
  guint slot = (lbfgs->newest + 1) % lbfgs->history;
  float *s = pair_s (lbfgs, slot), *y = pair_y (lbfgs, slot);
  gsize n = lbfgs->n;
  double sy;

  for (gsize i = 0; i < n; i++)
    {
      s[i] = x[i] - lbfgs->x0[i];
      y[i] = g[i] - lbfgs->g0[i];
    }
  sy = dot (s, y, n);
  if (!(sy > 1e-10 * dot (y, y, n)))
    return;

  lbfgs->rho[slot] = 1.0 / sy;
  lbfgs->newest = slot;
  lbfgs->count = MIN (lbfgs->count + 1, lbfgs->history);
}

/* The minimum of the parabola through f0, its slope gd at 0 and f at t, kept within
 * [0.1 t, 0.5 t]; a tenth of t when f is not finite. */
static double
backtrack (double f0,
           double gd,
           double t,
           double f)
{
  double curvature = f - f0 - gd * t;

  if (!isfinite (f) || curvature <= 0)
    return 0.1 * t;

  return CLAMP (-gd * t * t / (2 * curvature), 0.1 * t, 0.5 * t);
}

static void
restore (ImpastoLbfgs *lbfgs,
         float        *x,
         double       *loss,
         double        f0,
         float        *grad)
{
  memcpy (x, lbfgs->x0, lbfgs->n * sizeof (float));
  memcpy (grad, lbfgs->g0, lbfgs->n * sizeof (float));
  *loss = f0;
}

/* x = x0 + t d */
static void
move_to (ImpastoLbfgs *lbfgs,
         double        t,
         float        *x)
{
  memcpy (x, lbfgs->x0, lbfgs->n * sizeof (float));
  axpy (t, lbfgs->d, x, lbfgs->n);
}

/* After an accepted step t: while the slope along d is still most of what it was, the step
 * was too short (mostly the first steps, before the history has the scale); try 4x longer
 * and keep it if it is lower. Returns the step kept; x, loss and grad are its point's. An
 * accepted step ends with FALSE when cancelled. */
static gboolean
lengthen (ImpastoLbfgs         *lbfgs,
          double                f0,
          double                gd,
          double               *t,
          float                *x,
          double               *loss,
          float                *grad,
          ImpastoObjectiveFunc  func,
          gpointer              user_data)
{
  gsize n = lbfgs->n;

  for (guint i = 0; i < MAX_LONGER && dot (grad, lbfgs->d, n) < WOLFE * gd; i++)
    {
      double best = *loss, t_try = 4 * *t;

      memcpy (lbfgs->g_best, grad, n * sizeof (float));
      move_to (lbfgs, t_try, x);
      lbfgs->n_evaluations++;
      if (!func (x, grad, loss, user_data))
        return FALSE;
      if (!(isfinite (*loss) && *loss <= f0 + ARMIJO * t_try * gd && *loss < best))
        {
          move_to (lbfgs, *t, x);
          memcpy (grad, lbfgs->g_best, n * sizeof (float));
          *loss = best;
          return TRUE;
        }
      *t = t_try;
    }

  return TRUE;
}

ImpastoLbfgsResult
impasto_lbfgs_step (ImpastoLbfgs         *lbfgs,
                    float                *x,
                    double               *loss,
                    float                *grad,
                    double                first_step,
                    ImpastoObjectiveFunc  func,
                    gpointer              user_data,
                    GCancellable         *cancellable)
{
  gsize n = lbfgs->n;
  double f0 = *loss, t = 1.0, gd = 0.0;

  if (lbfgs->count > 0)
    {
      two_loop (lbfgs, grad);
      gd = dot (grad, lbfgs->d, n);
    }
  if (!(gd < 0))
    {
      lbfgs->count = 0;
      t = first_direction (lbfgs, grad, first_step);
      gd = dot (grad, lbfgs->d, n);
    }
  if (gd == 0)
    return IMPASTO_LBFGS_AT_MINIMUM;
  if (!(gd < 0))
    return IMPASTO_LBFGS_STALLED;   /* not a number */

  memcpy (lbfgs->x0, x, n * sizeof (float));
  memcpy (lbfgs->g0, grad, n * sizeof (float));

  for (guint trial = 0; trial < MAX_TRIALS; trial++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;

      move_to (lbfgs, t, x);
      lbfgs->n_evaluations++;
      if (!func (x, grad, loss, user_data))
        break;

      if (isfinite (*loss) && *loss <= f0 + ARMIJO * t * gd)
        {
          if (trial == 0 && !lengthen (lbfgs, f0, gd, &t, x, loss, grad, func, user_data))
            break;
          remember (lbfgs, x, grad);
          return IMPASTO_LBFGS_MOVED;
        }
      t = backtrack (f0, gd, t, *loss);
    }

  restore (lbfgs, x, loss, f0, grad);
  if (g_cancellable_is_cancelled (cancellable))
    return IMPASTO_LBFGS_CANCELLED;

  lbfgs->count = 0;
  return IMPASTO_LBFGS_STALLED;
}

guint64
impasto_lbfgs_get_n_evaluations (ImpastoLbfgs *lbfgs)
{
  return lbfgs->n_evaluations;
}
