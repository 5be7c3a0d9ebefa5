/* impasto-model-path.h: where the VGG19 model file is looked for
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define IMPASTO_MODEL_FILE_NAME "imagenet-vgg-verydeep-19.mat"
/* The same weights without the fully connected layers, which load faster */
#define IMPASTO_MODEL_COMPACT_FILE_NAME "imagenet-vgg-verydeep-19-conv.mat"
#define IMPASTO_MODEL_URL       "https://www.vlfeat.org/matconvnet/models/imagenet-vgg-verydeep-19.mat"

/* The first existing file among: explicit (when not NULL), $IMPASTO_MODEL,
 * $XDG_DATA_HOME/impasto/FILE, then each system data dir's impasto/FILE, where FILE is the
 * compact copy, then the published file. With explicit set, only it is considered, and an
 * error says what is wrong with it. NULL with an error that says where to put the file when
 * none exists, or what is wrong with the file $IMPASTO_MODEL names. */
char  *impasto_model_find           (const char *explicit_path,
                                     GError    **error);
/* Every place impasto_model_find() looks, in order, for messages and the GUI. */
char **impasto_model_get_search_paths (void);

G_END_DECLS
