/* test-network.c: loading MatConvNet files, and refusing broken ones with a useful error
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <matio.h>

#include "impasto-fixture.h"
#include "impasto-network.h"

/* The seed's content and style layers: conv5_2 is the deepest. */
static const char *const seed_layers[] = {
  "conv4_2", "conv5_2", "conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1", NULL
};

typedef struct
{
  char *dir;
  guint n_files;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("impasto-network-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

static char *
new_path (Fixture    *fixture,
          const char *extension)
{
  g_autofree char *name = g_strdup_printf ("file-%u%s", fixture->n_files++, extension);

  return g_build_filename (fixture->dir, name, NULL);
}

static char *
write_model (Fixture                     *fixture,
             const ImpastoFixtureOptions *options)
{
  g_autoptr(GError) error = NULL;
  char *path = new_path (fixture, ".mat");

  impasto_fixture_write (path, options, &error);
  g_assert_no_error (error);

  return path;
}

static ImpastoNetwork *
load_ok (const char         *path,
         const char * const *required)
{
  g_autoptr(GError) error = NULL;
  ImpastoNetwork *network = impasto_network_load (path, required, &error);

  g_assert_no_error (error);
  g_assert_nonnull (network);

  return network;
}

/* The error must have the right code, and its message must name the file and each of the
 * fragments (the layer, what was found, what was expected). */
static void
assert_load_fails (const char          *path,
                   const char * const  *required,
                   ImpastoNetworkError  code,
                   const char * const  *fragments)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoNetwork) network = impasto_network_load (path, required, &error);
  g_autofree char *basename = g_path_get_basename (path);

  g_assert_null (network);
  g_assert_error (error, IMPASTO_NETWORK_ERROR, (int) code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, basename));

  for (guint i = 0; fragments[i] != NULL; i++)
    if (strstr (error->message, fragments[i]) == NULL)
      g_error ("“%s” does not mention “%s”", error->message, fragments[i]);
}

#define FRAGMENTS(...) ((const char * const[]) { __VA_ARGS__, NULL })

/* Every kept layer, in order, against what the generator wrote: kind, channels, and every
 * weight and bias by its logical position, so that a transposed h/w or in/out fails. */
static void
assert_matches_fixture (const ImpastoNetwork        *network,
                        const ImpastoFixtureOptions *options,
                        const char                  *deepest)
{
  guint kept = 0;

  for (guint i = 0; i < impasto_fixture_get_n_layers (options); i++)
    {
      ImpastoFixtureLayer expected;
      const ImpastoLayer *layer;

      impasto_fixture_get_layer (options, i, &expected);
      if (expected.type == IMPASTO_FIXTURE_LAYER_RELU)
        continue;

      g_assert_cmpuint (kept, <, impasto_network_get_n_layers (network));
      layer = impasto_network_get_layer (network, kept++);
      g_assert_cmpstr (layer->name, ==, expected.name);
      g_assert_cmpuint (layer->in_channels, ==, expected.in_channels);
      g_assert_cmpuint (layer->out_channels, ==, expected.out_channels);

      if (expected.type == IMPASTO_FIXTURE_LAYER_POOL)
        {
          g_assert_cmpint (layer->kind, ==, IMPASTO_LAYER_POOL);
          g_assert_null (layer->weights);
          g_assert_null (layer->bias);
        }
      else
        {
          guint in = layer->in_channels;

          g_assert_cmpint (layer->kind, ==, IMPASTO_LAYER_CONV);
          for (guint k = 0; k < layer->out_channels; k++)
            {
              g_assert_cmpfloat (layer->bias[k], ==,
                                 impasto_fixture_bias_value (options, expected.name, k));
              for (guint c = 0; c < in; c++)
                for (guint y = 0; y < 3; y++)
                  for (guint x = 0; x < 3; x++)
                    g_assert_cmpfloat (layer->weights[((k * in + c) * 3 + y) * 3 + x], ==,
                                       impasto_fixture_kernel_value (options, expected.name,
                                                                     k, c, y, x));
            }
        }

      if (g_strcmp0 (expected.name, deepest) == 0)
        break;
    }

  g_assert_cmpuint (kept, ==, impasto_network_get_n_layers (network));
}

#define DEFAULTS .factor = 16, .seed = 7

/* Each kind of file the loader must accept, read up to conv5_2 and compared with what the
 * generator wrote. */
static const struct
{
  const char            *name;
  ImpastoFixtureOptions  options;
} load_cases[] = {
  { "default", { DEFAULTS } },
  { "with-fc", { DEFAULTS, .with_fc = TRUE, .with_meta = TRUE } },
  { "uint16-names", { DEFAULTS, .chars = IMPASTO_FIXTURE_CHARS_UINT16 } },
  { "uint8-names", { DEFAULTS, .chars = IMPASTO_FIXTURE_CHARS_UINT8 } },
  { "double-kernels", { DEFAULTS, .double_kernels = TRUE } },
  { "row-bias", { DEFAULTS, .row_bias = TRUE } },
  { "double-row-bias", { DEFAULTS, .double_kernels = TRUE, .row_bias = TRUE } },
  { "compressed", { DEFAULTS, .compress = TRUE, .with_fc = TRUE, .with_meta = TRUE } },
  { "compressed-uint16-names",
    { DEFAULTS, .compress = TRUE, .chars = IMPASTO_FIXTURE_CHARS_UINT16 } },
  { "old-fields", { DEFAULTS, .old_fields = TRUE } },
  { "seed-3", { .factor = 8, .seed = 3 } },
};

static void
test_load_case (Fixture       *fixture,
                gconstpointer  data)
{
  const ImpastoFixtureOptions *options = data;
  g_autofree char *path = write_model (fixture, options);
  g_autoptr(ImpastoNetwork) network = load_ok (path, seed_layers);

  /* conv1_1 … conv5_2 without the ReLUs */
  g_assert_cmpuint (impasto_network_get_n_layers (network), ==, 18);
  assert_matches_fixture (network, options, "conv5_2");
}

/* Factor 64 leaves conv1_1 … conv1_2 with one output channel, so MATLAB's dropped trailing
 * dimensions give kernels of rank 3 and 2. */
static void
test_load_single_channel (Fixture       *fixture,
                          gconstpointer  data)
{
  ImpastoFixtureOptions options;
  g_autofree char *path = NULL;
  g_autoptr(ImpastoNetwork) network = NULL;

  impasto_fixture_options_init (&options);
  options.factor = 64;
  path = write_model (fixture, &options);
  network = load_ok (path, seed_layers);

  g_assert_cmpuint (impasto_network_get_layer (network, 0)->out_channels, ==, 1);
  g_assert_cmpuint (impasto_network_get_layer (network, 1)->in_channels, ==, 1);
  assert_matches_fixture (network, &options, "conv5_2");
}

static void
test_load_deepest_required (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *const required[] = { "conv3_1", "conv1_1", NULL };
  const char *const expected[] = {
    "conv1_1", "conv1_2", "pool1", "conv2_1", "conv2_2", "pool2", "conv3_1"
  };
  ImpastoFixtureOptions options;
  g_autofree char *path = NULL;
  g_autoptr(ImpastoNetwork) network = NULL;

  impasto_fixture_options_init (&options);
  path = write_model (fixture, &options);
  network = load_ok (path, required);

  g_assert_cmpuint (impasto_network_get_n_layers (network), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpstr (impasto_network_get_layer (network, i)->name, ==, expected[i]);
      g_assert_cmpint (impasto_network_find_layer (network, expected[i]), ==, i);
    }
  g_assert_cmpint (impasto_network_find_layer (network, "conv3_2"), ==, -1);
  g_assert_cmpint (impasto_network_find_layer (network, "relu1_1"), ==, -1);
  assert_matches_fixture (network, &options, "conv3_1");
}

/* What lies after the deepest required layer is never validated: here a NaN in conv5_4 and
 * a kernel that is text in fc6. */
static void
test_load_ignores_later_layers (Fixture       *fixture,
                                gconstpointer  data)
{
  ImpastoFixtureOptions options;
  g_autofree char *nan_path = NULL;
  g_autofree char *fc_path = NULL;
  g_autoptr(ImpastoNetwork) nan_network = NULL;
  g_autoptr(ImpastoNetwork) fc_network = NULL;
  const char *const all_conv[] = { "conv5_4", NULL };

  impasto_fixture_options_init (&options);
  options.broken_layer = "conv5_4";
  options.breakage = IMPASTO_FIXTURE_BREAK_NAN_WEIGHT;
  nan_path = write_model (fixture, &options);
  nan_network = load_ok (nan_path, seed_layers);
  g_assert_cmpuint (impasto_network_get_n_layers (nan_network), ==, 18);
  assert_load_fails (nan_path, all_conv, IMPASTO_NETWORK_ERROR_FORMAT,
                     FRAGMENTS ("layer conv5_4", "NaN"));

  options.with_fc = TRUE;
  options.broken_layer = "fc6";
  options.breakage = IMPASTO_FIXTURE_BREAK_STRING_KERNEL;
  fc_path = write_model (fixture, &options);
  fc_network = load_ok (fc_path, all_conv);
  g_assert_cmpuint (impasto_network_get_n_layers (fc_network), ==, 20);
}

/* A file that stops right after the deepest required layer is enough. */
static void
test_load_short_file (Fixture       *fixture,
                      gconstpointer  data)
{
  ImpastoFixtureOptions options;
  g_autofree char *path = NULL;
  g_autoptr(ImpastoNetwork) network = NULL;

  impasto_fixture_options_init (&options);
  options.stop_after = "conv5_2";
  path = write_model (fixture, &options);
  network = load_ok (path, seed_layers);
  assert_matches_fixture (network, &options, "conv5_2");
}

static void
test_load_no_required_layers (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *const none[] = { NULL };
  ImpastoFixtureOptions options;
  g_autofree char *path = NULL;
  g_autoptr(ImpastoNetwork) network = NULL;

  impasto_fixture_options_init (&options);
  path = write_model (fixture, &options);
  network = load_ok (path, none);
  g_assert_cmpuint (impasto_network_get_n_layers (network), ==, 0);
}

/* The generator itself, read back with matio alone: the kernel is [3,3,in,out] in MATLAB's
 * column-major order, which is what the loader's expectations above rest on. */
static void
test_fixture_matlab_layout (Fixture       *fixture,
                            gconstpointer  data)
{
  ImpastoFixtureOptions options;
  g_autofree char *path = NULL;
  mat_t *mat;
  matvar_t *layers, *kernel;
  const float *values;
  guint in = 4, out = 8, y = 2, x = 1, c = 3, k = 5;

  impasto_fixture_options_init (&options);
  path = write_model (fixture, &options);
  mat = Mat_Open (path, MAT_ACC_RDONLY);
  g_assert_nonnull (mat);
  layers = Mat_VarRead (mat, "layers");
  g_assert_nonnull (layers);

  /* layers{6} is conv2_1, 4 -> 8 channels at factor 16 */
  kernel = Mat_VarGetCell (Mat_VarGetStructFieldByName (Mat_VarGetCell (layers, 5), "weights",
                                                        0), 0);
  g_assert_cmpint (kernel->class_type, ==, MAT_C_SINGLE);
  g_assert_cmpint (kernel->rank, ==, 4);
  g_assert_cmpuint (kernel->dims[0], ==, 3);
  g_assert_cmpuint (kernel->dims[1], ==, 3);
  g_assert_cmpuint (kernel->dims[2], ==, in);
  g_assert_cmpuint (kernel->dims[3], ==, out);
  values = kernel->data;
  g_assert_cmpfloat (values[y + 3 * (x + 3 * (c + in * k))], ==,
                     impasto_fixture_kernel_value (&options, "conv2_1", k, c, y, x));
  g_assert_cmpfloat (values[y + 3 * (x + 3 * (c + in * k))], !=,
                     impasto_fixture_kernel_value (&options, "conv2_1", k, c, x, y));

  Mat_VarFree (layers);
  Mat_Close (mat);
}

/* The three encodings the loader tests rely on really are in the files: matio's writer turns
 * UINT8 into UTF-8, which the generator has to undo. */
static void
test_fixture_char_encodings (Fixture       *fixture,
                             gconstpointer  data)
{
  const struct
  {
    ImpastoFixtureChars chars;
    enum matio_types    data_type;
  } encodings[] = {
    { IMPASTO_FIXTURE_CHARS_UTF8, MAT_T_UTF8 },
    { IMPASTO_FIXTURE_CHARS_UINT16, MAT_T_UINT16 },
    { IMPASTO_FIXTURE_CHARS_UINT8, MAT_T_UINT8 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    {
      ImpastoFixtureOptions options;
      g_autofree char *path = NULL;
      mat_t *mat;
      matvar_t *layers, *name;

      impasto_fixture_options_init (&options);
      options.chars = encodings[i].chars;
      path = write_model (fixture, &options);
      mat = Mat_Open (path, MAT_ACC_RDONLY);
      layers = Mat_VarReadInfo (mat, "layers");
      g_assert_nonnull (layers);
      name = Mat_VarGetStructFieldByName (Mat_VarGetCell (layers, 2), "name", 0);
      g_assert_cmpint (Mat_VarReadDataAll (mat, name), ==, 0);

      g_assert_cmpint (name->data_type, ==, encodings[i].data_type);
      g_assert_cmpuint (name->dims[1], ==, strlen ("conv1_2"));

      Mat_VarFree (layers);
      Mat_Close (mat);
    }
}

static gpointer
share_network (gpointer data)
{
  ImpastoNetwork *network = data;

  for (guint i = 0; i < 10000; i++)
    {
      ImpastoNetwork *ref = impasto_network_ref (network);

      g_assert_cmpint (impasto_network_find_layer (ref, "conv5_2"), ==, 17);
      impasto_network_unref (ref);
    }

  impasto_network_unref (network);
  return NULL;
}

/* One network serves several runs on several threads; the last unref frees it, whichever
 * thread that is. */
static void
test_threads (Fixture       *fixture,
              gconstpointer  data)
{
  ImpastoFixtureOptions options;
  g_autofree char *path = NULL;
  ImpastoNetwork *network;
  GThread *threads[4];

  impasto_fixture_options_init (&options);
  path = write_model (fixture, &options);
  network = load_ok (path, seed_layers);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("share", share_network, impasto_network_ref (network));
  impasto_network_unref (network);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

static void
test_ref_unref (Fixture       *fixture,
                gconstpointer  data)
{
  ImpastoFixtureOptions options;
  g_autofree char *path = NULL;
  ImpastoNetwork *network;

  impasto_fixture_options_init (&options);
  path = write_model (fixture, &options);
  network = load_ok (path, seed_layers);

  g_assert_true (impasto_network_ref (network) == network);
  impasto_network_unref (network);
  g_assert_cmpstr (impasto_network_get_layer (network, 0)->name, ==, "conv1_1");
  impasto_network_unref (network);
}

/* Errors */

/* Each broken file, with the error code and what its message must say. */
typedef struct
{
  const char            *name;
  ImpastoFixtureOptions  options;
  ImpastoNetworkError    code;
  const char            *fragments[3];
} RejectCase;

static const RejectCase reject_cases[] = {
  { "kernel-shape",
    { DEFAULTS, .broken_layer = "conv3_2", .breakage = IMPASTO_FIXTURE_BREAK_KERNEL_DIMS,
      .kernel_dims = { 5, 5, 16, 16 } },
    IMPASTO_NETWORK_ERROR_SHAPE, { "layer conv3_2", "kernel is 5x5x16x16, expected 3x3x16x16" } },
  { "broken-chain",
    { DEFAULTS, .broken_layer = "conv4_1", .breakage = IMPASTO_FIXTURE_BREAK_KERNEL_DIMS,
      .kernel_dims = { 3, 3, 32, 32 } },
    IMPASTO_NETWORK_ERROR_SHAPE, { "layer conv4_1", "kernel is 3x3x32x32, expected 3x3x16x32" } },
  { "first-conv",
    { DEFAULTS, .broken_layer = "conv1_1", .breakage = IMPASTO_FIXTURE_BREAK_KERNEL_DIMS,
      .kernel_dims = { 3, 3, 1, 4 } },
    IMPASTO_NETWORK_ERROR_SHAPE, { "layer conv1_1", "kernel is 3x3x1x4, expected 3x3x3x4" } },
  { "bias-length",
    { DEFAULTS, .broken_layer = "conv2_2", .breakage = IMPASTO_FIXTURE_BREAK_BIAS_LENGTH,
      .bias_length = 7 },
    IMPASTO_NETWORK_ERROR_SHAPE, { "layer conv2_2", "bias is 7x1, expected 8x1" } },
  { "missing-layer", { DEFAULTS, .stop_after = "pool4" },
    IMPASTO_NETWORK_ERROR_MISSING, { "has no layer conv5_2" } },
  { "nan",
    { DEFAULTS, .broken_layer = "conv2_1", .breakage = IMPASTO_FIXTURE_BREAK_NAN_WEIGHT },
    IMPASTO_NETWORK_ERROR_FORMAT, { "layer conv2_1", "kernel holds NaN" } },
  { "string-kernel",
    { DEFAULTS, .broken_layer = "conv4_1", .breakage = IMPASTO_FIXTURE_BREAK_STRING_KERNEL },
    IMPASTO_NETWORK_ERROR_FORMAT, { "layer conv4_1", "kernel is text" } },
  { "average-pool",
    { DEFAULTS, .broken_layer = "pool2", .breakage = IMPASTO_FIXTURE_BREAK_AVERAGE_POOL },
    IMPASTO_NETWORK_ERROR_FORMAT, { "layer pool2", "“avg”, only max pooling" } },
  { "missing-relu",
    { DEFAULTS, .broken_layer = "conv1_2", .breakage = IMPASTO_FIXTURE_BREAK_NO_RELU },
    IMPASTO_NETWORK_ERROR_FORMAT, { "layer pool1", "follows conv1_2 without a ReLU" } },
  { "duplicate-name",
    { DEFAULTS, .broken_layer = "conv2_2", .breakage = IMPASTO_FIXTURE_BREAK_RENAME,
      .new_name = "conv2_1" },
    IMPASTO_NETWORK_ERROR_FORMAT, { "layer conv2_1", "used by an earlier layer" } },
  { "no-layers", { DEFAULTS, .no_layers = TRUE },
    IMPASTO_NETWORK_ERROR_FORMAT, { "no variable “layers”" } },
};

static void
test_reject_case (Fixture       *fixture,
                  gconstpointer  data)
{
  const RejectCase *reject = data;
  g_autofree char *path = write_model (fixture, &reject->options);

  assert_load_fails (path, seed_layers, reject->code, reject->fragments);
}

static void
test_reject_layers_not_cell (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *path = new_path (fixture, ".mat");
  double values[4] = { 1, 2, 3, 4 };
  size_t dims[2] = { 2, 2 };
  mat_t *mat = Mat_CreateVer (path, NULL, MAT_FT_MAT5);
  matvar_t *var = Mat_VarCreate ("layers", MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, values, 0);

  g_assert_cmpint (Mat_VarWrite (mat, var, MAT_COMPRESSION_NONE), ==, 0);
  Mat_VarFree (var);
  Mat_Close (mat);

  assert_load_fails (path, seed_layers, IMPASTO_NETWORK_ERROR_FORMAT,
                     FRAGMENTS ("not a 1xN cell array"));
}

static void
test_reject_empty_file (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = new_path (fixture, ".mat");

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  assert_load_fails (path, seed_layers, IMPASTO_NETWORK_ERROR_OPEN,
                     FRAGMENTS ("is not a MAT file"));
}

static void
test_reject_text_file (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = new_path (fixture, ".txt");
  g_autoptr(GString) text = g_string_new (NULL);

  /* longer than a MAT header, so that only its content can give it away */
  for (guint i = 0; i < 40; i++)
    g_string_append (text, "layers conv1_1 relu1_1 pool1\n");
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  assert_load_fails (path, seed_layers, IMPASTO_NETWORK_ERROR_OPEN,
                     FRAGMENTS ("is not a MAT file", MODEL_FILE_NAME));
}

static void
test_reject_no_file (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = new_path (fixture, ".mat");

  assert_load_fails (path, seed_layers, IMPASTO_NETWORK_ERROR_OPEN,
                     FRAGMENTS ("Could not open"));
}

/* A file cut anywhere must give an error, never a crash nor garbage weights.  Cut exactly
 * between two variables, it is a shorter but valid file, and is judged as one. */
static void
check_truncations (Fixture                     *fixture,
                   const ImpastoFixtureOptions *options)
{
  const char *const required[] = { "pool5", NULL };
  ImpastoFixtureOptions layers_only = *options;
  g_autofree char *full_path = write_model (fixture, options);
  g_autofree char *cut_path = new_path (fixture, ".mat");
  g_autofree char *contents = NULL;
  g_autofree char *layers_end_path = NULL;
  gsize size, layers_end, step;
  guint n_cuts = 0;

  layers_only.with_meta = FALSE;
  layers_end_path = write_model (fixture, &layers_only);
  g_assert_true (g_file_get_contents (layers_end_path, &contents, &layers_end, NULL));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (full_path, &contents, &size, NULL));
  g_assert_cmpuint (layers_end, <, size);

  /* the header and the first layers byte by byte, then a spread over the rest (odd steps
   * land on every alignment), then the end byte by byte */
  step = (size / 500) | 1;
  for (gsize cut = 0; cut < size; cut += cut < 2048 || cut + 256 > size ? 1 : step)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ImpastoNetwork) network = NULL;

      /* without fsync: thousands of cuts */
      g_assert_true (g_file_set_contents_full (cut_path, contents, cut,
                                               G_FILE_SET_CONTENTS_NONE, 0666, NULL));
      network = impasto_network_load (cut_path, required, &error);
      n_cuts++;

      if (cut == layers_end)
        {
          g_assert_no_error (error);
          assert_matches_fixture (network, options, "pool5");
        }
      else if (cut == 128)
        {
          g_assert_error (error, IMPASTO_NETWORK_ERROR, IMPASTO_NETWORK_ERROR_FORMAT);
        }
      else
        {
          g_assert_error (error, IMPASTO_NETWORK_ERROR, IMPASTO_NETWORK_ERROR_OPEN);
          g_assert_null (network);
        }
    }

  g_test_message ("%u cuts of a %zu-byte file", n_cuts, size);
}

static void
test_reject_truncated (Fixture       *fixture,
                       gconstpointer  data)
{
  ImpastoFixtureOptions options;

  impasto_fixture_options_init (&options);
  options.factor = 32;
  options.with_meta = TRUE;
  check_truncations (fixture, &options);
}

static void
test_reject_truncated_compressed (Fixture       *fixture,
                                  gconstpointer  data)
{
  ImpastoFixtureOptions options;

  impasto_fixture_options_init (&options);
  options.factor = 32;
  options.with_meta = TRUE;
  options.compress = TRUE;
  check_truncations (fixture, &options);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  for (guint i = 0; i < G_N_ELEMENTS (load_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/impasto/network/load/", load_cases[i].name, NULL);

      g_test_add (path, Fixture, &load_cases[i].options, fixture_set_up, test_load_case,
                  fixture_tear_down);
    }
  ADD ("/impasto/network/load/single-channel", test_load_single_channel);
  ADD ("/impasto/network/load/deepest-required", test_load_deepest_required);
  ADD ("/impasto/network/load/ignores-later-layers", test_load_ignores_later_layers);
  ADD ("/impasto/network/load/short-file", test_load_short_file);
  ADD ("/impasto/network/load/no-required-layers", test_load_no_required_layers);
  ADD ("/impasto/network/fixture/matlab-layout", test_fixture_matlab_layout);
  ADD ("/impasto/network/fixture/char-encodings", test_fixture_char_encodings);
  ADD ("/impasto/network/ref-unref", test_ref_unref);
  ADD ("/impasto/network/threads", test_threads);
  for (guint i = 0; i < G_N_ELEMENTS (reject_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/impasto/network/reject/", reject_cases[i].name,
                                           NULL);

      g_test_add (path, Fixture, &reject_cases[i], fixture_set_up, test_reject_case,
                  fixture_tear_down);
    }
  ADD ("/impasto/network/reject/layers-not-cell", test_reject_layers_not_cell);
  ADD ("/impasto/network/reject/empty-file", test_reject_empty_file);
  ADD ("/impasto/network/reject/text-file", test_reject_text_file);
  ADD ("/impasto/network/reject/no-file", test_reject_no_file);
  ADD ("/impasto/network/reject/truncated", test_reject_truncated);
  ADD ("/impasto/network/reject/truncated-compressed", test_reject_truncated_compressed);

#undef ADD

  return g_test_run ();
}
