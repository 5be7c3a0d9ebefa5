/* impasto-network-write.c
 *
 * The layout is the one impasto-network.c reads and MatConvNet writes: a 1xN cell array of
 * structs with `name` and `type`, conv layers with `weights` {kernel [h w in out], bias
 * [out 1]} in single precision, pool layers with `method`, `pool` and `stride`.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <matio.h>

#include "impasto-network-write.h"

static matvar_t *
make_string (const char *text)
{
  size_t dims[2] = { 1, strlen (text) };

  return Mat_VarCreate (NULL, MAT_C_CHAR, MAT_T_UTF8, 2, dims, (void *) text, 0);
}

static matvar_t *
make_pair (double value)
{
  double values[2] = { value, value };
  size_t dims[2] = { 1, 2 };

  return Mat_VarCreate (NULL, MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, values, 0);
}

static matvar_t *
make_struct (const char * const *fields,
             matvar_t          **values)
{
  size_t dims[2] = { 1, 1 };
  guint n = g_strv_length ((char **) fields);
  matvar_t *s = Mat_VarCreateStruct (NULL, 2, dims, (const char **) fields, n);

  for (guint i = 0; i < n; i++)
    Mat_VarSetStructFieldByName (s, fields[i], 0, values[i]);

  return s;
}

/* The kernel from [out][in][y][x] row-major into MATLAB's column-major [y x in out]. */
static matvar_t *
make_kernel (const ImpastoLayer *layer)
{
  size_t in = layer->in_channels, out = layer->out_channels;
  size_t dims[4] = { 3, 3, in, out };
  g_autofree float *data = g_new (float, 9 * in * out);

  for (size_t k = 0; k < out; k++)
    for (size_t c = 0; c < in; c++)
      for (size_t y = 0; y < 3; y++)
        for (size_t x = 0; x < 3; x++)
          data[y + 3 * (x + 3 * (c + in * k))] = layer->weights[((k * in + c) * 3 + y) * 3 + x];

  /* matio copies the data, so the buffer can go at once. */
  return Mat_VarCreate (NULL, MAT_C_SINGLE, MAT_T_SINGLE, 4, dims, data, 0);
}

static matvar_t *
make_conv (const ImpastoLayer *layer)
{
  static const char * const fields[] = { "name", "type", "weights", "stride", "pad", NULL };
  size_t bias_dims[2] = { layer->out_channels, 1 };
  size_t pair_dims[2] = { 1, 2 };
  double pad[4] = { 1, 1, 1, 1 };
  size_t pad_dims[2] = { 1, 4 };
  matvar_t *weights = Mat_VarCreate (NULL, MAT_C_CELL, MAT_T_CELL, 2, pair_dims, NULL, 0);
  matvar_t *values[5];

  Mat_VarSetCell (weights, 0, make_kernel (layer));
  Mat_VarSetCell (weights, 1, Mat_VarCreate (NULL, MAT_C_SINGLE, MAT_T_SINGLE, 2, bias_dims,
                                             layer->bias, 0));
  values[0] = make_string (layer->name);
  values[1] = make_string ("conv");
  values[2] = weights;
  values[3] = make_pair (1);
  values[4] = Mat_VarCreate (NULL, MAT_C_DOUBLE, MAT_T_DOUBLE, 2, pad_dims, pad, 0);

  return make_struct (fields, values);
}

/* MatConvNet names conv1_1's relu relu1_1. */
static matvar_t *
make_relu (const ImpastoLayer *conv)
{
  static const char * const fields[] = { "name", "type", NULL };
  g_autofree char *name = g_str_has_prefix (conv->name, "conv")
                          ? g_strconcat ("relu", conv->name + 4, NULL)
                          : g_strconcat ("relu_", conv->name, NULL);
  matvar_t *values[2] = { make_string (name), make_string ("relu") };

  return make_struct (fields, values);
}

static matvar_t *
make_pool (const ImpastoLayer *layer)
{
  static const char * const fields[] = { "name", "type", "method", "pool", "stride", NULL };
  matvar_t *values[5] = {
    make_string (layer->name), make_string ("pool"), make_string ("max"),
    make_pair (2), make_pair (2),
  };

  return make_struct (fields, values);
}

static matvar_t *
make_layers (const ImpastoNetwork *network)
{
  guint n = impasto_network_get_n_layers (network);
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  size_t dims[2] = { 1, 0 };
  matvar_t *layers;

  for (guint i = 0; i < n; i++)
    {
      const ImpastoLayer *layer = impasto_network_get_layer (network, i);

      if (layer->kind == IMPASTO_LAYER_CONV)
        {
          g_ptr_array_add (cells, make_conv (layer));
          g_ptr_array_add (cells, make_relu (layer));
        }
      else
        g_ptr_array_add (cells, make_pool (layer));
    }

  dims[1] = cells->len;
  layers = Mat_VarCreate ("layers", MAT_C_CELL, MAT_T_CELL, 2, dims, NULL, 0);
  for (guint i = 0; i < cells->len; i++)
    Mat_VarSetCell (layers, i, cells->pdata[i]);

  return layers;
}

static gboolean
write_layers (const ImpastoNetwork *network,
              const char           *path)
{
  mat_t *mat = Mat_CreateVer (path, NULL, MAT_FT_MAT5);
  matvar_t *layers;
  int status;

  if (mat == NULL)
    return FALSE;

  layers = make_layers (network);
  status = Mat_VarWrite (mat, layers, MAT_COMPRESSION_NONE);
  Mat_VarFree (layers);

  return Mat_Close (mat) == 0 && status == 0;
}

gboolean
impasto_network_write (const ImpastoNetwork  *network,
                       const char            *path,
                       GError               **error)
{
  g_autofree char *temporary = NULL;
  int saved;

  g_return_val_if_fail (network != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  temporary = g_strconcat (path, ".tmp", NULL);
  errno = 0;
  if (write_layers (network, temporary) && g_rename (temporary, path) == 0)
    return TRUE;

  /* matio reports its failures through its log, not errno: a full disk is the likely one. */
  saved = errno != 0 ? errno : ENOSPC;
  g_unlink (temporary);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
               "%s could not be written (%s); nothing was changed", path, g_strerror (saved));
  return FALSE;
}

static gboolean
layers_equal (const ImpastoLayer *a,
              const ImpastoLayer *b)
{
  size_t n = (size_t) a->out_channels * a->in_channels * 9;

  if (g_strcmp0 (a->name, b->name) != 0 || a->kind != b->kind
      || a->in_channels != b->in_channels || a->out_channels != b->out_channels)
    return FALSE;
  if (a->kind != IMPASTO_LAYER_CONV)
    return TRUE;

  return memcmp (a->weights, b->weights, n * sizeof (float)) == 0
         && memcmp (a->bias, b->bias, a->out_channels * sizeof (float)) == 0;
}

gboolean
impasto_network_equal (const ImpastoNetwork *a,
                       const ImpastoNetwork *b)
{
  guint n = impasto_network_get_n_layers (a);

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (impasto_network_get_n_layers (b) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!layers_equal (impasto_network_get_layer (a, i), impasto_network_get_layer (b, i)))
      return FALSE;

  return TRUE;
}
