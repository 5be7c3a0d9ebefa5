/* test-layers.c: the engine's convolution and pooling against naive twins
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "impasto-layers.h"
#include "naive.h"

typedef struct
{
  guint in_c, out_c, h, w;
} ConvShape;

/* Odd and even sizes, single rows and columns, and channel counts that are not multiples of
 * anything in particular. */
static const ConvShape shapes[] = {
  { 3, 4, 1, 1 }, { 3, 5, 1, 9 }, { 2, 3, 8, 1 }, { 3, 8, 7, 5 }, { 4, 4, 6, 6 },
  { 13, 7, 37, 29 }, { 16, 9, 12, 33 }, { 5, 17, 31, 2 },
};

/* float32 sums of at most 9 * 16 products of values in [-1, 1]: the relative error stays
 * near sqrt(144) * 6e-8; 1e-5 leaves a wide margin while a wrong tap or edge is O(1). */
#define CONV_TOLERANCE 1e-5

/* Scratch sizes: what the engine asks for, and a tiny one that forces a band of one row. */
static gsize
workspace_len (const ConvShape *s,
               gboolean         tiny)
{
  return tiny ? (gsize) s->in_c * 9 * s->w : impasto_conv3x3_workspace_size (s->in_c, s->h, s->w);
}

static void
check_forward (const ConvShape *s,
               gboolean         tiny,
               GRand           *rand)
{
  gsize n_in = (gsize) s->in_c * s->h * s->w, n_out = (gsize) s->out_c * s->h * s->w;
  g_autofree float *x = naive_random_floats (rand, n_in, -1, 1);
  g_autofree float *wts = naive_random_floats (rand, (gsize) s->out_c * s->in_c * 9, -1, 1);
  g_autofree float *bias = naive_random_floats (rand, s->out_c, -1, 1);
  g_autofree float *y = g_new (float, n_out);
  g_autofree float *ws = g_new (float, workspace_len (s, tiny));
  g_autofree double *xd = naive_from_floats (x, n_in);
  g_autofree double *ref = g_new (double, n_out);

  impasto_conv3x3_forward (x, s->in_c, s->h, s->w, wts, bias, s->out_c, y, ws,
                           workspace_len (s, tiny));
  naive_conv3x3_forward (xd, s->in_c, s->h, s->w, wts, bias, s->out_c, ref);

  g_assert_cmpfloat (naive_max_rel_error (y, ref, n_out), <, CONV_TOLERANCE);
}

static void
test_conv_forward (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      check_forward (&shapes[i], FALSE, rand);
      check_forward (&shapes[i], TRUE, rand);
    }
}

static void
check_backward (const ConvShape *s,
                gboolean         tiny,
                GRand           *rand)
{
  gsize n_in = (gsize) s->in_c * s->h * s->w, n_out = (gsize) s->out_c * s->h * s->w;
  g_autofree float *dy = naive_random_floats (rand, n_out, -1, 1);
  g_autofree float *wts = naive_random_floats (rand, (gsize) s->out_c * s->in_c * 9, -1, 1);
  g_autofree float *dx = naive_random_floats (rand, n_in, 5, 6);   /* must be overwritten */
  g_autofree float *ws = g_new (float, workspace_len (s, tiny));
  g_autofree double *dyd = naive_from_floats (dy, n_out);
  g_autofree double *ref = g_new (double, n_in);

  impasto_conv3x3_backward_input (dy, s->out_c, s->h, s->w, wts, s->in_c, dx, ws,
                                  workspace_len (s, tiny));
  naive_conv3x3_backward_input (dyd, s->out_c, s->h, s->w, wts, s->in_c, ref);

  g_assert_cmpfloat (naive_max_rel_error (dx, ref, n_in), <, CONV_TOLERANCE);
}

static void
test_conv_backward (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      check_backward (&shapes[i], FALSE, rand);
      check_backward (&shapes[i], TRUE, rand);
    }
}

/* <conv(x), y> = <x, conv^T(y)> for the bias-free convolution: ties forward and backward
 * together independently of the naive code. */
static void
test_conv_adjoint (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  const ConvShape s = { 7, 11, 23, 19 };
  gsize n_in = (gsize) s.in_c * s.h * s.w, n_out = (gsize) s.out_c * s.h * s.w;
  gsize ws_len = impasto_conv3x3_workspace_size (s.in_c, s.h, s.w);
  g_autofree float *x = naive_random_floats (rand, n_in, -1, 1);
  g_autofree float *y = naive_random_floats (rand, n_out, -1, 1);
  g_autofree float *wts = naive_random_floats (rand, (gsize) s.out_c * s.in_c * 9, -1, 1);
  g_autofree float *zero = g_new0 (float, s.out_c);
  g_autofree float *ax = g_new (float, n_out);
  g_autofree float *aty = g_new (float, n_in);
  g_autofree float *ws = g_new (float, ws_len);
  double lhs = 0, rhs = 0, scale = 0;

  impasto_conv3x3_forward (x, s.in_c, s.h, s.w, wts, zero, s.out_c, ax, ws, ws_len);
  impasto_conv3x3_backward_input (y, s.out_c, s.h, s.w, wts, s.in_c, aty, ws, ws_len);
  for (gsize i = 0; i < n_out; i++)
    {
      lhs += (double) ax[i] * y[i];
      scale += fabs ((double) ax[i] * y[i]);
    }
  for (gsize i = 0; i < n_in; i++)
    rhs += (double) x[i] * aty[i];

  g_assert_cmpfloat (fabs (lhs - rhs), <, 1e-5 * scale);
}

static void
test_relu (void)
{
  float x[] = { -2.f, -0.f, 0.f, 1e-30f, 3.f };
  float dy[] = { 1.f, 1.f, 1.f, 1.f, 1.f };
  const float expect_y[] = { 0.f, 0.f, 0.f, 1e-30f, 3.f };
  const float expect_dy[] = { 0.f, 0.f, 0.f, 1.f, 1.f };

  impasto_relu_forward (x, G_N_ELEMENTS (x));
  impasto_relu_backward (x, dy, G_N_ELEMENTS (x));
  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    {
      g_assert_cmpfloat (x[i], ==, expect_y[i]);
      g_assert_cmpfloat (dy[i], ==, expect_dy[i]);
    }
}

/* With levels set, values come from a handful of levels, so most windows hold ties. */
static void
check_pool (guint  c,
            guint  h,
            guint  w,
            guint  levels,
            GRand *rand)
{
  guint oh = impasto_pool_out_size (h), ow = impasto_pool_out_size (w);
  gsize n_in = (gsize) c * h * w, n_out = (gsize) c * oh * ow;
  g_autofree float *x = naive_random_floats (rand, n_in, -1, 1);
  g_autofree float *dy = naive_random_floats (rand, n_out, -1, 1);
  g_autofree float *y = g_new (float, n_out);
  g_autofree float *dx = naive_random_floats (rand, n_in, 5, 6);
  g_autofree double *xd = NULL, *dyd = naive_from_floats (dy, n_out);
  g_autofree double *ref_y = g_new (double, n_out), *ref_dx = g_new (double, n_in);

  for (gsize i = 0; levels > 0 && i < n_in; i++)
    x[i] = (float) g_rand_int_range (rand, 0, levels);
  xd = naive_from_floats (x, n_in);

  impasto_maxpool2x2_forward (x, c, h, w, y);
  impasto_maxpool2x2_backward (x, dy, c, h, w, dx);
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
  static const guint sizes[][3] = {
    { 1, 1, 1 }, { 2, 1, 5 }, { 3, 4, 4 }, { 4, 7, 5 }, { 5, 300, 1 }, { 8, 19, 29 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      check_pool (sizes[i][0], sizes[i][1], sizes[i][2], 0, rand);
      check_pool (sizes[i][0], sizes[i][1], sizes[i][2], 2, rand);
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

  g_test_add_func ("/impasto/layers/conv/forward-matches-naive", test_conv_forward);
  g_test_add_func ("/impasto/layers/conv/backward-matches-naive", test_conv_backward);
  g_test_add_func ("/impasto/layers/conv/backward-is-adjoint", test_conv_adjoint);
  g_test_add_func ("/impasto/layers/relu", test_relu);
  g_test_add_func ("/impasto/layers/pool/matches-naive", test_pool);
  g_test_add_func ("/impasto/layers/pool/sizes", test_pool_sizes);

  return g_test_run ();
}
