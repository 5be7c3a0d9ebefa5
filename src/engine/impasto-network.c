/* impasto-network.c
 *
 * The file is walked with matio's info calls, which describe every layer without reading its
 * data, and only the layers a run needs are read, one array at a time: the real model is
 * 510 MB, 411 MB of it fc6, which a run never touches.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "impasto-network.h"
#include "impasto-network-file.h"

/* More than any VGG has; a bound that keeps every size computed from the file small. */
#define MAX_CHANNELS 65536

struct _ImpastoNetwork
{
  guint         n_layers;
  ImpastoLayer *layers;
};

typedef struct
{
  ImpastoNetworkFile *file;
  matvar_t           *cells;         /* `layers`, info only */
  GArray             *kept;          /* ImpastoLayer */
  GHashTable         *seen;          /* names of the layers walked so far */
  guint               channels;      /* what the next layer receives */
  const char         *unrectified;   /* a conv not followed by its ReLU yet */
} Loader;

G_DEFINE_QUARK (impasto-network-error-quark, impasto_network_error)

static void
layer_clear (gpointer data)
{
  ImpastoLayer *layer = data;

  g_clear_pointer (&layer->name, g_free);
  g_clear_pointer (&layer->weights, g_free);
  g_clear_pointer (&layer->bias, g_free);
}

static void
loader_clear (Loader *loader)
{
  g_clear_pointer (&loader->cells, Mat_VarFree);
  g_clear_pointer (&loader->file, impasto_network_file_free);
  g_clear_pointer (&loader->kept, g_array_unref);
  g_clear_pointer (&loader->seen, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Loader, loader_clear)

G_GNUC_PRINTF (5, 6)
static gboolean
fail (Loader              *loader,
      GError             **error,
      ImpastoNetworkError  code,
      const char          *layer,
      const char          *format,
      ...)
{
  va_list args;

  va_start (args, format);
  impasto_network_file_failv (loader->file, error, code, layer, format, args);
  va_end (args);

  return FALSE;
}

/* Whether an optional field, when there, holds `expected` in each of its values, as in
 * MatConvNet's [2 2] for `pool` or [1 1 1 1] for a conv's `pad`. */
static gboolean
check_param (Loader     *loader,
             matvar_t   *layer_var,
             const char *layer,
             const char *field,
             double      expected,
             GError    **error)
{
  matvar_t *var = impasto_mat_get_field (layer_var, field);
  double values[4];
  size_t n;

  if (var == NULL)
    return TRUE;
  if (!impasto_network_file_read_params (loader->file, var, layer, field, values, &n, error))
    return FALSE;

  for (size_t i = 0; i < n; i++)
    if (values[i] != expected)
      return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                   "its %s is %g, only %g is supported", field, values[i], expected);

  return TRUE;
}

/* Dimensions as [h, w, in, out], filling in the trailing singletons MATLAB drops. */
static gboolean
kernel_dims (const matvar_t *var,
             size_t          dims[4])
{
  if (var->rank < 2)
    return FALSE;

  for (int i = 0; i < MAX (var->rank, 4); i++)
    {
      size_t d = i < var->rank ? var->dims[i] : 1;

      if (i < 4)
        dims[i] = d;
      else if (d != 1)
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_kernel (Loader     *loader,
              matvar_t   *kernel,
              const char *layer,
              size_t     *out,
              GError    **error)
{
  size_t d[4];

  if (!impasto_network_file_check_numbers (loader->file, kernel, layer, "kernel", error))
    return FALSE;
  if (!kernel_dims (kernel, d))
    return fail (loader, error, IMPASTO_NETWORK_ERROR_SHAPE, layer,
                 "its kernel has %d dimensions, expected 3x3x%ux(channels)",
                 kernel->rank, loader->channels);

  for (guint i = 0; i < 4; i++)
    if (d[i] < 1 || d[i] > MAX_CHANNELS)
      return fail (loader, error, IMPASTO_NETWORK_ERROR_SHAPE, layer,
                   "kernel is %zux%zux%zux%zu, expected 3x3x%ux(1 to %d)",
                   d[0], d[1], d[2], d[3], loader->channels, MAX_CHANNELS);

  if (d[0] != 3 || d[1] != 3 || d[2] != loader->channels)
    return fail (loader, error, IMPASTO_NETWORK_ERROR_SHAPE, layer,
                 "kernel is %zux%zux%zux%zu, expected 3x3x%ux%zu",
                 d[0], d[1], d[2], d[3], loader->channels, d[3]);

  if (!impasto_network_file_fits (loader->file, kernel, 9 * d[2] * d[3]))
    return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                 "kernel is %zux%zux%zux%zu, more than the file can hold: it is damaged",
                 d[0], d[1], d[2], d[3]);

  *out = d[3];
  return TRUE;
}

static gboolean
check_bias (Loader     *loader,
            matvar_t   *bias,
            const char *layer,
            size_t      out,
            GError    **error)
{
  g_autofree char *dims = NULL;

  if (!impasto_network_file_check_numbers (loader->file, bias, layer, "bias", error))
    return FALSE;

  if (bias->rank == 2 && MIN (bias->dims[0], bias->dims[1]) == 1
      && MAX (bias->dims[0], bias->dims[1]) == out)
    return TRUE;

  dims = bias->rank == 2 ? g_strdup_printf ("%zux%zu", bias->dims[0], bias->dims[1])
                         : g_strdup_printf ("of rank %d", bias->rank);
  return fail (loader, error, IMPASTO_NETWORK_ERROR_SHAPE, layer,
               "bias is %s, expected %zux1", dims, out);
}

/* {kernel, bias} from `weights`, or the separate `filters` and `biases` of MatConvNet's
 * beta releases. */
static gboolean
find_weights (Loader     *loader,
              matvar_t   *layer_var,
              const char *layer,
              matvar_t  **kernel,
              matvar_t  **bias,
              GError    **error)
{
  matvar_t *weights = impasto_mat_get_field (layer_var, "weights");

  if (weights == NULL)
    {
      *kernel = impasto_mat_get_field (layer_var, "filters");
      *bias = impasto_mat_get_field (layer_var, "biases");
      if (*kernel == NULL && *bias == NULL)
        return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                     "it has no field “weights”");
      return TRUE;
    }

  if (weights->class_type != MAT_C_CELL || impasto_mat_n_elements (weights) != 2
      || !impasto_mat_is_intact (weights))
    return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
                 "its “weights” is not a cell array {kernel, bias}");

  *kernel = impasto_mat_get_cell (weights, 0);
  *bias = impasto_mat_get_cell (weights, 1);
  return TRUE;
}

static gboolean
check_rectified (Loader     *loader,
                 const char *layer,
                 GError    **error)
{
  if (loader->unrectified == NULL)
    return TRUE;

  return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, layer,
               "it follows %s without a ReLU between them, and Impasto always applies one",
               loader->unrectified);
}

/* The kernel [3, 3, in, out] is column-major, (y, x, c, k) at y + 3 (x + 3 (c + in k));
 * ours is [out][in][3][3], row-major. */
static gboolean
read_kernel (Loader       *loader,
             matvar_t     *kernel,
             ImpastoLayer *layer,
             GError      **error)
{
  guint in = layer->in_channels, out = layer->out_channels;
  size_t n = (size_t) 9 * in * out;
  g_autofree float *column_major = g_try_new (float, n);

  layer->weights = g_try_new (float, n);
  if (column_major == NULL || layer->weights == NULL)
    return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, layer->name,
                 "not enough memory for its kernel (%zu MB)", n * sizeof (float) >> 20);

  if (!impasto_network_file_read_floats (loader->file, kernel, layer->name, "kernel",
                                         column_major, n, error))
    return FALSE;

  for (guint k = 0; k < out; k++)
    for (guint c = 0; c < in; c++)
      for (guint y = 0; y < 3; y++)
        for (guint x = 0; x < 3; x++)
          layer->weights[((k * in + c) * 3 + y) * 3 + x] =
            column_major[y + 3 * (x + 3 * (c + (size_t) in * k))];

  return TRUE;
}

static gboolean
read_conv (Loader       *loader,
           matvar_t     *layer_var,
           ImpastoLayer *layer,
           GError      **error)
{
  matvar_t *kernel, *bias;
  size_t out = 0;

  if (!check_rectified (loader, layer->name, error)
      || !find_weights (loader, layer_var, layer->name, &kernel, &bias, error)
      || !check_kernel (loader, kernel, layer->name, &out, error)
      || !check_bias (loader, bias, layer->name, out, error)
      || !check_param (loader, layer_var, layer->name, "stride", 1, error)
      || !check_param (loader, layer_var, layer->name, "pad", 1, error))
    return FALSE;

  layer->kind = IMPASTO_LAYER_CONV;
  layer->in_channels = loader->channels;
  layer->out_channels = (guint) out;
  layer->bias = g_new (float, out);
  if (!read_kernel (loader, kernel, layer, error)
      || !impasto_network_file_read_floats (loader->file, bias, layer->name, "bias",
                                            layer->bias, out, error))
    return FALSE;

  loader->channels = layer->out_channels;
  loader->unrectified = layer->name;
  return TRUE;
}

static gboolean
read_pool (Loader       *loader,
           matvar_t     *layer_var,
           ImpastoLayer *layer,
           GError      **error)
{
  matvar_t *method_var = impasto_mat_get_field (layer_var, "method");

  if (!check_rectified (loader, layer->name, error))
    return FALSE;

  if (method_var != NULL)
    {
      g_autofree char *method = NULL;

      if (!impasto_network_file_read_string (loader->file, method_var, layer->name, "method",
                                             &method, error))
        return FALSE;
      if (strcmp (method, "max") != 0)
        return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, layer->name,
                     "its method is “%s”, only max pooling is supported", method);
    }

  if (!check_param (loader, layer_var, layer->name, "pool", 2, error)
      || !check_param (loader, layer_var, layer->name, "stride", 2, error))
    return FALSE;

  layer->kind = IMPASTO_LAYER_POOL;
  layer->in_channels = layer->out_channels = loader->channels;
  return TRUE;
}

static gboolean
read_name_and_type (Loader      *loader,
                    matvar_t    *var,
                    const char  *label,
                    char       **name,
                    char       **type,
                    GError     **error)
{
  if (var == NULL || var->class_type != MAT_C_STRUCT || impasto_mat_n_elements (var) != 1)
    return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, label, "it is not a 1x1 struct");
  if (!impasto_mat_is_intact (var))
    return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, label,
                 "it could not be read: the file is damaged");

  if (!impasto_network_file_read_string (loader->file, impasto_mat_get_field (var, "name"),
                                         label, "name", name, error)
      || !impasto_network_file_read_string (loader->file, impasto_mat_get_field (var, "type"),
                                            *name, "type", type, error))
    return FALSE;

  if (!g_hash_table_add (loader->seen, g_strdup (*name)))
    return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, *name,
                 "the name is used by an earlier layer too");

  return TRUE;
}

/* Reads layers{index}; `layer` is filled in for conv and pool layers, and left without a
 * name for the ReLUs, which every conv has built in. */
static gboolean
read_layer (Loader       *loader,
            size_t        index,
            ImpastoLayer *layer,
            GError      **error)
{
  g_autofree char *label = g_strdup_printf ("layers{%zu}", index + 1);
  matvar_t *var = impasto_mat_get_cell (loader->cells, index);
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;

  if (!read_name_and_type (loader, var, label, &name, &type, error))
    return FALSE;

  if (strcmp (type, "relu") == 0)
    {
      loader->unrectified = NULL;
      return TRUE;
    }

  layer->name = g_steal_pointer (&name);
  if (strcmp (type, "conv") == 0)
    return read_conv (loader, var, layer, error);
  if (strcmp (type, "pool") == 0)
    return read_pool (loader, var, layer, error);

  return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, layer->name,
               "its type “%s” is not supported (only conv, relu and pool)", type);
}

static gboolean
open_layers (Loader     *loader,
             const char *path,
             GError    **error)
{
  matvar_t *cells;

  loader->file = impasto_network_file_open (path, error);
  if (loader->file == NULL)
    return FALSE;

  cells = loader->cells = Mat_VarReadInfo (loader->file->mat, "layers");
  if (cells == NULL)
    return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, NULL,
                 "there is no variable “layers”, or it cannot be read: this is not a "
                 "MatConvNet model");
  if (cells->class_type != MAT_C_CELL || cells->rank != 2
      || MIN (cells->dims[0], cells->dims[1]) > 1 || cells->dims[0] + cells->dims[1] > G_MAXINT)
    return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, NULL,
                 "“layers” is not a 1xN cell array: this is not a MatConvNet model");
  if (impasto_mat_n_elements (cells) > 0 && !impasto_mat_is_intact (cells))
    return fail (loader, error, IMPASTO_NETWORK_ERROR_FORMAT, NULL,
                 "“layers” could not be read: the file is damaged");

  return TRUE;
}

static const char *
first_missing (Loader             *loader,
               const char * const *required)
{
  for (guint i = 0; required[i] != NULL; i++)
    if (!g_hash_table_contains (loader->seen, required[i]))
      return required[i];

  return NULL;
}

/* Walks the layers in file order up to the last one a run needs; nothing after it is read,
 * so files with and without the fc layers load alike. */
static gboolean
walk_layers (Loader             *loader,
             const char * const *required,
             GError            **error)
{
  size_t n = impasto_mat_n_elements (loader->cells);
  const char *missing;

  for (size_t i = 0; i < n && first_missing (loader, required) != NULL; i++)
    {
      ImpastoLayer layer = { 0 };

      if (!read_layer (loader, i, &layer, error))
        {
          layer_clear (&layer);
          return FALSE;
        }
      if (layer.name != NULL)
        g_array_append_val (loader->kept, layer);
    }

  missing = first_missing (loader, required);
  if (missing != NULL)
    {
      g_set_error (error, IMPASTO_NETWORK_ERROR, IMPASTO_NETWORK_ERROR_MISSING,
                   "“%s” has no layer %s, which this run needs (it has %zu layers)",
                   loader->file->display_name, missing, n);
      return FALSE;
    }

  return TRUE;
}

ImpastoNetwork *
impasto_network_load (const char         *path,
                      const char * const *required_layers,
                      GError            **error)
{
  g_auto(Loader) loader = { 0 };
  ImpastoNetwork *network;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (required_layers != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  loader.kept = g_array_new (FALSE, TRUE, sizeof (ImpastoLayer));
  g_array_set_clear_func (loader.kept, layer_clear);
  loader.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  loader.channels = 3;

  if (!open_layers (&loader, path, error) || !walk_layers (&loader, required_layers, error))
    return NULL;

  network = g_atomic_rc_box_new0 (ImpastoNetwork);
  network->n_layers = loader.kept->len;
  g_array_set_clear_func (loader.kept, NULL);
  network->layers = (ImpastoLayer *) g_array_free (g_steal_pointer (&loader.kept), FALSE);
  return network;
}

ImpastoNetwork *
impasto_network_ref (ImpastoNetwork *network)
{
  g_return_val_if_fail (network != NULL, NULL);

  return g_atomic_rc_box_acquire (network);
}

static void
network_clear (gpointer data)
{
  ImpastoNetwork *network = data;

  for (guint i = 0; i < network->n_layers; i++)
    layer_clear (&network->layers[i]);
  g_free (network->layers);
}

void
impasto_network_unref (ImpastoNetwork *network)
{
  g_return_if_fail (network != NULL);

  g_atomic_rc_box_release_full (network, network_clear);
}

guint
impasto_network_get_n_layers (const ImpastoNetwork *network)
{
  g_return_val_if_fail (network != NULL, 0);

  return network->n_layers;
}

const ImpastoLayer *
impasto_network_get_layer (const ImpastoNetwork *network,
                           guint                 index)
{
  g_return_val_if_fail (network != NULL, NULL);
  g_return_val_if_fail (index < network->n_layers, NULL);

  return &network->layers[index];
}

int
impasto_network_find_layer (const ImpastoNetwork *network,
                            const char           *name)
{
  g_return_val_if_fail (network != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < network->n_layers; i++)
    if (strcmp (network->layers[i].name, name) == 0)
      return (int) i;

  return -1;
}

/* SHA-256 of the first n_layers layers as this program uses them: names, shapes, weights and
 * biases (floats in this machine's byte order), so that two files holding the same layers in
 * other layouts (the compact copy, the full file) give the same checksum. */
char *
impasto_network_dup_checksum (const ImpastoNetwork *network,
                              guint                 n_layers)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_return_val_if_fail (network != NULL, NULL);
  g_return_val_if_fail (n_layers <= network->n_layers, NULL);

  for (guint i = 0; i < n_layers; i++)
    {
      const ImpastoLayer *layer = &network->layers[i];
      guint32 shape[3] = { layer->kind, layer->in_channels, layer->out_channels };

      g_checksum_update (checksum, (const guchar *) layer->name, strlen (layer->name) + 1);
      g_checksum_update (checksum, (const guchar *) shape, sizeof shape);
      if (layer->kind != IMPASTO_LAYER_CONV)
        continue;
      g_checksum_update (checksum, (const guchar *) layer->weights,
                         (gssize) 9 * layer->in_channels * layer->out_channels * sizeof (float));
      g_checksum_update (checksum, (const guchar *) layer->bias,
                         (gssize) layer->out_channels * sizeof (float));
    }

  return g_strdup (g_checksum_get_string (checksum));
}
