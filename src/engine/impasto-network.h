/* impasto-network.h: the VGG convolutional layers read from a MatConvNet file
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define IMPASTO_NETWORK_ERROR (impasto_network_error_quark ())

typedef enum
{
  IMPASTO_NETWORK_ERROR_OPEN,      /* not a readable MAT file */
  IMPASTO_NETWORK_ERROR_FORMAT,    /* a MAT file, but not laid out like MatConvNet's VGG */
  IMPASTO_NETWORK_ERROR_MISSING,   /* a layer a run needs is not in the file */
  IMPASTO_NETWORK_ERROR_SHAPE,     /* a layer's weights do not fit the chain */
} ImpastoNetworkError;

typedef enum
{
  IMPASTO_LAYER_CONV,   /* 3x3, stride 1, SAME zero padding, bias, then ReLU */
  IMPASTO_LAYER_POOL,   /* 2x2 max pooling, stride 2, SAME (odd sizes round up) */
} ImpastoLayerKind;

typedef struct
{
  char            *name;
  ImpastoLayerKind kind;
  guint            in_channels;
  guint            out_channels;   /* equal to in_channels for pooling */
  float           *weights;        /* conv only: [out][in][3][3], row-major */
  float           *bias;           /* conv only: [out] */
} ImpastoLayer;

/* Immutable once loaded, so one network can serve several runs on several threads. */
typedef struct _ImpastoNetwork ImpastoNetwork;

GQuark              impasto_network_error_quark (void);

ImpastoNetwork     *impasto_network_load        (const char         *path,
                                                 const char * const *required_layers,
                                                 GError            **error);
ImpastoNetwork     *impasto_network_ref         (ImpastoNetwork     *network);
void                impasto_network_unref       (ImpastoNetwork     *network);
guint               impasto_network_get_n_layers (const ImpastoNetwork *network);
const ImpastoLayer *impasto_network_get_layer   (const ImpastoNetwork *network,
                                                 guint               index);
int                 impasto_network_find_layer  (const ImpastoNetwork *network,
                                                 const char         *name);

char               *impasto_network_dup_checksum (const ImpastoNetwork *network,
                                                  guint                 n_layers);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoNetwork, impasto_network_unref)

G_END_DECLS
