/* impasto-network-file.h: the MAT file behind a network, read with the checks matio leaves out
 *
 * Private to the network loader.  Every failure is an IMPASTO_NETWORK_ERROR naming the file,
 * and the layer when there is one.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdarg.h>

#include <glib.h>
#include <matio.h>

#include "impasto-network.h"

G_BEGIN_DECLS

typedef struct
{
  char    *display_name;   /* the path, for messages */
  goffset  size;
  mat_t   *mat;
} ImpastoNetworkFile;

ImpastoNetworkFile *impasto_network_file_open        (const char          *path,
                                                      GError             **error);
void                impasto_network_file_free        (ImpastoNetworkFile  *file);

/* "“vgg.mat”: layer conv3_2: kernel is …"; always returns FALSE. */
gboolean            impasto_network_file_failv       (ImpastoNetworkFile  *file,
                                                      GError             **error,
                                                      ImpastoNetworkError  code,
                                                      const char          *layer,
                                                      const char          *format,
                                                      va_list              args)
                                                      G_GNUC_PRINTF (5, 0);

/* Whether an array of `n` elements could come from this file at all (one byte each at least,
 * expanded by at most zlib's ratio when compressed): a bound on what a damaged header can
 * make us allocate. */
gboolean            impasto_network_file_fits        (ImpastoNetworkFile  *file,
                                                      const matvar_t      *var,
                                                      size_t               n);

/* A 1xN char array in UTF-8, UINT16 (UTF-16) or UINT8 (Latin-1), as a UTF-8 string. */
gboolean            impasto_network_file_read_string (ImpastoNetworkFile  *file,
                                                      matvar_t            *var,
                                                      const char          *layer,
                                                      const char          *field,
                                                      char               **string,
                                                      GError             **error);

/* Real, dense single or double numbers; `what` names them in the message. */
gboolean            impasto_network_file_check_numbers (ImpastoNetworkFile *file,
                                                        const matvar_t     *var,
                                                        const char         *layer,
                                                        const char         *what,
                                                        GError            **error);

/* The `n` numbers of a var that passed check_numbers, as finite floats in file order. */
gboolean            impasto_network_file_read_floats (ImpastoNetworkFile  *file,
                                                      matvar_t            *var,
                                                      const char          *layer,
                                                      const char          *what,
                                                      float               *dst,
                                                      size_t               n,
                                                      GError             **error);

/* Small vectors such as `pool` or `stride`: 1 to 4 numbers. */
gboolean            impasto_network_file_read_params (ImpastoNetworkFile  *file,
                                                      matvar_t            *var,
                                                      const char          *layer,
                                                      const char          *field,
                                                      double               values[4],
                                                      size_t              *n_values,
                                                      GError             **error);

size_t              impasto_mat_n_elements           (const matvar_t      *var);
gboolean            impasto_mat_is_intact            (matvar_t            *var);
/* Field of an intact 1x1 struct, or NULL. */
matvar_t           *impasto_mat_get_field            (matvar_t            *var,
                                                      const char          *name);
/* Element of an intact cell array; may be NULL in a damaged file. */
matvar_t           *impasto_mat_get_cell             (matvar_t            *var,
                                                      size_t               index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoNetworkFile, impasto_network_file_free)

G_END_DECLS
