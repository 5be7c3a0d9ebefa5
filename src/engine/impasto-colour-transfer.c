/* impasto-colour-transfer.c: Gatys et al. 2017's luminance-only transfer, after the run
 *
 * "Controlling Perceptual Factors in Neural Style Transfer" keeps the photo's colours by
 * combining the painting's luminance with the photo's chroma, in YIQ. YIQ and YUV share
 * BT.601's luma Y = 0.299 R + 0.587 G + 0.114 B, and in both the chroma rows sum to zero, so
 * the first column of either inverse is (1, 1, 1): the RGB of (Y_painting, chroma_photo) is
 * the photo's RGB plus Y_painting - Y_photo in every channel. That is what is computed, in
 * double precision before the one rounding; the tests go the long way, through the matrices.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-colour-transfer.h"

static double
luma (const guint8 *rgb)
{
  return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
}

void
impasto_image_keep_colours (ImpastoImage       *image,
                            const ImpastoImage *colours)
{
  gsize n;

  g_return_if_fail (image != NULL && colours != NULL);
  g_return_if_fail (image->width == colours->width && image->height == colours->height);

  n = (gsize) image->width * image->height;
  for (gsize i = 0; i < n; i++)
    {
      guint8 *out = image->pixels + 3 * i;
      const guint8 *photo = colours->pixels + 3 * i;
      double shift = luma (out) - luma (photo);

      for (guint c = 0; c < 3; c++)
        out[c] = (guint8) CLAMP (floor (photo[c] + shift + 0.5), 0, 255);
    }
}

void
impasto_pixels16_keep_colours (guint16            *rgb,
                               const ImpastoImage *colours)
{
  gsize n;

  g_return_if_fail (rgb != NULL && colours != NULL);

  n = (gsize) colours->width * colours->height;
  for (gsize i = 0; i < n; i++)
    {
      guint16 *out = rgb + 3 * i;
      const guint8 *photo = colours->pixels + 3 * i;
      double shift = 0.299 * out[0] + 0.587 * out[1] + 0.114 * out[2] - 257 * luma (photo);

      for (guint c = 0; c < 3; c++)
        out[c] = (guint16) CLAMP (floor (257 * photo[c] + shift + 0.5), 0, 65535);
    }
}

/* A small ridge keeps a flat image's covariance (a grey painting's has rank 1) invertible;
 * in 8-bit units squared it changes nothing a pixel shows. */
#define RIDGE 1e-3

static void
mean_and_covariance (const ImpastoImage *image,
                     double              mean[3],
                     double              cov[3][3])
{
  gsize n = (gsize) image->width * image->height;

  memset (mean, 0, 3 * sizeof (double));
  memset (cov, 0, 9 * sizeof (double));
  for (gsize i = 0; i < n; i++)
    for (guint c = 0; c < 3; c++)
      mean[c] += image->pixels[3 * i + c];
  for (guint c = 0; c < 3; c++)
    mean[c] /= n;
  for (gsize i = 0; i < n; i++)
    for (guint r = 0; r < 3; r++)
      for (guint c = 0; c < 3; c++)
        cov[r][c] += (image->pixels[3 * i + r] - mean[r]) * (image->pixels[3 * i + c] - mean[c]);
  for (guint r = 0; r < 3; r++)
    for (guint c = 0; c < 3; c++)
      cov[r][c] = cov[r][c] / n + (r == c ? RIDGE : 0);
}

/* Lower-triangular l with l l^T = a (not changed); a is symmetric positive definite (the ridge sees to it). */
static void
cholesky (double       a[3][3],
          double       l[3][3])
{
  memset (l, 0, 9 * sizeof (double));
  for (guint j = 0; j < 3; j++)
    {
      double d = a[j][j];

      for (guint k = 0; k < j; k++)
        d -= l[j][k] * l[j][k];
      l[j][j] = sqrt (MAX (d, RIDGE));
      for (guint i = j + 1; i < 3; i++)
        {
          double v = a[i][j];

          for (guint k = 0; k < j; k++)
            v -= l[i][k] * l[j][k];
          l[i][j] = v / l[j][j];
        }
    }
}

/* The inverse of a lower-triangular matrix, by forward substitution. */
static void
lower_inverse (double       l[3][3],
               double       inv[3][3])
{
  memset (inv, 0, 9 * sizeof (double));
  for (guint c = 0; c < 3; c++)
    for (guint r = c; r < 3; r++)
      {
        double v = r == c ? 1 : 0;

        for (guint k = c; k < r; k++)
          v -= l[r][k] * inv[k][c];
        inv[r][c] = v / l[r][r];
      }
}

void
impasto_image_match_colours_linear (ImpastoImage       *style,
                                    const ImpastoImage *photo,
                                    double              matrix[3][3],
                                    double              offset[3])
{
  double mu_s[3], mu_c[3], cov_s[3][3], cov_c[3][3], l_s[3][3], l_c[3][3], l_s_inv[3][3];
  double a[3][3] = { { 0 } }, b[3];
  gsize n;

  g_return_if_fail (style != NULL && photo != NULL);

  mean_and_covariance (style, mu_s, cov_s);
  mean_and_covariance (photo, mu_c, cov_c);
  cholesky (cov_s, l_s);
  cholesky (cov_c, l_c);
  lower_inverse (l_s, l_s_inv);
  for (guint r = 0; r < 3; r++)
    for (guint c = 0; c < 3; c++)
      for (guint k = 0; k < 3; k++)
        a[r][c] += l_c[r][k] * l_s_inv[k][c];
  for (guint r = 0; r < 3; r++)
    b[r] = mu_c[r] - (a[r][0] * mu_s[0] + a[r][1] * mu_s[1] + a[r][2] * mu_s[2]);

  n = (gsize) style->width * style->height;
  for (gsize i = 0; i < n; i++)
    {
      guint8 *p = style->pixels + 3 * i;
      double x[3] = { p[0], p[1], p[2] };

      for (guint r = 0; r < 3; r++)
        p[r] = (guint8) CLAMP (floor (a[r][0] * x[0] + a[r][1] * x[1] + a[r][2] * x[2] + b[r]
                                      + 0.5), 0, 255);
    }

  if (matrix != NULL)
    memcpy (matrix, a, sizeof a);
  if (offset != NULL)
    memcpy (offset, b, sizeof b);
}

/* counts[c][v + 1] becomes the number of pixels of channel c at v or below. */
static void
cumulative_counts (const ImpastoImage *image,
                   guint64             counts[3][257])
{
  gsize n = (gsize) image->width * image->height;

  memset (counts, 0, 3 * 257 * sizeof (guint64));
  for (gsize i = 0; i < n; i++)
    for (guint c = 0; c < 3; c++)
      counts[c][image->pixels[3 * i + c] + 1]++;
  for (guint c = 0; c < 3; c++)
    for (guint v = 1; v < 257; v++)
      counts[c][v] += counts[c][v - 1];
}

void
impasto_image_match_colours_histogram (ImpastoImage       *style,
                                       const ImpastoImage *photo)
{
  guint64 style_counts[3][257], photo_counts[3][257];
  guint8 map[3][256];
  guint64 n_style, n_photo;
  gsize n;

  g_return_if_fail (style != NULL && photo != NULL);

  cumulative_counts (style, style_counts);
  cumulative_counts (photo, photo_counts);
  n_style = style_counts[0][256];
  n_photo = photo_counts[0][256];
  for (guint c = 0; c < 3; c++)
    {
      guint u = 0;

      /* Shares compared exactly, as counts across: S(v) / n_s <= P(u) / n_c. */
      for (guint v = 0; v < 256; v++)
        {
          while (u < 255 && photo_counts[c][u + 1] * n_style < style_counts[c][v + 1] * n_photo)
            u++;
          map[c][v] = (guint8) u;
        }
    }

  n = (gsize) style->width * style->height;
  for (gsize i = 0; i < n; i++)
    for (guint c = 0; c < 3; c++)
      style->pixels[3 * i + c] = map[c][style->pixels[3 * i + c]];
}
