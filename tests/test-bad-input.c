/* test-bad-input.c: what users feed impasto-cli, and the status and message each must get
 *
 * Every input is made by the test (model files by the fixture generator, then spoiled; images by
 * the image fixture makers) and goes through impasto-cli end to end. A refusal is one line on
 * stderr, the exit status the README promises, and no output file; the inputs that are fine,
 * however odd, must give a picture.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define _GNU_SOURCE 1   /* memmem() */

#include <grp.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <zlib.h>

#include "cli-runner.h"
#include "image-checks.h"
#include "image-fixtures.h"
#include "impasto-fixture.h"
#include "impasto-image-io.h"
#include "test-util.h"

#define WIDTH  40
#define HEIGHT 28
#define FACTOR 16

typedef struct
{
  char      *dir;
  char      *model;
  char      *content;
  char      *style;
  char      *output;
  GPtrArray *extra;          /* more arguments for this case */
  gboolean   as_nobody;      /* run as an unprivileged user, for permissions to count */
  gboolean   library_noise;  /* a system library logs its own line on this input */
  gboolean   no_mime;        /* XDG_DATA_DIRS without the system's MIME database */
  gboolean   closed_streams; /* started with stdout and stderr closed */
  rlim_t     max_threads;    /* RLIMIT_NPROC for the run; 0: as it is */
  char      *env_model;      /* IMPASTO_MODEL, when not NULL (and --model is left out) */
  char      *not_left;       /* a file the run must not leave behind, when not NULL */
  GBytes    *inputs[3];      /* content, style and model as they were, to stay so */
} Fixture;

typedef void (*MakeInput) (Fixture *f);

typedef struct
{
  const char *path;          /* the test's name under /impasto/bad-input/ */
  MakeInput   make;          /* NULL: flag and value are added to the command line */
  const char *flag;
  const char *value;
  int         status;
  const char *message;       /* in the error line; NULL when a picture must come out */
  gboolean    keeps_output;  /* refused after the run began: the image so far is written */
} BadInput;

static void
write_bytes (const char *path,
             GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
}

static void
write_image (const char         *path,
             const ImpastoImage *image)
{
  g_autoptr(GError) error = NULL;

  impasto_image_save (image, path, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ImpastoImage) content = test_make_image (60, 40, 1);
  g_autoptr(ImpastoImage) style = test_make_image (33, 51, 2);

  f->dir = test_make_tmpdir ();
  f->model = test_write_model (f->dir, FACTOR, 5);
  f->content = g_build_filename (f->dir, "content.png", NULL);
  f->style = g_build_filename (f->dir, "style.jpg", NULL);
  f->output = g_build_filename (f->dir, "out.png", NULL);
  f->extra = g_ptr_array_new_with_free_func (g_free);
  write_image (f->content, content);
  write_image (f->style, style);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (f->inputs); i++)
    g_clear_pointer (&f->inputs[i], g_bytes_unref);
  g_free (f->env_model);
  g_free (f->not_left);
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->model);
  g_free (f->content);
  g_free (f->style);
  g_free (f->output);
  g_ptr_array_unref (f->extra);
}

static void
add_arguments (Fixture    *f,
               const char *first,
               ...)
{
  va_list args;

  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (f->extra, g_strdup (a));
  va_end (args);
}

/* Running impasto-cli */

/* Root may write anywhere, so a read-only folder only refuses an ordinary user; root may
 * also start any number of threads. */
static void
become_nobody (void)
{
  if (geteuid () != 0)
    return;
  if (setgroups (0, NULL) != 0 || setgid (65534) != 0 || setuid (65534) != 0)
    _exit (99);
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void
child_setup (gpointer user_data)
{
  Fixture *f = user_data;

  if (f->max_threads > 0)
    {
      struct rlimit limit = { f->max_threads, f->max_threads };

      become_nobody ();
      if (setrlimit (RLIMIT_NPROC, &limit) != 0)
        _exit (99);
    }
  if (f->as_nobody)
    become_nobody ();
  if (f->closed_streams)
    {
      close (STDOUT_FILENO);
      close (STDERR_FILENO);
    }
}

/* G_DEBUG stays (a critical of ours aborts) unless a system library is known to log one on
 * this input. */
static GSubprocessLauncher *
launcher (Fixture *f)
{
  GSubprocessLauncher *l = cli_launcher_new (f->dir);

  if (f->library_noise)
    g_subprocess_launcher_unsetenv (l, "G_DEBUG");
  /* Only the data home, which holds no mime/ folder. */
  if (f->no_mime)
    g_subprocess_launcher_setenv (l, "XDG_DATA_DIRS", f->dir, TRUE);
  if (f->env_model != NULL)
    g_subprocess_launcher_setenv (l, "IMPASTO_MODEL", f->env_model, TRUE);
  /* LeakSanitizer's check at exit starts a thread, which the limit refuses as well; the
   * memory checks stay. */
  if (f->max_threads > 0)
    {
      const char *asan = g_getenv ("ASAN_OPTIONS");
      g_autofree char *options = g_strconcat (asan != NULL ? asan : "", ":detect_leaks=0", NULL);

      g_subprocess_launcher_setenv (l, "ASAN_OPTIONS", options, TRUE);
    }
  g_subprocess_launcher_set_child_setup (l, child_setup, f, NULL);

  return l;
}

/* The command line, strings borrowed from f. */
static GPtrArray *
arguments (Fixture *f)
{
  GPtrArray *argv = g_ptr_array_new ();
  const char *fixed[] = {
    "--content", f->content, "--style", f->style, "--output", f->output,
    "--width", G_STRINGIFY (WIDTH), "--height", G_STRINGIFY (HEIGHT),
    "--preset", "seed-exact", "--steps", "2", "--snapshot-every", "1",
  };

  g_ptr_array_add (argv, (char *) g_getenv ("IMPASTO_CLI"));
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (argv, (char *) fixed[i]);
  if (f->env_model == NULL)
    {
      g_ptr_array_add (argv, "--model");
      g_ptr_array_add (argv, f->model);
    }
  for (guint i = 0; i < f->extra->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (f->extra, i));
  g_ptr_array_add (argv, NULL);

  return argv;
}

/* A FIFO would block the read, and nothing writes to /dev/zero: only regular files. */
static GBytes *
read_if_regular (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? fixture_read (path) : NULL;
}

/* The inputs are read before the run, to be compared after it. */
static CliResult
run_cli (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) l = launcher (f);
  g_autoptr(GPtrArray) argv = arguments (f);
  const char *inputs[] = { f->content, f->style, f->model };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_clear_pointer (&f->inputs[i], g_bytes_unref);
      f->inputs[i] = inputs[i] != NULL ? read_if_regular (inputs[i]) : NULL;
    }

  return cli_run (l, (const char * const *) argv->pdata);
}

/* Whatever the run did, it never changed what the user gave it. */
static void
assert_inputs_kept (Fixture *f)
{
  const char *inputs[] = { f->content, f->style, f->model };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    if (f->inputs[i] != NULL)
      {
        g_autoptr(GBytes) now = fixture_read (inputs[i]);

        g_assert_true (g_bytes_equal (now, f->inputs[i]));
      }
}

/* The error is the last line on stderr, and the only one unless a library spoke first. */
static const char *
error_line (Fixture   *f,
            CliResult *r)
{
  g_auto(GStrv) lines = g_strsplit (r->err, "\n", -1);
  guint n = g_strv_length (lines);

  g_assert_true (g_str_has_suffix (r->err, "\n"));
  if (!f->library_noise)
    g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (n, >=, 2);
  g_assert_true (g_str_has_prefix (lines[n - 2], "impasto-cli: "));

  return r->err + (strlen (r->err) - strlen (lines[n - 2]) - 1);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  const BadInput *input = data;
  g_auto(CliResult) r = { 0 };

  if (input->make != NULL)
    input->make (f);
  else
    add_arguments (f, input->flag, input->value, NULL);
  r = run_cli (f);

  g_assert_cmpint (r.status, ==, input->status);
  assert_inputs_kept (f);
  if (f->not_left != NULL)
    g_assert_false (g_file_test (f->not_left, G_FILE_TEST_EXISTS));
  if (input->message == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ImpastoImage) image = impasto_image_load (f->output, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (image->width, ==, WIDTH);
      g_assert_cmpuint (image->height, ==, HEIGHT);
      g_assert_cmpstr (r.err, ==, "");
    }
  else
    {
      g_assert_nonnull (strstr (error_line (f, &r), input->message));
      g_assert_true (g_file_test (f->output, G_FILE_TEST_IS_REGULAR) == input->keeps_output);
    }
}

/* An input made by a function; its message NULL when a picture must come out. */
#define MADE(path, make, status, message) { path, make, NULL, NULL, status, message, FALSE }

/* Model files */

/* The model becomes name in the fixture's folder, whatever is (or is not) there. */
static const char *
use_model_path (Fixture    *f,
                const char *name)
{
  g_free (f->model);
  f->model = g_build_filename (f->dir, name, NULL);

  return f->model;
}

/* Takes bytes. */
static void
use_model_bytes (Fixture *f,
                 GBytes  *bytes)
{
  write_bytes (use_model_path (f, "bad.mat"), bytes);
  g_bytes_unref (bytes);
}

static void
use_fixture_model (Fixture               *f,
                   ImpastoFixtureOptions *options)
{
  g_autoptr(GError) error = NULL;

  use_model_path (f, "model.mat");
  options->factor = FACTOR;
  options->seed = 7;
  impasto_fixture_write (f->model, options, &error);
  g_assert_no_error (error);
}

static GBytes *
random_bytes (gsize   size,
              guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = g_rand_int_range (rand, 0, 256);

  return g_bytes_new_take (data, size);
}

static void
model_empty (Fixture *f)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

  use_model_bytes (f, g_steal_pointer (&empty));
}

static void
model_random (Fixture *f)
{
  g_autoptr(GBytes) noise = random_bytes (4096, 1);

  use_model_bytes (f, g_steal_pointer (&noise));
}

/* A MAT header as MATLAB writes it, then noise where the variables should be. */
static void
model_random_after_header (Fixture *f)
{
  g_autoptr(GBytes) good = fixture_read (f->model);
  g_autoptr(GBytes) noise = random_bytes (4096, 2);
  g_autoptr(GByteArray) spoiled = g_byte_array_new ();

  g_byte_array_append (spoiled, g_bytes_get_data (good, NULL), 128);
  g_byte_array_append (spoiled, g_bytes_get_data (noise, NULL), g_bytes_get_size (noise));
  use_model_bytes (f, g_byte_array_free_to_bytes (g_steal_pointer (&spoiled)));
}

static void
model_folder (Fixture *f)
{
  g_assert_no_errno (g_mkdir (use_model_path (f, "folder.mat"), 0755));
}

static void
model_missing (Fixture *f)
{
  use_model_path (f, "nowhere.mat");
}

static void
model_without_layers (Fixture *f)
{
  ImpastoFixtureOptions options;

  impasto_fixture_options_init (&options);
  options.no_layers = TRUE;
  use_fixture_model (f, &options);
}

static void
model_double_kernels (Fixture *f)
{
  ImpastoFixtureOptions options;

  impasto_fixture_options_init (&options);
  options.double_kernels = TRUE;
  use_fixture_model (f, &options);
}

static void
break_layer (Fixture             *f,
             const char          *layer,
             ImpastoFixtureBreak  breakage,
             const guint          kernel_dims[4])
{
  ImpastoFixtureOptions options;

  impasto_fixture_options_init (&options);
  options.broken_layer = layer;
  options.breakage = breakage;
  if (kernel_dims != NULL)
    memcpy (options.kernel_dims, kernel_dims, sizeof options.kernel_dims);
  use_fixture_model (f, &options);
}

static void
model_string_kernel (Fixture *f)
{
  break_layer (f, "conv2_1", IMPASTO_FIXTURE_BREAK_STRING_KERNEL, NULL);
}

static void
model_5x5_kernel (Fixture *f)
{
  break_layer (f, "conv3_1", IMPASTO_FIXTURE_BREAK_KERNEL_DIMS,
               (const guint[]) { 5, 5, 128 / FACTOR, 256 / FACTOR });
}

/* conv2_2 makes 128 / 16 = 8 channels; conv3_1's kernel takes 7. */
static void
model_chain_broken (Fixture *f)
{
  break_layer (f, "conv3_1", IMPASTO_FIXTURE_BREAK_KERNEL_DIMS,
               (const guint[]) { 3, 3, 128 / FACTOR - 1, 256 / FACTOR });
}

static void
model_nan_weight (Fixture *f)
{
  break_layer (f, "conv4_2", IMPASTO_FIXTURE_BREAK_NAN_WEIGHT, NULL);
}

static void
model_missing_layer (Fixture *f)
{
  ImpastoFixtureOptions options;

  impasto_fixture_options_init (&options);
  options.stop_after = "conv3_1";
  use_fixture_model (f, &options);
}

/* The first array header with dimensions [3 3 3 out] is conv1_1's kernel (an uncompressed file:
 * an int32 dimensions tag of 16 bytes, then the four sizes). Its output count is set to value,
 * while the data stays what it was. */
static void
model_claiming (Fixture *f,
                gint32   value)
{
  g_autoptr(GBytes) good = fixture_read (f->model);
  gsize size;
  const guint8 *data = g_bytes_get_data (good, &size);
  const gint32 header[] = { 5, 16, 3, 3, 3, 64 / FACTOR };
  g_autofree guint8 *spoiled = g_memdup2 (data, size);
  const guint8 *found = memmem (data, size, header, sizeof header);

  g_assert_nonnull (found);
  memcpy (spoiled + (found - data) + 5 * sizeof (gint32), &value, sizeof value);
  use_model_bytes (f, g_bytes_new_take (g_steal_pointer (&spoiled), size));
}

/* conv1_1's first weight becomes value: after its dimensions (the header above, with 3 x 3 x 3
 * x 4 values) come an empty name and the single-precision data. */
static void
model_weight (Fixture *f,
              float    value)
{
  g_autoptr(GBytes) good = fixture_read (f->model);
  gsize size;
  const guint8 *data = g_bytes_get_data (good, &size);
  const gint32 header[] = { 5, 16, 3, 3, 3, 64 / FACTOR };
  const gint32 data_tag[] = { 7, 4 * 3 * 3 * 3 * (64 / FACTOR) };
  g_autofree guint8 *spoiled = g_memdup2 (data, size);
  const guint8 *found = memmem (data, size, header, sizeof header);
  gsize offset;

  g_assert_nonnull (found);
  offset = (found - data) + sizeof header + 8;
  g_assert_cmpmem (data + offset, sizeof data_tag, data_tag, sizeof data_tag);
  memcpy (spoiled + offset + sizeof data_tag, &value, sizeof value);
  use_model_bytes (f, g_bytes_new_take (g_steal_pointer (&spoiled), size));
}

static void
model_inf_weight (Fixture *f)
{
  model_weight (f, INFINITY);
}

/* Finite, so the loader takes it; the gradient overflows and the run must stop cleanly (the
 * fuzzer's file had 1.25e13 in conv3_2, and made the run cast NaN pixels to 8 bits). */
static void
model_huge_weight (Fixture *f)
{
  model_weight (f, 1e30f);
}

static void
model_absurd_channels (Fixture *f)
{
  model_claiming (f, G_MAXINT32);
}

static void
model_more_than_the_file_holds (Fixture *f)
{
  model_claiming (f, 60000);
}

/* The first array of MATLAB class cls (1 cell, 2 struct) claims value as its second
 * dimension: the header that says how many elements follow, while the elements stay. */
static void
model_array_claiming (Fixture *f,
                      guint32  cls,
                      gint32   value)
{
  g_autoptr(GBytes) good = fixture_read (f->model);
  gsize size;
  const guint8 *data = g_bytes_get_data (good, &size);
  /* flags (uint32, 8 bytes: the class, no flag set; nzmax 0), then the int32 dimensions */
  const guint32 header[] = { 6, 8, cls, 0, 5, 8 };
  g_autofree guint8 *spoiled = g_memdup2 (data, size);
  const guint8 *found = memmem (data, size, header, sizeof header);

  g_assert_nonnull (found);
  memcpy (spoiled + (found - data) + sizeof header + sizeof (gint32), &value, sizeof value);
  use_model_bytes (f, g_bytes_new_take (g_steal_pointer (&spoiled), size));
}

/* `layers` claims 2^31 - 1 layers: matio would calloc 16 GB of cell pointers. */
static void
model_cells_claimed (Fixture *f)
{
  model_array_claiming (f, 1, G_MAXINT32);
}

/* conv1_1's struct claims 10^8 elements. */
static void
model_struct_claimed (Fixture *f)
{
  model_array_claiming (f, 2, 100000000);
}

/* The file's one variable (the fixture writes only `layers`), deflated into an miCOMPRESSED
 * element as MATLAB's -v7 files hold them. */
static GBytes *
compress_variable (GBytes *plain)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (plain, &size);
  uLongf packed_size = compressBound (size - 128);
  g_autofree guint8 *packed = g_malloc (packed_size);
  GByteArray *out = g_byte_array_new ();
  guint32 tag[2];

  g_assert_cmpint (compress2 (packed, &packed_size, data + 128, size - 128, 6), ==, Z_OK);
  tag[0] = GUINT32_TO_LE (15);
  tag[1] = GUINT32_TO_LE (packed_size);
  g_byte_array_append (out, data, 128);
  g_byte_array_append (out, (const guint8 *) tag, sizeof tag);
  g_byte_array_append (out, packed, packed_size);

  return g_byte_array_free_to_bytes (out);
}

/* The same claim, seen only once the variable is inflated. */
static void
model_compressed_cells_claimed (Fixture *f)
{
  g_autoptr(GBytes) plain = NULL;

  model_cells_claimed (f);
  plain = fixture_read (f->model);
  use_model_bytes (f, compress_variable (plain));
}

static void
append_u32s (GByteArray *out,
             guint       n,
             ...)
{
  va_list args;

  va_start (args, n);
  for (guint i = 0; i < n; i++)
    {
      guint32 value = GUINT32_TO_LE (va_arg (args, guint32));

      g_byte_array_append (out, (const guint8 *) &value, sizeof value);
    }
  va_end (args);
}

/* A 1x1 cell array holding a 1x1 cell array, and so on depth times, around an empty array;
 * each level is 48 bytes, its size in its tag counting all the levels inside. */
static void
append_nested_cells (GByteArray *out,
                     guint       depth)
{
  for (guint level = depth; level > 0; level--)
    {
      /* tag, flags (a cell array), dimensions 1x1, an empty name */
      append_u32s (out, 10, 14, 48 * level, 6, 8, 1, 0, 5, 8, 1, 1);
      append_u32s (out, 2, 1, 0);
    }
  append_u32s (out, 2, 14, 0);
}

/* conv1_1's name (UTF-8 text, its tag followed by its 7 bytes) claims 1.5 GB of data, in a
 * compressed file as the fuzzer's was: matio callocs what the tag claims. */
static void
model_data_claimed (Fixture *f)
{
  g_autoptr(GBytes) good = fixture_read (f->model);
  gsize size;
  const guint8 *data = g_bytes_get_data (good, &size);
  const guint8 name[] = { 16, 0, 0, 0, 7, 0, 0, 0, 'c', 'o', 'n', 'v', '1', '_', '1' };
  const guint32 claim = GUINT32_TO_LE (0x60000000);
  g_autofree guint8 *spoiled = g_memdup2 (data, size);
  const guint8 *found = memmem (data, size, name, sizeof name);
  g_autoptr(GBytes) plain = NULL;

  g_assert_nonnull (found);
  memcpy (spoiled + (found - data) + 4, &claim, sizeof claim);
  plain = g_bytes_new_take (g_steal_pointer (&spoiled), size);
  use_model_bytes (f, compress_variable (plain));
}

/* Deep enough (9.6 MB) to overflow the stack of matio's recursive reader, which crashed. */
static void
model_nested_deep (Fixture *f)
{
  g_autoptr(GBytes) good = fixture_read (f->model);
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, g_bytes_get_data (good, NULL), 128);
  append_nested_cells (out, 200000);
  use_model_bytes (f, g_byte_array_free_to_bytes (out));
}

/* Opened for reading, it would block until someone writes to it. */
static void
model_fifo (Fixture *f)
{
  g_assert_no_errno (mkfifo (use_model_path (f, "fifo.mat"), 0644));
}

static void
model_link_to_dev_zero (Fixture *f)
{
  g_assert_no_errno (symlink ("/dev/zero", use_model_path (f, "zero.mat")));
}

static void
model_variable_missing (Fixture *f)
{
  f->env_model = g_build_filename (f->dir, "nowhere.mat", NULL);
}

static const BadInput model_inputs[] = {
  MADE ("model/empty", model_empty, 1, "is not a MAT file"),
  MADE ("model/random-bytes", model_random, 1, "is not a MAT file"),
  MADE ("model/random-after-header", model_random_after_header, 1, "damaged"),
  MADE ("model/folder", model_folder, 1, "is a folder"),
  MADE ("model/missing", model_missing, 1, "does not exist"),
  MADE ("model/fifo", model_fifo, 1, "fifo.mat” is not a regular file"),
  MADE ("model/link-to-dev-zero", model_link_to_dev_zero, 1, "zero.mat” is not a regular file"),
  MADE ("model/variable-missing", model_variable_missing, 1,
        "IMPASTO_MODEL is set to “"),
  MADE ("model/without-layers", model_without_layers, 1, "there is no variable “layers”"),
  MADE ("model/double-kernels", model_double_kernels, 0, NULL),
  MADE ("model/string-kernel", model_string_kernel, 1,
        "layer conv2_1: its kernel is text, expected single or double numbers"),
  MADE ("model/5x5-kernel", model_5x5_kernel, 1, "layer conv3_1: kernel is 5x5x8x16"),
  MADE ("model/chain-broken", model_chain_broken, 1,
        "layer conv3_1: kernel is 3x3x7x16, expected 3x3x8x16"),
  MADE ("model/nan-weight", model_nan_weight, 1, "layer conv4_2: its kernel holds NaN"),
  MADE ("model/inf-weight", model_inf_weight, 1,
        "layer conv1_1: its kernel holds NaN or an infinity (element 1)"),
  { "model/huge-weight", model_huge_weight, NULL, NULL, 1,
    "The loss of the starting image is not finite: the model's weights or the content and "
    "style weights are too large; the starting image is kept", TRUE },
  MADE ("model/missing-layer", model_missing_layer, 1, "has no layer"),
  MADE ("model/absurd-channels", model_absurd_channels, 1,
        "layer conv1_1: kernel is 3x3x3x2147483647, expected 3x3x3x(1 to 65536)"),
  MADE ("model/cells-claimed", model_cells_claimed, 1,
        "the file is damaged (a cell array claims 2147483647 elements in "),
  MADE ("model/struct-claimed", model_struct_claimed, 1,
        "the file is damaged (a struct claims 100000000 elements of "),
  MADE ("model/compressed-cells-claimed", model_compressed_cells_claimed, 1,
        "the file is damaged (a cell array claims 2147483647 elements in "),
  MADE ("model/data-claimed", model_data_claimed, 1,
        "the file is damaged (an array's data runs past the end of the array)"),
  MADE ("model/nested-deep", model_nested_deep, 1,
        "the file is damaged (arrays nest more than 32 deep)"),
  MADE ("model/more-than-the-file-holds", model_more_than_the_file_holds, 1,
        "more than the file can hold"),
};

/* Less than the 128-byte header is no MAT file at all; the bare header is a MAT file with no
 * variables; any cut after it falls inside `layers`. */
static const char *
expected_cut_message (gsize offset)
{
  if (offset < 128)
    return "is not a MAT file";
  if (offset == 128)
    return "there is no variable “layers”";

  return "the file is truncated";
}

/* Every cut of a model file, at the header and through the layers, is refused as such. */
static void
test_model_truncated (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) whole = fixture_read (f->model);
  gsize size = g_bytes_get_size (whole);
  const gsize fixed[] = { 1, 64, 127, 128, 129, 136, 200 };
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));

  g_array_append_vals (offsets, fixed, G_N_ELEMENTS (fixed));
  for (guint i = 1; i < 32; i++)
    {
      gsize offset = size * i / 32;

      g_array_append_val (offsets, offset);
    }
  g_array_append_vals (offsets, (gsize[]) { size - 8, size - 1 }, 2);

  for (guint i = 0; i < offsets->len; i++)
    {
      gsize offset = g_array_index (offsets, gsize, i);
      g_autoptr(GBytes) cut = g_bytes_new_from_bytes (whole, 0, offset);
      g_auto(CliResult) r = { 0 };

      g_test_message ("cut at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT, offset, size);
      use_model_bytes (f, g_steal_pointer (&cut));
      r = run_cli (f);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_nonnull (strstr (error_line (f, &r), expected_cut_message (offset)));
      g_assert_false (g_file_test (f->output, G_FILE_TEST_EXISTS));
    }
}

/* Images */

/* Takes bytes. */
static void
use_content_bytes (Fixture    *f,
                   const char *name,
                   GBytes     *bytes)
{
  g_free (f->content);
  f->content = g_build_filename (f->dir, name, NULL);
  write_bytes (f->content, bytes);
  g_bytes_unref (bytes);
}

static void
use_content_image (Fixture            *f,
                   const ImpastoImage *image)
{
  g_free (f->content);
  f->content = g_build_filename (f->dir, "content-odd.png", NULL);
  write_image (f->content, image);
}

static void
image_empty (Fixture *f)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

  use_content_bytes (f, "empty.png", g_steal_pointer (&empty));
}

static void
image_truncated (Fixture *f)
{
  g_autoptr(ImpastoImage) noise = fixture_noise_image (64, 64, 3);
  g_autofree char *path = g_build_filename (f->dir, "whole.png", NULL);
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GBytes) cut = NULL;

  write_image (path, noise);
  whole = fixture_read (path);
  cut = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) / 2);
  use_content_bytes (f, "cut.png", g_steal_pointer (&cut));
}

/* gdk-pixbuf's BMP loader returns such a file without an error, half its rows never written. */
static void
image_truncated_bmp (Fixture *f)
{
  g_autoptr(ImpastoImage) noise = fixture_noise_image (64, 48, 6);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_data (noise->pixels, GDK_COLORSPACE_RGB,
                                                          FALSE, 8, 64, 48, 64 * 3, NULL, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize size = 0;

  gdk_pixbuf_save_to_buffer (pixbuf, &data, &size, "bmp", &error, NULL);
  g_assert_no_error (error);
  use_content_bytes (f, "cut.bmp", g_bytes_new_take (data, size / 2));
}

/* A few bytes that claim a whole bitmap (the fuzzer's said 7328x7042): the PNM loader
 * returned it, all of it unwritten. */
static void
image_truncated_pnm (Fixture *f)
{
  static const char pbm[] = "P4 700 600\nG";

  use_content_bytes (f, "cut.pbm", g_bytes_new_static (pbm, sizeof pbm - 1));
}

static void
image_text (Fixture *f)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("Dear diary,\n", 12);

  use_content_bytes (f, "diary.png", g_steal_pointer (&text));
}

/* A Photoshop file: gdk-pixbuf has no loader for it. */
static void
image_unknown_format (Fixture *f)
{
  static const guint8 psd[] = {
    '8', 'B', 'P', 'S', 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 4, 0, 8, 0, 3,
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (psd, sizeof psd);

  use_content_bytes (f, "painting.psd", g_steal_pointer (&bytes));
}

static void
image_bomb (Fixture *f)
{
  g_autoptr(GBytes) png = fixture_png_claiming (50000, 50000);

  use_content_bytes (f, "bomb.png", g_steal_pointer (&png));
}

static void
image_missing (Fixture *f)
{
  g_free (f->content);
  f->content = g_build_filename (f->dir, "nowhere.jpg", NULL);
}

static void
image_bad_style (Fixture *f)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("not a painting", 14);

  g_free (f->style);
  f->style = g_build_filename (f->dir, "painting.jpg", NULL);
  write_bytes (f->style, text);
}

/* gdk-pixbuf's GIF loader logs a critical of its own for a frame 0 pixels wide, then fails the
 * file as "not enough memory", which Impasto must not pass on as if memory were short. */
static void
image_gif_empty_frame (Fixture *f)
{
  g_autoptr(GBytes) gif = fixture_gif_two_frames (8, 6, 4, 4);
  gsize size;
  const guint8 *data = g_bytes_get_data (gif, &size);
  g_autofree guint8 *spoiled = g_memdup2 (data, size);
  const guint8 descriptor[] = { 0x2c, 0, 0, 0, 0, 4, 0, 4, 0 };
  const guint8 *first = memmem (data, size, descriptor, sizeof descriptor);
  const guint8 *second = memmem (first + 1, size - (first + 1 - data),
                                 descriptor, sizeof descriptor);

  g_assert_nonnull (second);
  spoiled[second - data + 5] = 0;   /* the second frame's width, low byte */
  f->library_noise = TRUE;
  use_content_bytes (f, "empty-frame.gif", g_bytes_new_take (g_steal_pointer (&spoiled), size));
}

static void
image_one_pixel (Fixture *f)
{
  g_autoptr(ImpastoImage) image = fixture_solid_image (1, 1, 10, 200, 30);

  use_content_image (f, image);
}

static void
image_very_wide (Fixture *f)
{
  g_autoptr(ImpastoImage) image = fixture_noise_image (20000, 10, 4);

  use_content_image (f, image);
}

static void
image_grayscale_16_bit (Fixture *f)
{
  const guint16 samples[] = { 0, 1000, 30000, 65535, 20000, 40000 };

  use_content_bytes (f, "gray16.png", fixture_png (3, 2, FIXTURE_PNG_GRAY, 16, samples));
}

static void
image_alpha (Fixture *f)
{
  const guint16 samples[] = { 255, 0, 0, 0, 0, 255, 0, 128, 0, 0, 255, 255, 9, 9, 9, 9 };

  use_content_bytes (f, "alpha.png", fixture_png (2, 2, FIXTURE_PNG_RGBA, 8, samples));
}

static void
image_cmyk (Fixture *f)
{
  guint8 cmyk[16 * 16 * 4];

  for (guint i = 0; i < sizeof cmyk; i++)
    cmyk[i] = (i * 37) & 0xff;
  use_content_bytes (f, "cmyk.jpg", fixture_jpeg_cmyk (16, 16, cmyk));
}

static void
image_exif_rotated (Fixture *f)
{
  g_autoptr(ImpastoImage) image = fixture_noise_image (32, 16, 5);
  g_autoptr(GBytes) jpeg = fixture_jpeg (image, 90);

  use_content_bytes (f, "rotated.jpg", fixture_jpeg_with_orientation (jpeg, 6));
}

static void
image_animated_gif (Fixture *f)
{
  use_content_bytes (f, "animated.gif", fixture_gif_two_frames (8, 6, 4, 4));
}

/* A PNG content and a JPEG style, told by their first bytes. */
static void
image_without_mime_database (Fixture *f)
{
  f->no_mime = TRUE;
}

static const BadInput image_inputs[] = {
  MADE ("image/empty", image_empty, 1, "empty.png” is empty"),
  MADE ("image/truncated", image_truncated, 1, "the file ends before the image does"),
  MADE ("image/truncated-bmp", image_truncated_bmp, 1, "the file ends before the image does"),
  MADE ("image/truncated-pnm", image_truncated_pnm, 1,
        "the file ends before the image does (only 0 of its 600 rows are there)"),
  MADE ("image/not-an-image", image_text, 1, "diary.png” is not an image (it is a text file)"),
  MADE ("image/unknown-format", image_unknown_format, 1,
        "painting.psd” is in a format this computer cannot read (Photoshop image); convert it "
        "to PNG or JPEG"),
  MADE ("image/decompression-bomb", image_bomb, 1,
        "is 50000 × 50000 pixels; Impasto reads images of at most 100 million pixels"),
  MADE ("image/missing", image_missing, 1, "No such file or directory"),
  MADE ("image/bad-style", image_bad_style, 1, "painting.jpg” is not an image"),
  MADE ("image/gif-empty-frame", image_gif_empty_frame, 1, "the image is damaged"),
  MADE ("image/one-pixel", image_one_pixel, 0, NULL),
  MADE ("image/very-wide", image_very_wide, 0, NULL),
  MADE ("image/grayscale-16-bit", image_grayscale_16_bit, 0, NULL),
  MADE ("image/alpha", image_alpha, 0, NULL),
  MADE ("image/cmyk-jpeg", image_cmyk, 0, NULL),
  MADE ("image/exif-rotated", image_exif_rotated, 0, NULL),
  MADE ("image/animated-gif", image_animated_gif, 0, NULL),
  MADE ("image/without-mime-database", image_without_mime_database, 0, NULL),
};

/* Parameters */

#define BAD_VALUE(name, flag, value, status, message) \
  { "parameter/" name, NULL, flag, value, status, message, FALSE }

/* Values a shell passes through as they are; every one is a wrong command line (status 2) but
 * a run that cannot fit its memory limit (1) and weights that make the run diverge, which is
 * only known once it runs (1, with the last good image written). */
static const BadInput parameter_inputs[] = {
  BAD_VALUE ("steps-zero", "--steps", "0", 2, "--steps must be 1 to 100000, not 0"),
  BAD_VALUE ("steps-minus-one", "--steps", "-1", 2,
             "--steps must be a whole number (1 to 100000), not “-1”"),
  BAD_VALUE ("steps-negative", "--steps", "-3", 2, "--steps must be a whole number"),
  BAD_VALUE ("steps-not-a-number", "--steps", "many", 2,
             "--steps must be a whole number (1 to 100000), not “many”"),
  BAD_VALUE ("steps-beyond-limit", "--steps", "100001", 2, "--steps must be 1 to 100000"),
  BAD_VALUE ("noise-negative", "--noise", "-0.1", 2, "--noise must be 0 to 1, not -0.1"),
  BAD_VALUE ("noise-above-one", "--noise", "1.5", 2, "--noise must be 0 to 1, not 1.5"),
  BAD_VALUE ("noise-nan", "--noise", "nan", 2, "--noise must be 0 to 1, not nan"),
  BAD_VALUE ("noise-not-a-number", "--noise", "0.5x", 2,
             "--noise must be a number (0 to 1), not “0.5x”"),
  BAD_VALUE ("alpha-nan", "--alpha", "nan", 2, "--alpha must be 0 to 1000000, not nan"),
  BAD_VALUE ("beta-negative", "--beta", "-1", 2, "--beta must be 0 to 1000000000, not -1"),
  BAD_VALUE ("beta-infinite", "--beta", "inf", 2, "--beta must be 0 to 1000000000, not inf"),
  BAD_VALUE ("beta-huge", "--beta", "1e300", 2, "--beta must be 0 to 1000000000, not 1e+300"),
  BAD_VALUE ("lr-zero", "--lr", "0", 2, "--lr must be more than 0, at most 1e+30, not 0"),
  BAD_VALUE ("lr-nan", "--lr", "nan", 2, "--lr must be more than 0, at most 1e+30, not nan"),
  BAD_VALUE ("width-zero", "--width", "0", 2, "--width must be 1 to 8192, not 0"),
  BAD_VALUE ("height-negative", "--height", "-5", 2,
             "--height must be a whole number (1 to 8192), not “-5”"),
  BAD_VALUE ("width-beyond-limit", "--width", "8193", 2, "--width must be 1 to 8192, not 8193"),
  BAD_VALUE ("height-beyond-int", "--height", "99999999999", 2,
             "--height must be 1 to 8192, not 99999999999"),
  BAD_VALUE ("snapshot-every-negative", "--snapshot-every", "-1", 2,
             "--snapshot-every must be a whole number (0 to 100000)"),
  BAD_VALUE ("seed-negative", "--seed", "-1", 2, "--seed must be a whole number"),
  BAD_VALUE ("threads-negative", "--threads", "-2", 2, "--threads must be a whole number"),
  BAD_VALUE ("threads-too-many", "--threads", "100000", 2, "--threads must be 0 to 256"),
  BAD_VALUE ("mean-unknown", "--mean", "blue", 2, "--mean must be seed or imagenet, not blue"),
  BAD_VALUE ("optimizer-unknown", "--optimizer", "sgd", 2,
             "--optimizer must be adam or lbfgs, not sgd"),
  BAD_VALUE ("scales-too-many", "--scales", "4", 2, "--scales must be 1 to 3, not 4"),
  /* a value without its flag; the flag is the word, there is no value */
  BAD_VALUE ("stray-argument", "extra.png", NULL, 2,
             "Unexpected argument “extra.png”; usage: impasto-cli --content FILE"),
  BAD_VALUE ("after-double-dash", "--", "--steps", 2,
             "Unexpected argument “--steps”; usage: impasto-cli --content FILE"),
  BAD_VALUE ("weights-huge", "--alpha", "1e308", 2, "--alpha must be 0 to 1000000, not 1e+308"),
  BAD_VALUE ("max-memory-negative", "--max-memory", "-1", 2, "--max-memory must be"),
  BAD_VALUE ("layer-unknown", "--style-layers", "conv1_1,conv6_1", 2,
             "“conv6_1” is not a layer: give conv1_1 to conv5_4"),
  BAD_VALUE ("layer-leading-zero", "--content-layers", "conv04_2", 2,
             "“conv04_2” is not a layer"),
  BAD_VALUE ("layer-weight-negative", "--content-layers", "conv4_2:-1", 2,
             "--content-layers: The weight of layer conv4_2 must be a number, 0 or more, "
             "not “-1”"),
  BAD_VALUE ("layers-too-many", "--style-layers",
             "conv1_1,conv1_2,conv2_1,conv2_2,conv3_1,conv3_2,conv3_3,conv3_4,conv4_1,conv4_2,"
             "conv4_3,conv4_4,conv5_1,conv5_2,conv5_3,conv5_4,conv1_1", 2,
             "At most 16 layers can be given"),
  BAD_VALUE ("tv-weight-negative", "--tv-weight", "-1", 2,
             "--tv-weight must be 0 to 1000, not -1"),
  BAD_VALUE ("tv-weight-too-large", "--tv-weight", "1001", 2,
             "--tv-weight must be 0 to 1000, not 1001"),
  BAD_VALUE ("tv-weight-not-a-number", "--tv-weight", "smooth", 2,
             "--tv-weight must be a number (0 to 1000), not “smooth”"),
  BAD_VALUE ("steer-tv-weight-out-of-range", "--steer", "1:tv-weight=2000", 2,
             "--steer: tv-weight must be 0 to 1000, not 2000"),
  BAD_VALUE ("pooling-unknown", "--pooling", "min", 2, "--pooling must be max or avg, not min"),
  BAD_VALUE ("pooling-empty", "--pooling", "", 2, "--pooling must be max or avg, not "),
  BAD_VALUE ("steer-pooling", "--steer", "3:pooling=1", 2,
             "--steer: “pooling” cannot be changed during a run"),
  BAD_VALUE ("init-empty", "--init", "", 2,
             "--init must be noise, content, random or an image file"),
  BAD_VALUE ("init-missing-file", "--init", "no-such-start.png", 1,
             "no-such-start.png” could not be read: No such file or directory"),
  BAD_VALUE ("steer-init", "--steer", "3:init=1", 2,
             "--steer: “init” cannot be changed during a run"),
  BAD_VALUE ("style-norm-unknown", "--style-norm", "torch", 2,
             "--style-norm must be seed or channels, not torch"),
  BAD_VALUE ("style-norm-case", "--style-norm", "Seed", 2,
             "--style-norm must be seed or channels, not Seed"),
  BAD_VALUE ("steer-style-norm", "--steer", "3:style-norm=1", 2,
             "--steer: “style-norm” cannot be changed during a run"),
  BAD_VALUE ("steer-not-steerable", "--steer", "1:noise=0.2", 2,
             "--steer: “noise” cannot be changed during a run; alpha, beta or tv-weight can"),
  BAD_VALUE ("steer-out-of-range", "--steer", "1:beta=-5", 2,
             "--steer: beta must be 0 to 1000000000, not -5"),
  BAD_VALUE ("steer-syntax", "--steer", "beta=5", 2,
             "--steer: “beta=5” is no change: write STEP:NAME=VALUE, as in “200:beta=2000”"),
  { "parameter/lr-huge", NULL, "--lr", "1e30", 1,
    "at step 1; the image of step 0 is kept. Try a lower learning rate", TRUE },
};

#undef BAD_VALUE

static void
no_layers (Fixture *f)
{
  add_arguments (f, "--content-layers", "", "--style-layers", "", NULL);
}

/* The first trial step of L-BFGS is so long that no shorter one it tries lowers the loss. */
static void
lbfgs_no_step (Fixture *f)
{
  add_arguments (f, "--optimizer", "lbfgs", "--lr", "1e30", NULL);
}

/* A user's limit on processes, which threads count against: the workers cannot all start. */
static void
threads_beyond_process_limit (Fixture *f)
{
  /* nobody must reach the inputs and may write the result, to be refused at the workers */
  g_assert_no_errno (g_chmod (f->dir, 0777));
  f->max_threads = 1;
  add_arguments (f, "--threads", "8", NULL);
}

/* Runs that go wrong once they run, or cannot run at all */
static const BadInput run_inputs[] = {
  { "parameter/lbfgs-no-step", lbfgs_no_step, NULL, NULL, 1,
    "L-BFGS could not make a single step: none it tried lowered the loss (25 evaluations); "
    "the starting image is kept. Try a lower learning rate", TRUE },
  MADE ("parameter/threads-beyond-process-limit", threads_beyond_process_limit, 1,
        "Could not start worker thread 2 of 8 ("),
};

/* The run is refused before it allocates, with its estimate (not pinned here: it follows the
 * engine) and the limit. */
static void
memory_over_limit (Fixture *f)
{
  add_arguments (f, "--width", "400", "--height", "300", "--max-memory", "1", NULL);
}

/* Adam would fit in strips; L-BFGS's history alone (23 MB at 400x300) does not. */
static void
memory_over_limit_lbfgs (Fixture *f)
{
  add_arguments (f, "--width", "400", "--height", "300", "--optimizer", "lbfgs",
                 "--max-memory", "20", NULL);
}

static void
output_missing_folder (Fixture *f)
{
  g_free (f->output);
  f->output = g_build_filename (f->dir, "no", "such", "out.png", NULL);
}

static void
output_is_a_folder (Fixture *f)
{
  g_assert_no_errno (g_mkdir (f->output, 0755));
}

static void
output_read_only_folder (Fixture *f)
{
  g_autofree char *locked = g_build_filename (f->dir, "locked", NULL);

  /* nobody must reach the folder and read the inputs to be refused at the output. */
  g_assert_no_errno (g_chmod (f->dir, 0755));
  g_assert_no_errno (g_mkdir (locked, 0555));
  g_free (f->output);
  f->output = g_build_filename (locked, "out.png", NULL);
  f->as_nobody = TRUE;
}

static void
snapshot_folder_under_a_file (Fixture *f)
{
  g_autofree char *dir = g_build_filename (f->content, "snapshots", NULL);

  add_arguments (f, "--snapshot-dir", dir, NULL);
}

static void
snapshot_folder_read_only (Fixture *f)
{
  g_autofree char *dir = g_build_filename (f->dir, "snapshots", NULL);

  g_assert_no_errno (g_chmod (f->dir, 0777));
  g_assert_no_errno (g_mkdir (dir, 0555));
  add_arguments (f, "--snapshot-dir", dir, NULL);
  f->as_nobody = TRUE;
}

static void
log_in_missing_folder (Fixture *f)
{
  g_autofree char *log = g_build_filename (f->dir, "no", "such", "log.csv", NULL);

  add_arguments (f, "--log", log, NULL);
}

/* The result written over the inputs: by their own names, through "." and a link. */
static void
output_is_content (Fixture *f)
{
  add_arguments (f, "--output", f->content, NULL);
}

static void
output_is_content_through_dot (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, ".", "content.png", NULL);

  add_arguments (f, "--output", path, NULL);
}

static void
output_is_style_through_link (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "painting.jpg", NULL);

  g_assert_no_errno (symlink (f->style, path));
  add_arguments (f, "--output", path, NULL);
}

/* A log is written in place: through a hard link it would truncate the photo itself. */
static void
log_is_content_hard_link (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "run.csv", NULL);

  g_assert_no_errno (link (f->content, path));
  add_arguments (f, "--log", path, NULL);
}

static void
log_is_model (Fixture *f)
{
  add_arguments (f, "--log", f->model, NULL);
}

/* Neither exists yet: the same name in the same folder, one through "..". */
static void
log_is_result (Fixture *f)
{
  g_autofree char *name = g_path_get_basename (f->dir);
  g_autofree char *path = g_build_filename (f->dir, "..", name, "out.png", NULL);

  add_arguments (f, "--log", path, NULL);
}

static void
snapshot_over_content (Fixture *f)
{
  g_autofree char *dir = g_build_filename (f->dir, "snapshots", NULL);
  g_autofree char *content = g_build_filename (dir, "step-00001.png", NULL);

  g_assert_no_errno (g_mkdir (dir, 0755));
  g_assert_no_errno (g_rename (f->content, content));
  g_free (f->content);
  f->content = g_steal_pointer (&content);
  add_arguments (f, "--snapshot-dir", dir, NULL);
}

/* Refused before the first step, the run leaves no log. */
static void
log_of_a_failed_start (Fixture *f)
{
  f->not_left = g_build_filename (f->dir, "run.csv", NULL);
  model_huge_weight (f);
  add_arguments (f, "--log", f->not_left, NULL);
}

static void
log_of_a_missing_image (Fixture *f)
{
  image_missing (f);
  f->not_left = g_build_filename (f->dir, "run.csv", NULL);
  add_arguments (f, "--log", f->not_left, NULL);
}

static void
log_on_full_disk (Fixture *f)
{
  add_arguments (f, "--log", "/dev/full", NULL);
}

/* 300 bytes: more than any Linux file system takes in one name. */
static char *
long_name (Fixture    *f,
           const char *extension)
{
  g_autofree char *stem = g_strnfill (300, 'x');
  g_autofree char *name = g_strconcat (stem, extension, NULL);

  return g_build_filename (f->dir, name, NULL);
}

static void
output_name_too_long (Fixture *f)
{
  g_free (f->output);
  f->output = long_name (f, ".png");
}

static void
log_name_too_long (Fixture *f)
{
  g_autofree char *log = long_name (f, ".csv");

  add_arguments (f, "--log", log, NULL);
}

/* Where the results go, and the memory they take */
static const BadInput output_inputs[] = {
  MADE ("parameter/no-layers", no_layers, 2, "A run needs at least one content or style layer"),
  MADE ("parameter/max-memory-too-small", memory_over_limit, 1,
        /* g_format_size() puts a no-break space before the unit */
        "more than its limit of 1.0\u00a0MB; choose a smaller output size"),
  MADE ("parameter/max-memory-below-lbfgs-history", memory_over_limit_lbfgs, 1,
        "(L-BFGS keeps 23.0\u00a0MB of history; Adam needs far less)"),
  MADE ("output/missing-folder", output_missing_folder, 1, "does not exist"),
  MADE ("output/is-a-folder", output_is_a_folder, 1, "a folder of that name is in the way"),
  MADE ("output/read-only-folder", output_read_only_folder, 1, "Permission denied"),
  MADE ("output/snapshots-under-a-file", snapshot_folder_under_a_file, 1,
        "Cannot create the snapshot folder"),
  MADE ("output/snapshot-folder-read-only", snapshot_folder_read_only, 1,
        "snapshots”: Permission denied"),
  MADE ("output/log-in-missing-folder", log_in_missing_folder, 1, "Cannot write the log"),
  MADE ("output/is-the-content", output_is_content, 1,
        "content.png”: it is the content image “"),
  MADE ("output/is-the-content-through-dot", output_is_content_through_dot, 1,
        "content.png”: it is the content image “"),
  MADE ("output/is-the-style-through-link", output_is_style_through_link, 1,
        "painting.jpg”: it is the style image “"),
  MADE ("output/log-is-a-hard-link-to-the-content", log_is_content_hard_link, 1,
        "run.csv”: it is the content image “"),
  MADE ("output/log-is-the-model", log_is_model, 1, ".mat”: it is the model “"),
  MADE ("output/log-is-the-result", log_is_result, 1,
        "out.png”: it is the log “"),
  MADE ("output/snapshot-over-the-content", snapshot_over_content, 1,
        "snapshots”: one would replace the content image “"),
  { "output/no-log-from-a-failed-start", log_of_a_failed_start, NULL, NULL, 1,
    "The loss of the starting image is not finite", TRUE },
  MADE ("output/no-log-from-a-missing-image", log_of_a_missing_image, 1,
        "No such file or directory"),
  { "output/log-on-full-disk", log_on_full_disk, NULL, NULL, 1,
    "Cannot write the log “/dev/full”: No space left on device; stopped at step ", TRUE },
  MADE ("output/name-too-long", output_name_too_long, 1,
        ".png”: its name is 304 bytes long, and names there can have at most "),
  MADE ("output/log-name-too-long", log_name_too_long, 1,
        ".csv”: its name is 304 bytes long, and names there can have at most "),
};

/* Signals and closed streams */

static GSubprocess *
spawn_long_run (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) l = launcher (f);
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  /* the last --steps counts */
  add_arguments (f, "--steps", "100000", NULL);
  argv = arguments (f);
  g_subprocess_launcher_set_flags (l, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                      | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; i < G_N_ELEMENTS (f->inputs); i++)
    g_clear_pointer (&f->inputs[i], g_bytes_unref);
  f->inputs[0] = fixture_read (f->content);
  f->inputs[1] = fixture_read (f->style);
  f->inputs[2] = fixture_read (f->model);
  proc = g_subprocess_launcher_spawnv (l, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return proc;
}

/* The run stopped after a step, wrote the image it reached and exited with status. */
static void
assert_stopped (Fixture     *f,
                GSubprocess *proc,
                int          status)
{
  g_autoptr(GOutputStream) err = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoImage) image = NULL;
  g_autofree char *text = NULL;

  g_output_stream_splice (err, g_subprocess_get_stderr_pipe (proc),
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (err)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (err)));
  g_test_message ("stderr:\n%s", text);

  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, status);
  g_assert_nonnull (strstr (text, "Stopped at step "));
  image = impasto_image_load (f->output, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (image->width, ==, WIDTH);
  assert_inputs_kept (f);
}

/* SIGHUP (the terminal went away) and SIGTERM stop the run as Ctrl-C does: after its step,
 * with the image written, and 128 + the signal as the status. */
static void
test_signal (Fixture       *f,
             gconstpointer  data)
{
  int signo = GPOINTER_TO_INT (data);
  g_autoptr(GSubprocess) proc = spawn_long_run (f);
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  g_autoptr(GError) error = NULL;
  g_autofree char *plan = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);

  g_assert_no_error (error);
  /* The plan comes first, then the steps. */
  g_assert_true (g_str_has_prefix (plan, "plan: about "));
  g_assert_true (g_str_has_prefix (line, "step 0/100000"));
  g_subprocess_send_signal (proc, signo);
  assert_stopped (f, proc, 128 + signo);
}

/* Nobody reads the progress any more (`impasto-cli … | head -c1`): that stops the run like a
 * signal, SIGPIPE's status, rather than killing it. */
static void
test_stdout_closed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSubprocess) proc = spawn_long_run (f);
  g_autoptr(GError) error = NULL;

  g_input_stream_close (g_subprocess_get_stdout_pipe (proc), NULL, &error);
  g_assert_no_error (error);
  assert_stopped (f, proc, 128 + SIGPIPE);
}

/* Started with stdout and stderr closed, the log must not get their descriptors: it holds the
 * CSV and nothing else, and the run goes on as usual. */
static void
test_streams_closed_at_start (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *log = g_build_filename (f->dir, "run.csv", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(ImpastoImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(CliResult) r = { 0 };

  f->closed_streams = TRUE;
  add_arguments (f, "--log", log, NULL);
  r = run_cli (f);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==, "");
  image = impasto_image_load (f->output, &error);
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (log, &csv, NULL, NULL));
  /* the recipe, as comments, before the header */
  g_assert_true (g_str_has_prefix (csv, "# "));
  lines = g_strsplit (strstr (csv, "\nstep,") + 1, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);   /* the header, steps 0 to 2, "" */
  g_assert_cmpstr (lines[0], ==, "step,total,content,style,tv,seconds,scale,evaluations");
  for (guint i = 1; i < 4; i++)
    g_assert_true (g_regex_match_simple ("^[0-9]+(,[-+.0-9e]+){7}$", lines[i], 0, 0));
  g_assert_cmpstr (lines[4], ==, "");
}

static void
add_inputs (const BadInput *inputs,
            guint           n_inputs)
{
  for (guint i = 0; i < n_inputs; i++)
    {
      g_autofree char *path = g_strconcat ("/impasto/bad-input/", inputs[i].path, NULL);

      g_test_add (path, Fixture, &inputs[i], fixture_set_up, test_bad_input, fixture_tear_down);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_inputs (model_inputs, G_N_ELEMENTS (model_inputs));
  g_test_add ("/impasto/bad-input/model/truncated", Fixture, NULL, fixture_set_up,
              test_model_truncated, fixture_tear_down);
  add_inputs (image_inputs, G_N_ELEMENTS (image_inputs));
  add_inputs (parameter_inputs, G_N_ELEMENTS (parameter_inputs));
  add_inputs (output_inputs, G_N_ELEMENTS (output_inputs));
  add_inputs (run_inputs, G_N_ELEMENTS (run_inputs));
  g_test_add ("/impasto/bad-input/signal/hangup", Fixture, GINT_TO_POINTER (SIGHUP),
              fixture_set_up, test_signal, fixture_tear_down);
  g_test_add ("/impasto/bad-input/signal/terminate", Fixture, GINT_TO_POINTER (SIGTERM),
              fixture_set_up, test_signal, fixture_tear_down);
  g_test_add ("/impasto/bad-input/stream/stdout-closed-during-run", Fixture, NULL,
              fixture_set_up, test_stdout_closed, fixture_tear_down);
  g_test_add ("/impasto/bad-input/stream/closed-at-start", Fixture, NULL, fixture_set_up,
              test_streams_closed_at_start, fixture_tear_down);

  return g_test_run ();
}
