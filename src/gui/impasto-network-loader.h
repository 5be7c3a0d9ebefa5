/* impasto-network-loader.h: reading the model file without blocking the main loop
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "impasto-network.h"

G_BEGIN_DECLS

/* impasto_network_load() on a worker thread: the real file takes seconds. */
void            impasto_network_load_async  (const char          *path,
                                             const char * const  *required_layers,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
ImpastoNetwork *impasto_network_load_finish (GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
