/* test-cli.c: impasto-cli end to end, as a user runs it
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cli-runner.h"
#include "impasto-image-io.h"
#include "impasto-params.h"
#include "impasto-preset.h"
#include "impasto-session.h"
#include "test-util.h"

#define WIDTH  40
#define HEIGHT 28

typedef struct
{
  char *dir;
  char *model;
  char *content;
  char *style;
  char *output;
} Fixture;

static void
write_image (const char *path,
             guint       width,
             guint       height,
             guint32     seed)
{
  g_autoptr(ImpastoImage) image = test_make_image (width, height, seed);
  g_autoptr(GError) error = NULL;

  impasto_image_save (image, path, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_make_tmpdir ();
  f->model = test_write_model (f->dir, 16, 5);
  f->content = g_build_filename (f->dir, "content.png", NULL);
  f->style = g_build_filename (f->dir, "style.jpg", NULL);
  f->output = g_build_filename (f->dir, "out.png", NULL);
  /* Neither image is at the output size, so both go through resizing. */
  write_image (f->content, 60, 40, 1);
  write_image (f->style, 33, 51, 2);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->model);
  g_free (f->content);
  g_free (f->style);
  g_free (f->output);
}

static CliResult
run_cli (Fixture    *f,
         const char *first,
         ...)
{
  g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->dir);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("IMPASTO_CLI"));
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return cli_run (l, (const char * const *) argv->pdata);
}

static void
assert_png (const char *path,
            int         width,
            int         height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
}

/* The log starts with the run's recipe, as comment lines; returns what follows them. */
static const char *
skip_recipe (const char *text)
{
  g_autoptr(GString) recipe = g_string_new (NULL);
  g_autoptr(ImpastoRecipe) parsed = NULL;
  g_autoptr(GError) error = NULL;
  const char *line = text;

  while (*line == '#')
    {
      const char *end = strchr (line, '\n');

      g_assert_nonnull (end);
      g_assert_true (line[1] == ' ' || line[1] == '\n');
      if (line[1] == ' ')
        g_string_append_len (recipe, line + 2, end + 1 - (line + 2));
      else
        g_string_append_c (recipe, '\n');
      line = end + 1;
    }
  parsed = impasto_recipe_from_text (recipe->str, recipe->len, &error);
  g_assert_no_error (error);

  return line;
}

/* Returns the total loss column; checks every row's shape and the step sequence. */
static GArray *
parse_log (const char *path,
           guint       steps)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *totals = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (g_strchomp ((char *) skip_recipe (text)), "\n", -1);
  g_assert_cmpstr (lines[0], ==, "step,total,content,style,tv,seconds,scale,evaluations");
  g_assert_cmpuint (g_strv_length (lines), ==, steps + 2);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);
      double values[8];

      g_assert_cmpuint (g_strv_length (fields), ==, 8);
      for (guint k = 0; k < 8; k++)
        {
          char *end;

          values[k] = g_ascii_strtod (fields[k], &end);
          g_assert_true (*end == '\0' && end != fields[k]);
        }
      g_assert_cmpfloat (values[0], ==, i - 1);
      g_assert_cmpfloat (values[1], >, 0);
      g_assert_cmpfloat (values[4], >, 0);     /* no image here is flat */
      g_assert_cmpfloat (values[5], >=, 0);
      g_assert_cmpfloat (values[6], ==, 0);    /* one scale */
      g_assert_cmpfloat (values[7], >=, i);    /* evaluations so far */
      g_array_append_val (totals, values[1]);
    }

  return totals;
}

static GArray *
seed_exact_totals (Fixture    *f,
                   const char *style,
                   const char *name,
                   const char *style_scale)
{
  g_autofree char *log = g_build_filename (f->dir, name, NULL);
  g_auto(CliResult) r = run_cli (f, "--content", f->content, "--style", style,
                                 "--output", f->output, "--model", f->model,
                                 "--width", "40", "--height", "28", "--preset", "seed-exact",
                                 "--steps", "4", "--threads", "1", "--log", log,
                                 style_scale != NULL ? "--style-scale" : NULL, style_scale,
                                 NULL);

  g_assert_cmpint (r.status, ==, 0);
  return parse_log (log, 4);
}

static void
assert_same_totals (GArray *a,
                    GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpfloat (g_array_index (a, double, i), ==, g_array_index (b, double, i));
}

/* Seed-exact stretches the painting to the output, as the seed: on a painting of the
 * output's proportions that is style scale 1 to the bit, and on the fixture's tall one
 * (33x51 against 40x28) it is not. --style-scale goes into the recipe, which makes the same
 * picture again. */
static void
test_style_scale (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *twice = g_build_filename (f->dir, "twice.png", NULL);
  g_autofree char *again = g_build_filename (f->dir, "again.png", NULL);
  g_autofree char *first_sum = NULL;
  g_autofree char *again_sum = NULL;
  g_autoptr(GArray) stretched = NULL;
  g_autoptr(GArray) scaled = NULL;
  g_autoptr(GArray) tall_stretched = NULL;
  g_autoptr(GArray) tall_scaled = NULL;
  g_autoptr(ImpastoRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CliResult) remade = { 0 };
  g_auto(CliResult) tiny = { 0 };

  write_image (twice, 2 * WIDTH, 2 * HEIGHT, 3);
  stretched = seed_exact_totals (f, twice, "stretched.csv", NULL);
  scaled = seed_exact_totals (f, twice, "scaled.csv", "1");
  assert_same_totals (stretched, scaled);

  tall_stretched = seed_exact_totals (f, f->style, "tall-stretched.csv", NULL);
  tall_scaled = seed_exact_totals (f, f->style, "tall-scaled.csv", "1");
  g_assert_cmpfloat (g_array_index (tall_stretched, double, 0), !=,
                     g_array_index (tall_scaled, double, 0));
  recipe = impasto_recipe_load_file (f->output, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (recipe->params->style_scale, ==, 1);
  remade = run_cli (f, "--recipe", f->output, "--output", again, "--model", f->model, NULL);
  g_assert_cmpint (remade.status, ==, 0);
  first_sum = test_sha256_of_file (f->output);
  again_sum = test_sha256_of_file (again);
  g_assert_cmpstr (first_sum, ==, again_sum);

  /* 0.2 sqrt (1120 / 1683) = 0.163: 5x8 */
  tiny = run_cli (f, "--content", f->content, "--style", f->style, "--output", f->output,
                  "--model", f->model, "--width", "40", "--height", "28", "--steps", "2",
                  "--style-scale", "0.2", NULL);
  g_assert_cmpint (tiny.status, ==, 1);
  g_assert_nonnull (strstr (tiny.err, "At style scale 0.2 the style image would be 5×8 "
                            "pixels, under the least of 16 a side; choose a larger style "
                            "scale"));
}

static void
test_end_to_end (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *snaps = g_build_filename (f->dir, "snaps", NULL);
  g_autofree char *log = g_build_filename (f->dir, "log.csv", NULL);
  g_autoptr(GArray) totals = NULL;
  g_auto(CliResult) r = run_cli (f, "--content", f->content, "--style", f->style,
                                 "--output", f->output, "--model", f->model,
                                 "--width", "40", "--height", "28",
                                 "--steps", "30", "--snapshot-every", "10", "--snapshot-dir", snaps,
                                 "--log", log, "--threads", "1", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "step 30/30"));
  assert_png (f->output, WIDTH, HEIGHT);
  for (guint step = 0; step <= 30; step += 10)
    {
      g_autofree char *name = g_strdup_printf ("step-%05u.png", step);
      g_autofree char *path = g_build_filename (snaps, name, NULL);

      assert_png (path, WIDTH, HEIGHT);
    }

  totals = parse_log (log, 30);
  g_assert_cmpfloat (g_array_index (totals, double, 30), <,
                     0.9 * g_array_index (totals, double, 0));
}

/* The starting image a run shows at step 0, as its first snapshot; the result's recipe. */
static ImpastoImage *
start_of_run (Fixture       *f,
              const char    *name,
              ImpastoRecipe **recipe,
              const char    *first,
              ...)
{
  g_autofree char *snaps = g_build_filename (f->dir, name, NULL);
  g_autofree char *output = g_strdup_printf ("%s/from-%s.png", f->dir, name);
  g_autofree char *step0 = g_build_filename (snaps, "step-00000.png", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->dir);
  g_autoptr(GError) error = NULL;
  g_auto(CliResult) r = { 0 };
  ImpastoImage *image;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("IMPASTO_CLI"));
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (args);
  {
    const char *rest[] = { "--content", f->content, "--style", f->style, "--output", output,
                           "--model", f->model, "--width", "40", "--height", "28",
                           "--steps", "1", "--snapshot-every", "1", "--snapshot-dir", snaps,
                           "--threads", "1", NULL };

    for (guint i = 0; rest[i] != NULL; i++)
      g_ptr_array_add (argv, (char *) rest[i]);
  }
  g_ptr_array_add (argv, NULL);
  r = cli_run (l, (const char * const *) argv->pdata);
  if (r.status != 0)
    g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);

  image = impasto_image_load (step0, &error);
  g_assert_no_error (error);
  if (recipe != NULL)
    {
      *recipe = impasto_recipe_load_file (output, &error);
      g_assert_no_error (error);
    }
  return image;
}

static void
assert_same_image (const ImpastoImage *a,
                   const ImpastoImage *b)
{
  g_assert_cmpuint (a->width, ==, b->width);
  g_assert_cmpuint (a->height, ==, b->height);
  g_assert_cmpmem (a->pixels, impasto_image_get_n_bytes (a), b->pixels,
                   impasto_image_get_n_bytes (b));
}

/* --init: the photo itself, the seed's noise alone, the seed's blend, or a picture resized
 * to the output; each recipe says which, and makes the same start again. */
static void
test_init (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *picture = g_build_filename (f->dir, "start.png", NULL);
  g_autoptr(ImpastoImage) content = impasto_image_load (f->content, NULL);
  g_autoptr(ImpastoImage) content_sized = impasto_image_resize (content, WIDTH, HEIGHT);
  g_autoptr(ImpastoImage) from_content = NULL, from_random = NULL, from_noise_1 = NULL;
  g_autoptr(ImpastoImage) from_noise = NULL, by_default = NULL, by_seed = NULL, from_picture = NULL;
  g_autoptr(ImpastoImage) again = NULL, picture_image = NULL, picture_sized = NULL;
  g_autoptr(ImpastoRecipe) content_recipe = NULL, picture_recipe = NULL;
  g_autofree char *picture_output = g_build_filename (f->dir, "from-picture.png", NULL);
  g_autofree char *sha256 = NULL;

  write_image (picture, 50, 35, 9);
  picture_image = impasto_image_load_full (picture, &sha256, NULL, NULL);
  picture_sized = impasto_image_resize (picture_image, WIDTH, HEIGHT);

  from_content = start_of_run (f, "content", &content_recipe, "--init", "content", NULL);
  assert_same_image (from_content, content_sized);
  g_assert_cmpint (content_recipe->params->init, ==, IMPASTO_INIT_CONTENT);

  /* The seed's noise is uniform in [-20, 20] about the mean, 128. */
  from_random = start_of_run (f, "random", NULL, "--init", "random", NULL);
  from_noise_1 = start_of_run (f, "noise-1", NULL, "--init", "noise", "--noise", "1", NULL);
  assert_same_image (from_random, from_noise_1);
  for (gsize i = 0; i < impasto_image_get_n_bytes (from_random); i++)
    {
      g_assert_cmpuint (from_random->pixels[i], >=, 108);
      g_assert_cmpuint (from_random->pixels[i], <=, 148);
    }

  /* Seed-exact starts from the seed's half noise (over the photo resized its own way, which
   * is not what is compared here); with no preset, Balanced from the photo. */
  from_noise = start_of_run (f, "noise", NULL, "--init", "noise", "--noise", "0.5", NULL);
  by_seed = start_of_run (f, "seed-exact", NULL, "--preset", "seed-exact", "--resample", "box",
                          "--seed", "0", NULL);
  assert_same_image (from_noise, by_seed);
  by_default = start_of_run (f, "default", NULL, "--seed", "0", NULL);
  assert_same_image (by_default, content_sized);
  g_assert_true (memcmp (from_noise->pixels, content_sized->pixels,
                         impasto_image_get_n_bytes (content_sized)) != 0);
  g_assert_true (memcmp (from_noise->pixels, from_random->pixels,
                         impasto_image_get_n_bytes (from_random)) != 0);

  /* The last --init wins; a picture goes into the recipe's [Start], by its checksum. */
  from_picture = start_of_run (f, "picture", &picture_recipe, "--init", "content",
                               "--init", picture, NULL);
  assert_same_image (from_picture, picture_sized);
  g_assert_cmpstr (picture_recipe->start.path, ==, picture);
  g_assert_cmpstr (picture_recipe->start.sha256, ==, sha256);
  again = start_of_run (f, "again", NULL, "--recipe", picture_output, NULL);
  assert_same_image (again, picture_sized);
}

/* --steer changes beta at step 4: the losses are the unsteered run's up to there, then the
 * style term weighs ten times as much. */
static void
test_steer (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *plain_log = g_build_filename (f->dir, "plain.csv", NULL);
  g_autofree char *steered_log = g_build_filename (f->dir, "steered.csv", NULL);
  g_autoptr(GArray) plain = NULL;
  g_autoptr(GArray) steered = NULL;
  g_auto(CliResult) a = run_cli (f, "--content", f->content, "--style", f->style,
                                 "--output", f->output, "--model", f->model,
                                 "--width", "40", "--height", "28", "--steps", "8",
                                 "--log", plain_log, NULL);
  g_auto(CliResult) b = run_cli (f, "--content", f->content, "--style", f->style,
                                 "--output", f->output, "--model", f->model,
                                 "--width", "40", "--height", "28", "--steps", "8",
                                 "--steer", "4:beta=5000", "--log", steered_log, NULL);

  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpint (b.status, ==, 0);
  plain = parse_log (plain_log, 8);
  steered = parse_log (steered_log, 8);
  for (guint step = 0; step <= 4; step++)
    g_assert_cmpfloat (g_array_index (steered, double, step), ==,
                       g_array_index (plain, double, step));
  for (guint step = 5; step <= 8; step++)
    g_assert_cmpfloat (g_array_index (steered, double, step), >,
                       2 * g_array_index (plain, double, step));
}

/* A result's recipe, in the result or in a file of its own, makes it again to the byte,
 * steering included; an option after it changes that one field. */
static void
test_recipe (Fixture       *f,
             gconstpointer  data)
{
  const char *formats[] = { "png", "jpg" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *first = g_strdup_printf ("%s/first.%s", f->dir, formats[i]);
      g_autofree char *again = g_strdup_printf ("%s/again.%s", f->dir, formats[i]);
      g_autofree char *from_text = g_strdup_printf ("%s/from-text.%s", f->dir, formats[i]);
      g_autofree char *shorter = g_strdup_printf ("%s/shorter.%s", f->dir, formats[i]);
      g_autofree char *recipe_path = g_build_filename (f->dir, "recipe.txt", NULL);
      g_autofree char *first_sum = NULL;
      g_autofree char *again_sum = NULL;
      g_autofree char *text_sum = NULL;
      g_autofree char *text = NULL;
      g_autoptr(ImpastoImage) image = NULL;
      g_autoptr(ImpastoRecipe) recipe = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(CliResult) a = run_cli (f, "--content", f->content, "--style", f->style,
                                     "--output", first, "--model", f->model, "--width", "40",
                                     "--height", "28", "--steps", "6", "--threads", "2",
                                     "--steer", "3:beta=2000", NULL);
      g_auto(CliResult) b = run_cli (f, "--recipe", first, "--output", again, "--model",
                                     f->model, NULL);
      g_auto(CliResult) c = { 0 };
      g_auto(CliResult) d = { 0 };

      g_assert_cmpint (a.status, ==, 0);
      g_assert_cmpint (b.status, ==, 0);
      first_sum = test_sha256_of_file (first);
      again_sum = test_sha256_of_file (again);
      g_test_message ("%s: made %s, made again %s", formats[i], first_sum, again_sum);
      g_assert_cmpstr (first_sum, ==, again_sum);

      image = impasto_image_load_full (first, NULL, &text, &error);
      g_assert_no_error (error);
      g_assert_true (g_file_set_contents (recipe_path, text, -1, NULL));
      c = run_cli (f, "--recipe", recipe_path, "--output", from_text, "--model", f->model,
                   NULL);
      g_assert_cmpint (c.status, ==, 0);
      text_sum = test_sha256_of_file (from_text);
      g_assert_cmpstr (text_sum, ==, first_sum);

      d = run_cli (f, "--recipe", first, "--steps", "2", "--output", shorter, "--model",
                   f->model, NULL);
      g_assert_cmpint (d.status, ==, 0);
      recipe = impasto_recipe_load_file (shorter, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (recipe->params->steps, ==, 2);
      g_assert_cmpuint (recipe->params->width, ==, 40);
      /* the change at step 3 never came */
      g_assert_cmpuint (recipe->steering->len, ==, 0);
    }
}

/* Names relative to the current folder, for the inputs and for --recipe: the recipe records
 * where the inputs are, and finds them from any folder. */
static void
test_recipe_relative (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *elsewhere = g_build_filename (f->dir, "elsewhere", NULL);
  g_autoptr(GSubprocessLauncher) here = cli_launcher_new (f->dir);
  g_autoptr(GSubprocessLauncher) there = cli_launcher_new (f->dir);
  g_autofree char *first_sum = NULL;
  g_autofree char *again_sum = NULL;
  g_autofree char *again = g_build_filename (elsewhere, "again.png", NULL);
  g_autofree char *first = g_build_filename (f->dir, "first.png", NULL);
  const char *make[] = {
    g_getenv ("IMPASTO_CLI"), "--content", "content.png", "--style", "./style.jpg",
    "--output", "first.png", "--model", f->model, "--width", "40", "--height", "28",
    "--steps", "3", NULL
  };
  const char *remake[] = {
    g_getenv ("IMPASTO_CLI"), "--recipe", "../first.png", "--output", "again.png",
    "--model", f->model, NULL
  };
  g_auto(CliResult) a = { 0 };
  g_auto(CliResult) b = { 0 };

  g_assert_no_errno (g_mkdir (elsewhere, 0755));
  g_subprocess_launcher_set_cwd (here, f->dir);
  g_subprocess_launcher_set_cwd (there, elsewhere);
  a = cli_run (here, make);
  g_assert_cmpint (a.status, ==, 0);
  b = cli_run (there, remake);
  g_assert_cmpint (b.status, ==, 0);
  first_sum = test_sha256_of_file (first);
  again_sum = test_sha256_of_file (again);
  g_assert_cmpstr (first_sum, ==, again_sum);
}

/* A preset picks the optimiser; --scales and --steps still override it. The log then says at
 * which scale each loss was measured: coarse first, the output size last. */
static void
test_preset (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *log = g_build_filename (f->dir, "log.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(CliResult) r = run_cli (f, "--content", f->content, "--style", f->style,
                                 "--output", f->output, "--model", f->model,
                                 "--width", "40", "--height", "28",
                                 "--preset", "draft", "--scales", "3", "--steps", "20",
                                 "--log", log, NULL);
  guint previous_scale = 2;

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "[1/4] step 0/20"));
  /* Draft's preview interval: every step */
  g_assert_nonnull (strstr (r.out, "step 1/20"));
  g_assert_nonnull (strstr (r.out, "step 20/20"));
  assert_png (f->output, WIDTH, HEIGHT);

  g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
  lines = g_strsplit (g_strchomp ((char *) skip_recipe (text)), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 22);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);
      guint scale = atoi (fields[5]);

      g_assert_cmpuint (atoi (fields[0]), ==, i - 1);
      g_assert_cmpuint (scale, <=, previous_scale);
      previous_scale = scale;
    }
  g_assert_cmpuint (previous_scale, ==, 0);
}

/* Every parameter of the engine's table is an option, with its default in its help: the
 * default preset's, for what a preset chooses. */
static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_auto(CliResult) r = run_cli (f, "--help", NULL);
  g_autoptr(ImpastoRunParams) defaults = impasto_run_params_new ();
  g_auto(GStrv) lines = g_strsplit (r.out, "\n", -1);
  const ImpastoParamSpec *specs;
  guint n_specs;

  g_assert_cmpint (r.status, ==, 0);
  impasto_preset_apply (IMPASTO_PRESET_DEFAULT, defaults);
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      /* --init takes an image file too, which the table cannot hold */
      const char *arg = g_str_equal (specs[i].name, "init") ? "NAME|FILE" : specs[i].arg;
      g_autofree char *option = g_strdup_printf ("  --%s=%s ", specs[i].name, arg);
      g_autofree char *value = impasto_param_to_string (defaults, &specs[i]);
      g_autofree char *range = impasto_param_describe_range (&specs[i]);
      const char *line = NULL;

      for (guint l = 0; lines[l] != NULL && line == NULL; l++)
        if (strstr (lines[l], option) != NULL)
          line = lines[l];
      g_assert_nonnull (line);
      g_assert_nonnull (strstr (line, value));
      g_assert_nonnull (strstr (line, range));
    }
  g_assert_nonnull (strstr (r.out, "seed-exact"));
}

static void
test_missing_model (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *expected = g_build_filename (f->dir, "impasto",
                                                "imagenet-vgg-verydeep-19.mat", NULL);
  g_auto(CliResult) r = run_cli (f, "--content", f->content, "--style", f->style,
                                 "--output", f->output, NULL);

  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, expected));
  g_assert_nonnull (strstr (r.err, "https://"));
  g_assert_false (g_file_test (f->output, G_FILE_TEST_EXISTS));
}

typedef struct
{
  const char *flag;
  const char *value;
  const char *message;
} BadArgument;

/* One clear line for each, and nothing written. */
static void
test_bad_arguments (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *nowhere = g_build_filename (f->dir, "no", "such", "out.png", NULL);
  g_autofree char *bmp = g_build_filename (f->dir, "out.bmp", NULL);
  const BadArgument cases[] = {
    { "--noise", "nan", "noise" },
    { "--noise", "1.5", "noise" },
    { "--steps", "0", "--steps must be 1 to 100000, not 0" },
    { "--steps", "-3", "--steps must be a whole number" },
    { "--width", "0", "--width" },
    { "--width", "100000", "--width must be 1 to 8192, not 100000" },
    { "--beta", "inf", "--beta must be 0 to 1000000000, not inf" },
    { "--content-layers", "conv4_2:x", "The weight of layer conv4_2" },
    { "--style-layers", "fc7", "“fc7” is not a layer" },
    { "--mean", "blue", "--mean" },
    { "--optimizer", "sgd", "--optimizer" },
    { "--scales", "4", "--scales" },
    { "--scales", "-1", "--scales" },
    { "--snapshot-every", "-1", "--snapshot-every" },
    { "--preset", "fast", "--preset" },
    { "--png-depth", "12", "--png-depth" },
    { "--output", nowhere, "does not exist" },
    { "--output", bmp, ".png" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *output = g_str_equal (cases[i].flag, "--output") ? cases[i].value : f->output;
      const char *flag = g_str_equal (cases[i].flag, "--output") ? "--seed" : cases[i].flag;
      const char *value = g_str_equal (cases[i].flag, "--output") ? "1" : cases[i].value;
      g_auto(CliResult) r = run_cli (f, "--content", f->content, "--style", f->style,
                                     "--model", f->model, "--output", output, flag, value, NULL);

      g_assert_cmpint (r.status, !=, 0);
      g_assert_nonnull (strstr (r.err, cases[i].message));
      /* one line */
      g_assert_nonnull (strchr (r.err, '\n'));
      g_assert_null (strchr (strchr (r.err, '\n') + 1, '\n'));
      g_assert_false (g_file_test (f->output, G_FILE_TEST_EXISTS));
    }
}

static ImpastoRecipe *
recipe_of (const char *path)
{
  g_autoptr(GError) error = NULL;
  ImpastoRecipe *recipe = impasto_recipe_load_file (path, &error);

  g_assert_no_error (error);
  return recipe;
}

/* --png-depth 16 writes the same picture as 8 bits do, with the shades between kept: its
 * high bytes are the 8-bit result's to within one, its header says 16 bits, and it carries the
 * recipe, which makes it again. A JPEG cannot hold 16 bits and is refused before the run. */
static void
test_png_depth (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *print = g_build_filename (f->dir, "print.png", NULL);
  g_autofree char *jpeg = g_build_filename (f->dir, "print.jpg", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(ImpastoImage) eight = NULL;
  g_autoptr(ImpastoImage) sixteen = NULL;
  g_autoptr(ImpastoRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data16;
  gsize size = 0;
  guint differ = 0;
  g_auto(CliResult) a = run_cli (f, "--content", f->content, "--style", f->style,
                                 "--output", f->output, "--model", f->model,
                                 "--steps", "3", NULL);
  g_auto(CliResult) b = run_cli (f, "--content", f->content, "--style", f->style,
                                 "--output", print, "--model", f->model,
                                 "--steps", "3", "--png-depth", "16", NULL);
  g_auto(CliResult) c = run_cli (f, "--content", f->content, "--style", f->style,
                                 "--output", jpeg, "--model", f->model,
                                 "--steps", "3", "--png-depth", "16", NULL);

  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_true (g_file_get_contents (print, &contents, &size, NULL));
  data16 = (const guint8 *) contents;
  /* The signature (8), IHDR's length and type (8), width and height (8): the bit depth. */
  g_assert_cmpuint (size, >, 25);
  g_assert_cmpmem (data16 + 12, 4, "IHDR", 4);
  g_assert_cmpuint (data16[24], ==, 16);

  eight = impasto_image_load (f->output, &error);
  g_assert_no_error (error);
  sixteen = impasto_image_load (print, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sixteen->width, ==, eight->width);
  g_assert_cmpuint (sixteen->height, ==, eight->height);
  for (gsize i = 0; i < impasto_image_get_n_bytes (eight); i++)
    {
      g_assert_cmpint (abs (sixteen->pixels[i] - eight->pixels[i]), <=, 1);
      differ += sixteen->pixels[i] != eight->pixels[i];
    }
  g_test_message ("%u of %zu samples differ by one", differ, impasto_image_get_n_bytes (eight));

  recipe = recipe_of (print);
  g_assert_cmpint (recipe->params->png_depth, ==, IMPASTO_PNG_DEPTH_16);

  g_assert_cmpint (c.status, ==, 2);
  g_assert_nonnull (strstr (c.err, "only a PNG result has 16 bits"));
  g_assert_false (g_file_test (jpeg, G_FILE_TEST_EXISTS));
}

/* --style a,b and --style a --style b are one blend; a weight of 0 leaves the other image's
 * Grams alone, to the bit; a file whose name has a comma is one image. */
static void
test_styles (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *second = g_build_filename (f->dir, "second.png", NULL);
  g_autofree char *comma = g_build_filename (f->dir, "a,b.jpg", NULL);
  g_autofree char *both = g_strdup_printf ("%s,%s", f->style, second);
  g_autofree char *log_a = g_build_filename (f->dir, "a.csv", NULL);
  g_autofree char *log_b = g_build_filename (f->dir, "b.csv", NULL);
  g_autoptr(ImpastoRecipe) recipe = NULL;
  g_autoptr(GArray) blended = NULL;
  g_autoptr(GArray) alone = NULL;

  write_image (second, 45, 30, 7);
  write_image (comma, 45, 30, 8);
  {
    g_auto(CliResult) r = run_cli (f, "--content", f->content, "--style", both,
                                   "--style-blend-weights", "3,7", "--output", f->output,
                                   "--model", f->model, "--width", "40", "--height", "28",
                                   "--steps", "2", NULL);

    g_assert_cmpint (r.status, ==, 0);
    recipe = recipe_of (f->output);
    g_assert_cmpuint (recipe->n_styles, ==, 2);
    g_assert_cmpfloat (recipe->styles[0].weight, ==, 3);
    g_assert_cmpfloat (recipe->styles[1].weight, ==, 7);
    g_assert_true (g_str_has_suffix (recipe->styles[1].path, "second.png"));
    g_clear_pointer (&recipe, impasto_recipe_free);
  }
  {
    g_auto(CliResult) a = run_cli (f, "--content", f->content, "--style", f->style,
                                   "--style", second, "--style-blend-weights", "0,2",
                                   "--output", f->output, "--model", f->model,
                                   "--width", "40", "--height", "28", "--steps", "3",
                                   "--log", log_a, NULL);
    g_auto(CliResult) b = run_cli (f, "--content", f->content, "--style", second,
                                   "--output", f->output, "--model", f->model,
                                   "--width", "40", "--height", "28", "--steps", "3",
                                   "--log", log_b, NULL);

    g_assert_cmpint (a.status, ==, 0);
    g_assert_cmpint (b.status, ==, 0);
    blended = parse_log (log_a, 3);
    alone = parse_log (log_b, 3);
    for (guint step = 0; step <= 3; step++)
      g_assert_cmpfloat (g_array_index (blended, double, step), ==,
                         g_array_index (alone, double, step));
  }
  {
    g_auto(CliResult) r = run_cli (f, "--content", f->content, "--style", comma,
                                   "--output", f->output, "--model", f->model,
                                   "--width", "40", "--height", "28", "--steps", "1", NULL);

    g_assert_cmpint (r.status, ==, 0);
    recipe = recipe_of (f->output);
    g_assert_cmpuint (recipe->n_styles, ==, 1);
    g_assert_true (g_str_has_suffix (recipe->styles[0].path, "a,b.jpg"));
  }
}

static void
test_bad_styles (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *two = g_strdup_printf ("%s,%s", f->style, f->style);
  g_autofree char *nine = g_strdup_printf ("%s,%s,%s,%s,%s,%s,%s,%s,%s", f->style, f->style,
                                           f->style, f->style, f->style, f->style, f->style,
                                           f->style, f->style);
  g_autofree char *gap = g_strdup_printf ("%s,,%s", f->style, f->style);
  const struct
  {
    const char *styles;
    const char *weights;
    const char *message;
  } cases[] = {
    { nine, NULL, "--style names 9 images; a run blends at most 8" },
    { gap, NULL, "--style names an empty file name: give the style images as “a.jpg,b.jpg”" },
    { two, "1", "--style-blend-weights gives 1 weights for 2 style images; give one for each" },
    { two, "1,2,3", "--style-blend-weights gives 3 weights for 2 style images" },
    { two, "1,x", "--style-blend-weights: “x” is not a number of 0 or more" },
    { two, "1,-2", "--style-blend-weights: “-2” is not a number of 0 or more" },
    { two, "nan,1", "--style-blend-weights: “nan” is not a number of 0 or more" },
    { two, "1,", "--style-blend-weights: “” is not a number of 0 or more" },
    { two, "0,0", "--style-blend-weights: the weights add up to 0 or overflow; give at least "
                  "one style image a weight above 0" },
    { two, "1e308,1e308", "the weights add up to 0 or overflow" },
    { f->style, "2,1", "--style-blend-weights gives 2 weights for 1 style images" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliResult) r = run_cli (f, "--content", f->content, "--style", cases[i].styles,
                                     "--model", f->model, "--output", f->output,
                                     cases[i].weights != NULL ? "--style-blend-weights" : NULL,
                                     cases[i].weights, NULL);

      g_test_message ("%s", r.err);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, cases[i].message));
      g_assert_null (strchr (strchr (r.err, '\n') + 1, '\n'));
      g_assert_false (g_file_test (f->output, G_FILE_TEST_EXISTS));
    }
}

/* Ctrl-C stops the run after its current step and still writes the image. */
static void
test_interrupt (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->dir);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  proc = g_subprocess_launcher_spawn (l, &error, g_getenv ("IMPASTO_CLI"),
                                      "--content", f->content, "--style", f->style,
                                      "--output", f->output, "--model", f->model,
                                      "--width", "40", "--height", "28",
                                      "--steps", "100000", "--snapshot-every", "2", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  /* The plan comes first, then the steps. */
  g_assert_true (g_str_has_prefix (line, "plan: about "));
  g_free (line);
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "step 0/100000"));

  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 130);
  assert_png (f->output, WIDTH, HEIGHT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/impasto/cli/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("end-to-end", test_end_to_end);
  ADD ("preset-and-scales", test_preset);
  ADD ("steer", test_steer);
  ADD ("init", test_init);
  ADD ("recipe-makes-it-again", test_recipe);
  ADD ("recipe-relative-names", test_recipe_relative);
  ADD ("help-shows-defaults", test_help);
  ADD ("missing-model", test_missing_model);
  ADD ("bad-arguments", test_bad_arguments);
  ADD ("interrupt", test_interrupt);
  ADD ("png-depth-16", test_png_depth);
  ADD ("styles", test_styles);
  ADD ("bad-styles", test_bad_styles);
  ADD ("style-scale", test_style_scale);
#undef ADD

  return g_test_run ();
}
