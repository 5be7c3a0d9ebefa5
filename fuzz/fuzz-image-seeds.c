/* fuzz-image-seeds.c: one small file of every kind the image loader meets
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "fuzz-seeds.h"
#include "image-fixtures.h"
#include "impasto-image-io-private.h"
#include "recipe-fixtures.h"

static void
add_text (GPtrArray  *seeds,
          const char *name,
          const char *text)
{
  fuzz_seeds_add (seeds, name, g_bytes_new (text, strlen (text)));
}

/* The formats gdk-pixbuf writes besides PNG and JPEG. */
static void
add_saved (GPtrArray          *seeds,
           const ImpastoImage *image,
           const char         *type)
{
  g_autoptr(GdkPixbuf) pixbuf = impasto_image_wrap_pixbuf (image);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strconcat ("saved.", type, NULL);
  char *buffer = NULL;
  gsize size = 0;

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL))
    g_error ("cannot write a %s seed: %s", type, error->message);
  fuzz_seeds_add (seeds, name, g_bytes_new_take (buffer, size));
}

static void
add_pngs (GPtrArray *seeds)
{
  static const guint16 rgba[] = { 255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 9, 9, 9, 9 };
  static const guint16 gray16[] = { 0, 1000, 30000, 65535 };
  static const guint16 gray_alpha[] = { 10, 255, 200, 0, 90, 128, 255, 255 };

  fuzz_seeds_add (seeds, "rgba.png", fixture_png (2, 2, FIXTURE_PNG_RGBA, 8, rgba));
  fuzz_seeds_add (seeds, "gray16.png", fixture_png (2, 2, FIXTURE_PNG_GRAY, 16, gray16));
  fuzz_seeds_add (seeds, "gray-alpha.png",
                  fixture_png (2, 2, FIXTURE_PNG_GRAY_ALPHA, 8, gray_alpha));
  fuzz_seeds_add (seeds, "rgb16.png", fixture_png (1, 1, FIXTURE_PNG_RGB, 16,
                                                   (const guint16[]) { 1, 60000, 32768 }));
  fuzz_seeds_add (seeds, "bomb.png", fixture_png_claiming (50000, 50000));
}

static GBytes *
png_of (const ImpastoImage *image)
{
  gsize n = impasto_image_get_n_bytes (image);
  g_autofree guint16 *samples = g_new (guint16, n);

  for (gsize i = 0; i < n; i++)
    samples[i] = image->pixels[i];

  return fixture_png (image->width, image->height, FIXTURE_PNG_RGB, 8, samples);
}

static void
add_jpegs (GPtrArray          *seeds,
           const ImpastoImage *image)
{
  g_autoptr(GBytes) jpeg = fixture_jpeg (image, 80);
  guint8 cmyk[4 * 4 * 4];

  for (guint i = 0; i < sizeof cmyk; i++)
    cmyk[i] = (i * 37) & 0xff;

  fuzz_seeds_add (seeds, "plain.jpg", g_bytes_ref (jpeg));
  fuzz_seeds_add (seeds, "rotated.jpg", fixture_jpeg_with_orientation (jpeg, 6));
  fuzz_seeds_add (seeds, "bomb.jpg", fixture_jpeg_claiming (jpeg, 60000, 60000));
  /* Decoded at half its size: the path of a large photo. */
  fuzz_seeds_add (seeds, "reduced.jpg", fixture_jpeg_claiming (jpeg, 12000, 9000));
  fuzz_seeds_add (seeds, "progressive.jpg", fixture_jpeg_quadrants (16, 16, TRUE));
  fuzz_seeds_add (seeds, "cmyk.jpg", fixture_jpeg_cmyk (4, 4, cmyk));
}

/* Formats gdk-pixbuf reads but does not write, written out by hand. */
static void
add_hand_written (GPtrArray *seeds)
{
  static const guint8 tga[] = {
    0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0, 24, 0,
    0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255,
  };

  add_text (seeds, "tiny.ppm", "P3\n2 2\n255\n255 0 0  0 255 0\n0 0 255  255 255 255\n");
  add_text (seeds, "tiny.pgm", "P2 2 1 15 0 15\n");
  add_text (seeds, "tiny.xpm",
            "/* XPM */\nstatic char *x[] = {\"2 2 2 1\", \". c #ff0000\", \"# c None\","
            " \".#\", \"#.\"};\n");
  add_text (seeds, "tiny.xbm",
            "#define t_width 8\n#define t_height 2\nstatic char t_bits[] = { 0x55, 0xaa };\n");
  add_text (seeds, "tiny.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\">"
            "<rect width=\"2\" height=\"3\" fill=\"#f00\"/></svg>");
  fuzz_seeds_add (seeds, "tiny.tga", g_bytes_new_static (tga, sizeof tga));
}

/* Results carrying recipes, good and spoiled, as PNG text chunks and JPEG comments. */
static void
add_results (GPtrArray          *seeds,
             const ImpastoImage *image)
{
  g_autoptr(GdkPixbuf) pixbuf = impasto_image_wrap_pixbuf (image);
  g_autofree char *good = fixture_recipe_text ("/photos/content.png", "/paintings/style.jpg");
  GArray *cases = fixture_bad_recipes (good);
  RecipeCase good_case = { "good", g_strdup (good), NULL };
  char *buffer = NULL;
  gsize size = 0;
  g_autoptr(GBytes) jpeg = NULL;

  g_array_prepend_val (cases, good_case);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", NULL, NULL))
    g_error ("cannot write a JPEG seed");
  jpeg = g_bytes_new_take (buffer, size);

  for (guint i = 0; i < cases->len; i++)
    {
      const RecipeCase *c = &g_array_index (cases, RecipeCase, i);
      g_autofree char *png_name = g_strdup_printf ("recipe-%s.png", c->name);
      g_autofree char *jpeg_name = g_strdup_printf ("recipe-%s.jpg", c->name);

      /* A seed stays small; the limit is tested by the recipe tests. */
      if (strlen (c->text) > 64 * 1024)
        continue;
      fuzz_seeds_add (seeds, jpeg_name, impasto_jpeg_add_recipe (jpeg, c->text));
      /* A PNG text chunk holds text only. */
      if (!g_utf8_validate (c->text, -1, NULL))
        continue;
      if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", NULL,
                                      IMPASTO_PNG_RECIPE_OPTION, c->text, NULL))
        g_error ("cannot write the PNG seed %s", png_name);
      fuzz_seeds_add (seeds, png_name, g_bytes_new_take (buffer, size));
    }
  fixture_bad_recipes_free (cases);
}

GPtrArray *
fuzz_seeds_make (void)
{
  GPtrArray *seeds = fuzz_seeds_new ();
  g_autoptr(ImpastoImage) noise = fixture_noise_image (8, 6, 1);
  const char *saved[] = { "bmp", "ico", "tiff" };

  fuzz_seeds_add (seeds, "noise.png", png_of (noise));
  add_pngs (seeds);
  add_jpegs (seeds, noise);
  fuzz_seeds_add (seeds, "two-frames.gif", fixture_gif_two_frames (8, 6, 4, 4));
  for (guint i = 0; i < G_N_ELEMENTS (saved); i++)
    add_saved (seeds, noise, saved[i]);
  add_hand_written (seeds);
  add_results (seeds, noise);

  return seeds;
}
