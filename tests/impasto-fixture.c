/* impasto-fixture.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <matio.h>

#include "impasto-fixture.h"

#define CONV IMPASTO_FIXTURE_LAYER_CONV
#define RELU IMPASTO_FIXTURE_LAYER_RELU
#define POOL IMPASTO_FIXTURE_LAYER_POOL

/* MatConvNet's imagenet-vgg-verydeep-19.mat, in file order. */
static const ImpastoFixtureLayer vgg19[] = {
  { "conv1_1", CONV, 3, 3, 64 }, { "relu1_1", RELU }, { "conv1_2", CONV, 3, 64, 64 },
  { "relu1_2", RELU }, { "pool1", POOL },
  { "conv2_1", CONV, 3, 64, 128 }, { "relu2_1", RELU }, { "conv2_2", CONV, 3, 128, 128 },
  { "relu2_2", RELU }, { "pool2", POOL },
  { "conv3_1", CONV, 3, 128, 256 }, { "relu3_1", RELU }, { "conv3_2", CONV, 3, 256, 256 },
  { "relu3_2", RELU }, { "conv3_3", CONV, 3, 256, 256 }, { "relu3_3", RELU },
  { "conv3_4", CONV, 3, 256, 256 }, { "relu3_4", RELU }, { "pool3", POOL },
  { "conv4_1", CONV, 3, 256, 512 }, { "relu4_1", RELU }, { "conv4_2", CONV, 3, 512, 512 },
  { "relu4_2", RELU }, { "conv4_3", CONV, 3, 512, 512 }, { "relu4_3", RELU },
  { "conv4_4", CONV, 3, 512, 512 }, { "relu4_4", RELU }, { "pool4", POOL },
  { "conv5_1", CONV, 3, 512, 512 }, { "relu5_1", RELU }, { "conv5_2", CONV, 3, 512, 512 },
  { "relu5_2", RELU }, { "conv5_3", CONV, 3, 512, 512 }, { "relu5_3", RELU },
  { "conv5_4", CONV, 3, 512, 512 }, { "relu5_4", RELU }, { "pool5", POOL },
  { "fc6", CONV, 7, 512, 4096 }, { "relu6", RELU }, { "fc7", CONV, 1, 4096, 4096 },
  { "relu7", RELU }, { "fc8", CONV, 1, 4096, 1000 },
  { "prob", IMPASTO_FIXTURE_LAYER_SOFTMAX },
};

#define N_CONV_PART 37   /* conv1_1 … pool5 */

enum { STREAM_KERNEL, STREAM_BIAS };

void
impasto_fixture_options_init (ImpastoFixtureOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->factor = 16;
  options->seed = 1;
}

static int
table_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (vgg19); i++)
    if (g_strcmp0 (vgg19[i].name, name) == 0)
      return (int) i;

  return -1;
}

guint
impasto_fixture_get_n_layers (const ImpastoFixtureOptions *options)
{
  guint n = options->with_fc ? G_N_ELEMENTS (vgg19) : N_CONV_PART;
  int last = options->stop_after != NULL ? table_index (options->stop_after) : -1;

  g_return_val_if_fail (options->stop_after == NULL || last >= 0, n);

  return last >= 0 ? MIN (n, (guint) last + 1) : n;
}

static guint
divided (const ImpastoFixtureOptions *options,
         guint                        channels)
{
  return MAX (1, channels / MAX (1, options->factor));
}

/* Layers without weights pass the previous conv's channels through. */
void
impasto_fixture_get_layer (const ImpastoFixtureOptions *options,
                           guint                        index,
                           ImpastoFixtureLayer         *layer)
{
  guint channels = 3;

  g_return_if_fail (index < G_N_ELEMENTS (vgg19));

  for (guint i = 0; i <= index; i++)
    {
      *layer = vgg19[i];
      if (layer->type == CONV)
        {
          layer->in_channels = channels;
          layer->out_channels = channels = divided (options, vgg19[i].out_channels);
        }
      else
        {
          layer->in_channels = layer->out_channels = channels;
        }
    }
}

/* splitmix64's finaliser: every (seed, layer, stream, element) gets independent bits, so any
 * element can be recomputed on its own. */
static guint64
mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

static double
normal_at (guint64 key,
           guint64 element)
{
  double u1 = ((mix (key + 2 * element) >> 11) + 0.5) / 9007199254740992.0;
  double u2 = ((mix (key + 2 * element + 1) >> 11) + 0.5) / 9007199254740992.0;

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static guint64
stream_key (const ImpastoFixtureOptions *options,
            guint                        layer_index,
            guint                        stream)
{
  return mix (mix (mix (options->seed) ^ layer_index) ^ stream);
}

/* He initialisation: std sqrt(2 / fan_in). `element` is the position in our own
 * [out][in][size][size] order, whatever order the file stores it in. */
static double
kernel_double (const ImpastoFixtureOptions *options,
               guint                        layer_index,
               guint                        fan_in,
               guint64                      element)
{
  double std = sqrt (2.0 / fan_in);

  return std * normal_at (stream_key (options, layer_index, STREAM_KERNEL), element);
}

static double
bias_double (const ImpastoFixtureOptions *options,
             guint                        layer_index,
             guint                        out)
{
  return 0.01 * normal_at (stream_key (options, layer_index, STREAM_BIAS), out);
}

float
impasto_fixture_kernel_value (const ImpastoFixtureOptions *options,
                              const char                  *layer,
                              guint                        out,
                              guint                        in,
                              guint                        y,
                              guint                        x)
{
  int index = table_index (layer);
  ImpastoFixtureLayer info;
  guint64 element;

  g_return_val_if_fail (index >= 0 && vgg19[index].type == CONV, NAN);

  impasto_fixture_get_layer (options, index, &info);
  g_return_val_if_fail (out < info.out_channels && in < info.in_channels, NAN);
  g_return_val_if_fail (y < info.size && x < info.size, NAN);

  element = (((guint64) out * info.in_channels + in) * info.size + y) * info.size + x;
  return (float) kernel_double (options, index, info.size * info.size * info.in_channels,
                                element);
}

float
impasto_fixture_bias_value (const ImpastoFixtureOptions *options,
                            const char                  *layer,
                            guint                        out)
{
  int index = table_index (layer);

  g_return_val_if_fail (index >= 0 && vgg19[index].type == CONV, NAN);

  return (float) bias_double (options, index, out);
}

/* Building the variables.  Numeric data is handed to matio without a copy and kept in
 * `buffers` until the file is written: a factor-1 model with fc layers is 575 MB. */

typedef struct
{
  const ImpastoFixtureOptions *options;
  GPtrArray                   *buffers;
} Writer;

/* MATLAB drops trailing singleton dimensions (down to two), and so do we, so that the
 * loader sees what real files with one channel look like. */
static int
matlab_rank (const size_t *dims,
             int           rank)
{
  while (rank > 2 && dims[rank - 1] == 1)
    rank--;

  return rank;
}

/* An array of `n` single or double numbers, kept until the file is written. */
static void *
new_numbers (Writer   *writer,
             gboolean  is_double,
             size_t    n)
{
  void *data = g_malloc_n (MAX (n, 1), is_double ? sizeof (double) : sizeof (float));

  g_ptr_array_add (writer->buffers, data);
  return data;
}

static void
set_number (void     *data,
            gboolean  is_double,
            size_t    index,
            double    value)
{
  if (is_double)
    ((double *) data)[index] = value;
  else
    ((float *) data)[index] = (float) value;
}

static matvar_t *
wrap_numbers (gboolean  is_double,
              int       rank,
              size_t   *dims,
              void     *data)
{
  return Mat_VarCreate (NULL, is_double ? MAT_C_DOUBLE : MAT_C_SINGLE,
                        is_double ? MAT_T_DOUBLE : MAT_T_SINGLE,
                        matlab_rank (dims, rank), dims, data, MAT_F_DONT_COPY_DATA);
}

static matvar_t *
make_numbers (Writer       *writer,
              gboolean      is_double,
              int           rank,
              size_t       *dims,
              const double *values)
{
  size_t n = 1;
  void *data;

  for (int i = 0; i < rank; i++)
    n *= dims[i];

  data = new_numbers (writer, is_double, n);
  for (size_t i = 0; i < n; i++)
    set_number (data, is_double, i, values[i]);

  return wrap_numbers (is_double, rank, dims, data);
}

static matvar_t *
make_row (Writer       *writer,
          const double *values,
          size_t        n)
{
  size_t dims[2] = { 1, n };

  return make_numbers (writer, TRUE, 2, dims, values);
}

/* UINT8 is written as UTF-8 here (matio converts it) and patched afterwards. */
static matvar_t *
make_string (Writer     *writer,
             const char *text)
{
  size_t len = strlen (text);
  size_t dims[2] = { 1, len };

  if (writer->options->chars == IMPASTO_FIXTURE_CHARS_UINT16)
    {
      guint16 *units = g_new (guint16, MAX (len, 1));

      for (size_t i = 0; i < len; i++)
        units[i] = (guchar) text[i];
      g_ptr_array_add (writer->buffers, units);
      return Mat_VarCreate (NULL, MAT_C_CHAR, MAT_T_UINT16, 2, dims, units,
                            MAT_F_DONT_COPY_DATA);
    }

  return Mat_VarCreate (NULL, MAT_C_CHAR, MAT_T_UTF8, 2, dims, (void *) text, 0);
}

static matvar_t *
make_struct (const char        *name,
             const char *const *fields,
             matvar_t         **values)
{
  size_t dims[2] = { 1, 1 };
  matvar_t *s = Mat_VarCreateStruct2 (name, 2, dims, fields);

  for (guint i = 0; fields[i] != NULL; i++)
    Mat_VarSetStructFieldByName (s, fields[i], 0, values[i]);

  return s;
}

static gboolean
is_broken (const ImpastoFixtureOptions *options,
           guint                        index,
           ImpastoFixtureBreak          breakage)
{
  return options->breakage == breakage
         && g_strcmp0 (options->broken_layer, vgg19[index].name) == 0;
}

/* [size, size, in, out] in column-major order: element (y, x, c, k) sits at
 * y + size * (x + size * (c + in * k)). */
static matvar_t *
make_kernel (Writer                    *writer,
             guint                      index,
             const ImpastoFixtureLayer *layer)
{
  const ImpastoFixtureOptions *options = writer->options;
  gboolean is_double = options->double_kernels;
  guint fan_in = layer->size * layer->size * layer->in_channels;
  size_t dims[4] = { layer->size, layer->size, layer->in_channels, layer->out_channels };
  size_t n;
  void *data;

  if (is_broken (options, index, IMPASTO_FIXTURE_BREAK_STRING_KERNEL))
    return make_string (writer, "not a kernel");

  if (is_broken (options, index, IMPASTO_FIXTURE_BREAK_KERNEL_DIMS))
    for (guint i = 0; i < 4; i++)
      dims[i] = options->kernel_dims[i];

  n = dims[0] * dims[1] * dims[2] * dims[3];
  data = new_numbers (writer, is_double, n);
  for (size_t k = 0; k < dims[3]; k++)
    for (size_t c = 0; c < dims[2]; c++)
      for (size_t x = 0; x < dims[1]; x++)
        for (size_t y = 0; y < dims[0]; y++)
          {
            guint64 element = ((k * dims[2] + c) * dims[0] + y) * dims[1] + x;

            set_number (data, is_double, y + dims[0] * (x + dims[1] * (c + dims[2] * k)),
                        kernel_double (options, index, fan_in, element));
          }

  if (n > 0 && is_broken (options, index, IMPASTO_FIXTURE_BREAK_NAN_WEIGHT))
    set_number (data, is_double, n / 2, NAN);

  return wrap_numbers (is_double, 4, dims, data);
}

static matvar_t *
make_bias (Writer                    *writer,
           guint                      index,
           const ImpastoFixtureLayer *layer)
{
  const ImpastoFixtureOptions *options = writer->options;
  gboolean is_row = options->row_bias || options->old_fields;
  size_t n = layer->out_channels;
  size_t dims[2];
  void *data;

  if (is_broken (options, index, IMPASTO_FIXTURE_BREAK_BIAS_LENGTH))
    n = options->bias_length;

  data = new_numbers (writer, options->double_kernels, n);
  for (size_t k = 0; k < n; k++)
    set_number (data, options->double_kernels, k, bias_double (options, index, k));

  dims[0] = is_row ? 1 : n;
  dims[1] = is_row ? n : 1;
  return wrap_numbers (options->double_kernels, 2, dims, data);
}

static const char *
layer_name (const ImpastoFixtureOptions *options,
            guint                        index)
{
  if (is_broken (options, index, IMPASTO_FIXTURE_BREAK_RENAME))
    return options->new_name;

  return vgg19[index].name;
}

/* Field order as in the real file, which is not MatConvNet's documented order: the loader
 * must find fields by name. */
static matvar_t *
make_conv (Writer                    *writer,
           guint                      index,
           const ImpastoFixtureLayer *layer)
{
  static const char *const fields[] = { "weights", "pad", "type", "name", "stride", NULL };
  static const char *const old_fields[] = {
    "filters", "biases", "pad", "type", "name", "stride", NULL
  };
  const double pad[4] = { 1, 1, 1, 1 }, no_pad[4] = { 0, 0, 0, 0 }, stride[2] = { 1, 1 };
  const double *padding = layer->size == 3 ? pad : no_pad;
  matvar_t *kernel = make_kernel (writer, index, layer);
  matvar_t *bias = make_bias (writer, index, layer);
  const char *name = layer_name (writer->options, index);

  if (writer->options->old_fields)
    {
      matvar_t *values[] = {
        kernel, bias, make_row (writer, padding, 4), make_string (writer, "conv"),
        make_string (writer, name), make_row (writer, stride, 2),
      };

      return make_struct (NULL, old_fields, values);
    }
  else
    {
      size_t dims[2] = { 1, 2 };
      matvar_t *pair[2] = { kernel, bias };
      matvar_t *values[] = {
        Mat_VarCreate (NULL, MAT_C_CELL, MAT_T_CELL, 2, dims, pair, 0),
        make_row (writer, padding, 4), make_string (writer, "conv"),
        make_string (writer, name), make_row (writer, stride, 2),
      };

      return make_struct (NULL, fields, values);
    }
}

static matvar_t *
make_pool (Writer *writer,
           guint   index)
{
  static const char *const fields[] = { "name", "stride", "pad", "type", "method", "pool", NULL };
  const double two[2] = { 2, 2 }, pad[4] = { 0, 0, 0, 0 };
  gboolean avg = is_broken (writer->options, index, IMPASTO_FIXTURE_BREAK_AVERAGE_POOL);
  matvar_t *values[] = {
    make_string (writer, layer_name (writer->options, index)), make_row (writer, two, 2),
    make_row (writer, pad, 4), make_string (writer, "pool"),
    make_string (writer, avg ? "avg" : "max"), make_row (writer, two, 2),
  };

  return make_struct (NULL, fields, values);
}

static matvar_t *
make_plain (Writer     *writer,
            guint       index,
            const char *type)
{
  static const char *const fields[] = { "type", "name", NULL };
  matvar_t *values[] = {
    make_string (writer, type), make_string (writer, layer_name (writer->options, index)),
  };

  return make_struct (NULL, fields, values);
}

static matvar_t *
make_layer (Writer *writer,
            guint   index)
{
  ImpastoFixtureLayer layer;

  impasto_fixture_get_layer (writer->options, index, &layer);
  switch (layer.type)
    {
    case IMPASTO_FIXTURE_LAYER_CONV:
      return make_conv (writer, index, &layer);
    case IMPASTO_FIXTURE_LAYER_POOL:
      return make_pool (writer, index);
    case IMPASTO_FIXTURE_LAYER_RELU:
      return make_plain (writer, index, "relu");
    case IMPASTO_FIXTURE_LAYER_SOFTMAX:
    default:
      return make_plain (writer, index, "softmax");
    }
}

static matvar_t *
make_layers (Writer *writer)
{
  const ImpastoFixtureOptions *options = writer->options;
  guint n = impasto_fixture_get_n_layers (options);
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  size_t dims[2] = { 1, 0 };

  for (guint i = 0; i < n; i++)
    {
      if (i > 0 && vgg19[i].type == RELU
          && is_broken (options, i - 1, IMPASTO_FIXTURE_BREAK_NO_RELU))
        continue;
      g_ptr_array_add (cells, make_layer (writer, i));
    }

  dims[1] = cells->len;
  return Mat_VarCreate (options->no_layers ? "net" : "layers", MAT_C_CELL, MAT_T_CELL, 2, dims,
                        cells->pdata, 0);
}

static matvar_t *
make_meta (Writer *writer)
{
  static const char *const meta_fields[] = { "normalization", NULL };
  static const char *const norm_fields[] = { "averageImage", "imageSize", NULL };
  const double mean[3] = { 123.68, 116.779, 103.939 }, size[4] = { 224, 224, 3, 1 };
  size_t mean_dims[3] = { 1, 1, 3 };
  matvar_t *norm_values[] = {
    make_numbers (writer, FALSE, 3, mean_dims, mean), make_row (writer, size, 4),
  };
  matvar_t *meta_values[] = { make_struct (NULL, norm_fields, norm_values) };

  return make_struct ("meta", meta_fields, meta_values);
}

static gboolean
write_variable (mat_t      *mat,
                matvar_t   *var,
                gboolean    compress,
                const char *path,
                GError    **error)
{
  int status = Mat_VarWrite (mat, var, compress ? MAT_COMPRESSION_ZLIB : MAT_COMPRESSION_NONE);

  Mat_VarFree (var);
  if (status != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   "could not write variable to “%s” (matio error %d)", path, status);
      return FALSE;
    }

  return TRUE;
}

/* matio always writes char data as UTF-8, so a file with UINT8 names is made by retagging
 * them.  Tags of an uncompressed MAT5 file are 8-byte aligned: a tag (UTF8, len) followed by
 * exactly a string we wrote is one of ours. */
static gboolean
retag_chars_as_uint8 (const char *path,
                      GError    **error)
{
  static const char *const strings[] = { "conv", "relu", "pool", "max", "avg", "softmax" };
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;

  for (gsize pos = 128; pos + 8 <= len; pos += 8)
    {
      guint32 tag[2];

      memcpy (tag, contents + pos, sizeof tag);
      if (tag[0] != MAT_T_UTF8 || tag[1] == 0 || tag[1] > len - pos - 8)
        continue;

      for (guint i = 0; i < G_N_ELEMENTS (vgg19) + G_N_ELEMENTS (strings); i++)
        {
          const char *s = i < G_N_ELEMENTS (vgg19) ? vgg19[i].name
                                                   : strings[i - G_N_ELEMENTS (vgg19)];

          if (strlen (s) == tag[1] && memcmp (contents + pos + 8, s, tag[1]) == 0)
            {
              tag[0] = MAT_T_UINT8;
              memcpy (contents + pos, tag, sizeof tag[0]);
              break;
            }
        }
    }

  return g_file_set_contents (path, contents, len, error);
}

gboolean
impasto_fixture_write (const char                  *path,
                       const ImpastoFixtureOptions *options,
                       GError                     **error)
{
  g_autoptr(GPtrArray) buffers = g_ptr_array_new_with_free_func (g_free);
  Writer writer = { options, buffers };
  mat_t *mat;
  gboolean ok;

  g_return_val_if_fail (path != NULL && options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options->chars == IMPASTO_FIXTURE_CHARS_UINT8 && options->compress)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           "UINT8 names can only be written uncompressed");
      return FALSE;
    }

  mat = Mat_CreateVer (path, NULL, MAT_FT_MAT5);
  if (mat == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "could not create “%s”", path);
      return FALSE;
    }

  ok = write_variable (mat, make_layers (&writer), options->compress, path, error);
  if (ok && options->with_meta)
    ok = write_variable (mat, make_meta (&writer), options->compress, path, error);
  Mat_Close (mat);

  if (ok && options->chars == IMPASTO_FIXTURE_CHARS_UINT8)
    ok = retag_chars_as_uint8 (path, error);

  return ok;
}
