/* impasto-winograd-kernels.c: the transforms of F(2x2, 3x3), F(3x3, 3x3) and F(4x4, 3x3)
 *
 * The matrices of F(2x2) and F(4x4) are Lavin and Gray's ("Fast algorithms for convolutional
 * neural networks", 2016), interpolation points 0, 1, -1 (and 2, -2) and infinity; F(3x3)'s
 * come from the same Toom-Cook construction with the points 0, 1, -1, 2 and infinity.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-winograd-private.h"

/* "These iterations are independent", for gcc. clang warns about the pragma, and its own
 * equivalent warns in a sanitizer build, where it cannot vectorise; it has the restrict
 * qualifiers to go by. */
#ifdef __clang__
#define IVDEP
#else
#define IVDEP _Pragma ("GCC ivdep")
#endif

static void
vertical_in_f2 (const float *const *in,
                float *const       *out,
                gsize               n)
{
  const float *restrict d0 = in[0], *restrict d1 = in[1], *restrict d2 = in[2];
  const float *restrict d3 = in[3];
  float *restrict t0 = out[0], *restrict t1 = out[1], *restrict t2 = out[2];
  float *restrict t3 = out[3];

  /* The rows never overlap: no need to check at run time before vectorising. */
IVDEP
  for (gsize q = 0; q < n; q++)
    {
      t0[q] = d0[q] - d2[q];
      t1[q] = d1[q] + d2[q];
      t2[q] = d2[q] - d1[q];
      t3[q] = d1[q] - d3[q];
    }
}

/* Tile t of a row starts at column m t and spans m + 2 columns, so neighbouring tiles overlap
 * and a plain loop over tiles reads at a stride gcc does not vectorise. Split into its m
 * phases first (phase j holds columns m t + j, one full group per tile, which gcc does
 * vectorise), the row's tile t is phase 0..m-1 at t followed by phases 0 and 1 at t + 1: every
 * read in the tile loop is then contiguous. A row holds m n + 2 columns. */
#define DEINTERLEAVE(m, row, phases, n)                                    \
  G_STMT_START {                                                           \
    for (gsize t_ = 0; t_ < (n); t_++)                                     \
      for (guint j_ = 0; j_ < (m); j_++)                                   \
        (phases)[j_][t_] = (row)[(m) * t_ + j_];                           \
    (phases)[0][n] = (row)[(m) * (n)];                                     \
    (phases)[1][n] = (row)[(m) * (n) + 1];                                 \
  } G_STMT_END

static void
horizontal_in_f2 (const float  *row,
                  float *const *dst,
                  gsize         n_tiles,
                  gboolean      reversed)
{
  float phases[2][TILE_CHUNK + 1];
  const float *restrict e = phases[0], *restrict o = phases[1];
  float *restrict v0 = dst[0], *restrict v1 = dst[1], *restrict v2 = dst[2];
  float *restrict v3 = dst[3];

  DEINTERLEAVE (2, row, phases, n_tiles);
  if (reversed)
    {
IVDEP
      for (gsize t = 0; t < n_tiles; t++)
        {
          float d0 = o[t + 1], d1 = e[t + 1], d2 = o[t], d3 = e[t];

          v0[t] = d0 - d2;
          v1[t] = d1 + d2;
          v2[t] = d2 - d1;
          v3[t] = d1 - d3;
        }
    }
  else
    {
IVDEP
      for (gsize t = 0; t < n_tiles; t++)
        {
          float d0 = e[t], d1 = o[t], d2 = e[t + 1], d3 = o[t + 1];

          v0[t] = d0 - d2;
          v1[t] = d1 + d2;
          v2[t] = d2 - d1;
          v3[t] = d1 - d3;
        }
    }
}

static void
horizontal_out_f2 (const float *const *src,
                   float              *row,
                   gsize               n_tiles,
                   gboolean            reversed)
{
  const float *restrict m0 = src[0], *restrict m1 = src[1], *restrict m2 = src[2];
  const float *restrict m3 = src[3];
  float *restrict y = row;
  gsize first = reversed ? 1 : 0, second = reversed ? 0 : 1;

  /* The rows never overlap: no need to check at run time before vectorising. */
IVDEP
  for (gsize t = 0; t < n_tiles; t++)
    {
      y[2 * t + first] = m0[t] + m1[t] + m2[t];
      y[2 * t + second] = m1[t] - m2[t] - m3[t];
    }
}

static void
vertical_out_f2 (const float *const *in,
                 float *const       *out,
                 gsize               n,
                 float               bias)
{
  const float *restrict m0 = in[0], *restrict m1 = in[1], *restrict m2 = in[2];
  const float *restrict m3 = in[3];
  float *restrict y0 = out[0], *restrict y1 = out[1];

  /* The rows never overlap: no need to check at run time before vectorising. */
IVDEP
  for (gsize q = 0; q < n; q++)
    {
      y0[q] = m0[q] + m1[q] + m2[q] + bias;
      y1[q] = m1[q] - m2[q] - m3[q] + bias;
    }
}

/* F(3x3, 3x3), points 0, 1, -1, 2 and infinity: B^T has small integers, so the input
 * transform rounds no more than F(2x2)'s; A^T has 2 and 4. */
static void
vertical_in_f3 (const float *const *in,
                float *const       *out,
                gsize               n)
{
  const float *restrict d0 = in[0], *restrict d1 = in[1], *restrict d2 = in[2];
  const float *restrict d3 = in[3], *restrict d4 = in[4];
  float *restrict t0 = out[0], *restrict t1 = out[1], *restrict t2 = out[2];
  float *restrict t3 = out[3], *restrict t4 = out[4];

  /* The rows never overlap: no need to check at run time before vectorising. */
IVDEP
  for (gsize q = 0; q < n; q++)
    {
      t0[q] = 2.f * (d0[q] - d2[q]) + (d3[q] - d1[q]);
      t1[q] = (d3[q] - d2[q]) - 2.f * d1[q];
      t2[q] = (d3[q] - d2[q]) + 2.f * (d1[q] - d2[q]);
      t3[q] = d3[q] - d1[q];
      t4[q] = 2.f * (d1[q] - d3[q]) + (d4[q] - d2[q]);
    }
}

static inline void
tile_in_f3 (float d0, float d1, float d2, float d3, float d4, float *restrict const *v, gsize t)
{
  v[0][t] = 2.f * (d0 - d2) + (d3 - d1);
  v[1][t] = (d3 - d2) - 2.f * d1;
  v[2][t] = (d3 - d2) + 2.f * (d1 - d2);
  v[3][t] = d3 - d1;
  v[4][t] = 2.f * (d1 - d3) + (d4 - d2);
}

static void
horizontal_in_f3 (const float  *row,
                  float *const *dst,
                  gsize         n_tiles,
                  gboolean      reversed)
{
  float phases[3][TILE_CHUNK + 1];
  const float *restrict p0 = phases[0], *restrict p1 = phases[1], *restrict p2 = phases[2];
  float *restrict const v[5] = { dst[0], dst[1], dst[2], dst[3], dst[4] };

  DEINTERLEAVE (3, row, phases, n_tiles);
  if (reversed)
    {
IVDEP
      for (gsize t = 0; t < n_tiles; t++)
        tile_in_f3 (p1[t + 1], p0[t + 1], p2[t], p1[t], p0[t], v, t);
    }
  else
    {
IVDEP
      for (gsize t = 0; t < n_tiles; t++)
        tile_in_f3 (p0[t], p1[t], p2[t], p0[t + 1], p1[t + 1], v, t);
    }
}

static void
horizontal_out_f3 (const float *const *src,
                   float              *row,
                   gsize               n_tiles,
                   gboolean            reversed)
{
  const float *restrict m0 = src[0], *restrict m1 = src[1], *restrict m2 = src[2];
  const float *restrict m3 = src[3], *restrict m4 = src[4];
  float *restrict y = row;
  gsize i0 = reversed ? 2 : 0, i2 = reversed ? 0 : 2;

  /* The rows never overlap: no need to check at run time before vectorising. */
IVDEP
  for (gsize t = 0; t < n_tiles; t++)
    {
      float p12 = m1[t] + m2[t];

      y[3 * t + i0] = m0[t] + p12 + m3[t];
      y[3 * t + 1] = (m1[t] - m2[t]) + 2.f * m3[t];
      y[3 * t + i2] = p12 + 4.f * m3[t] + m4[t];
    }
}

static void
vertical_out_f3 (const float *const *in,
                 float *const       *out,
                 gsize               n,
                 float               bias)
{
  const float *restrict m0 = in[0], *restrict m1 = in[1], *restrict m2 = in[2];
  const float *restrict m3 = in[3], *restrict m4 = in[4];
  float *restrict y0 = out[0], *restrict y1 = out[1], *restrict y2 = out[2];

  /* The rows never overlap: no need to check at run time before vectorising. */
IVDEP
  for (gsize q = 0; q < n; q++)
    {
      float p12 = m1[q] + m2[q];

      y0[q] = m0[q] + p12 + m3[q] + bias;
      y1[q] = (m1[q] - m2[q]) + 2.f * m3[q] + bias;
      y2[q] = p12 + 4.f * m3[q] + m4[q] + bias;
    }
}

static void
vertical_in_f4 (const float *const *in,
                float *const       *out,
                gsize               n)
{
  const float *restrict d0 = in[0], *restrict d1 = in[1], *restrict d2 = in[2];
  const float *restrict d3 = in[3], *restrict d4 = in[4], *restrict d5 = in[5];
  float *restrict t0 = out[0], *restrict t1 = out[1], *restrict t2 = out[2];
  float *restrict t3 = out[3], *restrict t4 = out[4], *restrict t5 = out[5];

  /* The rows never overlap: no need to check at run time before vectorising. */
IVDEP
  for (gsize q = 0; q < n; q++)
    {
      float d42 = d4[q] - d2[q], d31 = d3[q] - d1[q];

      t0[q] = 4.f * d0[q] - 5.f * d2[q] + d4[q];
      t1[q] = (d3[q] + d4[q]) - 4.f * (d1[q] + d2[q]);
      t2[q] = (d4[q] - d3[q]) + 4.f * (d1[q] - d2[q]);
      t3[q] = d42 + 2.f * d31;
      t4[q] = d42 - 2.f * d31;
      t5[q] = 4.f * d1[q] - 5.f * d3[q] + d5[q];
    }
}

static inline void
tile_in_f4 (float d0, float d1, float d2, float d3, float d4, float d5,
            float *restrict const *v, gsize t)
{
  float d42 = d4 - d2, d31 = d3 - d1;

  v[0][t] = 4.f * d0 - 5.f * d2 + d4;
  v[1][t] = (d3 + d4) - 4.f * (d1 + d2);
  v[2][t] = (d4 - d3) + 4.f * (d1 - d2);
  v[3][t] = d42 + 2.f * d31;
  v[4][t] = d42 - 2.f * d31;
  v[5][t] = 4.f * d1 - 5.f * d3 + d5;
}

static void
horizontal_in_f4 (const float  *row,
                  float *const *dst,
                  gsize         n_tiles,
                  gboolean      reversed)
{
  float phases[4][TILE_CHUNK + 1];
  const float *restrict p0 = phases[0], *restrict p1 = phases[1], *restrict p2 = phases[2];
  const float *restrict p3 = phases[3];
  float *restrict const v[6] = { dst[0], dst[1], dst[2], dst[3], dst[4], dst[5] };

  DEINTERLEAVE (4, row, phases, n_tiles);
  if (reversed)
    {
IVDEP
      for (gsize t = 0; t < n_tiles; t++)
        tile_in_f4 (p1[t + 1], p0[t + 1], p3[t], p2[t], p1[t], p0[t], v, t);
    }
  else
    {
IVDEP
      for (gsize t = 0; t < n_tiles; t++)
        tile_in_f4 (p0[t], p1[t], p2[t], p3[t], p0[t + 1], p1[t + 1], v, t);
    }
}

static void
horizontal_out_f4 (const float *const *src,
                   float              *row,
                   gsize               n_tiles,
                   gboolean            reversed)
{
  const float *restrict m0 = src[0], *restrict m1 = src[1], *restrict m2 = src[2];
  const float *restrict m3 = src[3], *restrict m4 = src[4], *restrict m5 = src[5];
  float *restrict y = row;
  gsize i0 = reversed ? 3 : 0, i1 = reversed ? 2 : 1, i2 = reversed ? 1 : 2;
  gsize i3 = reversed ? 0 : 3;

  /* The rows never overlap: no need to check at run time before vectorising. */
IVDEP
  for (gsize t = 0; t < n_tiles; t++)
    {
      float p12 = m1[t] + m2[t], n12 = m1[t] - m2[t], p34 = m3[t] + m4[t], n34 = m3[t] - m4[t];

      y[4 * t + i0] = m0[t] + p12 + p34;
      y[4 * t + i1] = n12 + 2.f * n34;
      y[4 * t + i2] = p12 + 4.f * p34;
      y[4 * t + i3] = n12 + 8.f * n34 + m5[t];
    }
}

static void
vertical_out_f4 (const float *const *in,
                 float *const       *out,
                 gsize               n,
                 float               bias)
{
  const float *restrict m0 = in[0], *restrict m1 = in[1], *restrict m2 = in[2];
  const float *restrict m3 = in[3], *restrict m4 = in[4], *restrict m5 = in[5];
  float *restrict y0 = out[0], *restrict y1 = out[1], *restrict y2 = out[2];
  float *restrict y3 = out[3];

  /* The rows never overlap: no need to check at run time before vectorising. */
IVDEP
  for (gsize q = 0; q < n; q++)
    {
      float p12 = m1[q] + m2[q], n12 = m1[q] - m2[q], p34 = m3[q] + m4[q], n34 = m3[q] - m4[q];

      y0[q] = m0[q] + p12 + p34 + bias;
      y1[q] = n12 + 2.f * n34 + bias;
      y2[q] = p12 + 4.f * p34 + bias;
      y3[q] = n12 + 8.f * n34 + m5[q] + bias;
    }
}

static const double g_f2[4][3] = {
  { 1, 0, 0 }, { 0.5, 0.5, 0.5 }, { 0.5, -0.5, 0.5 }, { 0, 0, 1 },
};

static const double g_f3[5][3] = {
  { 1 / 2., 0, 0 },
  { -1 / 2., -1 / 2., -1 / 2. },
  { -1 / 6., 1 / 6., -1 / 6. },
  { 1 / 6., 1 / 3., 2 / 3. },
  { 0, 0, 1 },
};

static const double g_f4[6][3] = {
  { 1 / 4., 0, 0 },
  { -1 / 6., -1 / 6., -1 / 6. },
  { -1 / 6., 1 / 6., -1 / 6. },
  { 1 / 24., 1 / 12., 1 / 6. },
  { 1 / 24., -1 / 12., 1 / 6. },
  { 0, 0, 1 },
};

const ImpastoWinogradKind impasto_winograd_kinds[] = {
  [IMPASTO_WINOGRAD_2X2] = {
    2, 4, vertical_in_f2, horizontal_in_f2, horizontal_out_f2, vertical_out_f2, g_f2,
  },
  [IMPASTO_WINOGRAD_3X3] = {
    3, 5, vertical_in_f3, horizontal_in_f3, horizontal_out_f3, vertical_out_f3, g_f3,
  },
  [IMPASTO_WINOGRAD_4X4] = {
    4, 6, vertical_in_f4, horizontal_in_f4, horizontal_out_f4, vertical_out_f4, g_f4,
  },
};

