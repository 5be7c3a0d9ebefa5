/* impasto-model-verify-private.h: checksums of a model file, shared by its download
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "impasto-model-download.h"

G_BEGIN_DECLS

/* Both digests (lower-case hex) of the file at path, read once. */
gboolean  impasto_model_digest_file     (const char                 *path,
                                         char                      **md5,
                                         char                      **sha256,
                                         GCancellable               *cancellable,
                                         GError                    **error);
gboolean  impasto_model_expected_has_md5 (const ImpastoModelExpected *expected,
                                          const char                 *md5);
/* NAME.sha256 beside path, in sha256sum's format */
char     *impasto_model_get_record_path (const char                 *path);
gboolean  impasto_model_write_record    (const char                 *path,
                                         const char                 *sha256,
                                         GError                    **error);

G_END_DECLS
