/* impasto-cli-download.h: impasto-cli --download-model
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Downloads url (NULL: MatConvNet's) to path (NULL: the user's data dir) with a progress line,
 * accepting the published VGG19 files, or only the file whose MD5 is md5 when it is given.
 * Ctrl-C cancels and keeps what arrived. Returns the program's exit status. */
int impasto_cli_download_model (const char *url,
                                const char *path,
                                const char *md5);

/* Writes the compact copy of the model at path (NULL: the user's data dir's) beside it and
 * reports the disk and load time it saves; removes the original when asked to. Returns the
 * program's exit status. */
int impasto_cli_compact_model  (const char *path,
                                gboolean    remove_original);

G_END_DECLS
