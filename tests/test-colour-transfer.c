/* test-colour-transfer.c: the photo's colours kept, against YIQ and YUV done the long way in
 * double precision (each matrix, and its inverse computed here), and in a run
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "impasto-colour-transfer.h"
#include "impasto-run.h"
#include "test-util.h"

/* NTSC's YIQ, and BT.601's analogue YUV from its definition, U = 0.492 (B - Y) and
 * V = 0.877 (R - Y) (its usual five-digit rows do not quite sum to zero): RGB to luma and two
 * chroma rows. */
static const double yiq[3][3] = {
  { 0.299, 0.587, 0.114 },
  { 0.595716, -0.274453, -0.321263 },
  { 0.211456, -0.522591, 0.311135 },
};
static const double yuv[3][3] = {
  { 0.299, 0.587, 0.114 },
  { 0.492 * -0.299, 0.492 * -0.587, 0.492 * 0.886 },
  { 0.877 * 0.701, 0.877 * -0.587, 0.877 * -0.114 },
};

/* By cofactors over the determinant. */
static void
invert (const double m[3][3],
        double       inverse[3][3])
{
  double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
             - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
             + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);

  for (guint r = 0; r < 3; r++)
    for (guint c = 0; c < 3; c++)
      {
        /* The cofactor of m[c][r], its minor's rows and columns taken cyclically. */
        guint r1 = (c + 1) % 3, r2 = (c + 2) % 3, c1 = (r + 1) % 3, c2 = (r + 2) % 3;

        inverse[r][c] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
      }
}

/* m: a 3x3 matrix, row-major. */
static void
apply (const double *m,
       const double *in,
       double       *out)
{
  for (guint r = 0; r < 3; r++)
    out[r] = m[3 * r] * in[0] + m[3 * r + 1] * in[1] + m[3 * r + 2] * in[2];
}

/* The painting's Y, the photo's two chroma, back to RGB: not yet rounded or clamped. */
static void
twin_pixel (const double  m[3][3],
            const guint8 *painting,
            const guint8 *photo,
            double       *rgb)
{
  double inverse[3][3], p[3], q[3], a[3], b[3], mixed[3];

  invert (m, inverse);
  for (guint c = 0; c < 3; c++)
    {
      p[c] = painting[c];
      q[c] = photo[c];
    }
  apply (&m[0][0], p, a);
  apply (&m[0][0], q, b);
  mixed[0] = a[0];
  mixed[1] = b[1];
  mixed[2] = b[2];
  apply (&inverse[0][0], mixed, rgb);
}

/* Rounded to nearest and clamped; within 1e-6 of a half either way. */
static void
assert_rounds_to (double value,
                  guint8 byte)
{
  double near = CLAMP (floor (value + 0.5), 0, 255);

  if (fabs (value - floor (value) - 0.5) < 1e-6 && value > 0 && value < 255)
    g_assert_cmpfloat (fabs (byte - value), <=, 0.5 + 1e-6);
  else
    g_assert_cmpfloat (byte, ==, near);
}

static void
assert_like_twin (const double m[3][3])
{
  g_autoptr(ImpastoImage) painting = test_make_image (31, 17, 1);
  g_autoptr(ImpastoImage) photo = test_make_image (31, 17, 2);
  g_autoptr(ImpastoImage) result = impasto_image_copy (painting);

  impasto_image_keep_colours (result, photo);
  for (gsize i = 0; i < (gsize) 31 * 17; i++)
    {
      double rgb[3];

      twin_pixel (m, painting->pixels + 3 * i, photo->pixels + 3 * i, rgb);
      for (guint c = 0; c < 3; c++)
        assert_rounds_to (rgb[c], result->pixels[3 * i + c]);
    }
}

static void
test_like_yiq (void)
{
  assert_like_twin (yiq);
}

/* The same luma and chroma rows that sum to zero: YUV gives what YIQ gives. */
static void
test_like_yuv (void)
{
  assert_like_twin (yuv);
}

/* The twin's own check: each matrix and its inverse give an image back, and a painting that
 * is the photo keeps every byte. */
static void
test_round_trip (void)
{
  g_autoptr(ImpastoImage) photo = test_make_image (20, 9, 3);
  g_autoptr(ImpastoImage) same = impasto_image_copy (photo);
  const double (*matrices[])[3] = { yiq, yuv };

  for (guint k = 0; k < G_N_ELEMENTS (matrices); k++)
    {
      double inverse[3][3];

      invert (matrices[k], inverse);
      for (gsize i = 0; i < impasto_image_get_n_bytes (photo); i += 3)
        {
          double rgb[3], t[3], back[3];

          for (guint c = 0; c < 3; c++)
            rgb[c] = photo->pixels[i + c];
          apply (&matrices[k][0][0], rgb, t);
          apply (&inverse[0][0], t, back);
          for (guint c = 0; c < 3; c++)
            g_assert_cmpfloat (fabs (back[c] - rgb[c]), <, 1e-9);
        }
    }

  impasto_image_keep_colours (same, photo);
  g_assert_cmpmem (same->pixels, impasto_image_get_n_bytes (same), photo->pixels,
                   impasto_image_get_n_bytes (photo));
}

/* A grey photo has no chroma to give: the result is grey, at the painting's luma. */
static void
test_grey_photo (void)
{
  g_autoptr(ImpastoImage) painting = test_make_image (16, 16, 4);
  g_autoptr(ImpastoImage) photo = test_make_image (16, 16, 5);

  for (gsize i = 0; i < impasto_image_get_n_bytes (photo); i += 3)
    memset (photo->pixels + i, photo->pixels[i], 3);
  impasto_image_keep_colours (painting, photo);
  for (gsize i = 0; i < impasto_image_get_n_bytes (painting); i += 3)
    {
      g_assert_cmpuint (painting->pixels[i], ==, painting->pixels[i + 1]);
      g_assert_cmpuint (painting->pixels[i], ==, painting->pixels[i + 2]);
    }
}

typedef struct
{
  GPtrArray *snapshots;
} Snapshots;

static void
keep_snapshot (const ImpastoProgress *progress,
               gpointer               user_data)
{
  Snapshots *s = user_data;

  if (progress->snapshot != NULL)
    g_ptr_array_add (s->snapshots, impasto_image_copy (progress->snapshot));
}

static GPtrArray *
run_snapshots (ImpastoNetwork         *network,
               const ImpastoRunParams *params,
               const ImpastoImage     *content,
               const ImpastoImage     *style,
               ImpastoImage          **result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoRun) run = impasto_run_new (network, params, content, style, &error);
  Snapshots s = { g_ptr_array_new_with_free_func ((GDestroyNotify) impasto_image_free) };

  g_assert_no_error (error);
  g_assert_true (impasto_run_execute (run, keep_snapshot, &s, NULL, &error));
  g_assert_no_error (error);
  *result = impasto_run_dup_image (run);

  return s.snapshots;
}

/* The transfer only changes what the run gives out: each snapshot and the result are those of
 * the same run without it, with the photo's colours put back. */
static void
test_run_keeps_colours (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autofree char *model = test_write_model (dir, 16, 3);
  g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();
  g_autoptr(ImpastoImage) content = test_make_image (24, 17, 11);
  g_autoptr(ImpastoImage) style = test_make_image (24, 17, 12);
  g_autoptr(ImpastoImage) plain_result = NULL;
  g_autoptr(ImpastoImage) kept_result = NULL;
  g_autoptr(GPtrArray) plain = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) layers = NULL;
  ImpastoNetwork *network;

  params->width = 24;
  params->height = 17;
  params->steps = 6;
  params->snapshot_every = 3;
  layers = impasto_run_params_get_loss_layers (params);
  network = impasto_network_load (model, (const char * const *) layers, &error);
  g_assert_no_error (error);

  plain = run_snapshots (network, params, content, style, &plain_result);
  params->original_colours = IMPASTO_ORIGINAL_COLOURS_YES;
  kept = run_snapshots (network, params, content, style, &kept_result);
  g_ptr_array_add (plain, g_steal_pointer (&plain_result));
  g_ptr_array_add (kept, g_steal_pointer (&kept_result));

  g_assert_cmpuint (plain->len, ==, 4);   /* steps 3 and 6, the end, the result */
  g_assert_cmpuint (kept->len, ==, plain->len);
  for (guint i = 0; i < plain->len; i++)
    {
      ImpastoImage *expected = plain->pdata[i];
      ImpastoImage *image = kept->pdata[i];

      impasto_image_keep_colours (expected, content);
      g_assert_cmpmem (image->pixels, impasto_image_get_n_bytes (image), expected->pixels,
                       impasto_image_get_n_bytes (expected));
    }

  impasto_network_unref (network);
  test_remove_tree (dir);
}

/* The twin's statistics, in double, of n RGB triples. */
static void
stats (const double *x,
       gsize         n,
       double        mean[3],
       double        cov[3][3])
{
  for (guint r = 0; r < 3; r++)
    {
      mean[r] = 0;
      for (gsize i = 0; i < n; i++)
        mean[r] += x[3 * i + r] / n;
    }
  for (guint r = 0; r < 3; r++)
    for (guint c = 0; c < 3; c++)
      {
        cov[r][c] = 0;
        for (gsize i = 0; i < n; i++)
          cov[r][c] += (x[3 * i + r] - mean[r]) * (x[3 * i + c] - mean[c]) / n;
      }
}

static double *
image_to_doubles (const ImpastoImage *image)
{
  gsize n = impasto_image_get_n_bytes (image);
  double *x = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    x[i] = image->pixels[i];

  return x;
}

/* A photo of muted, correlated colours and a painting of others, so that neither clips. */
static ImpastoImage *
tinted (guint   seed,
        double  r_from_g,
        guint8  base)
{
  ImpastoImage *image = test_make_image (40, 30, seed);

  for (gsize i = 0; i < impasto_image_get_n_bytes (image); i += 3)
    {
      guint8 *p = image->pixels + i;

      p[1] = base + p[1] / 4;
      p[0] = (guint8) (base / 2 + r_from_g * p[1] + p[0] / 8);
      p[2] = base + p[2] / 3;
    }

  return image;
}

/* The map the linear match applies, in double on the painting's pixels, gives the photo's
 * mean and covariance to 1e-6 relative, once the ridge of 1e-3 on both diagonals is counted;
 * the 8-bit image it writes, to its rounding: the means within 0.05, the covariances within
 * 1 (rounding adds about 1/12, and over 1200 pixels its chance correlation with the colours
 * a little more). */
static void
test_linear_match (void)
{
  g_autoptr(ImpastoImage) photo = tinted (21, 0.8, 40);
  g_autoptr(ImpastoImage) style = tinted (22, -0.2, 90);
  g_autofree double *x = image_to_doubles (style);
  g_autofree double *c = image_to_doubles (photo);
  g_autofree double *mapped = NULL;
  g_autofree double *written = NULL;
  double a[3][3], b[3], mu_c[3], cov_c[3][3], mu[3], cov[3][3];
  gsize n = (gsize) style->width * style->height;

  impasto_image_match_colours_linear (style, photo, a, b);
  mapped = g_new (double, 3 * n);
  for (gsize i = 0; i < n; i++)
    apply (&a[0][0], x + 3 * i, mapped + 3 * i);
  for (gsize i = 0; i < 3 * n; i++)
    mapped[i] += b[i % 3];

  stats (c, n, mu_c, cov_c);
  stats (mapped, n, mu, cov);
  for (guint r = 0; r < 3; r++)
    {
      g_assert_cmpfloat_with_epsilon (mu[r], mu_c[r], 1e-6);
      for (guint k = 0; k < 3; k++)
        {
          /* The ridge e added to both diagonals: A (S + e I) A^T = C + e I. */
          double aat = a[r][0] * a[k][0] + a[r][1] * a[k][1] + a[r][2] * a[k][2];
          double expected = cov_c[r][k] + 1e-3 * ((r == k) - aat);

          g_assert_cmpfloat_with_epsilon (cov[r][k], expected, 1e-6 * (1 + fabs (expected)));
        }
    }
  /* Lower-triangular factors: A is lower-triangular too. */
  g_assert_cmpfloat (a[0][1], ==, 0);
  g_assert_cmpfloat (a[0][2], ==, 0);
  g_assert_cmpfloat (a[1][2], ==, 0);

  written = image_to_doubles (style);
  stats (written, n, mu, cov);
  for (guint r = 0; r < 3; r++)
    {
      g_assert_cmpfloat_with_epsilon (mu[r], mu_c[r], 0.05);
      for (guint k = 0; k < 3; k++)
        g_assert_cmpfloat_with_epsilon (cov[r][k], cov_c[r][k], 1.0);
    }
}

/* A grey painting (a covariance of rank 1) still maps, to finite colours. */
static void
test_linear_match_grey (void)
{
  g_autoptr(ImpastoImage) photo = tinted (23, 0.5, 50);
  g_autoptr(ImpastoImage) style = test_make_image (40, 30, 24);
  double a[3][3], b[3];

  for (gsize i = 0; i < impasto_image_get_n_bytes (style); i += 3)
    memset (style->pixels + i, style->pixels[i], 3);
  impasto_image_match_colours_linear (style, photo, a, b);
  for (guint r = 0; r < 3; r++)
    {
      g_assert_true (isfinite (b[r]));
      for (guint k = 0; k < 3; k++)
        g_assert_true (isfinite (a[r][k]));
    }
}

/* shares[c][v]: the share of pixels of channel c at v or below. */
static void
cdf (const ImpastoImage *image,
     double              shares[3][256],
     double             *largest_bin)
{
  gsize n = (gsize) image->width * image->height;
  double bins[3][256] = { { 0 } };

  for (gsize i = 0; i < n; i++)
    for (guint c = 0; c < 3; c++)
      bins[c][image->pixels[3 * i + c]] += 1.0 / n;
  *largest_bin = 0;
  for (guint c = 0; c < 3; c++)
    for (guint v = 0; v < 256; v++)
      {
        shares[c][v] = bins[c][v] + (v > 0 ? shares[c][v - 1] : 0);
        *largest_bin = MAX (*largest_bin, bins[c][v]);
      }
}

/* Each channel of the matched painting has the photo's cumulative histogram, short of it by
 * at most one bin of the painting's (a bin of the painting cannot be split): at every level
 * u, P(u) - largest bin <= M(u) <= P(u). Different sizes on purpose. */
static void
test_histogram_match (void)
{
  g_autoptr(ImpastoImage) photo = tinted (25, 0.8, 40);
  g_autoptr(ImpastoImage) style = test_make_image (57, 23, 26);
  double p[3][256], m[3][256], s[3][256], photo_bin, matched_bin, style_bin;

  cdf (style, s, &style_bin);
  impasto_image_match_colours_histogram (style, photo);
  cdf (photo, p, &photo_bin);
  cdf (style, m, &matched_bin);
  for (guint c = 0; c < 3; c++)
    for (guint u = 0; u < 256; u++)
      {
        g_assert_cmpfloat (m[c][u], <=, p[c][u] + 1e-9);
        g_assert_cmpfloat (m[c][u], >=, p[c][u] - style_bin - 1e-9);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/impasto/engine/colour/like-yiq", test_like_yiq);
  g_test_add_func ("/impasto/engine/colour/like-yuv", test_like_yuv);
  g_test_add_func ("/impasto/engine/colour/round-trip", test_round_trip);
  g_test_add_func ("/impasto/engine/colour/grey-photo", test_grey_photo);
  g_test_add_func ("/impasto/engine/colour/run-keeps-colours", test_run_keeps_colours);
  g_test_add_func ("/impasto/engine/colour/linear-match", test_linear_match);
  g_test_add_func ("/impasto/engine/colour/linear-match-grey", test_linear_match_grey);
  g_test_add_func ("/impasto/engine/colour/histogram-match", test_histogram_match);

  return g_test_run ();
}
