/* impasto-layers.c: 3x3 convolutions on sgemm, ReLU and max pooling
 *
 * The convolutions lower a band of rows at a time to an im2col matrix (in_c * 9 rows, one
 * column per output pixel of the band) and multiply it with the [out][in * 9] weights. Banding
 * bounds the scratch memory: a whole-image im2col for conv1_2 at 450x300 would take 300 MB.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <cblas.h>

#include "impasto-layers.h"

/* 8 MiB of im2col per band: large enough for sgemm to run at full speed, small enough to
 * stay in the last-level cache's neighbourhood. */
#define BAND_FLOATS ((gsize) 2 * 1024 * 1024)

static gsize
band_rows (guint in_c,
           guint h,
           guint w,
           gsize workspace_len)
{
  gsize per_row = (gsize) in_c * 9 * w;

  return CLAMP (workspace_len / per_row, 1, (gsize) h);
}

gsize
impasto_conv3x3_workspace_size (guint in_c,
                                guint h,
                                guint w)
{
  gsize per_row = (gsize) in_c * 9 * w;

  return band_rows (in_c, h, w, BAND_FLOATS) * per_row;
}

/* One row of one (channel, ky, kx) plane of the im2col matrix: src shifted by kx - 1. */
static inline void
shift_row (float       *dst,
           const float *src,
           guint        w,
           guint        kx)
{
  if (kx == 0)
    {
      dst[0] = 0.f;
      memcpy (dst + 1, src, (w - 1) * sizeof (float));
    }
  else if (kx == 1)
    {
      memcpy (dst, src, w * sizeof (float));
    }
  else
    {
      memcpy (dst, src + 1, (w - 1) * sizeof (float));
      dst[w - 1] = 0.f;
    }
}

static void
im2col_band (const float *x,
             guint        in_c,
             guint        h,
             guint        w,
             guint        y0,
             guint        rows,
             float       *col)
{
  gsize n = (gsize) rows * w;

  for (guint c = 0; c < in_c; c++)
    for (guint ky = 0; ky < 3; ky++)
      for (guint kx = 0; kx < 3; kx++)
        {
          float *plane = col + ((gsize) (c * 3 + ky) * 3 + kx) * n;

          for (guint r = 0; r < rows; r++)
            {
              int sy = (int) (y0 + r + ky) - 1;

              if (sy < 0 || sy >= (int) h)
                memset (plane + (gsize) r * w, 0, w * sizeof (float));
              else
                shift_row (plane + (gsize) r * w, x + ((gsize) c * h + sy) * w, w, kx);
            }
        }
}

/* The adjoint of shift_row, accumulated. */
static inline void
unshift_row_add (float       *dst,
                 const float *src,
                 guint        w,
                 guint        kx)
{
  if (kx == 0)
    for (guint i = 0; i + 1 < w; i++)
      dst[i] += src[i + 1];
  else if (kx == 1)
    for (guint i = 0; i < w; i++)
      dst[i] += src[i];
  else
    for (guint i = 0; i + 1 < w; i++)
      dst[i + 1] += src[i];
}

static void
col2im_band_add (const float *col,
                 guint        in_c,
                 guint        h,
                 guint        w,
                 guint        y0,
                 guint        rows,
                 float       *dx)
{
  gsize n = (gsize) rows * w;

  for (guint c = 0; c < in_c; c++)
    for (guint ky = 0; ky < 3; ky++)
      for (guint kx = 0; kx < 3; kx++)
        {
          const float *plane = col + ((gsize) (c * 3 + ky) * 3 + kx) * n;

          for (guint r = 0; r < rows; r++)
            {
              int sy = (int) (y0 + r + ky) - 1;

              if (sy >= 0 && sy < (int) h)
                unshift_row_add (dx + ((gsize) c * h + sy) * w, plane + (gsize) r * w, w, kx);
            }
        }
}

void
impasto_conv3x3_forward (const float *x,
                         guint        in_c,
                         guint        h,
                         guint        w,
                         const float *weights,
                         const float *bias,
                         guint        out_c,
                         float       *y,
                         float       *workspace,
                         gsize        workspace_len)
{
  gsize hw = (gsize) h * w;
  guint k = in_c * 9;
  guint rows = band_rows (in_c, h, w, workspace_len);

  g_assert (workspace_len >= (gsize) k * w);

  for (guint y0 = 0; y0 < h; y0 += rows)
    {
      guint r = MIN (rows, h - y0);
      gsize n = (gsize) r * w;

      im2col_band (x, in_c, h, w, y0, r, workspace);
      for (guint o = 0; o < out_c; o++)
        {
          float *dst = y + o * hw + (gsize) y0 * w;

          for (gsize i = 0; i < n; i++)
            dst[i] = bias[o];
        }
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
                   out_c, n, k,
                   1.f, weights, k,
                   workspace, n,
                   1.f, y + (gsize) y0 * w, hw);
    }
}

void
impasto_conv3x3_backward_input (const float *dy,
                                guint        out_c,
                                guint        h,
                                guint        w,
                                const float *weights,
                                guint        in_c,
                                float       *dx,
                                float       *workspace,
                                gsize        workspace_len)
{
  gsize hw = (gsize) h * w;
  guint k = in_c * 9;
  guint rows = band_rows (in_c, h, w, workspace_len);

  g_assert (workspace_len >= (gsize) k * w);

  memset (dx, 0, (gsize) in_c * hw * sizeof (float));
  for (guint y0 = 0; y0 < h; y0 += rows)
    {
      guint r = MIN (rows, h - y0);
      gsize n = (gsize) r * w;

      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans,
                   k, n, out_c,
                   1.f, weights, k,
                   dy + (gsize) y0 * w, hw,
                   0.f, workspace, n);
      col2im_band_add (workspace, in_c, h, w, y0, r, dx);
    }
}

void
impasto_relu_forward (float *x,
                      gsize  n)
{
  for (gsize i = 0; i < n; i++)
    x[i] = x[i] > 0.f ? x[i] : 0.f;
}

void
impasto_relu_backward (const float *y,
                       float       *dy,
                       gsize        n)
{
  for (gsize i = 0; i < n; i++)
    if (!(y[i] > 0.f))
      dy[i] = 0.f;
}

/* Index (into one channel's plane) of the first maximum of the window at output (oy, ox),
 * scanning row by row; windows at the bottom and right edges of odd sizes are cut short. */
static inline gsize
window_argmax (const float *plane,
               guint        h,
               guint        w,
               guint        oy,
               guint        ox)
{
  guint y0 = 2 * oy, x0 = 2 * ox;
  guint y1 = MIN (y0 + 2, h), x1 = MIN (x0 + 2, w);
  gsize best = (gsize) y0 * w + x0;

  for (guint yy = y0; yy < y1; yy++)
    for (guint xx = x0; xx < x1; xx++)
      if (plane[(gsize) yy * w + xx] > plane[best])
        best = (gsize) yy * w + xx;

  return best;
}

void
impasto_maxpool2x2_forward (const float *x,
                            guint        c,
                            guint        h,
                            guint        w,
                            float       *y)
{
  guint oh = impasto_pool_out_size (h), ow = impasto_pool_out_size (w);

  for (guint ch = 0; ch < c; ch++)
    {
      const float *plane = x + (gsize) ch * h * w;
      float *out = y + (gsize) ch * oh * ow;

      for (guint oy = 0; oy < oh; oy++)
        for (guint ox = 0; ox < ow; ox++)
          out[(gsize) oy * ow + ox] = plane[window_argmax (plane, h, w, oy, ox)];
    }
}

void
impasto_maxpool2x2_backward (const float *x,
                             const float *dy,
                             guint        c,
                             guint        h,
                             guint        w,
                             float       *dx)
{
  guint oh = impasto_pool_out_size (h), ow = impasto_pool_out_size (w);

  memset (dx, 0, (gsize) c * h * w * sizeof (float));
  for (guint ch = 0; ch < c; ch++)
    {
      const float *plane = x + (gsize) ch * h * w;
      const float *g = dy + (gsize) ch * oh * ow;
      float *d = dx + (gsize) ch * h * w;

      for (guint oy = 0; oy < oh; oy++)
        for (guint ox = 0; ox < ow; ox++)
          d[window_argmax (plane, h, w, oy, ox)] += g[(gsize) oy * ow + ox];
    }
}
