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

  return g_test_run ();
}
