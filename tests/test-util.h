/* test-util.h: fixtures shared by the engine's tests
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "impasto-image.h"

G_BEGIN_DECLS

/* A smooth pattern with texture, different for every seed: something with edges and
 * structure for the network to see, unlike flat noise. */
ImpastoImage *test_make_image   (guint       width,
                                 guint       height,
                                 guint32     seed);
/* Writes a VGG19-shaped model with channels divided by factor into dir; returns its path. */
char         *test_write_model  (const char *dir,
                                 guint       factor,
                                 guint32     seed);
GBytes       *test_make_model_bytes (guint     factor,
                                     guint32   seed);
char         *test_make_tmpdir  (void);
/* SHA-256 of a file's bytes, lower-case hex. */
char         *test_sha256_of_file (const char *path);
void          test_remove_tree  (const char *path);
/* The median of values (doubles), which it sorts; 0 for none. For the benchmarks. */
double        test_median       (GArray     *values);

G_END_DECLS
