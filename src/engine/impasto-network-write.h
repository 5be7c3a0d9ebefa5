/* impasto-network-write.h: a network written back as a MatConvNet file, and compared
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "impasto-network.h"

G_BEGIN_DECLS

/* Writes the network's layers (with the relu after each conv that MatConvNet has) as
 * `layers`, uncompressed so that it loads as fast as it can, and nothing else. Written
 * under a temporary name and renamed, so that path is either left alone or complete. */
gboolean impasto_network_write (const ImpastoNetwork *network,
                                const char           *path,
                                GError              **error);

/* Whether a and b have the same layers with the same weights, bit for bit. */
gboolean impasto_network_equal (const ImpastoNetwork *a,
                                const ImpastoNetwork *b);

G_END_DECLS
