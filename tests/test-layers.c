/* test-layers.c: the engine's convolution and pooling against naive twins
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-conv.h"
#include "impasto-layers.h"
#include "naive.h"

typedef struct
{
  guint in_c, out_c, h, w;
} ConvShape;

/* Odd and even sizes, single rows and columns, sizes one past a multiple of the Winograd
 * tiles, and channel counts that are not multiples of anything in particular. */
static const ConvShape shapes[] = {
  { 3, 4, 1, 1 }, { 3, 5, 1, 9 }, { 2, 3, 8, 1 }, { 3, 8, 7, 5 }, { 4, 4, 6, 6 },
  { 13, 7, 37, 29 }, { 16, 9, 12, 33 }, { 5, 17, 31, 2 }, { 8, 6, 9, 10 }, { 6, 11, 17, 1 },
  { 1, 2, 2, 2 }, { 12, 12, 4, 8 },
  /* Winograd runs layers of more than 128 x 128 channels in bands rather than blocks. */
  { 130, 129, 5, 9 },
};

/* Largest error relative to the largest output, for inputs and weights in [-1, 1].
 *
 * im2col: float32 sums of at most 9 * 17 products: the relative error stays near
 * sqrt(153) * 6e-8; 1e-5 leaves a wide margin while a wrong tap or edge is O(1).
 *
 * Winograd rounds the transformed tiles, the products and the inverse transform, and its
 * matrices amplify those roundings by the size of their entries. For F(2x2) the entries are
 * 0, 1 and 1/2: the error observed here is at most 4e-7, like im2col's 5e-7. For F(4x4) B^T
 * has entries up to 5 and A^T up to 8 (row sums of |.| 10 and 19), so each output is a sum of
 * terms up to ~100x larger than itself and the error observed here reaches 8e-6 (130 input
 * channels), about 10x F(2x2)'s, as Lavin and Gray also report. 1e-4 for F(4x4) leaves a
 * margin of 12 and is still
 * four orders of magnitude below what a wrong transform entry, a wrong tile offset or a lost
 * edge gives. F(3x3) lies between: B^T up to 3, A^T up to 4, an error of at most 3.2e-6
 * observed, and 3e-5 leaves a margin of 9. */
static const double tolerances[IMPASTO_CONV_N_ALGORITHMS] = {
  [IMPASTO_CONV_IM2COL] = 1e-5,
  [IMPASTO_CONV_WINOGRAD_2X2] = 1e-5,
  [IMPASTO_CONV_WINOGRAD_3X3] = 3e-5,
  [IMPASTO_CONV_WINOGRAD_4X4] = 1e-4,
};

typedef struct
{
  ImpastoConvAlgorithm algorithm;
  gboolean             tiny;     /* a workspace of one band row: a band boundary every row */
  guint                threads;  /* 0: no pool */
} ConvMode;

typedef struct
{
  ImpastoConv *conv;
  ImpastoPool *pool;
  float       *ws;
  gsize        ws_len;
} ConvSetup;

static void
conv_setup (ConvSetup       *setup,
            const ConvShape *s,
            const ConvMode  *mode,
            const float     *wts,
            const float     *bias)
{
  setup->conv = impasto_conv_new (mode->algorithm, s->in_c, s->out_c, wts, bias);
  /* Tiny: one row of pixels or tiles, what a layer of height 1 asks for. */
  setup->ws_len = impasto_conv_workspace_size (setup->conv, mode->tiny ? 1 : s->h, s->w);
  setup->ws = g_new (float, setup->ws_len);
  setup->pool = mode->threads > 0 ? impasto_pool_new (mode->threads, NULL) : NULL;
}

static void
conv_teardown (ConvSetup *setup)
{
  impasto_conv_free (setup->conv);
  impasto_pool_free (setup->pool);
  g_free (setup->ws);
}

static float *
conv_forward (const ConvShape *s,
              const ConvMode  *mode,
              const float     *x,
              const float     *wts,
              const float     *bias)
{
  ConvSetup setup;
  float *y = g_new (float, (gsize) s->out_c * s->h * s->w);

  conv_setup (&setup, s, mode, wts, bias);
  impasto_conv_forward (setup.conv, x, s->h, s->w, y, setup.ws, setup.ws_len, setup.pool);
  conv_teardown (&setup);

  return y;
}

static float *
conv_backward (const ConvShape *s,
               const ConvMode  *mode,
               const float     *dy,
               const float     *wts)
{
  ConvSetup setup;
  gsize n_in = (gsize) s->in_c * s->h * s->w;
  g_autoptr(GRand) rand = g_rand_new_with_seed (77);
  float *dx = naive_random_floats (rand, n_in, 5, 6);   /* must be overwritten */

  conv_setup (&setup, s, mode, wts, NULL);
  impasto_conv_backward_input (setup.conv, dy, s->h, s->w, dx, setup.ws, setup.ws_len, setup.pool);
  conv_teardown (&setup);

  return dx;
}

static const ConvMode modes[] = {
  { IMPASTO_CONV_IM2COL, FALSE, 0 }, { IMPASTO_CONV_IM2COL, TRUE, 0 },
  { IMPASTO_CONV_WINOGRAD_2X2, FALSE, 0 }, { IMPASTO_CONV_WINOGRAD_2X2, TRUE, 0 },
  { IMPASTO_CONV_WINOGRAD_3X3, FALSE, 0 }, { IMPASTO_CONV_WINOGRAD_3X3, TRUE, 0 },
  { IMPASTO_CONV_WINOGRAD_4X4, FALSE, 0 }, { IMPASTO_CONV_WINOGRAD_4X4, TRUE, 0 },
};

/* Forward, x is the image and y the output; backward, x is the output's gradient and y the
 * input's. */
static void
check_matches_naive (const ConvShape *s,
                     const ConvMode  *mode,
                     gboolean         backward,
                     GRand           *rand)
{
  gsize n_in = (gsize) s->in_c * s->h * s->w, n_out = (gsize) s->out_c * s->h * s->w;
  gsize n_x = backward ? n_out : n_in, n_y = backward ? n_in : n_out;
  g_autofree float *x = naive_random_floats (rand, n_x, -1, 1);
  g_autofree float *wts = naive_random_floats (rand, (gsize) s->out_c * s->in_c * 9, -1, 1);
  g_autofree float *bias = backward ? NULL : naive_random_floats (rand, s->out_c, -1, 1);
  g_autofree float *y = backward ? conv_backward (s, mode, x, wts)
                                 : conv_forward (s, mode, x, wts, bias);
  g_autofree double *xd = naive_from_floats (x, n_x);
  g_autofree double *ref = g_new (double, n_y);
  double error;

  if (backward)
    naive_conv3x3_backward_input (xd, s->out_c, s->h, s->w, wts, s->in_c, ref);
  else
    naive_conv3x3_forward (xd, s->in_c, s->h, s->w, wts, bias, s->out_c, ref);
  error = naive_max_rel_error (y, ref, n_y);
  g_test_message ("%s%s %ux%ux%u%s%u %s: %.2g", impasto_conv_algorithm_name (mode->algorithm),
                  mode->tiny ? " (one-row bands)" : "", s->in_c, s->h, s->w,
                  backward ? "<-" : "->", s->out_c, backward ? "backward" : "forward", error);
  g_assert_cmpfloat (error, <, tolerances[mode->algorithm]);
}

static void
check_forward (const ConvShape *s,
               const ConvMode  *mode,
               GRand           *rand)
{
  check_matches_naive (s, mode, FALSE, rand);
}

static void
check_backward (const ConvShape *s,
                const ConvMode  *mode,
                GRand           *rand)
{
  check_matches_naive (s, mode, TRUE, rand);
}

/* <conv(x), y> = <x, conv^T(y)> for the bias-free convolution: ties forward and backward
 * together independently of the naive code. */
static void
check_adjoint (ImpastoConvAlgorithm algorithm)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  const ConvShape s = { 7, 11, 23, 19 };
  const ConvMode mode = { algorithm, FALSE, 0 };
  gsize n_in = (gsize) s.in_c * s.h * s.w, n_out = (gsize) s.out_c * s.h * s.w;
  g_autofree float *x = naive_random_floats (rand, n_in, -1, 1);
  g_autofree float *y = naive_random_floats (rand, n_out, -1, 1);
  g_autofree float *wts = naive_random_floats (rand, (gsize) s.out_c * s.in_c * 9, -1, 1);
  g_autofree float *zero = g_new0 (float, s.out_c);
  g_autofree float *ax = conv_forward (&s, &mode, x, wts, zero);
  g_autofree float *aty = conv_backward (&s, &mode, y, wts);
  double lhs = 0, rhs = 0, scale = 0;

  for (gsize i = 0; i < n_out; i++)
    {
      lhs += (double) ax[i] * y[i];
      scale += fabs ((double) ax[i] * y[i]);
    }
  for (gsize i = 0; i < n_in; i++)
    rhs += (double) x[i] * aty[i];

  g_assert_cmpfloat (fabs (lhs - rhs), <, 10 * tolerances[algorithm] * scale);
}

static void
test_conv_adjoint (void)
{
  for (guint a = 0; a < IMPASTO_CONV_N_ALGORITHMS; a++)
    check_adjoint (a);
}

/* Threads share out channels, tiles and transform positions, never a sum: any number of them
 * gives the same bits as none. */
static void
check_threads (const ConvShape *s,
               GRand           *rand)
{
  gsize n_in = (gsize) s->in_c * s->h * s->w, n_out = (gsize) s->out_c * s->h * s->w;
  g_autofree float *x = naive_random_floats (rand, n_in, -1, 1);
  g_autofree float *dy = naive_random_floats (rand, n_out, -1, 1);
  g_autofree float *wts = naive_random_floats (rand, (gsize) s->out_c * s->in_c * 9, -1, 1);
  g_autofree float *bias = naive_random_floats (rand, s->out_c, -1, 1);

  for (guint a = 0; a < IMPASTO_CONV_N_ALGORITHMS; a++)
    {
      const ConvMode alone = { a, FALSE, 0 };
      g_autofree float *y1 = conv_forward (s, &alone, x, wts, bias);
      g_autofree float *dx1 = conv_backward (s, &alone, dy, wts);

      for (guint threads = 2; threads <= 3; threads++)
        {
          const ConvMode mode = { a, FALSE, threads };
          g_autofree float *y = conv_forward (s, &mode, x, wts, bias);
          g_autofree float *dx = conv_backward (s, &mode, dy, wts);

          g_assert_cmpmem (y, n_out * sizeof (float), y1, n_out * sizeof (float));
          g_assert_cmpmem (dx, n_in * sizeof (float), dx1, n_in * sizeof (float));
        }
    }
}

static void
test_conv_threads (void)
{
  /* Winograd's blocks, then its bands (more than 128 x 128 channels) */
  static const ConvShape shapes_threads[] = { { 19, 21, 45, 38 }, { 130, 129, 11, 17 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);

  for (guint i = 0; i < G_N_ELEMENTS (shapes_threads); i++)
    check_threads (&shapes_threads[i], rand);
}

/* The fused ReLU does exactly what a separate ReLU pass does, forward and backward. */
static void
check_fused_relu (const ConvShape *s,
                  const ConvMode  *mode,
                  GRand           *rand)
{
  gsize n_in = (gsize) s->in_c * s->h * s->w, n_out = (gsize) s->out_c * s->h * s->w;
  g_autofree float *x = naive_random_floats (rand, n_in, -1, 1);
  g_autofree float *wts = naive_random_floats (rand, (gsize) s->out_c * s->in_c * 9, -1, 1);
  g_autofree float *bias = naive_random_floats (rand, s->out_c, -1, 1);
  g_autofree float *dy = naive_random_floats (rand, n_out, -1, 1);
  g_autofree float *y = conv_forward (s, mode, x, wts, bias);
  g_autofree float *fused = g_new (float, n_out);
  g_autofree guint8 *mask = g_new (guint8, n_out), *fused_mask = g_new (guint8, n_out);
  g_autofree float *dy_copy = g_memdup2 (dy, n_out * sizeof (float));
  g_autofree float *dx = NULL;
  g_autofree float *dx_y = g_new (float, n_in), *dx_mask = g_new (float, n_in);
  ConvSetup setup;

  conv_setup (&setup, s, mode, wts, bias);
  impasto_conv_forward_relu (setup.conv, x, s->h, s->w, fused, fused_mask, setup.ws,
                             setup.ws_len, setup.pool);
  impasto_relu_forward (y, n_out, mask, NULL);
  g_assert_cmpmem (fused, n_out * sizeof (float), y, n_out * sizeof (float));
  g_assert_cmpmem (fused_mask, n_out, mask, n_out);

  impasto_conv_backward_relu (setup.conv, dy_copy, y, NULL, s->h, s->w, dx_y, setup.ws,
                              setup.ws_len, setup.pool);
  memcpy (dy_copy, dy, n_out * sizeof (float));
  impasto_conv_backward_relu (setup.conv, dy_copy, NULL, mask, s->h, s->w, dx_mask, setup.ws,
                              setup.ws_len, setup.pool);
  conv_teardown (&setup);
  impasto_relu_backward (y, dy, n_out, NULL);
  dx = conv_backward (s, mode, dy, wts);
  g_assert_cmpmem (dx_y, n_in * sizeof (float), dx, n_in * sizeof (float));
  g_assert_cmpmem (dx_mask, n_in * sizeof (float), dx, n_in * sizeof (float));
}

/* A check run on every shape in every mode, from one stream of random numbers. */
typedef struct
{
  guint32 seed;
  void  (*check) (const ConvShape *s,
                  const ConvMode  *mode,
                  GRand           *rand);
} ConvCheck;

static const ConvCheck forward_matches_naive = { 1, check_forward };
static const ConvCheck backward_matches_naive = { 2, check_backward };
static const ConvCheck fused_relu = { 7, check_fused_relu };

static void
test_conv_every_shape_and_mode (gconstpointer data)
{
  const ConvCheck *conv_check = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (conv_check->seed);

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
      conv_check->check (&shapes[i], &modes[m], rand);
}

static void
test_relu (void)
{
  float x[] = { -2.f, -0.f, 0.f, 1e-30f, 3.f };
  float dy[] = { 1.f, 1.f, 1.f, 1.f, 1.f };
  const float expect_y[] = { 0.f, 0.f, 0.f, 1e-30f, 3.f };
  const float expect_dy[] = { 0.f, 0.f, 0.f, 1.f, 1.f };

  float dy_masked[G_N_ELEMENTS (dy)];
  guint8 mask[G_N_ELEMENTS (x)];

  impasto_relu_forward (x, G_N_ELEMENTS (x), mask, NULL);
  memcpy (dy_masked, dy, sizeof dy);
  impasto_relu_backward (x, dy, G_N_ELEMENTS (x), NULL);
  impasto_relu_backward_mask (mask, dy_masked, G_N_ELEMENTS (x), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    {
      g_assert_cmpfloat (x[i], ==, expect_y[i]);
      g_assert_cmpfloat (dy[i], ==, expect_dy[i]);
      g_assert_cmpfloat (dy_masked[i], ==, expect_dy[i]);
    }
}

/* With levels set, values come from a handful of levels, so most windows hold ties. */
static void
check_pool (guint        c,
            guint        h,
            guint        w,
            guint        levels,
            ImpastoPool *pool,
            GRand       *rand)
{
  guint oh = impasto_pool_out_size (h), ow = impasto_pool_out_size (w);
  gsize n_in = (gsize) c * h * w, n_out = (gsize) c * oh * ow;
  g_autofree float *x = naive_random_floats (rand, n_in, -1, 1);
  g_autofree float *dy = naive_random_floats (rand, n_out, -1, 1);
  g_autofree float *y = g_new (float, n_out);
  g_autofree float *dx = naive_random_floats (rand, n_in, 5, 6);
  g_autofree double *xd = NULL, *dyd = naive_from_floats (dy, n_out);
  g_autofree double *ref_y = g_new (double, n_out), *ref_dx = g_new (double, n_in);
  g_autofree guint8 *argmax = g_new (guint8, n_out);

  for (gsize i = 0; levels > 0 && i < n_in; i++)
    x[i] = (float) g_rand_int_range (rand, 0, levels);
  xd = naive_from_floats (x, n_in);

  impasto_maxpool2x2_forward (x, c, h, w, y, argmax, pool);
  impasto_maxpool2x2_backward (argmax, dy, c, h, w, dx, pool);
  naive_maxpool_forward (xd, c, h, w, ref_y);
  naive_maxpool_backward (xd, dyd, c, h, w, ref_dx);

  /* Pooling only selects and moves values: it must match exactly. */
  for (gsize i = 0; i < n_out; i++)
    g_assert_cmpfloat (y[i], ==, ref_y[i]);
  for (gsize i = 0; i < n_in; i++)
    g_assert_cmpfloat (dx[i], ==, ref_dx[i]);
}

static void
test_pool (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  g_autoptr(ImpastoPool) pool = impasto_pool_new (2, NULL);
  static const guint sizes[][3] = {
    { 1, 1, 1 }, { 2, 1, 5 }, { 3, 4, 4 }, { 4, 7, 5 }, { 5, 300, 1 }, { 8, 19, 29 },
  };

  g_assert_nonnull (pool);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      check_pool (sizes[i][0], sizes[i][1], sizes[i][2], 0, NULL, rand);
      check_pool (sizes[i][0], sizes[i][1], sizes[i][2], 2, pool, rand);
    }
}

/* Averages are rounded once in float: a few ulps from the double reference. */
static void
check_avgpool (guint        c,
               guint        h,
               guint        w,
               ImpastoPool *pool,
               GRand       *rand)
{
  guint oh = impasto_pool_out_size (h), ow = impasto_pool_out_size (w);
  gsize n_in = (gsize) c * h * w, n_out = (gsize) c * oh * ow;
  g_autofree float *x = naive_random_floats (rand, n_in, -1, 1);
  g_autofree float *dy = naive_random_floats (rand, n_out, -1, 1);
  g_autofree float *y = naive_random_floats (rand, n_out, 5, 6);
  g_autofree float *dx = naive_random_floats (rand, n_in, 5, 6);
  g_autofree double *xd = naive_from_floats (x, n_in), *dyd = naive_from_floats (dy, n_out);
  g_autofree double *ref_y = g_new (double, n_out), *ref_dx = g_new (double, n_in);

  impasto_avgpool2x2_forward (x, c, h, w, y, pool);
  impasto_avgpool2x2_backward (dy, c, h, w, dx, pool);
  naive_avgpool_forward (xd, c, h, w, ref_y);
  naive_avgpool_backward (dyd, c, h, w, ref_dx);

  for (gsize i = 0; i < n_out; i++)
    g_assert_cmpfloat (fabs (y[i] - ref_y[i]), <=, 1e-6);
  for (gsize i = 0; i < n_in; i++)
    g_assert_cmpfloat (fabs (dx[i] - ref_dx[i]), <=, 1e-6);
}

static void
test_avgpool (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  g_autoptr(ImpastoPool) pool = impasto_pool_new (2, NULL);
  static const guint sizes[][3] = {
    { 1, 1, 1 }, { 2, 1, 5 }, { 3, 4, 4 }, { 4, 7, 5 }, { 5, 300, 1 }, { 8, 19, 29 },
  };
  /* A cut-short window is the mean of what it has: 1 | 2 / 3 over a 3x3 plane. */
  static const float x[9] = { 1, 3, 5, 7, 9, 11, 13, 15, 17 };
  static const float expect[4] = { 5, 8, 14, 17 };
  float y[4];

  impasto_avgpool2x2_forward (x, 1, 3, 3, y, NULL);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat (y[i], ==, expect[i]);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      check_avgpool (sizes[i][0], sizes[i][1], sizes[i][2], NULL, rand);
      check_avgpool (sizes[i][0], sizes[i][1], sizes[i][2], pool, rand);
    }
}

static void
test_pool_sizes (void)
{
  /* The seed's pyramid at 450x300. */
  g_assert_cmpuint (impasto_pool_out_size (300), ==, 150);
  g_assert_cmpuint (impasto_pool_out_size (75), ==, 38);
  g_assert_cmpuint (impasto_pool_out_size (113), ==, 57);
  g_assert_cmpuint (impasto_pool_out_size (57), ==, 29);
  g_assert_cmpuint (impasto_pool_out_size (1), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/impasto/layers/conv/forward-matches-naive", &forward_matches_naive,
                        test_conv_every_shape_and_mode);
  g_test_add_data_func ("/impasto/layers/conv/backward-matches-naive", &backward_matches_naive,
                        test_conv_every_shape_and_mode);
  g_test_add_func ("/impasto/layers/conv/backward-is-adjoint", test_conv_adjoint);
  g_test_add_func ("/impasto/layers/conv/same-bits-on-any-threads", test_conv_threads);
  g_test_add_data_func ("/impasto/layers/conv/fused-relu", &fused_relu,
                        test_conv_every_shape_and_mode);
  g_test_add_func ("/impasto/layers/relu", test_relu);
  g_test_add_func ("/impasto/layers/pool/matches-naive", test_pool);
  g_test_add_func ("/impasto/layers/pool/sizes", test_pool_sizes);
  g_test_add_func ("/impasto/layers/avgpool/matches-naive", test_avgpool);

  return g_test_run ();
}
