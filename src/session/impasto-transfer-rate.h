/* impasto-transfer-rate.h: how fast bytes arrive and when the rest will have, for a
 * progress line or bar
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ImpastoTransferRate ImpastoTransferRate;

ImpastoTransferRate *impasto_transfer_rate_new      (void);
void                 impasto_transfer_rate_free     (ImpastoTransferRate *self);
/* received: the count so far, at now (monotonic microseconds). A smaller count than the last
 * one (a download started over) starts the measure again. */
void                 impasto_transfer_rate_add      (ImpastoTransferRate *self,
                                                     gint64               now,
                                                     guint64              received);
/* Bytes per second over the last few seconds; 0 until there are two samples. */
double               impasto_transfer_rate_get_speed (ImpastoTransferRate *self);
/* "12.3 MB of 534.9 MB, 4.1 MB/s, 2 min 10 s left", with what is known of it (total 0:
 * unknown). */
char                *impasto_transfer_rate_describe (ImpastoTransferRate *self,
                                                     guint64              received,
                                                     guint64              total);

/* "42 seconds left", "About 3 minutes left", "1 h 05 min left" */
char                *impasto_describe_time_left     (double               seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoTransferRate, impasto_transfer_rate_free)

G_END_DECLS
