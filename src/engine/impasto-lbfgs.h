/* impasto-lbfgs.h: limited-memory BFGS with a backtracking line search
 *
 * The optimiser sees only a flat float vector and a loss-and-gradient callback. With a few
 * pairs of history its direction is usually well scaled, so the first trial step (t = 1) is
 * accepted most of the time: about one evaluation per step.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Loss and gradient at x; FALSE when the evaluation was cancelled. */
typedef gboolean (*ImpastoObjectiveFunc) (const float *x,
                                          float       *grad,
                                          double      *loss,
                                          gpointer     user_data);

typedef enum
{
  IMPASTO_LBFGS_MOVED,       /* x, loss and grad are the new point */
  IMPASTO_LBFGS_STALLED,     /* no trial point lowered the loss: x is unchanged */
  IMPASTO_LBFGS_AT_MINIMUM,  /* the gradient is zero: x is unchanged, and already the answer */
  IMPASTO_LBFGS_CANCELLED,   /* x is unchanged */
} ImpastoLbfgsResult;

typedef struct _ImpastoLbfgs ImpastoLbfgs;

/* capacity: the most values it will optimise; history: the pairs it remembers (5 to 10). */
ImpastoLbfgs      *impasto_lbfgs_new     (gsize                 capacity,
                                          guint                 history);
void               impasto_lbfgs_free    (ImpastoLbfgs         *lbfgs);
/* Forgets the history and works on n values from now on. */
void               impasto_lbfgs_reset   (ImpastoLbfgs         *lbfgs,
                                          gsize                 n);
/* One iteration from x, where the loss is *loss and the gradient grad (both kept up to date).
 * The first iteration after a reset tries steepest descent moving no value by more than
 * first_step; any iteration lengthens its first trial while it is plainly too short. */
ImpastoLbfgsResult impasto_lbfgs_step    (ImpastoLbfgs         *lbfgs,
                                          float                *x,
                                          double               *loss,
                                          float                *grad,
                                          double                first_step,
                                          ImpastoObjectiveFunc  func,
                                          gpointer              user_data,
                                          GCancellable         *cancellable);
/* Loss-and-gradient evaluations made by every step so far. */
guint64            impasto_lbfgs_get_n_evaluations (ImpastoLbfgs *lbfgs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoLbfgs, impasto_lbfgs_free)

G_END_DECLS
