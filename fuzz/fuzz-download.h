/* fuzz-download.h: what the download target and its seeds agree on
 *
 * An input is the length of the .part.info an earlier download left, in two bytes (little
 * end first; 0 for none), that .part.info, then the raw bytes a server sends back to every
 * request. With a .part.info, the .part beside it holds the first FUZZ_DOWNLOAD_KEPT bytes of
 * the file, as an interrupted download leaves it. A length past the input's end takes the
 * rest of it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The file the download is after: small, so that an input can hold all of it. */
#define FUZZ_DOWNLOAD_SIZE 4096
#define FUZZ_DOWNLOAD_KEPT 1000
/* The URL's path; the host and port are the target's own server's. */
#define FUZZ_DOWNLOAD_PATH "/vgg19.mat"

static inline GBytes *
fuzz_download_body (void)
{
  guint8 *data = g_malloc (FUZZ_DOWNLOAD_SIZE);

  for (guint i = 0; i < FUZZ_DOWNLOAD_SIZE; i++)
    data[i] = (guint8) (i * 31 + (i >> 8));

  return g_bytes_new_take (data, FUZZ_DOWNLOAD_SIZE);
}

G_END_DECLS
