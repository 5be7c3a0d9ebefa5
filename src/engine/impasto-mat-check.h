/* impasto-mat-check.h: a MAT5 file's array headers, checked before matio allocates from them
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* Walks the top-level element whose tag (type, size) sits at offset in stream, inflating it
 * when it is compressed, and checks every nested array header in it: that each cell array or
 * struct could hold the elements its dimensions claim in the bytes it has, and that arrays
 * nest no deeper than a model ever does. matio trusts those headers and allocates from them
 * (gigabytes from a file of a few kilobytes) and recurses into them. Returns FALSE with what
 * is wrong, in words for a message, in *problem. */
gboolean impasto_mat_check_element (FILE     *stream,
                                    goffset   offset,
                                    guint32   type,
                                    guint32   size,
                                    gboolean  big_endian,
                                    char    **problem);

G_END_DECLS
