/* test-tiled.c: the objective strip by strip and tile by tile against the whole image's, at
 * odd sizes, strips and tiles, with every cut between segments and the controls that change
 * the losses
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-params.h"
#include "impasto-plan.h"
#include "impasto-run-private.h"
#include "impasto-run.h"
#include "test-util.h"

#define ALL_CUTS G_MAXUINT64

typedef struct
{
  guint            width, height;
  guint            tile_rows;
  guint64          cuts;             /* a bit per stage index: cut after that pooling */
  ImpastoPooling   pooling;
  ImpastoStyleNorm style_norm;
  double           tv_weight;
  guint            n_styles;         /* 0: one */
  const char      *content_layers;   /* NULL: the seed's */
  const char      *style_layers;
  ImpastoOptimizer optimizer;
  guint            n_scales;         /* 0: one */
  guint            style_sizes[3][2];  /* each style image's own size (style scale); 0 x 0:
                                        * the output's */
  guint            tile_cols;        /* 0: strips of the full width */
} Case;

typedef struct
{
  char             *dir;
  ImpastoNetwork   *network;
  ImpastoRunParams *params;
  ImpastoImage     *content;
  ImpastoImage     *styles[3];
  ImpastoRun       *whole;
  ImpastoRun       *tiled;
} Fixture;

/* The seed's layers, every segment cut, strips of one pooling-aligned block of rows. */
static const Case seed_case = { 37, 83, 16, ALL_CUTS };
/* One segment: the whole network in each strip, with its widest halo (192 rows). */
static const Case uncut_case = { 15, 470, 32, 0 };
/* Cut after pool2 (stage 5 of VGG19) alone; averages instead of maxima. */
static const Case avg_case = { 40, 133, 16, 1 << 5, IMPASTO_POOLING_AVG };
/* After pool1 (2) and pool3 (10); Torch's normalisation and smoothing. */
static const Case channels_case = { 33, 190, 48, 1 << 2 | 1 << 10, IMPASTO_POOLING_MAX,
                                    IMPASTO_STYLE_NORM_CHANNELS, 30 };
/* Three styles blended, other layers (the deepest conv4_1: three poolings, strips of 8). */
static const Case layers_case = { 29, 61, 8, ALL_CUTS, IMPASTO_POOLING_MAX,
                                  IMPASTO_STYLE_NORM_SEED, 0, 3, "conv1_2,conv3_2",
                                  "conv2_2,conv4_1" };
/* Strips taller than half the image: two, the second short. */
static const Case two_strips_case = { 23, 50, 32, ALL_CUTS };
static const Case lbfgs_case = { 31, 70, 16, 1 << 5 | 1 << 15, IMPASTO_POOLING_MAX,
                                 IMPASTO_STYLE_NORM_SEED, 0, 0, NULL, NULL,
                                 IMPASTO_OPTIMIZER_LBFGS };

/* Coarse to fine: the half-size scale goes in strips too, its segments shorter. */
static const Case scales_case = { 35, 140, 16, ALL_CUTS, IMPASTO_POOLING_MAX,
                                  IMPASTO_STYLE_NORM_SEED, 0, 0, NULL, NULL,
                                  IMPASTO_OPTIMIZER_ADAM, 2 };

/* A painting larger than the output and of other proportions, blended with one smaller: the
 * large one goes through strips of its own width; then coarse to fine, where the strips'
 * buffers, widened for it, hold the half-size scale's output whole. */
static const Case large_style_case = { 37, 83, 16, ALL_CUTS, IMPASTO_POOLING_MAX,
                                       IMPASTO_STYLE_NORM_SEED, 0, 2, NULL, NULL,
                                       IMPASTO_OPTIMIZER_ADAM, 1, { { 101, 150 }, { 30, 41 } } };
static const Case large_style_scales_case = { 37, 83, 16, ALL_CUTS, IMPASTO_POOLING_MAX,
                                              IMPASTO_STYLE_NORM_SEED, 0, 2, NULL, NULL,
                                              IMPASTO_OPTIMIZER_ADAM, 2,
                                              { { 101, 150 }, { 30, 41 } } };

/* Tiles in both directions: odd sizes, every cut, the last column and row of tiles short. */
static const Case tiles_case = { 83, 61, 16, ALL_CUTS, .tile_cols = 32 };
/* One segment in columns: the halo (192 columns) wider than the tiles. */
static const Case tiles_uncut_case = { 470, 13, 16, 0, .tile_cols = 32 };
/* Columns only: tiles as tall as the image. */
static const Case columns_case = { 97, 23, 32, 1 << 5, IMPASTO_POOLING_AVG, .tile_cols = 16 };
static const Case tiles_lbfgs_case = { 70, 31, 16, 1 << 5 | 1 << 15, IMPASTO_POOLING_MAX,
                                       IMPASTO_STYLE_NORM_CHANNELS, 30, 0, NULL, NULL,
                                       IMPASTO_OPTIMIZER_LBFGS, .tile_cols = 16 };
static const Case tiles_scales_case = { 140, 35, 16, ALL_CUTS, IMPASTO_POOLING_MAX,
                                        IMPASTO_STYLE_NORM_SEED, 0, 0, NULL, NULL,
                                        IMPASTO_OPTIMIZER_ADAM, 2, .tile_cols = 16 };
/* Three styles, other layers, one painting wider than the output: it is cut into columns
 * of the same tiles. */
static const Case tiles_styles_case = { 61, 29, 8, ALL_CUTS, IMPASTO_POOLING_MAX,
                                        IMPASTO_STYLE_NORM_SEED, 0, 3, "conv1_2,conv3_2",
                                        "conv2_2,conv4_1", IMPASTO_OPTIMIZER_ADAM, 1,
                                        { { 150, 101 }, { 30, 41 }, { 61, 29 } },
                                        .tile_cols = 16 };

static ImpastoRun *
new_run (Fixture *f,
         guint    tile_rows,
         guint    tile_cols,
         guint64  cuts,
         guint    n_styles)
{
  static const double weights[3] = { 1, 2, 3 };
  g_autoptr(GError) error = NULL;
  guint sizes[3][2];
  g_autoptr(ImpastoPlan) plan = NULL;
  ImpastoRun *run;

  for (guint i = 0; i < n_styles; i++)
    {
      sizes[i][0] = f->styles[i]->width;
      sizes[i][1] = f->styles[i]->height;
    }
  plan = impasto_plan_new (f->network, f->params, (const guint (*)[2]) sizes, n_styles,
                           tile_rows, tile_cols, cuts, &error);

  g_assert_no_error (error);
  run = impasto_run_new_planned (f->network, f->params, f->content,
                                 (const ImpastoImage * const *) f->styles, weights, n_styles,
                                 plan, &error);
  g_assert_no_error (error);
  return run;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const Case *c = data;
  guint n_styles = MAX (c->n_styles, 1);
  g_autofree char *model = NULL;
  g_auto(GStrv) layers = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = test_make_tmpdir ();
  model = test_write_model (f->dir, 16, 7);
  f->params = impasto_run_params_new ();
  f->params->width = c->width;
  f->params->height = c->height;
  f->params->pooling = c->pooling;
  f->params->style_norm = c->style_norm;
  f->params->tv_weight = c->tv_weight;
  f->params->optimizer = c->optimizer;
  f->params->steps = 3;
  f->params->n_scales = MAX (c->n_scales, 1);
  f->params->snapshot_every = 0;
  if (c->content_layers != NULL)
    g_assert_true (impasto_layer_list_parse (&f->params->content_layers, c->content_layers,
                                             NULL));
  if (c->style_layers != NULL)
    g_assert_true (impasto_layer_list_parse (&f->params->style_layers, c->style_layers,
                                             NULL));
  f->content = test_make_image (c->width, c->height, 1);
  for (guint i = 0; i < n_styles; i++)
    {
      gboolean own = c->style_sizes[i][0] > 0;

      f->styles[i] = test_make_image (own ? c->style_sizes[i][0] : c->width,
                                      own ? c->style_sizes[i][1] : c->height, 2 + i);
      if (own)
        f->params->style_scale = 1;
    }
  layers = impasto_run_params_get_loss_layers (f->params);
  f->network = impasto_network_load (model, (const char * const *) layers, &error);
  g_assert_no_error (error);

  f->whole = new_run (f, 0, 0, 0, n_styles);
  f->tiled = new_run (f, c->tile_rows, c->tile_cols, c->cuts, n_styles);
  g_assert_cmpuint (impasto_run_get_plan (f->whole)->tile_rows, ==, 0);
  g_assert_cmpuint (impasto_run_get_plan (f->tiled)->tile_rows, ==, c->tile_rows);
  g_assert_cmpuint (impasto_run_get_plan (f->tiled)->tile_cols, ==, c->tile_cols);
  for (guint s = 0; s < impasto_run_get_plan (f->tiled)->n_segments; s++)
    {
      const ImpastoPlanSegment *seg = &impasto_run_get_plan (f->tiled)->segments[s];

      g_test_message ("segment %u: stages %u to %u, parts of %u rows and %u columns, halo %u, "
                      "backward %u", s, seg->first, seg->end - 1, seg->rows, seg->cols,
                      seg->halo, seg->halo_back);
    }
  /* The buffers hold strips, not the whole image, at the scale a run starts at: the strips
   * are what is tested. */
  if (c->style_sizes[0][0] == 0 || f->params->n_scales == 1)
    g_assert_false (impasto_run_fits_whole_for_tests (f->tiled));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  impasto_run_free (f->whole);
  impasto_run_free (f->tiled);
  impasto_network_unref (f->network);
  impasto_run_params_free (f->params);
  impasto_image_free (f->content);
  for (guint i = 0; i < G_N_ELEMENTS (f->styles); i++)
    g_clear_pointer (&f->styles[i], impasto_image_free);
  test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
assert_close (double      value,
              double      reference,
              double      tolerance,
              const char *what)
{
  g_test_message ("%s: %.9g, whole %.9g", what, value, reference);
  g_assert_true (isfinite (value));
  g_assert_cmpfloat (fabs (value - reference), <=, tolerance * fabs (reference));
}

static float
max_abs (const float *v,
         gsize        n)
{
  float m = 0.f;

  for (gsize i = 0; i < n; i++)
    m = MAX (m, fabsf (v[i]));
  return m;
}

static void test_steps_match_whole (Fixture       *f,
                                    gconstpointer  data);

/* Loss and gradient at the whole run's starting image, which both runs share. */
static void
test_matches_whole (Fixture       *f,
                    gconstpointer  data)
{
  gsize n = (gsize) 3 * f->params->width * f->params->height;
  g_autofree float *x = g_memdup2 (impasto_run_get_pixels (f->whole), n * sizeof (float));
  g_autofree float *g_whole = g_new (float, n);
  g_autofree float *g_tiled = g_new (float, n);
  double content_w, style_w, content_t, style_t, total_w, total_t;
  float scale, worst = 0.f;

  g_assert_cmpmem (x, n * sizeof (float), impasto_run_get_pixels (f->tiled), n * sizeof (float));
  total_w = impasto_run_evaluate (f->whole, x, g_whole, &content_w, &style_w);
  total_t = impasto_run_evaluate (f->tiled, x, g_tiled, &content_t, &style_t);

  assert_close (total_t, total_w, 1e-5, "total");
  assert_close (style_t, style_w, 1e-5, "style");
  if (f->params->content_layers.n > 0)
    assert_close (content_t, content_w, 1e-5, "content");
  scale = max_abs (g_whole, n);
  g_assert_cmpfloat (scale, >, 0.f);
  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, fabsf (g_tiled[i] - g_whole[i]));
  g_test_message ("gradient: largest difference %g of largest value %g", worst, scale);
  g_assert_cmpfloat (worst, <=, 1e-5f * scale);

  /* The loss alone, without the backward pass, is the same sum. */
  assert_close (impasto_run_evaluate (f->tiled, x, NULL, NULL, NULL), total_t, 1e-12,
                "loss alone");
}

static void
assert_style_targets_match (Fixture *f)
{
  const ImpastoPlan *plan = impasto_run_get_plan (f->tiled);
  guint checked = 0;

  for (guint i = 0; i < impasto_run_get_n_stages (f->whole); i++)
    {
      const float *whole = impasto_run_get_style_target (f->whole, i);
      const float *tiled = impasto_run_get_style_target (f->tiled, i);
      gsize cc = (gsize) plan->stages[i].c * plan->stages[i].c;
      float scale, worst = 0.f;

      if (whole == NULL)
        continue;
      scale = max_abs (whole, cc);
      for (gsize k = 0; k < cc; k++)
        worst = MAX (worst, fabsf (tiled[k] - whole[k]));
      g_test_message ("%s: largest difference %g of %g", impasto_run_get_stage_name (f->whole,
                                                                                    i),
                      worst, scale);
      g_assert_cmpfloat (scale, >, 0.f);
      g_assert_cmpfloat (worst, <=, 1e-5f * scale);
      checked++;
    }
  g_assert_cmpuint (checked, ==, f->params->style_layers.n);
}

/* The style targets made strip by strip from images of their own sizes are the whole
 * images' Grams, at every scale; and the strips' buffers were widened for the large one. */
static void
test_style_targets_match_whole (Fixture       *f,
                                gconstpointer  data)
{
  const Case *c = data;
  const ImpastoPlan *plan = impasto_run_get_plan (f->tiled);
  g_autoptr(ImpastoPlan) at_output = impasto_plan_new (f->network, f->params, NULL, c->n_styles,
                                                       c->tile_rows, c->tile_cols, c->cuts,
                                                       NULL);

  g_test_message ("strips: %" G_GUINT64_FORMAT " bytes with the styles' sizes, %"
                  G_GUINT64_FORMAT " with the output's", plan->bytes, at_output->bytes);
  g_assert_cmpuint (plan->bytes, >, at_output->bytes);
  g_assert_cmpuint (plan->planes, ==, (gsize) 3 * 101 * 150);
  g_assert_cmpuint (plan->segments[1].kept, >, at_output->segments[1].kept);

  /* At the scale the runs start at, then after their steps at the output's. */
  assert_style_targets_match (f);
  test_steps_match_whole (f, data);
  assert_style_targets_match (f);
}

/* A few steps of the optimiser land on the same image, whole or strip by strip. */
static void
test_steps_match_whole (Fixture       *f,
                        gconstpointer  data)
{
  gsize n = (gsize) 3 * f->params->width * f->params->height;
  g_autoptr(GError) error = NULL;
  const float *a, *b;
  float scale, worst = 0.f;

  g_assert_true (impasto_run_execute (f->whole, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (impasto_run_execute (f->tiled, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  a = impasto_run_get_pixels (f->whole);
  b = impasto_run_get_pixels (f->tiled);
  scale = max_abs (a, n);
  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, fabsf (a[i] - b[i]));
  g_test_message ("pixels after %u steps: largest difference %g", f->params->steps, worst);
  g_assert_cmpfloat (worst, <=, 1e-3f * scale);
}

static void
add (const char *path,
     const Case *c,
     void      (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, c, fixture_set_up, test, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add ("/impasto/engine/tiled/seed", &seed_case, test_matches_whole);
  add ("/impasto/engine/tiled/one-segment", &uncut_case, test_matches_whole);
  add ("/impasto/engine/tiled/avg-pooling", &avg_case, test_matches_whole);
  add ("/impasto/engine/tiled/channels-norm-tv", &channels_case, test_matches_whole);
  add ("/impasto/engine/tiled/layers-and-styles", &layers_case, test_matches_whole);
  add ("/impasto/engine/tiled/two-strips", &two_strips_case, test_matches_whole);
  add ("/impasto/engine/tiled/adam-steps", &seed_case, test_steps_match_whole);
  add ("/impasto/engine/tiled/lbfgs-steps", &lbfgs_case, test_steps_match_whole);
  add ("/impasto/engine/tiled/scales-steps", &scales_case, test_steps_match_whole);
  add ("/impasto/engine/tiled/large-style", &large_style_case, test_matches_whole);
  add ("/impasto/engine/tiled/large-style-scales", &large_style_scales_case,
       test_style_targets_match_whole);
  add ("/impasto/engine/tiled/tiles", &tiles_case, test_matches_whole);
  add ("/impasto/engine/tiled/tiles-one-segment", &tiles_uncut_case, test_matches_whole);
  add ("/impasto/engine/tiled/columns", &columns_case, test_matches_whole);
  add ("/impasto/engine/tiled/tiles-styles", &tiles_styles_case, test_matches_whole);
  add ("/impasto/engine/tiled/tiles-adam-steps", &tiles_case, test_steps_match_whole);
  add ("/impasto/engine/tiled/tiles-lbfgs-steps", &tiles_lbfgs_case, test_steps_match_whole);
  add ("/impasto/engine/tiled/tiles-scales-steps", &tiles_scales_case,
       test_steps_match_whole);
  return g_test_run ();
}
