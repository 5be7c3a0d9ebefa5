/* impasto-adam.h: Adam, exactly as TensorFlow 1 applies it
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "impasto-pool.h"

G_BEGIN_DECLS

typedef struct _ImpastoAdam ImpastoAdam;

/* n: the most values it will optimise. */
ImpastoAdam *impasto_adam_new   (gsize        n,
                                 float        learning_rate,
                                 float        beta1,
                                 float        beta2,
                                 float        epsilon);
/* Starts again from t = 0 on n values (at most the n it was made for). */
void         impasto_adam_reset (ImpastoAdam *adam,
                                 gsize        n);
void         impasto_adam_step  (ImpastoAdam *adam,
                                 float       *x,
                                 const float *grad,
                                 ImpastoPool *pool);
void         impasto_adam_free (ImpastoAdam *adam);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoAdam, impasto_adam_free)

G_END_DECLS
