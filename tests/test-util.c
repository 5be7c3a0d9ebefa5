/* test-util.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <gio/gio.h>

#include "impasto-fixture.h"
#include "test-util.h"

ImpastoImage *
test_make_image (guint   width,
                 guint   height,
                 guint32 seed)
{
  ImpastoImage *image = impasto_image_new (width, height);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double fx[3], fy[3], phase[3];

  for (guint c = 0; c < 3; c++)
    {
      fx[c] = g_rand_double_range (rand, 0.05, 0.6);
      fy[c] = g_rand_double_range (rand, 0.05, 0.6);
      phase[c] = g_rand_double_range (rand, 0, 6.3);
    }

  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      for (guint c = 0; c < 3; c++)
        {
          double v = 128 + 80 * sin (fx[c] * x + phase[c]) * cos (fy[c] * y)
                     + g_rand_double_range (rand, -30, 30);

          image->pixels[3 * ((gsize) y * width + x) + c] = (guint8) CLAMP (v, 0, 255);
        }

  return image;
}

char *
test_write_model (const char *dir,
                  guint       factor,
                  guint32     seed)
{
  ImpastoFixtureOptions options;
  g_autofree char *name = g_strdup_printf ("vgg19-f%u-s%u.mat", factor, seed);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  impasto_fixture_options_init (&options);
  options.factor = factor;
  options.seed = seed;
  impasto_fixture_write (path, &options, &error);
  g_assert_no_error (error);

  return path;
}

/* The bytes of such a model, for a server to send; nothing is left on disk. */
GBytes *
test_make_model_bytes (guint   factor,
                       guint32 seed)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autofree char *path = test_write_model (dir, factor, seed);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize size = 0;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  test_remove_tree (dir);

  return g_bytes_new_take (contents, size);
}

char *
test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("impasto-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_recursively (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFile *child;

      while (g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
        remove_recursively (child);
    }
  g_file_delete (file, NULL, NULL);
}

void
test_remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  remove_recursively (file);
}

char *
test_sha256_of_file (const char *path)
{
  g_autofree char *bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  g_file_get_contents (path, &bytes, &size, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) bytes, size);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
test_median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return values->len > 0 ? g_array_index (values, double, values->len / 2) : 0.0;
}
