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

/* The 9 im2col planes of input channel c for a band of rows. */
static void
im2col_channel (const float *x,
                guint        c,
                guint        h,
                guint        w,
                guint        y0,
                guint        rows,
                float       *col)
{
  gsize n = (gsize) rows * w;

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

/* The adjoint of im2col_channel, added into channel c of dx. */
static void
col2im_channel_add (const float *col,
                    guint        c,
                    guint        h,
                    guint        w,
                    guint        y0,
                    guint        rows,
                    float       *dx)
{
  gsize n = (gsize) rows * w;

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

/* One band of one convolution, shared by the parallel loops over it. */
typedef struct
{
  const float *src;        /* x (forward) or dy (backward) */
  guint        in_c, out_c, h, w;
  const float *weights;
  const float *bias;
  float       *dst;        /* y (forward) or dx (backward) */
  float       *col;        /* the band's im2col matrix */
  guint        y0, rows;
  guint        n_chunks;   /* column chunks of the sgemm */
} Band;

/* The sgemm of a band goes in chunks of this many columns, whatever the number of threads:
 * OpenBLAS picks its kernels by shape, so a shape that depended on the thread count would
 * change the rounding. */
#define GEMM_COLUMNS 1024

static guint
gemm_chunks (guint rows,
             guint w)
{
  return ((gsize) rows * w + GEMM_COLUMNS - 1) / GEMM_COLUMNS;
}

static void
im2col_task (guint    c,
             gpointer data)
{
  const Band *b = data;

  im2col_channel (b->src, c, b->h, b->w, b->y0, b->rows, b->col);
}

static void
zero_task (guint    c,
           gpointer data)
{
  const Band *b = data;

  memset (b->dst + (gsize) c * b->h * b->w, 0, (gsize) b->h * b->w * sizeof (float));
}

/* A band's taps reach one row above and below it: dx is zeroed once, then added to. */
static void
col2im_task (guint    c,
             gpointer data)
{
  const Band *b = data;

  col2im_channel_add (b->col, c, b->h, b->w, b->y0, b->rows, b->dst);
}

/* The columns [start, end) of a band's sgemm chunk. */
static void
gemm_chunk (const Band *b,
            guint       chunk,
            gsize      *start,
            gsize      *end)
{
  *start = (gsize) chunk * GEMM_COLUMNS;
  *end = MIN (*start + GEMM_COLUMNS, (gsize) b->rows * b->w);
}

/* Columns [start, end) of y's band = bias + W col. */
static void
forward_gemm_task (guint    chunk,
                   gpointer data)
{
  const Band *b = data;
  gsize hw = (gsize) b->h * b->w, n = (gsize) b->rows * b->w, start, end;
  guint k = b->in_c * 9;

  gemm_chunk (b, chunk, &start, &end);
  for (guint o = 0; o < b->out_c; o++)
    {
      float *dst = b->dst + o * hw + (gsize) b->y0 * b->w;

      for (gsize i = start; i < end; i++)
        dst[i] = b->bias[o];
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
               b->out_c, end - start, k,
               1.f, b->weights, k,
               b->col + start, n,
               1.f, b->dst + (gsize) b->y0 * b->w + start, hw);
}

/* Columns [start, end) of col = W^T dy's band. */
static void
backward_gemm_task (guint    chunk,
                    gpointer data)
{
  const Band *b = data;
  gsize hw = (gsize) b->h * b->w, n = (gsize) b->rows * b->w, start, end;
  guint k = b->in_c * 9;

  gemm_chunk (b, chunk, &start, &end);
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans,
               k, end - start, b->out_c,
               1.f, b->weights, k,
               b->src + (gsize) b->y0 * b->w + start, hw,
               0.f, b->col + start, n);
}

/* Band by band, as many rows as the workspace holds: the per-channel step that fills col (or
 * NULL), the sgemm chunks, then the per-channel step that empties it (or NULL). */
static void
run_bands (Band            *b,
           gsize            workspace_len,
           ImpastoPoolFunc  fill,
           ImpastoPoolFunc  gemm,
           ImpastoPoolFunc  empty,
           ImpastoPool     *pool)
{
  guint rows = band_rows (b->in_c, b->h, b->w, workspace_len);

  g_assert (workspace_len >= (gsize) b->in_c * 9 * b->w);

  for (b->y0 = 0; b->y0 < b->h; b->y0 += rows)
    {
      b->rows = MIN (rows, b->h - b->y0);
      b->n_chunks = gemm_chunks (b->rows, b->w);
      if (fill != NULL)
        impasto_pool_run (pool, b->in_c, fill, b);
      impasto_pool_run (pool, b->n_chunks, gemm, b);
      if (empty != NULL)
        impasto_pool_run (pool, b->in_c, empty, b);
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
                         gsize        workspace_len,
                         ImpastoPool *pool)
{
  Band b = { x, in_c, out_c, h, w, weights, bias, y, workspace, 0, 0, 0 };

  run_bands (&b, workspace_len, im2col_task, forward_gemm_task, NULL, pool);
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
                                gsize        workspace_len,
                                ImpastoPool *pool)
{
  Band b = { dy, in_c, out_c, h, w, weights, NULL, dx, workspace, 0, 0, 0 };

  impasto_pool_run (pool, in_c, zero_task, &b);
  run_bands (&b, workspace_len, NULL, backward_gemm_task, col2im_task, pool);
}

/* Elementwise loops are cut into chunks of this many floats (a multiple of 16). */
#define CHUNK_FLOATS ((gsize) 64 * 1024)

typedef struct
{
  const float  *y;
  const guint8 *mask_in;
  float        *x;
  guint8       *mask;
  gsize         n;
} Elementwise;

static guint
n_chunks (gsize n)
{
  return (guint) MAX ((n + CHUNK_FLOATS - 1) / CHUNK_FLOATS, 1);
}

static void
relu_forward_task (guint    chunk,
                   gpointer data)
{
  const Elementwise *e = data;
  gsize start = chunk * CHUNK_FLOATS, end = MIN (start + CHUNK_FLOATS, e->n);
  float *x = e->x;

  for (gsize i = start; i < end; i++)
    x[i] = x[i] > 0.f ? x[i] : 0.f;
  if (e->mask != NULL)
    for (gsize i = start; i < end; i++)
      e->mask[i] = x[i] > 0.f;
}

void
impasto_relu_forward (float       *x,
                      gsize        n,
                      guint8      *mask,
                      ImpastoPool *pool)
{
  Elementwise e = { .x = x, .mask = mask, .n = n };

  impasto_pool_run (pool, n_chunks (n), relu_forward_task, &e);
}

static void
relu_backward_task (guint    chunk,
                    gpointer data)
{
  const Elementwise *e = data;
  gsize start = chunk * CHUNK_FLOATS, end = MIN (start + CHUNK_FLOATS, e->n);
  float *dy = e->x;

  if (e->y != NULL)
    for (gsize i = start; i < end; i++)
      dy[i] = e->y[i] > 0.f ? dy[i] : 0.f;
  else
    for (gsize i = start; i < end; i++)
      dy[i] = e->mask_in[i] ? dy[i] : 0.f;
}

void
impasto_relu_backward (const float *y,
                       float       *dy,
                       gsize        n,
                       ImpastoPool *pool)
{
  Elementwise e = { .y = y, .x = dy, .n = n };

  impasto_pool_run (pool, n_chunks (n), relu_backward_task, &e);
}

void
impasto_relu_backward_mask (const guint8 *mask,
                            float        *dy,
                            gsize         n,
                            ImpastoPool  *pool)
{
  Elementwise e = { .mask_in = mask, .x = dy, .n = n };

  impasto_pool_run (pool, n_chunks (n), relu_backward_task, &e);
}

/* Where in the window at output (oy, ox) its first maximum is, scanning row by row, as
 * 2 * row + column; windows at the bottom and right edges of odd sizes are cut short. */
static inline guint
window_argmax (const float *plane,
               guint        h,
               guint        w,
               guint        oy,
               guint        ox)
{
  guint y0 = 2 * oy, x0 = 2 * ox;
  guint rows = MIN (2, h - y0), cols = MIN (2, w - x0);
  guint best = 0;
  float max = plane[(gsize) y0 * w + x0];

  for (guint i = 0; i < rows; i++)
    for (guint j = 0; j < cols; j++)
      if (plane[(gsize) (y0 + i) * w + x0 + j] > max)
        {
          max = plane[(gsize) (y0 + i) * w + x0 + j];
          best = 2 * i + j;
        }

  return best;
}

typedef struct
{
  const float  *x;
  const float  *dy;
  guint         h, w;
  float        *out;      /* y (forward) or dx (backward) */
  guint8       *argmax;   /* written by the forward, read by the backward */
} Pooling;

/* A whole 2x2 window: the first maximum in row-major order, as 2 * row + column. */
static inline guint
full_window_argmax (const float *r0,
                    const float *r1,
                    float       *max)
{
  guint best = 0;

  *max = r0[0];
  if (r0[1] > *max)
    *max = r0[1], best = 1;
  if (r1[0] > *max)
    *max = r1[0], best = 2;
  if (r1[1] > *max)
    *max = r1[1], best = 3;
  return best;
}

static void
maxpool_forward_task (guint    ch,
                      gpointer data)
{
  const Pooling *p = data;
  guint oh = impasto_pool_out_size (p->h), ow = impasto_pool_out_size (p->w);
  guint full_w = p->w / 2;
  const float *plane = p->x + (gsize) ch * p->h * p->w;
  gsize first = (gsize) ch * oh * ow;

  for (guint oy = 0; oy < oh; oy++)
    {
      const float *r0 = plane + (gsize) 2 * oy * p->w;
      gsize at = first + (gsize) oy * ow;
      guint ox = 0;

      if (2 * oy + 1 < p->h)
        for (; ox < full_w; ox++)
          {
            guint best = full_window_argmax (r0 + 2 * ox, r0 + p->w + 2 * ox, &p->out[at + ox]);

            if (p->argmax != NULL)
              p->argmax[at + ox] = best;
          }
      for (; ox < ow; ox++)
        {
          guint best = window_argmax (plane, p->h, p->w, oy, ox);

          p->out[at + ox] = plane[(gsize) (2 * oy + best / 2) * p->w + 2 * ox + best % 2];
          if (p->argmax != NULL)
            p->argmax[at + ox] = best;
        }
    }
}

void
impasto_maxpool2x2_forward (const float *x,
                            guint        c,
                            guint        h,
                            guint        w,
                            float       *y,
                            guint8      *argmax,
                            ImpastoPool *pool)
{
  Pooling p = { x, NULL, h, w, y, argmax };

  impasto_pool_run (pool, c, maxpool_forward_task, &p);
}

static void
maxpool_backward_task (guint    ch,
                       gpointer data)
{
  const Pooling *p = data;
  guint oh = impasto_pool_out_size (p->h), ow = impasto_pool_out_size (p->w);
  gsize first = (gsize) ch * oh * ow;
  float *d = p->out + (gsize) ch * p->h * p->w;

  memset (d, 0, (gsize) p->h * p->w * sizeof (float));
  for (guint oy = 0; oy < oh; oy++)
    for (guint ox = 0; ox < ow; ox++)
      {
        guint best = p->argmax[first + (gsize) oy * ow + ox];

        d[(gsize) (2 * oy + best / 2) * p->w + 2 * ox + best % 2] +=
          p->dy[first + (gsize) oy * ow + ox];
      }
}

void
impasto_maxpool2x2_backward (const guint8 *argmax,
                             const float  *dy,
                             guint         c,
                             guint         h,
                             guint         w,
                             float        *dx,
                             ImpastoPool  *pool)
{
  Pooling p = { NULL, dy, h, w, dx, (guint8 *) argmax };

  impasto_pool_run (pool, c, maxpool_backward_task, &p);
}

/* Average pooling: a window's rows and columns inside the plane, and their share. */
static inline guint
window_extent (guint o,
               guint size)
{
  return 2 * o + 1 < size ? 2 : 1;
}

static void
avgpool_forward_task (guint    ch,
                      gpointer data)
{
  const Pooling *p = data;
  guint oh = impasto_pool_out_size (p->h), ow = impasto_pool_out_size (p->w);
  const float *plane = p->x + (gsize) ch * p->h * p->w;
  float *out = p->out + (gsize) ch * oh * ow;

  for (guint oy = 0; oy < oh; oy++)
    {
      guint rows = window_extent (oy, p->h);
      const float *r0 = plane + (gsize) 2 * oy * p->w;
      const float *r1 = rows == 2 ? r0 + p->w : NULL;

      for (guint ox = 0; ox < ow; ox++)
        {
          guint cols = window_extent (ox, p->w);
          float sum = r0[2 * ox];

          if (cols == 2)
            sum += r0[2 * ox + 1];
          if (r1 != NULL)
            {
              sum += r1[2 * ox];
              if (cols == 2)
                sum += r1[2 * ox + 1];
            }
          out[(gsize) oy * ow + ox] = sum / (float) (rows * cols);
        }
    }
}

void
impasto_avgpool2x2_forward (const float *x,
                            guint        c,
                            guint        h,
                            guint        w,
                            float       *y,
                            ImpastoPool *pool)
{
  Pooling p = { x, NULL, h, w, y, NULL };

  impasto_pool_run (pool, c, avgpool_forward_task, &p);
}

/* Every input pixel lies in exactly one window: a gather, row by row. */
static void
avgpool_backward_task (guint    ch,
                       gpointer data)
{
  const Pooling *p = data;
  guint oh = impasto_pool_out_size (p->h), ow = impasto_pool_out_size (p->w);
  const float *dy = p->dy + (gsize) ch * oh * ow;
  float *d = p->out + (gsize) ch * p->h * p->w;

  for (guint y = 0; y < p->h; y++)
    {
      guint oy = y / 2, rows = window_extent (oy, p->h);

      for (guint x = 0; x < p->w; x++)
        {
          guint ox = x / 2;

          d[(gsize) y * p->w + x] = dy[(gsize) oy * ow + ox]
                                    / (float) (rows * window_extent (ox, p->w));
        }
    }
}

void
impasto_avgpool2x2_backward (const float *dy,
                             guint        c,
                             guint        h,
                             guint        w,
                             float       *dx,
                             ImpastoPool *pool)
{
  Pooling p = { NULL, dy, h, w, dx, NULL };

  impasto_pool_run (pool, c, avgpool_backward_task, &p);
}
