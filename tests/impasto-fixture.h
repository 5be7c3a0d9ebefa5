/* impasto-fixture.h: small VGG19-shaped MatConvNet files for the tests and benchmarks
 *
 * Weights are a pure function of (seed, layer, position), so a test can ask what any element
 * should be without keeping the file's contents around.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  IMPASTO_FIXTURE_CHARS_UTF8,     /* what scipy writes */
  IMPASTO_FIXTURE_CHARS_UINT16,   /* what MATLAB writes */
  IMPASTO_FIXTURE_CHARS_UINT8,    /* older writers; uncompressed files only */
} ImpastoFixtureChars;

typedef enum
{
  IMPASTO_FIXTURE_LAYER_CONV,
  IMPASTO_FIXTURE_LAYER_RELU,
  IMPASTO_FIXTURE_LAYER_POOL,
  IMPASTO_FIXTURE_LAYER_SOFTMAX,
} ImpastoFixtureLayerType;

/* Ways to spoil one layer (options.broken_layer), for the loader's tests. */
typedef enum
{
  IMPASTO_FIXTURE_BREAK_NONE,
  IMPASTO_FIXTURE_BREAK_KERNEL_DIMS,    /* kernel written with options.kernel_dims */
  IMPASTO_FIXTURE_BREAK_BIAS_LENGTH,    /* bias written with options.bias_length values */
  IMPASTO_FIXTURE_BREAK_NAN_WEIGHT,     /* one kernel element is NaN */
  IMPASTO_FIXTURE_BREAK_STRING_KERNEL,  /* the kernel is a char array */
  IMPASTO_FIXTURE_BREAK_AVERAGE_POOL,   /* a pool layer with method 'avg' */
  IMPASTO_FIXTURE_BREAK_NO_RELU,        /* the relu after this conv is left out */
  IMPASTO_FIXTURE_BREAK_RENAME,         /* the layer is called options.new_name */
} ImpastoFixtureBreak;

typedef struct
{
  guint               factor;          /* VGG19's channel counts divided by this, at least 1 */
  guint32             seed;
  gboolean            with_fc;         /* fc6 relu6 fc7 relu7 fc8 prob after pool5 */
  gboolean            with_meta;       /* a `meta` variable after `layers`, like the real file */
  ImpastoFixtureChars chars;
  gboolean            double_kernels;  /* kernels and biases of class double, not single */
  gboolean            row_bias;        /* bias [1,out] instead of [out,1] */
  gboolean            old_fields;      /* beta MatConvNet: `filters` and `biases`, no `weights` */
  gboolean            compress;

  const char         *stop_after;      /* the last layer written; NULL writes them all */
  gboolean            no_layers;       /* call the cell array `net`, so `layers` is missing */
  const char         *broken_layer;
  ImpastoFixtureBreak breakage;
  guint               kernel_dims[4];  /* for IMPASTO_FIXTURE_BREAK_KERNEL_DIMS */
  guint               bias_length;     /* for IMPASTO_FIXTURE_BREAK_BIAS_LENGTH */
  const char         *new_name;        /* for IMPASTO_FIXTURE_BREAK_RENAME */
} ImpastoFixtureOptions;

typedef struct
{
  const char             *name;
  ImpastoFixtureLayerType type;
  guint                   size;          /* kernel height and width; 0 unless conv */
  guint                   in_channels;   /* relu, pool, softmax: the channels passing through */
  guint                   out_channels;
} ImpastoFixtureLayer;

void     impasto_fixture_options_init   (ImpastoFixtureOptions       *options);

/* The layers the file holds, in file order (with_fc and stop_after applied, breakage not). */
guint    impasto_fixture_get_n_layers   (const ImpastoFixtureOptions *options);
void     impasto_fixture_get_layer      (const ImpastoFixtureOptions *options,
                                         guint                        index,
                                         ImpastoFixtureLayer         *layer);

/* The values written for conv `layer`, as the loader must give them back (rounded to float). */
float    impasto_fixture_kernel_value   (const ImpastoFixtureOptions *options,
                                         const char                  *layer,
                                         guint                        out,
                                         guint                        in,
                                         guint                        y,
                                         guint                        x);
float    impasto_fixture_bias_value     (const ImpastoFixtureOptions *options,
                                         const char                  *layer,
                                         guint                        out);

gboolean impasto_fixture_write          (const char                  *path,
                                         const ImpastoFixtureOptions *options,
                                         GError                     **error);

G_END_DECLS
