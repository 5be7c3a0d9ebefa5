/* test-run-memory.c: a run's memory, estimated before it starts and refused when too much
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

/* AddressSanitizer's allocator counts for itself; gcc ships no header for its interface. */
#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif

#ifdef HAVE_ASAN
size_t __sanitizer_get_current_allocated_bytes (void);
#endif

#include "impasto-run-memory.h"
#include "impasto-run-private.h"
#include "test-util.h"

typedef struct
{
  char             *dir;
  char             *model;
  ImpastoRunParams *params;
} Fixture;

typedef struct
{
  guint            width;
  guint            height;
  ImpastoOptimizer optimizer;
  guint            n_scales;
  ImpastoPooling   pooling;
  double           limit_share;   /* > 0: a limit of this share of the whole image's need */
} Case;

/* The seed's run at an odd size, which rounds up at every pooling; and L-BFGS coarse to fine
 * at a size whose early feature maps outgrow a convolution's banded workspace. */
static const Case seed_case = { 61, 43, IMPASTO_OPTIMIZER_ADAM, 1 };
static const Case lbfgs_case = { 240, 160, IMPASTO_OPTIMIZER_LBFGS, 3 };
/* Average pooling keeps no argmax. */
static const Case avg_case = { 320, 240, IMPASTO_OPTIMIZER_ADAM, 1, IMPASTO_POOLING_AVG };
/* Under a limit of three quarters of what the whole image needs: strips, coarse to fine (the coarser
 * scales fit the strips' buffers whole). */
static const Case tiled_case = { 200, 400, IMPASTO_OPTIMIZER_ADAM, 2, IMPASTO_POOLING_MAX, 0.75 };
static const Case tiled_lbfgs_case = { 150, 300, IMPASTO_OPTIMIZER_LBFGS, 1, IMPASTO_POOLING_MAX,
                                       0.8 };

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const Case *c = data != NULL ? data : &seed_case;

  f->dir = test_make_tmpdir ();
  f->model = test_write_model (f->dir, 8, 4);
  f->params = impasto_run_params_new ();
  f->params->width = c->width;
  f->params->height = c->height;
  f->params->optimizer = c->optimizer;
  f->params->n_scales = c->n_scales;
  f->params->pooling = c->pooling;
  f->params->steps = c->n_scales;
  f->params->snapshot_every = 0;
  f->params->threads = 1;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  impasto_run_params_free (f->params);
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->model);
}

static ImpastoNetwork *
load_network (Fixture *f)
{
  g_auto(GStrv) layers = impasto_run_params_get_loss_layers (f->params);
  g_autoptr(GError) error = NULL;
  ImpastoNetwork *network = impasto_network_load (f->model, (const char * const *) layers,
                                                  &error);

  g_assert_no_error (error);
  return network;
}

static guint64
estimate (ImpastoNetwork         *network,
          const ImpastoRunParams *params)
{
  g_autoptr(GError) error = NULL;
  guint64 bytes = 0;

  g_assert_true (impasto_run_estimate_memory (network, params, &bytes, &error));
  g_assert_no_error (error);
  return bytes;
}

/* What the planner leaves the rest of the process, with one painting of the output's size. */
static guint64
beside (const ImpastoRunParams *params)
{
  const guint size[1][2] = { { params->width, params->height } };

  return impasto_run_memory_beside (params, size, 1);
}

/* Bytes the process has allocated and not freed, as its allocator counts them: glibc's, or
 * AddressSanitizer's, which replaces it (and whose mallinfo2() would count nothing). */
static guint64
allocated_bytes (void)
{
#ifdef HAVE_ASAN
  return __sanitizer_get_current_allocated_bytes ();
#else
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
#endif
}

/* Loading the network, making the run and running it (a step per scale) allocate everything
 * the estimate counts; the images given to the run are made before, as a caller makes them. */
static void
test_estimate_matches_allocation (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(ImpastoImage) content = test_make_image (f->params->width, f->params->height, 1);
  g_autoptr(ImpastoImage) style = test_make_image (f->params->width, f->params->height, 2);
  g_autoptr(ImpastoNetwork) network = NULL;
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(GError) error = NULL;
  const Case *c = data;
  guint64 before, after, expected;

  before = allocated_bytes ();
  network = load_network (f);
  if (c->limit_share > 0)
    f->params->memory_limit = estimate (network, f->params) * c->limit_share
                              + beside (f->params);
  run = impasto_run_new (network, f->params, content, style, &error);
  g_assert_no_error (error);
  g_assert_true (impasto_run_execute (run, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  after = allocated_bytes ();

  expected = estimate (network, f->params);
  g_test_message ("estimated %" G_GUINT64_FORMAT " bytes, allocated %" G_GUINT64_FORMAT
                  ", parts of %u rows and %u columns (0: all)", expected, after - before,
                  impasto_run_get_plan (run)->tile_rows, impasto_run_get_plan (run)->tile_cols);
  g_assert_true ((c->limit_share > 0) == (impasto_run_get_plan (run)->tile_rows > 0));
  if (c->limit_share > 0)
    g_assert_cmpuint (expected, <=, f->params->memory_limit);
  /* The estimate leaves out bookkeeping (names, the stage table, the allocator's headers):
   * a few kilobytes against the megabytes of buffers counted here. */
  g_assert_cmpuint (after - before, >=, expected * 95 / 100);
  g_assert_cmpuint (after - before, <=, expected * 105 / 100);
}

/* Four style images cost four 8-bit copies and nothing more: their Grams are computed one
 * image after the other. */
static void
test_estimate_with_styles (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(ImpastoImage) content = test_make_image (f->params->width, f->params->height, 1);
  ImpastoImage *styles[4];
  const double weights[4] = { 1, 2, 3, 4 };
  g_autoptr(ImpastoNetwork) network = NULL;
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(GError) error = NULL;
  guint64 before, after, expected = 0;
  gsize image_bytes = (gsize) 3 * f->params->width * f->params->height;

  for (guint i = 0; i < 4; i++)
    styles[i] = test_make_image (f->params->width, f->params->height, 2 + i);
  before = allocated_bytes ();
  network = load_network (f);
  run = impasto_run_new_blend (network, f->params, content,
                               (const ImpastoImage * const *) styles, weights, 4, &error);
  g_assert_no_error (error);
  g_assert_true (impasto_run_execute (run, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  after = allocated_bytes ();

  g_assert_true (impasto_run_estimate_memory_for (network, f->params, 4, &expected, &error));
  g_assert_no_error (error);
  g_test_message ("estimated %" G_GUINT64_FORMAT " bytes, allocated %" G_GUINT64_FORMAT,
                  expected, after - before);
  g_assert_cmpuint (expected, ==, estimate (network, f->params) + 3 * image_bytes);
  g_assert_cmpuint (after - before, >=, expected * 95 / 100);
  g_assert_cmpuint (after - before, <=, expected * 105 / 100);
  g_clear_pointer (&run, impasto_run_free);
  for (guint i = 0; i < 4; i++)
    impasto_image_free (styles[i]);
}

/* A painting larger than the output, of other proportions (style scale 2 on a 2:1 image):
 * the buffers it goes through grow to its size, and the estimate with its size says so.
 * Under a limit the plan is strips, which the painting goes through at its own width, and
 * the estimate is still what the run allocates. */
static void
test_estimate_with_larger_style (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(ImpastoImage) content = test_make_image (f->params->width, f->params->height, 1);
  g_autoptr(ImpastoImage) style = NULL;
  g_autoptr(ImpastoNetwork) network = NULL;
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(GError) error = NULL;
  guint64 before, after, expected = 0, at_output = 0;
  guint size[1][2];
  const Case *c = data;

  f->params->style_scale = 2;
  g_assert_true (impasto_run_params_get_style_size (f->params, 200, 100, &size[0][0],
                                                    &size[0][1], &error));
  g_assert_no_error (error);
  style = test_make_image (size[0][0], size[0][1], 2);
  before = allocated_bytes ();
  network = load_network (f);
  if (c->limit_share > 0)
    {
      g_assert_true (impasto_run_estimate_memory_sized (network, f->params,
                                                        (const guint (*)[2]) size, 1,
                                                        &expected, &error));
      f->params->memory_limit = expected * c->limit_share
                                + impasto_run_memory_beside (f->params,
                                                             (const guint (*)[2]) size, 1);
    }
  run = impasto_run_new (network, f->params, content, style, &error);
  g_assert_no_error (error);
  g_assert_true (impasto_run_execute (run, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  after = allocated_bytes ();

  g_assert_true (impasto_run_estimate_memory_sized (network, f->params,
                                                    (const guint (*)[2]) size, 1, &expected,
                                                    &error));
  g_assert_no_error (error);
  f->params->style_scale = 0;
  at_output = estimate (network, f->params);
  g_test_message ("style %ux%u: estimated %" G_GUINT64_FORMAT " bytes (%" G_GUINT64_FORMAT
                  " at the output's size), allocated %" G_GUINT64_FORMAT, size[0][0],
                  size[0][1], expected, at_output, after - before);
  g_assert_cmpuint (expected, ==, impasto_run_get_plan (run)->bytes);
  g_assert_true ((c->limit_share > 0) == (impasto_run_get_plan (run)->tile_rows > 0));
  if (c->limit_share > 0)
    g_assert_cmpuint (expected, <=, f->params->memory_limit);
  else
    g_assert_cmpuint (expected, >, at_output * 3 / 2);
  g_assert_cmpuint (after - before, >=, expected * 95 / 100);
  g_assert_cmpuint (after - before, <=, expected * 105 / 100);
}

/* What a run allocates and keeps until it is freed, network included. */
static guint64
allocated_by_run (Fixture *f)
{
  g_autoptr(ImpastoImage) content = test_make_image (f->params->width, f->params->height, 1);
  g_autoptr(ImpastoImage) style = test_make_image (f->params->width, f->params->height, 2);
  g_autoptr(ImpastoNetwork) network = NULL;
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(GError) error = NULL;
  guint64 before = allocated_bytes ();

  network = load_network (f);
  run = impasto_run_new (network, f->params, content, style, &error);
  g_assert_no_error (error);
  g_assert_true (impasto_run_execute (run, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return allocated_bytes () - before;
}

/* Average pooling needs no argmax: a byte per output value of each pooling layer that the
 * run goes through, counted here from the shapes, less in the estimate and in the run. */
static void
test_avg_pooling_saves_argmax (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(ImpastoNetwork) network = load_network (f);
  int deepest = impasto_run_params_find_deepest_layer (f->params, network, NULL);
  guint h = f->params->height, w = f->params->width;
  guint64 argmax = 0, with_max, with_avg, estimate_max, estimate_avg;

  for (int i = 0; i <= deepest; i++)
    {
      const ImpastoLayer *layer = impasto_network_get_layer (network, i);

      if (layer->kind != IMPASTO_LAYER_POOL)
        continue;
      h = (h + 1) / 2;
      w = (w + 1) / 2;
      argmax += (guint64) layer->in_channels * h * w;
    }

  /* What the first run in a process allocates once (OpenBLAS's and GLib's own) is not the
   * run's. */
  allocated_by_run (f);
  f->params->pooling = IMPASTO_POOLING_MAX;
  estimate_max = estimate (network, f->params);
  with_max = allocated_by_run (f);
  f->params->pooling = IMPASTO_POOLING_AVG;
  estimate_avg = estimate (network, f->params);
  with_avg = allocated_by_run (f);

  g_test_message ("argmax %" G_GUINT64_FORMAT " bytes; the runs differ by %" G_GINT64_FORMAT,
                  argmax, (gint64) (with_max - with_avg));
  g_assert_cmpuint (estimate_max - estimate_avg, ==, argmax);
  g_assert_cmpint ((gint64) (with_max - with_avg), >=, (gint64) argmax * 99 / 100);
  g_assert_cmpint ((gint64) (with_max - with_avg), <=, (gint64) argmax * 101 / 100);
}

static void
assert_refused (ImpastoNetwork         *network,
                const ImpastoRunParams *params,
                const char             *needed,
                const char             *available)
{
  g_autoptr(ImpastoImage) content = test_make_image (params->width, params->height, 1);
  g_autoptr(ImpastoImage) style = test_make_image (params->width, params->height, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoRun) run = impasto_run_new (network, params, content, style, &error);
  g_autofree char *size = g_strdup_printf ("%u×%u", params->width, params->height);

  g_assert_null (run);
  g_assert_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_MEMORY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, size));
  g_assert_nonnull (strstr (error->message, needed));
  g_assert_nonnull (strstr (error->message, available));
}

/* A run that cannot fit even in the smallest tiles is refused before it allocates, with what
 * the process would need then (the tiles' buffers and what the rest of it holds) and the
 * limit; one that fits in tiles is made. */
static void
test_refused_over_limit (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(ImpastoNetwork) network = load_network (f);
  guint64 whole = estimate (network, f->params), needed;
  g_autofree char *needed_text = NULL;
  g_autofree char *limit_text = NULL;
  g_autoptr(ImpastoImage) content = test_make_image (f->params->width, f->params->height, 1);
  g_autoptr(ImpastoImage) style = test_make_image (f->params->width, f->params->height, 2);
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing fits in a byte: the estimate is then the smallest tiles'. */
  f->params->memory_limit = 1;
  needed = estimate (network, f->params);
  g_assert_cmpuint (needed, <, whole);
  needed += beside (f->params);
  needed_text = g_format_size (needed);
  f->params->memory_limit = needed - 1;
  limit_text = g_format_size (needed - 1);
  assert_refused (network, f->params, needed_text, limit_text);

  /* Exactly enough is enough. */
  f->params->memory_limit = needed;
  run = impasto_run_new (network, f->params, content, style, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run);
  g_assert_cmpuint (impasto_run_get_plan (run)->tile_rows, >, 0);
}

/* L-BFGS's history alone can be more than a limit: the message says so. */
static void
test_refused_lbfgs (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ImpastoNetwork) network = load_network (f);
  g_autoptr(ImpastoImage) content = test_make_image (f->params->width, f->params->height, 1);
  g_autoptr(ImpastoImage) style = test_make_image (f->params->width, f->params->height, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoRun) run = NULL;

  f->params->optimizer = IMPASTO_OPTIMIZER_LBFGS;
  f->params->memory_limit = (guint64) 16 * 3 * f->params->width * f->params->height
                            * sizeof (float);
  run = impasto_run_new (network, f->params, content, style, &error);
  g_assert_null (run);
  g_assert_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_MEMORY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "L-BFGS keeps"));
  g_assert_nonnull (strstr (error->message, "even in tiles of 16×16"));
}

static guint64
meminfo_value (const char *key)
{
  g_autofree char *text = NULL;
  g_autofree char *prefix = g_strconcat (key, ":", NULL);
  const char *line;
  guint64 kib = 0;

  g_assert_true (g_file_get_contents ("/proc/meminfo", &text, NULL, NULL));
  line = strstr (text, prefix);
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line + strlen (prefix), "%" G_GUINT64_FORMAT, &kib), ==, 1);

  return kib * 1024;
}

/* What the machine has is a real figure: some memory, never more than it has in all. */
static void
test_available (Fixture       *f,
                gconstpointer  data)
{
  guint64 available = impasto_memory_get_available ();

  g_assert_cmpuint (available, >, 0);
  g_assert_cmpuint (available, <=, meminfo_value ("MemTotal"));
  g_assert_cmpuint (available, <=, meminfo_value ("MemAvailable") + 64 * 1024 * 1024);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add ("/impasto/run/memory/" path, Fixture, data, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("estimate-matches-allocation/seed", &seed_case, test_estimate_matches_allocation);
  ADD ("estimate-matches-allocation/lbfgs-scales", &lbfgs_case,
       test_estimate_matches_allocation);
  ADD ("estimate-matches-allocation/four-styles", &seed_case, test_estimate_with_styles);
  ADD ("estimate-matches-allocation/avg-pooling", &avg_case, test_estimate_matches_allocation);
  ADD ("estimate-matches-allocation/larger-style", &seed_case, test_estimate_with_larger_style);
  ADD ("avg-pooling-saves-argmax", &avg_case, test_avg_pooling_saves_argmax);
  ADD ("estimate-matches-allocation/tiled", &tiled_case, test_estimate_matches_allocation);
  ADD ("estimate-matches-allocation/tiled-lbfgs", &tiled_lbfgs_case,
       test_estimate_matches_allocation);
  ADD ("estimate-matches-allocation/tiled-larger-style", &tiled_case,
       test_estimate_with_larger_style);
  ADD ("refused-over-limit", NULL, test_refused_over_limit);
  ADD ("refused-lbfgs-history", NULL, test_refused_lbfgs);
  ADD ("available", NULL, test_available);
#undef ADD

  return g_test_run ();
}
