/* test-objective.c: the run's loss against an independent double-precision implementation of
 * the seed's formulas, and its gradient against finite differences of that implementation
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "impasto-params.h"
#include "impasto-resample.h"
#include "impasto-run-private.h"
#include "impasto-run.h"
#include "naive.h"
#include "test-util.h"

/* Odd sizes, so that every pooling layer has a cut-short edge: 27x21 -> 14x11 -> 7x6 -> 4x3
 * -> 2x2. */
#define WIDTH  27
#define HEIGHT 21

typedef struct
{
  char             *dir;
  ImpastoNetwork   *network;
  ImpastoRunParams *params;
  ImpastoImage     *content;
  ImpastoImage     *style;
  ImpastoRun       *run;
  guint             n_stages;
  double          **p;        /* content targets per stage, or NULL */
  double          **a;        /* style Grams per stage, or NULL */
} Fixture;

typedef struct
{
  guint c, h, w;
} Shape;

/* The controls a case sets; the rest are the seed's. */
typedef struct
{
  double           tv_weight;
  ImpastoPooling   pooling;
  ImpastoStyleNorm style_norm;
  double           beta;             /* 0: the seed's */
  const char      *content_layers;   /* NULL: the seed's */
  const char      *style_layers;
} Variant;

static const Variant seed_variant = { 0 };
static const Variant avg_variant = { .pooling = IMPASTO_POOLING_AVG };
/* The style term alone, of one layer; then of the seed's five with the content, beta raised
 * as this normalisation lowers the style loss. */
static const Variant channels_layer_variant = {
  .style_norm = IMPASTO_STYLE_NORM_CHANNELS, .content_layers = "", .style_layers = "conv3_1",
};
static const Variant channels_variant = {
  .style_norm = IMPASTO_STYLE_NORM_CHANNELS, .beta = 5e4,
};
/* About as much as the style term at the starting image. */
static const Variant tv_variant = { .tv_weight = 50 };

/* Of stage index for an image of h x w. */
static Shape
stage_shape_at (Fixture *f,
                guint    index,
                guint    h,
                guint    w)
{
  Shape s = { 3, h, w };

  for (guint i = 0; i <= index; i++)
    {
      const ImpastoLayer *layer = impasto_network_get_layer (f->network, i);

      if (layer->kind == IMPASTO_LAYER_POOL)
        s = (Shape) { s.c, (s.h + 1) / 2, (s.w + 1) / 2 };
      else
        s.c = layer->out_channels;
    }
  return s;
}

static Shape
stage_shape (Fixture *f,
             guint    index)
{
  return stage_shape_at (f, index, HEIGHT, WIDTH);
}

/* Every stage's output for an image of h x w, each a new array. */
static double **
naive_forward_at (Fixture      *f,
                  const double *image,
                  guint         h,
                  guint         w)
{
  double **out = g_new0 (double *, f->n_stages);
  const double *in = image;
  Shape s = { 3, h, w };

  for (guint i = 0; i < f->n_stages; i++)
    {
      const ImpastoLayer *layer = impasto_network_get_layer (f->network, i);
      Shape o = stage_shape_at (f, i, h, w);

      out[i] = g_new (double, (gsize) o.c * o.h * o.w);
      if (layer->kind == IMPASTO_LAYER_POOL && f->params->pooling == IMPASTO_POOLING_AVG)
        naive_avgpool_forward (in, s.c, s.h, s.w, out[i]);
      else if (layer->kind == IMPASTO_LAYER_POOL)
        naive_maxpool_forward (in, s.c, s.h, s.w, out[i]);
      else
        {
          naive_conv3x3_forward (in, s.c, s.h, s.w, layer->weights, layer->bias, o.c, out[i]);
          for (gsize k = 0; k < (gsize) o.c * o.h * o.w; k++)
            out[i][k] = MAX (out[i][k], 0.0);
        }
      in = out[i];
      s = o;
    }
  return out;
}

static double **
naive_forward (Fixture      *f,
               const double *image)
{
  return naive_forward_at (f, image, HEIGHT, WIDTH);
}

static void
free_stages (Fixture  *f,
             double  **stages)
{
  for (guint i = 0; i < f->n_stages; i++)
    g_free (stages[i]);
  g_free (stages);
}

static double *
naive_gram (const double *feat,
            Shape         s)
{
  gsize m = (gsize) s.h * s.w;
  double *g = g_new0 (double, (gsize) s.c * s.c);

  for (guint i = 0; i < s.c; i++)
    for (guint j = 0; j < s.c; j++)
      for (gsize k = 0; k < m; k++)
        g[i * s.c + j] += feat[i * m + k] * feat[j * m + k];
  return g;
}

static double *
image_planes (const ImpastoImage *image)
{
  gsize hw = (gsize) image->width * image->height;
  double *planes = g_new (double, 3 * hw);

  for (gsize i = 0; i < hw; i++)
    for (guint c = 0; c < 3; c++)
      planes[c * hw + i] = image->pixels[3 * i + c] - 128.0;
  return planes;
}

static int
stage_of (Fixture    *f,
          const char *name)
{
  return impasto_network_find_layer (f->network, name);
}

/* Squared differences of every horizontal and vertical pair of neighbours. */
static double
naive_tv (const double *x,
          guint         c,
          guint         h,
          guint         w)
{
  double sum = 0;

  for (guint ch = 0; ch < c; ch++)
    for (guint y = 0; y < h; y++)
      for (guint xx = 0; xx < w; xx++)
        {
          double v = x[((gsize) ch * h + y) * w + xx];

          if (xx + 1 < w)
            sum += (x[((gsize) ch * h + y) * w + xx + 1] - v)
                   * (x[((gsize) ch * h + y) * w + xx + 1] - v);
          if (y + 1 < h)
            sum += (x[((gsize) ch * h + y + 1) * w + xx] - v)
                   * (x[((gsize) ch * h + y + 1) * w + xx] - v);
        }
  return sum;
}

/* The seed's total loss, written straight from its definition, with the controls added. */
static double
naive_loss (Fixture      *f,
            const double *image)
{
  const ImpastoRunParams *params = f->params;
  double **feat = naive_forward (f, image);
  double content = 0, style = 0;

  for (guint l = 0; l < params->content_layers.n; l++)
    {
      int i = stage_of (f, params->content_layers.items[l].name);
      Shape s = stage_shape (f, i);
      double m = (double) s.h * s.w, n = s.c, sum = 0;

      for (gsize k = 0; k < (gsize) s.c * s.h * s.w; k++)
        sum += (feat[i][k] - f->p[i][k]) * (feat[i][k] - f->p[i][k]);
      content += sum / (2 * m * n) * params->content_layers.items[l].weight;
    }
  if (params->content_layers.n > 0)
    content /= params->content_layers.n;

  for (guint l = 0; l < params->style_layers.n; l++)
    {
      int i = stage_of (f, params->style_layers.items[l].name);
      Shape s = stage_shape (f, i);
      g_autofree double *g = naive_gram (feat[i], s);
      double m = (double) s.h * s.w, n = s.c, sum = 0, layer;

      if (params->style_norm == IMPASTO_STYLE_NORM_CHANNELS)
        {
          /* Torch's: each Gram over the number of its layer's values, then the mean square
           * error of the two. */
          for (gsize k = 0; k < (gsize) s.c * s.c; k++)
            sum += (g[k] / (n * m) - f->a[i][k] / (n * m)) * (g[k] / (n * m) - f->a[i][k] / (n * m));
          layer = sum / (n * n);
        }
      else
        {
          for (gsize k = 0; k < (gsize) s.c * s.c; k++)
            sum += (g[k] - f->a[i][k]) * (g[k] - f->a[i][k]);
          layer = sum / (4 * m * m * n * n);
        }
      style += layer * params->style_layers.items[l].weight;
    }
  if (params->style_layers.n > 0)
    style /= params->style_layers.n;

  free_stages (f, feat);
  return params->alpha * content + params->beta * style
         + params->tv_weight * naive_tv (image, 3, HEIGHT, WIDTH);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *model = NULL;
  g_autofree double *content = NULL, *style = NULL;
  g_auto(GStrv) layers = NULL;
  g_autoptr(GError) error = NULL;
  const Variant *variant = data;
  double **feat;

  f->dir = test_make_tmpdir ();
  model = test_write_model (f->dir, 16, 7);
  f->params = impasto_run_params_new ();
  f->params->width = WIDTH;
  f->params->height = HEIGHT;
  f->params->tv_weight = variant->tv_weight;
  f->params->pooling = variant->pooling;
  f->params->style_norm = variant->style_norm;
  if (variant->beta > 0)
    f->params->beta = variant->beta;
  if (variant->content_layers != NULL)
    g_assert_true (impasto_layer_list_parse (&f->params->content_layers, variant->content_layers,
                                             NULL));
  if (variant->style_layers != NULL)
    g_assert_true (impasto_layer_list_parse (&f->params->style_layers, variant->style_layers,
                                             NULL));
  f->content = test_make_image (WIDTH, HEIGHT, 1);
  f->style = test_make_image (WIDTH, HEIGHT, 2);

  layers = impasto_run_params_get_loss_layers (f->params);
  f->network = impasto_network_load (model, (const char * const *) layers, &error);
  g_assert_no_error (error);
  f->run = impasto_run_new (f->network, f->params, f->content, f->style, &error);
  g_assert_no_error (error);
  f->n_stages = impasto_run_params_find_deepest_layer (f->params, f->network, NULL) + 1;

  f->p = g_new0 (double *, f->n_stages);
  f->a = g_new0 (double *, f->n_stages);
  content = image_planes (f->content);
  feat = naive_forward (f, content);
  for (guint i = 0; i < f->n_stages; i++)
    f->p[i] = g_memdup2 (feat[i], sizeof (double) * stage_shape (f, i).c
                                  * stage_shape (f, i).h * stage_shape (f, i).w);
  free_stages (f, feat);
  style = image_planes (f->style);
  feat = naive_forward (f, style);
  for (guint i = 0; i < f->n_stages; i++)
    f->a[i] = naive_gram (feat[i], stage_shape (f, i));
  free_stages (f, feat);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  free_stages (f, f->p);
  free_stages (f, f->a);
  impasto_run_free (f->run);
  impasto_network_unref (f->network);
  impasto_run_params_free (f->params);
  impasto_image_free (f->content);
  impasto_image_free (f->style);
  test_remove_tree (f->dir);
  g_free (f->dir);
}

/* The run's own starting point: content blended with noise. */
static double *
start_point (Fixture *f)
{
  return naive_from_floats (impasto_run_get_pixels (f->run), (gsize) 3 * WIDTH * HEIGHT);
}

static void
test_loss_matches_definition (Fixture       *f,
                              gconstpointer  data)
{
  gsize n = (gsize) 3 * WIDTH * HEIGHT;
  g_autofree double *x = start_point (f);
  g_autofree float *xf = g_new (float, n);
  double content, style, total, ref;

  for (gsize i = 0; i < n; i++)
    xf[i] = (float) x[i];
  total = impasto_run_evaluate (f->run, xf, NULL, &content, &style);
  ref = naive_loss (f, x);

  g_test_message ("loss %.9g (content %.6g, style %.6g, weighted tv %.6g), reference %.9g",
                  total, content, style,
                  f->params->tv_weight * naive_tv (x, 3, HEIGHT, WIDTH), ref);
  g_assert_cmpfloat (style, >, 0);
  g_assert_true ((content > 0) == (f->params->content_layers.n > 0));
  if (f->params->tv_weight == 0)
    g_assert_cmpfloat (total, ==, content + f->params->beta * style);
  /* float32 features through ten layers agree with double to about 1e-6; allow 1e-5. */
  g_assert_cmpfloat (fabs (total - ref), <, 1e-5 * ref);
}

/* Central difference of the double-precision reference: with h = 1e-3 grey levels its
 * truncation error (h^2 times the third derivative) and rounding are far below float32's,
 * so the comparison measures the engine's gradient alone. */
static double
reference_derivative (Fixture      *f,
                      double       *x,
                      const double *direction)
{
  const double h = 1e-3;
  gsize n = (gsize) 3 * WIDTH * HEIGHT;
  double up, down;

  for (gsize i = 0; i < n; i++)
    x[i] += h * direction[i];
  up = naive_loss (f, x);
  for (gsize i = 0; i < n; i++)
    x[i] -= 2 * h * direction[i];
  down = naive_loss (f, x);
  for (gsize i = 0; i < n; i++)
    x[i] += h * direction[i];

  return (up - down) / (2 * h);
}

static float *
engine_gradient (Fixture      *f,
                 const double *x)
{
  gsize n = (gsize) 3 * WIDTH * HEIGHT;
  g_autofree float *xf = g_new (float, n);
  float *grad = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    xf[i] = (float) x[i];
  impasto_run_evaluate (f->run, xf, grad, NULL, NULL);
  return grad;
}

/* The engine computes in float32: through ten layers its gradient agrees with the exact
 * derivative to about 1e-6 of the gradient's scale (a few float32 epsilons times the depth);
 * 1e-4 leaves room for other BLAS kernels. A wrong padding edge, a pooling tie sent to the
 * wrong pixel or a missing normalisation is off by tens of percent or more. */
#define GRAD_TOLERANCE 1e-4

static void
test_gradient_directions (Fixture       *f,
                          gconstpointer  data)
{
  gsize n = (gsize) 3 * WIDTH * HEIGHT;
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autofree double *x = start_point (f);
  g_autofree float *grad = engine_gradient (f, x);
  g_autofree double *d = g_new (double, n);

  for (guint trial = 0; trial < 6; trial++)
    {
      double analytic = 0, scale = 0, numeric;

      for (gsize i = 0; i < n; i++)
        {
          d[i] = g_rand_double_range (rand, -1, 1);
          analytic += grad[i] * d[i];
          scale += fabs (grad[i] * d[i]);
        }
      numeric = reference_derivative (f, x, d);
      g_test_message ("direction %u: engine %.9g, reference %.9g", trial, analytic, numeric);
      g_assert_cmpfloat (fabs (analytic - numeric), <, GRAD_TOLERANCE * scale);
    }
}

static void
check_pixel (Fixture      *f,
             double       *x,
             const float  *grad,
             double        max_grad,
             guint         c,
             guint         y,
             guint         xx)
{
  gsize n = (gsize) 3 * WIDTH * HEIGHT;
  gsize i = ((gsize) c * HEIGHT + y) * WIDTH + xx;
  g_autofree double *d = g_new0 (double, n);
  double numeric;

  d[i] = 1;
  numeric = reference_derivative (f, x, d);
  g_test_message ("pixel c%u (%u, %u): engine %.9g, reference %.9g", c, xx, y, grad[i], numeric);
  g_assert_cmpfloat (fabs (grad[i] - numeric), <, GRAD_TOLERANCE * max_grad);
}

/* Corners and edges first: that is where SAME padding and cut-short pooling windows live. */
static void
test_gradient_pixels (Fixture       *f,
                      gconstpointer  data)
{
  gsize n = (gsize) 3 * WIDTH * HEIGHT;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autofree double *x = start_point (f);
  g_autofree float *grad = engine_gradient (f, x);
  static const guint spots[][2] = {
    { 0, 0 }, { 0, WIDTH - 1 }, { HEIGHT - 1, 0 }, { HEIGHT - 1, WIDTH - 1 },
    { 0, WIDTH / 2 }, { HEIGHT / 2, 0 }, { HEIGHT - 1, WIDTH / 2 }, { HEIGHT / 2, WIDTH - 1 },
  };
  double max_grad = 0;

  for (gsize i = 0; i < n; i++)
    max_grad = MAX (max_grad, fabs (grad[i]));

  for (guint s = 0; s < G_N_ELEMENTS (spots); s++)
    check_pixel (f, x, grad, max_grad, s % 3, spots[s][0], spots[s][1]);
  for (guint k = 0; k < 8; k++)
    check_pixel (f, x, grad, max_grad, g_rand_int_range (rand, 0, 3),
                 g_rand_int_range (rand, 0, HEIGHT), g_rand_int_range (rand, 0, WIDTH));
}

/* The naive twin's Gram of every style stage for image: NULL where the stage has none. */
static double **
naive_style_grams (Fixture            *f,
                   const ImpastoImage *image)
{
  g_autofree double *planes = image_planes (image);
  double **feat = naive_forward (f, planes);
  double **grams = g_new0 (double *, f->n_stages);

  for (guint i = 0; i < f->n_stages; i++)
    if (impasto_run_get_style_target (f->run, i) != NULL)
      grams[i] = naive_gram (feat[i], stage_shape (f, i));
  free_stages (f, feat);
  return grams;
}

/* Largest difference between run's style targets and expected, relative to expected's
 * largest entry, over every style stage. */
static double
style_target_error (Fixture     *f,
                    ImpastoRun  *run,
                    double     **expected)
{
  double worst = 0;
  guint n_style = 0;

  for (guint i = 0; i < f->n_stages; i++)
    {
      const float *target = impasto_run_get_style_target (run, i);
      gsize cc = (gsize) stage_shape (f, i).c * stage_shape (f, i).c;
      double scale = 0, diff = 0;

      if (target == NULL)
        continue;
      n_style++;
      for (gsize k = 0; k < cc; k++)
        {
          scale = MAX (scale, fabs (expected[i][k]));
          diff = MAX (diff, fabs (target[k] - expected[i][k]));
        }
      g_assert_cmpfloat (scale, >, 0);
      worst = MAX (worst, diff / scale);
    }
  g_assert_cmpuint (n_style, ==, f->params->style_layers.n);
  return worst;
}

/* The blend of the classic neural-style: weights 3 and 7 are 0.3 and 0.7 of the Grams, here
 * against the naive twin's Grams of either image blended in double precision. */
static void
test_style_blend_matches_naive (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(ImpastoImage) second = test_make_image (WIDTH, HEIGHT, 3);
  const ImpastoImage *styles[] = { f->style, second };
  const double weights[] = { 3, 7 };
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoRun) run = impasto_run_new_blend (f->network, f->params, f->content, styles,
                                                     weights, 2, &error);
  double **b, **expected = g_new0 (double *, f->n_stages);
  double err;

  g_assert_no_error (error);
  b = naive_style_grams (f, second);
  for (guint i = 0; i < f->n_stages; i++)
    if (b[i] != NULL)
      {
        gsize cc = (gsize) stage_shape (f, i).c * stage_shape (f, i).c;

        expected[i] = g_new (double, cc);
        for (gsize k = 0; k < cc; k++)
          expected[i][k] = 0.3 * f->a[i][k] + 0.7 * b[i][k];
      }
  err = style_target_error (f, run, expected);
  g_test_message ("largest relative difference %.3g", err);
  /* As the loss: float32 features through ten layers agree with double to about 1e-6. */
  g_assert_cmpfloat (err, <, 1e-5);
  /* And not by chance: image 3's Grams alone are far from the blend. */
  g_assert_cmpfloat (style_target_error (f, f->run, expected), >, 1e-2);

  free_stages (f, b);
  free_stages (f, expected);
}

/* Two copies of one image, whatever their weights, are that image: within the rounding of
 * the float sum of the two terms. */
static void
test_style_blend_copies (Fixture       *f,
                         gconstpointer  data)
{
  static const double weights[][2] = { { 1, 1 }, { 0.2, 5 }, { 0, 3 }, { 1e-3, 1e3 } };
  const ImpastoImage *styles[] = { f->style, f->style };

  for (guint t = 0; t < G_N_ELEMENTS (weights); t++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ImpastoRun) run = impasto_run_new_blend (f->network, f->params, f->content,
                                                         styles, weights[t], 2, &error);
      double err;

      g_assert_no_error (error);
      err = style_target_error (f, run, f->a);
      g_test_message ("weights %g, %g: largest relative difference %.3g", weights[t][0],
                      weights[t][1], err);
      g_assert_cmpfloat (err, <, 1e-5);
      for (guint i = 0; i < f->n_stages; i++)
        {
          const float *one = impasto_run_get_style_target (f->run, i);
          const float *two = impasto_run_get_style_target (run, i);
          gsize cc = (gsize) stage_shape (f, i).c * stage_shape (f, i).c;

          if (one == NULL)
            continue;
          for (gsize k = 0; k < cc; k++)
            g_assert_cmpfloat (fabs (two[k] - one[k]), <=, 4 * FLT_EPSILON * fabs (one[k]));
        }
    }
}

/* One image of any weight is today's run, to the bit: its loss too. */
static void
test_style_blend_single (Fixture       *f,
                         gconstpointer  data)
{
  const ImpastoImage *styles[] = { f->style };
  const double weight = 2.5;
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoRun) run = impasto_run_new_blend (f->network, f->params, f->content, styles,
                                                     &weight, 1, &error);
  gsize n = (gsize) 3 * WIDTH * HEIGHT;
  g_autofree float *x = g_memdup2 (impasto_run_get_pixels (f->run), n * sizeof (float));

  g_assert_no_error (error);
  for (guint i = 0; i < f->n_stages; i++)
    {
      const float *one = impasto_run_get_style_target (f->run, i);

      if (one != NULL)
        g_assert_cmpmem (one, stage_shape (f, i).c * stage_shape (f, i).c * sizeof (float),
                         impasto_run_get_style_target (run, i),
                         stage_shape (f, i).c * stage_shape (f, i).c * sizeof (float));
    }
  g_assert_cmpfloat (impasto_run_evaluate (run, x, NULL, NULL, NULL), ==,
                     impasto_run_evaluate (f->run, x, NULL, NULL, NULL));
}

static void
test_style_blend_bad_weights (Fixture       *f,
                              gconstpointer  data)
{
  static const struct
  {
    guint       n;
    double      weights[IMPASTO_MAX_STYLES + 1];
    const char *message;
  } cases[] = {
    { 2, { 1, -1 }, "The weight of style image 2 is -1; a style weight is a number of 0 or more" },
    { 2, { NAN, 1 }, "The weight of style image 1 is nan; a style weight is a number of 0 or more" },
    { 2, { INFINITY, 1 }, "The weight of style image 1 is inf; a style weight is a number of 0 or more" },
    { 2, { 0, 0 }, "The style images’ weights add up to 0 or overflow; give at least one a weight above 0" },
    { 2, { DBL_MAX, DBL_MAX }, "The style images’ weights add up to 0 or overflow; give at least one a weight above 0" },
    { 0, { 0 }, "A run takes 1 to 8 style images, not 0" },
    { 9, { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, "A run takes 1 to 8 style images, not 9" },
  };
  const ImpastoImage *styles[IMPASTO_MAX_STYLES + 1];

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    styles[i] = f->style;
  for (guint t = 0; t < G_N_ELEMENTS (cases); t++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ImpastoRun) run = impasto_run_new_blend (f->network, f->params, f->content,
                                                         styles, cases[t].weights, cases[t].n,
                                                         &error);

      g_assert_null (run);
      g_assert_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[t].message);
    }
}

/* A painting of other proportions than the output's, at style scale 1.5: 27x21 is 567
 * pixels and 80x40 3200, so each side is multiplied by 1.5 sqrt (567 / 3200) = 0.63141:
 * 50.51 and 25.26, rounded to 51x25. */
#define STYLE_W 51
#define STYLE_H 25

static ImpastoRun *
new_scaled_run (Fixture       *f,
                ImpastoImage **resized)
{
  g_autoptr(ImpastoImage) painting = test_make_image (80, 40, 4);
  g_autoptr(ImpastoRunParams) params = impasto_run_params_copy (f->params);
  g_autoptr(GError) error = NULL;
  ImpastoRun *run;
  guint w = 0, h = 0;

  params->style_scale = 1.5;
  g_assert_true (impasto_run_params_get_style_size (params, 80, 40, &w, &h, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (w, ==, STYLE_W);
  g_assert_cmpuint (h, ==, STYLE_H);
  *resized = impasto_image_scale_down (painting, STYLE_W, STYLE_H);
  run = impasto_run_new (f->network, params, f->content, *resized, &error);
  g_assert_no_error (error);
  return run;
}

/* The Grams of the painting at its own size, in double precision, each times the output's
 * positions over the painting's: the target the loss compares G / m with. */
static double **
scaled_style_grams (Fixture            *f,
                    const ImpastoImage *painting)
{
  g_autofree double *planes = image_planes (painting);
  double **feat = naive_forward_at (f, planes, STYLE_H, STYLE_W);
  double **grams = g_new0 (double *, f->n_stages);

  for (guint i = 0; i < f->n_stages; i++)
    if (impasto_run_get_style_target (f->run, i) != NULL)
      {
        Shape own = stage_shape_at (f, i, STYLE_H, STYLE_W), out = stage_shape (f, i);
        double ratio = (double) out.h * out.w / ((double) own.h * own.w);

        grams[i] = naive_gram (feat[i], own);
        for (gsize k = 0; k < (gsize) own.c * own.c; k++)
          grams[i][k] *= ratio;
      }
  free_stages (f, feat);
  return grams;
}

/* The style loss written with each Gram over its own image's positions: the seed's
 * 1 / (4 N^2) sum (G / M - A / M_s)^2, or Torch's mean of (G / (N M) - A / (N M_s))^2. */
static double
naive_own_size_style_loss (Fixture      *f,
                           const double *image,
                           double      **own_grams)
{
  const ImpastoRunParams *params = f->params;
  double **feat = naive_forward (f, image);
  double style = 0;

  for (guint l = 0; l < params->style_layers.n; l++)
    {
      int i = stage_of (f, params->style_layers.items[l].name);
      Shape s = stage_shape (f, i), own = stage_shape_at (f, i, STYLE_H, STYLE_W);
      g_autofree double *g = naive_gram (feat[i], s);
      double m = (double) s.h * s.w, m_s = (double) own.h * own.w, n = s.c, sum = 0;
      double scale = params->style_norm == IMPASTO_STYLE_NORM_CHANNELS ? n : 1;

      for (gsize k = 0; k < (gsize) s.c * s.c; k++)
        {
          double d = g[k] / (scale * m) - own_grams[i][k] / (scale * m_s);

          sum += d * d;
        }
      style += params->style_layers.items[l].weight
               * (params->style_norm == IMPASTO_STYLE_NORM_CHANNELS ? sum / (n * n)
                                                                   : sum / (4 * n * n));
    }
  free_stages (f, feat);
  return style / params->style_layers.n;
}

static void
test_style_scale_matches_naive (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(ImpastoImage) resized = NULL;
  g_autoptr(ImpastoRun) run = new_scaled_run (f, &resized);
  double **expected = scaled_style_grams (f, resized);
  double **own = g_new0 (double *, f->n_stages);
  gsize n = (gsize) 3 * WIDTH * HEIGHT;
  g_autofree float *x = g_memdup2 (impasto_run_get_pixels (f->run), n * sizeof (float));
  g_autofree double *xd = naive_from_floats (x, n);
  double err, style = 0, reference;

  err = style_target_error (f, run, expected);
  g_test_message ("targets: largest relative difference %.3g", err);
  g_assert_cmpfloat (err, <, 1e-5);
  /* The Grams unscaled are far off: the positions differ 25x51 against 21x27. */
  g_assert_cmpfloat (style_target_error (f, f->run, expected), >, 1e-2);

  for (guint i = 0; i < f->n_stages; i++)
    if (expected[i] != NULL)
      {
        Shape s = stage_shape_at (f, i, STYLE_H, STYLE_W), o = stage_shape (f, i);

        own[i] = g_memdup2 (expected[i], sizeof (double) * s.c * s.c);
        for (gsize k = 0; k < (gsize) s.c * s.c; k++)
          own[i][k] *= (double) s.h * s.w / ((double) o.h * o.w);
      }
  impasto_run_evaluate (run, x, NULL, NULL, &style);
  reference = naive_own_size_style_loss (f, xd, own);
  g_test_message ("style loss %.9g, naive %.9g", style, reference);
  g_assert_cmpfloat (fabs (style - reference), <, 1e-5 * reference);
  free_stages (f, expected);
  free_stages (f, own);
}

/* Too small a painting to reach conv5_1 with strokes, or one far larger than the output. */
static void
test_style_scale_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(ImpastoRunParams) params = impasto_run_params_copy (f->params);
  g_autoptr(ImpastoImage) huge = test_make_image (200, 100, 4);
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoRun) run = NULL;
  guint w, h;

  /* 0.5 sqrt (567 / 3200) = 0.2105: 17x8 */
  params->style_scale = 0.5;
  g_assert_false (impasto_run_params_get_style_size (params, 80, 40, &w, &h, &error));
  g_assert_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "At style scale 0.5 the style image would be 17×8 "
                   "pixels, under the least of 16 a side; choose a larger style scale");
  g_clear_error (&error);

  params->style_scale = 1;
  run = impasto_run_new (f->network, params, f->content, huge, &error);
  g_assert_null (run);
  g_assert_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "At style scale 1 the style image would be 200×100 "
                   "pixels, more than 20 times the output’s 27×21; choose a smaller style "
                   "scale");
}

static void
add_variant (const char    *name,
             const Variant *variant)
{
  static const struct
  {
    const char *path;
    void (*func) (Fixture *, gconstpointer);
  } tests[] = {
    { "loss-matches-definition", test_loss_matches_definition },
    { "gradient/directions", test_gradient_directions },
    { "gradient/pixels", test_gradient_pixels },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    {
      g_autofree char *path = g_strconcat ("/impasto/objective/", name, tests[i].path, NULL);

      g_test_add (path, Fixture, variant, fixture_set_up, tests[i].func, fixture_tear_down);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_variant ("", &seed_variant);
  add_variant ("tv/", &tv_variant);
  add_variant ("avg-pooling/", &avg_variant);
  add_variant ("style-norm-channels/one-layer/", &channels_layer_variant);
  add_variant ("style-norm-channels/", &channels_variant);

  g_test_add ("/impasto/objective/style-blend/matches-naive", Fixture, &seed_variant,
              fixture_set_up, test_style_blend_matches_naive, fixture_tear_down);
  g_test_add ("/impasto/objective/style-blend/copies-of-one-image", Fixture, &seed_variant,
              fixture_set_up, test_style_blend_copies, fixture_tear_down);
  g_test_add ("/impasto/objective/style-blend/single-image-is-exact", Fixture, &seed_variant,
              fixture_set_up, test_style_blend_single, fixture_tear_down);
  g_test_add ("/impasto/objective/style-blend/bad-weights", Fixture, &seed_variant,
              fixture_set_up, test_style_blend_bad_weights, fixture_tear_down);
  g_test_add ("/impasto/objective/style-scale/own-size-matches-naive", Fixture, &seed_variant,
              fixture_set_up, test_style_scale_matches_naive, fixture_tear_down);
  g_test_add ("/impasto/objective/style-scale/style-norm-channels/own-size-matches-naive",
              Fixture, &channels_variant, fixture_set_up, test_style_scale_matches_naive,
              fixture_tear_down);
  g_test_add ("/impasto/objective/style-scale/refused", Fixture, &seed_variant,
              fixture_set_up, test_style_scale_refused, fixture_tear_down);

  return g_test_run ();
}
