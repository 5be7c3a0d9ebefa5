/* impasto-background.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-background.h"

static gint n_active;

void
impasto_background_hold (void)
{
  g_atomic_int_inc (&n_active);
}

/* May run on a worker thread, which then wakes a main thread waiting below. */
void
impasto_background_release (void)
{
  g_return_if_fail (g_atomic_int_get (&n_active) > 0);

  if (g_atomic_int_dec_and_test (&n_active))
    g_main_context_wakeup (NULL);
}

guint
impasto_background_get_n_active (void)
{
  return (guint) g_atomic_int_get (&n_active);
}

void
impasto_background_wait (void)
{
  while (g_atomic_int_get (&n_active) > 0)
    g_main_context_iteration (NULL, TRUE);
}
