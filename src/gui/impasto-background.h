/* impasto-background.h: how much work is still running on other threads
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every GTask the application starts holds one of these from its start until its task data
 * is freed (after its callback has run and its worker has let go), so that quitting can wait
 * for the worker threads instead of exiting under them. */
void  impasto_background_hold          (void);
void  impasto_background_release       (void);
guint impasto_background_get_n_active  (void);
/* Iterates the default main context until every hold has been released. */
void  impasto_background_wait          (void);

G_END_DECLS
