/* impasto-model-compact.h: a copy of the model with only the layers Impasto can use
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 original_bytes;
  guint64 compact_bytes;
  double  original_load_seconds;   /* the layers up to pool5, from each file */
  double  compact_load_seconds;
} ImpastoModelCompactReport;

/* Where the compact copy of the model at path goes: beside it, NAME-conv.mat. */
char     *impasto_model_get_compact_path (const char                *path);

/* Writes the convolution and pooling layers of the model at path (up to pool5, which is all
 * a run can use) to compact_path, loads them back and compares every weight, and records the
 * copy's SHA-256 beside it. On failure compact_path is left as it was. Takes seconds on the
 * full model: call it off the main thread. */
gboolean  impasto_model_compact          (const char                *path,
                                          const char                *compact_path,
                                          ImpastoModelCompactReport *report,
                                          GError                   **error);

/* Removes the model at path and its recorded checksum. */
gboolean  impasto_model_remove           (const char                *path,
                                          GError                   **error);

G_END_DECLS
