/* naive.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "naive.h"

static double
at (const double *x, guint h, guint w, guint c, int y, int xx)
{
  if (y < 0 || y >= (int) h || xx < 0 || xx >= (int) w)
    return 0.0;
  return x[((gsize) c * h + y) * w + xx];
}

void
naive_conv3x3_forward (const double *x, guint in_c, guint h, guint w,
                       const float *weights, const float *bias, guint out_c, double *y)
{
  for (guint o = 0; o < out_c; o++)
    for (guint yy = 0; yy < h; yy++)
      for (guint xx = 0; xx < w; xx++)
        {
          double sum = bias[o];

          for (guint c = 0; c < in_c; c++)
            for (int ky = 0; ky < 3; ky++)
              for (int kx = 0; kx < 3; kx++)
                sum += weights[((o * in_c + c) * 3 + ky) * 3 + kx]
                       * at (x, h, w, c, (int) yy + ky - 1, (int) xx + kx - 1);
          y[((gsize) o * h + yy) * w + xx] = sum;
        }
}

void
naive_conv3x3_backward_input (const double *dy, guint out_c, guint h, guint w,
                              const float *weights, guint in_c, double *dx)
{
  memset (dx, 0, sizeof (double) * in_c * h * w);
  for (guint o = 0; o < out_c; o++)
    for (guint yy = 0; yy < h; yy++)
      for (guint xx = 0; xx < w; xx++)
        {
          double g = dy[((gsize) o * h + yy) * w + xx];

          for (guint c = 0; c < in_c; c++)
            for (int ky = 0; ky < 3; ky++)
              for (int kx = 0; kx < 3; kx++)
                {
                  int sy = (int) yy + ky - 1, sx = (int) xx + kx - 1;

                  if (sy >= 0 && sy < (int) h && sx >= 0 && sx < (int) w)
                    dx[((gsize) c * h + sy) * w + sx] +=
                      g * weights[((o * in_c + c) * 3 + ky) * 3 + kx];
                }
        }
}

static gsize
first_max (const double *x, guint h, guint w, guint c, guint oy, guint ox)
{
  gsize best = G_MAXSIZE;

  for (guint dy = 0; dy < 2; dy++)
    for (guint dx = 0; dx < 2; dx++)
      {
        guint y = 2 * oy + dy, xx = 2 * ox + dx;
        gsize i = ((gsize) c * h + y) * w + xx;

        if (y < h && xx < w && (best == G_MAXSIZE || x[i] > x[best]))
          best = i;
      }

  return best;
}

void
naive_maxpool_forward (const double *x, guint c, guint h, guint w, double *y)
{
  guint oh = (h + 1) / 2, ow = (w + 1) / 2;

  for (guint ch = 0; ch < c; ch++)
    for (guint oy = 0; oy < oh; oy++)
      for (guint ox = 0; ox < ow; ox++)
        y[((gsize) ch * oh + oy) * ow + ox] = x[first_max (x, h, w, ch, oy, ox)];
}

void
naive_maxpool_backward (const double *x, const double *dy, guint c, guint h, guint w,
                        double *dx)
{
  guint oh = (h + 1) / 2, ow = (w + 1) / 2;

  memset (dx, 0, sizeof (double) * c * h * w);
  for (guint ch = 0; ch < c; ch++)
    for (guint oy = 0; oy < oh; oy++)
      for (guint ox = 0; ox < ow; ox++)
        dx[first_max (x, h, w, ch, oy, ox)] += dy[((gsize) ch * oh + oy) * ow + ox];
}

/* The pixels of window (oy, ox) that lie inside h x w, as indices into plane ch. */
static guint
window_cells (guint h, guint w, guint ch, guint oy, guint ox, gsize cells[4])
{
  guint n = 0;

  for (guint dy = 0; dy < 2; dy++)
    for (guint dx = 0; dx < 2; dx++)
      if (2 * oy + dy < h && 2 * ox + dx < w)
        cells[n++] = ((gsize) ch * h + 2 * oy + dy) * w + 2 * ox + dx;
  return n;
}

void
naive_avgpool_forward (const double *x, guint c, guint h, guint w, double *y)
{
  guint oh = (h + 1) / 2, ow = (w + 1) / 2;

  for (guint ch = 0; ch < c; ch++)
    for (guint oy = 0; oy < oh; oy++)
      for (guint ox = 0; ox < ow; ox++)
        {
          gsize cells[4];
          guint n = window_cells (h, w, ch, oy, ox, cells);
          double sum = 0;

          for (guint k = 0; k < n; k++)
            sum += x[cells[k]];
          y[((gsize) ch * oh + oy) * ow + ox] = sum / n;
        }
}

void
naive_avgpool_backward (const double *dy, guint c, guint h, guint w, double *dx)
{
  guint oh = (h + 1) / 2, ow = (w + 1) / 2;

  memset (dx, 0, sizeof (double) * c * h * w);
  for (guint ch = 0; ch < c; ch++)
    for (guint oy = 0; oy < oh; oy++)
      for (guint ox = 0; ox < ow; ox++)
        {
          gsize cells[4];
          guint n = window_cells (h, w, ch, oy, ox, cells);

          for (guint k = 0; k < n; k++)
            dx[cells[k]] += dy[((gsize) ch * oh + oy) * ow + ox] / n;
        }
}

double *
naive_from_floats (const float *x, gsize n)
{
  double *d = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    d[i] = x[i];
  return d;
}

float *
naive_random_floats (GRand *rand, gsize n, double lo, double hi)
{
  float *x = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    x[i] = (float) g_rand_double_range (rand, lo, hi);
  return x;
}

double
naive_max_rel_error (const float *a, const double *b, gsize n)
{
  double max_diff = 0, max_ref = 0;

  for (gsize i = 0; i < n; i++)
    {
      max_diff = MAX (max_diff, fabs (a[i] - b[i]));
      max_ref = MAX (max_ref, fabs (b[i]));
    }
  return max_ref > 0 ? max_diff / max_ref : max_diff;
}
