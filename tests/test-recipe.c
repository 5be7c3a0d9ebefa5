/* test-recipe.c: recipes as text, inside result files, and carried out by a session
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "impasto-image-io.h"
#include "impasto-params.h"
#include "impasto-session.h"
#include "recipe-fixtures.h"
#include "test-util.h"

#define WIDTH  24
#define HEIGHT 17

static void
test_round_trip (void)
{
  g_autofree char *text = fixture_recipe_text ("/photos/tübingen.jpg", "starry night.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_from_text (text, -1, &error);
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (recipe->content.path, ==, "/photos/tübingen.jpg");
  g_assert_cmpstr (recipe->styles[0].path, ==, "starry night.png");
  g_assert_cmpfloat (recipe->styles[0].weight, ==, 1);
  g_assert_cmpuint (recipe->steering->len, ==, 1);
  g_assert_cmpuint (recipe->params->width, ==, 450);
  again = impasto_recipe_to_text (recipe);
  g_assert_cmpstr (again, ==, text);
}

/* Several style images: [Style], [Style 2], [Style 3] in order, each with its weight; a
 * format-1 recipe's single [Style] is read as a one-image list. */
static void
test_styles_round_trip (void)
{
  g_autofree char *text = fixture_recipe_text ("/a/content.png", "/a/style.png");
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_from_text (text, -1, NULL);
  g_autoptr(ImpastoRecipe) again = NULL;
  g_autoptr(ImpastoRecipe) copy = NULL;
  g_autoptr(ImpastoRecipe) old = NULL;
  g_autofree char *with_styles = NULL;
  g_autofree char *format_1 = NULL;
  const char *sha = "00000000000000000000000000000000000000000000000000000000000000aa";

  g_assert_cmpuint (recipe->n_styles, ==, 1);
  recipe->styles[0].weight = 3;
  g_assert_true (impasto_recipe_add_style (recipe, "/a/scream.png", sha, 7));
  g_assert_true (impasto_recipe_add_style (recipe, "b c,d.png", sha, 0));
  with_styles = impasto_recipe_to_text (recipe);
  g_assert_nonnull (strstr (with_styles, "[Style 2]\nPath=/a/scream.png\nSHA256="));
  g_assert_nonnull (strstr (with_styles, "[Style 3]\nPath=b c,d.png\n"));

  again = impasto_recipe_from_text (with_styles, -1, NULL);
  g_assert_nonnull (again);
  g_assert_cmpuint (again->n_styles, ==, 3);
  g_assert_cmpfloat (again->styles[0].weight, ==, 3);
  g_assert_cmpstr (again->styles[1].path, ==, "/a/scream.png");
  g_assert_cmpfloat (again->styles[1].weight, ==, 7);
  g_assert_cmpstr (again->styles[2].path, ==, "b c,d.png");
  g_assert_cmpfloat (again->styles[2].weight, ==, 0);
  copy = impasto_recipe_copy (again);
  {
    g_autofree char *copied = impasto_recipe_to_text (copy);

    g_assert_cmpstr (copied, ==, with_styles);
  }

  /* Eight at most. */
  for (guint i = 3; i < IMPASTO_MAX_STYLES; i++)
    g_assert_true (impasto_recipe_add_style (recipe, "/a/more.png", sha, 1));
  g_assert_false (impasto_recipe_add_style (recipe, "/a/more.png", sha, 1));
  g_assert_cmpuint (recipe->n_styles, ==, IMPASTO_MAX_STYLES);

  /* Format 1, before any parameter of format 2: those take their defaults. */
  {
    g_autoptr(ImpastoRecipe) sixteen = impasto_recipe_from_text (text, -1, NULL);
    g_autofree char *sixteen_text = NULL;

    sixteen->params->png_depth = IMPASTO_PNG_DEPTH_16;
    sixteen_text = impasto_recipe_to_text (sixteen);
    format_1 = fixture_recipe_as_format_1 (sixteen_text);
  }
  g_assert_null (strstr (format_1, "png-depth"));
  old = impasto_recipe_from_text (format_1, -1, NULL);
  g_assert_nonnull (old);
  g_assert_cmpuint (old->n_styles, ==, 1);
  g_assert_cmpstr (old->styles[0].path, ==, "/a/style.png");
  g_assert_cmpint (old->params->png_depth, ==, IMPASTO_PNG_DEPTH_8);
}

/* A run that starts from a picture names it, as it names its inputs. */
static void
test_start_round_trip (void)
{
  g_autofree char *text = fixture_recipe_text ("/a/content.png", "/a/style.png");
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_from_text (text, -1, NULL);
  g_autoptr(ImpastoRecipe) again = NULL;
  g_autofree char *with_start = NULL;
  g_autofree char *truncated = NULL;

  g_assert_null (recipe->start.path);
  impasto_recipe_set_input (&recipe->start, "/a/first.png",
                            "00000000000000000000000000000000000000000000000000000000000000ff");
  with_start = impasto_recipe_to_text (recipe);
  again = impasto_recipe_from_text (with_start, -1, NULL);
  g_assert_nonnull (again);
  g_assert_cmpstr (again->start.path, ==, "/a/first.png");
  g_assert_cmpstr (again->start.sha256, ==, recipe->start.sha256);

  /* A [Start] without its checksum is cut short, not a run from the noise. */
  truncated = g_strndup (with_start, strstr (with_start, "SHA256=000") - with_start);
  g_assert_null (impasto_recipe_from_text (truncated, -1, NULL));
}

/* A recipe as format 1 wrote it, by hand: the parameters added since take their defaults. */
static const char format_1_recipe[] =
  "[Impasto Recipe]\n"
  "Format=1\n"
  "Version=0.1.0\n"
  "Model=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
  "[Parameters]\n"
  "width=450\nheight=300\nalpha=1\nbeta=500\nnoise=0.5\nsteps=3000\noptimizer=adam\n"
  "scales=1\nlr=1\nsnapshot-every=50\nseed=0\nmean=seed\n"
  "content-layers=conv4_2:0.5,conv5_2:0.5\n"
  "style-layers=conv1_1:0.2,conv2_1:0.2,conv3_1:0.2,conv4_1:0.2,conv5_1:0.2\n"
  "threads=0\nmax-memory=0\n"
  "[Content]\n"
  "Path=/a/content.png\n"
  "SHA256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
  "[Style]\n"
  "Path=/a/style.png\n"
  "SHA256=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210\n"
  "Weight=1\n";

static void
test_format_1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_from_text (format_1_recipe, -1, &error);
  g_autoptr(ImpastoRunParams) defaults = impasto_run_params_new ();
  const ImpastoParamSpec *specs;
  guint n_specs, n_new = 0;

  g_assert_no_error (error);
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      g_assert_true (impasto_param_equal (recipe->params, defaults, &specs[i]));
      n_new += specs[i].since_format >= 2;
    }
  g_assert_cmpuint (n_new, >=, 1);
  g_assert_cmpfloat (recipe->params->tv_weight, ==, 0);
  g_assert_cmpint (recipe->params->pooling, ==, IMPASTO_POOLING_MAX);
  g_assert_cmpint (recipe->params->init, ==, IMPASTO_INIT_NOISE);
  g_assert_cmpint (recipe->params->style_norm, ==, IMPASTO_STYLE_NORM_SEED);

  /* A format-1 recipe that names a parameter of format 2 is not one format 1 wrote. */
  for (guint i = 0; i < n_specs; i++)
    if (specs[i].since_format >= 2)
      {
        g_autofree char *value = impasto_param_to_string (defaults, &specs[i]);
        g_autofree char *line = g_strdup_printf ("threads=0\n%s=%s\n", specs[i].name, value);
        g_auto(GStrv) halves = g_strsplit (format_1_recipe, "threads=0\n", 2);
        g_autofree char *spoiled = g_strconcat (halves[0], line, halves[1], NULL);
        g_autofree char *expected = g_strdup_printf ("%s is not a parameter of format 1",
                                                     specs[i].name);
        g_autoptr(GError) spoiled_error = NULL;
        g_autoptr(ImpastoRecipe) refused = impasto_recipe_from_text (spoiled, -1,
                                                                     &spoiled_error);

        g_assert_null (refused);
        g_assert_error (spoiled_error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_INVALID);
        g_assert_nonnull (strstr (spoiled_error->message, expected));
      }
}

/* The controls of format 2, at other values than their defaults, read back as written. */
static void
test_new_parameters_round_trip (void)
{
  g_autofree char *text = fixture_recipe_text ("/a/content.png", "/a/style.png");
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_from_text (text, -1, NULL);
  g_autoptr(ImpastoRecipe) again = NULL;
  g_autofree char *changed = NULL;
  const ImpastoParamSpec *specs;
  guint n_specs;

  recipe->params->tv_weight = 12.5;
  recipe->params->pooling = IMPASTO_POOLING_AVG;
  recipe->params->init = IMPASTO_INIT_RANDOM;
  recipe->params->style_norm = IMPASTO_STYLE_NORM_CHANNELS;
  recipe->params->style_scale = 1.75;
  changed = impasto_recipe_to_text (recipe);
  g_assert_nonnull (strstr (changed, "\ntv-weight=12.5\n"));
  g_assert_nonnull (strstr (changed, "\npooling=avg\n"));
  g_assert_nonnull (strstr (changed, "\ninit=random\n"));
  g_assert_nonnull (strstr (changed, "\nstyle-norm=channels\n"));
  g_assert_nonnull (strstr (changed, "\nstyle-scale=1.75\n"));
  again = impasto_recipe_from_text (changed, -1, NULL);
  g_assert_nonnull (again);
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    g_assert_true (impasto_param_equal (again->params, recipe->params, &specs[i]));

  for (int init = IMPASTO_INIT_NOISE; init <= IMPASTO_INIT_RANDOM; init++)
    {
      g_autofree char *written = NULL;
      g_autoptr(ImpastoRecipe) read = NULL;

      recipe->params->init = init;
      written = impasto_recipe_to_text (recipe);
      read = impasto_recipe_from_text (written, -1, NULL);
      g_assert_cmpint (read->params->init, ==, init);
    }
}

/* One message for what is wrong, and no recipe. */
static void
test_bad (void)
{
  g_autofree char *good = fixture_recipe_text ("/a/content.png", "/a/style.png");
  GArray *cases = fixture_bad_recipes (good);

  for (guint i = 0; i < cases->len; i++)
    {
      const RecipeCase *c = &g_array_index (cases, RecipeCase, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(ImpastoRecipe) recipe = impasto_recipe_from_text (c->text, -1, &error);

      g_test_message ("%s: %s", c->name, error != NULL ? error->message : "(accepted)");
      g_assert_null (recipe);
      g_assert_nonnull (error);
      g_assert_true (error->domain == IMPASTO_RECIPE_ERROR);
      g_assert_nonnull (strstr (error->message, c->message));
      g_assert_null (strchr (error->message, '\n'));
    }
  fixture_bad_recipes_free (cases);
}

/* A recipe cut anywhere is refused, never read as one with defaults. */
static void
test_truncated_anywhere (void)
{
  g_autofree char *good = fixture_recipe_text ("/a/content.png", "/a/style.png");
  gsize length = strlen (good);

  for (gsize cut = 0; cut + 1 < length; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ImpastoRecipe) recipe = impasto_recipe_from_text (good, cut, &error);

      if (recipe != NULL)
        g_error ("a recipe cut at byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " was accepted",
                 cut, length);
      g_assert_error (error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_INVALID);
    }
}

/* PNG's text chunk and JPEG's comments give back the very text, and the file's checksum is
 * that of its bytes. */
static void
test_in_image_files (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autoptr(ImpastoImage) image = test_make_image (WIDTH, HEIGHT, 3);
  g_autofree char *short_text = fixture_recipe_text ("/a/b.png", "/a/c.png");
  g_autoptr(GString) long_text = g_string_new (NULL);
  const char *names[] = { "result.png", "result.jpg", "long.jpg", "long.png" };

  /* More than one JPEG comment segment holds. */
  while (long_text->len < 200 * 1024)
    g_string_append (long_text, "# a long note about the painting, line after line\n");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      const char *text = i < 2 ? short_text : long_text->str;
      g_autoptr(GError) error = NULL;
      g_autofree char *sha256 = NULL;
      g_autofree char *read = NULL;
      g_autofree char *bytes = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(ImpastoImage) loaded = NULL;
      gsize size;

      g_assert_true (impasto_image_save_with_recipe (image, path, text, &error));
      g_assert_no_error (error);
      loaded = impasto_image_load_full (path, &sha256, &read, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (loaded->width, ==, WIDTH);
      g_assert_cmpstr (read, ==, text);
      g_assert_true (g_file_get_contents (path, &bytes, &size, NULL));
      expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) bytes, size);
      g_assert_cmpstr (sha256, ==, expected);
      if (g_str_has_suffix (names[i], ".png"))
        g_assert_cmpmem (loaded->pixels, impasto_image_get_n_bytes (loaded), image->pixels,
                         impasto_image_get_n_bytes (image));
    }

  /* A plain image has none. */
  {
    g_autofree char *path = g_build_filename (dir, "plain.jpg", NULL);
    g_autofree char *read = NULL;
    g_autoptr(ImpastoImage) loaded = NULL;

    g_assert_true (impasto_image_save (image, path, NULL));
    loaded = impasto_image_load_full (path, NULL, &read, NULL);
    g_assert_nonnull (loaded);
    g_assert_null (read);
  }

  test_remove_tree (dir);
}

typedef struct
{
  char *dir;
  char *model;
  char *content;
  char *style;
} Fixture;

static void
write_image (const char *path,
             guint32     seed)
{
  g_autoptr(ImpastoImage) image = test_make_image (WIDTH + 5, HEIGHT + 3, seed);

  g_assert_true (impasto_image_save (image, path, NULL));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_make_tmpdir ();
  f->model = test_write_model (f->dir, 16, 3);
  f->content = g_build_filename (f->dir, "content.png", NULL);
  f->style = g_build_filename (f->dir, "style.png", NULL);
  write_image (f->content, 1);
  write_image (f->style, 2);
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
}

static void
cancel_at_step_4 (const ImpastoProgress *p,
                  gpointer               user_data)
{
  if (p->step == 4)
    g_cancellable_cancel (user_data);
}

/* A small steered run, saved as result.png in dir; stopped at step 4 when `stopped`. */
static char *
make_result_full (Fixture    *f,
                  const char *dir,
                  gboolean    stopped)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_new ();
  g_autoptr(ImpastoSession) session = NULL;
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(ImpastoImage) image = NULL;
  g_autoptr(GError) error = NULL;
  char *result = g_build_filename (dir, "result.png", NULL);

  recipe->params->width = WIDTH;
  recipe->params->height = HEIGHT;
  recipe->params->steps = 6;
  impasto_recipe_set_input (&recipe->content, f->content, NULL);
  impasto_recipe_set_input (&recipe->styles[0], f->style, NULL);
  session = impasto_session_new (recipe, NULL);
  g_assert_true (impasto_session_load_inputs (session, &error));
  g_assert_true (impasto_session_load_model (session, f->model, &error));
  g_assert_no_error (error);
  run = impasto_session_create_run (session, &error);
  g_assert_no_error (error);
  g_assert_true (impasto_run_steer (run, 3, "beta", 2500, NULL));
  g_assert_true (impasto_run_steer (run, 5, "alpha", 2, NULL));
  if (stopped)
    {
      g_assert_false (impasto_run_execute (run, cancel_at_step_4, cancellable, cancellable,
                                           &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      g_assert_cmpuint (impasto_run_get_step (run), ==, 4);
    }
  else
    {
      g_assert_true (impasto_run_execute (run, NULL, NULL, NULL, &error));
    }
  image = impasto_run_dup_image (run);
  g_assert_true (impasto_session_save (session, run, image, result, &error));
  g_assert_no_error (error);

  return result;
}

static char *
make_result (Fixture    *f,
             const char *dir)
{
  return make_result_full (f, dir, FALSE);
}

/* Carries out the recipe in path, looking beside it; the result's bytes, or NULL and error. */
static GBytes *
remake (const char  *path,
        const char  *model,
        GError     **error)
{
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_load_file (path, error);
  g_autofree char *beside = g_path_get_dirname (path);
  g_autofree char *again = g_build_filename (beside, "again.png", NULL);
  g_autoptr(ImpastoSession) session = NULL;
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(ImpastoImage) image = NULL;
  char *bytes;
  gsize size;

  if (recipe == NULL)
    return NULL;
  session = impasto_session_new (recipe, beside);
  if (!impasto_session_load_inputs (session, error)
      || !impasto_session_load_model (session, model, error))
    return NULL;
  run = impasto_session_create_run (session, error);
  g_assert_nonnull (run);
  g_assert_true (impasto_run_execute (run, NULL, NULL, NULL, error));
  image = impasto_run_dup_image (run);
  g_assert_true (impasto_session_save (session, run, image, again, error));
  g_assert_true (g_file_get_contents (again, &bytes, &size, NULL));

  return g_bytes_new_take (bytes, size);
}

static GBytes *
file_bytes (const char *path)
{
  char *bytes;
  gsize size;

  g_assert_true (g_file_get_contents (path, &bytes, &size, NULL));
  return g_bytes_new_take (bytes, size);
}

/* The result's recipe makes it again to the byte, steering included. */
static void
test_session_remakes (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *result = make_result (f, f->dir);
  g_autoptr(GBytes) first = file_bytes (result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) again = remake (result, f->model, &error);

  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, again));
}

/* Stopped at step 4, the result's recipe is a run of 4 steps with the change made before
 * them: it makes the very image again. */
static void
test_session_remakes_stopped (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *result = make_result_full (f, f->dir, TRUE);
  g_autoptr(GBytes) first = file_bytes (result);
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_load_file (result, &error);
  g_autoptr(GBytes) again = remake (result, f->model, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (recipe->params->steps, ==, 4);
  g_assert_cmpuint (recipe->steering->len, ==, 1);
  g_assert_true (g_bytes_equal (first, again));
}

/* Moved together with its inputs, a result still finds them by name. */
static void
test_session_inputs_moved (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *moved = g_build_filename (f->dir, "moved", NULL);
  g_autofree char *result = make_result (f, f->dir);
  g_autofree char *moved_result = g_build_filename (moved, "result.png", NULL);
  g_autofree char *moved_content = g_build_filename (moved, "content.png", NULL);
  g_autofree char *moved_style = g_build_filename (moved, "style.png", NULL);
  g_autoptr(GBytes) first = file_bytes (result);
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_no_errno (g_mkdir (moved, 0755));
  g_assert_no_errno (g_rename (result, moved_result));
  g_assert_no_errno (g_rename (f->content, moved_content));
  g_assert_no_errno (g_rename (f->style, moved_style));

  /* The same pixels; the new recipe names the inputs where they are now. */
  again = remake (moved_result, f->model, &error);
  g_assert_no_error (error);
  {
    g_autoptr(ImpastoImage) a = impasto_image_load_bytes (first, NULL);
    g_autoptr(ImpastoImage) b = impasto_image_load_bytes (again, NULL);

    g_assert_cmpmem (a->pixels, impasto_image_get_n_bytes (a), b->pixels,
                     impasto_image_get_n_bytes (b));
  }

  /* A changed input is named, and so is a missing one. */
  write_image (moved_style, 99);
  g_assert_null (remake (moved_result, f->model, &error));
  g_assert_error (error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_INPUT);
  g_assert_nonnull (strstr (error->message, "The style image “"));
  g_assert_nonnull (strstr (error->message, "is not the file the recipe was made with"));
  g_clear_error (&error);

  g_assert_no_errno (g_unlink (moved_content));
  g_assert_null (remake (moved_result, f->model, &error));
  g_assert_error (error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_INPUT);
  g_assert_nonnull (strstr (error->message, "The content image “"));
  g_assert_nonnull (strstr (error->message, "content.png” is missing"));
}

/* Another model would paint another picture: the recipe says which one it was. */
static void
test_session_other_model (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *result = make_result (f, f->dir);
  g_autofree char *other_dir = g_build_filename (f->dir, "other", NULL);
  g_autofree char *other = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_no_errno (g_mkdir (other_dir, 0755));
  other = test_write_model (other_dir, 16, 4);
  g_assert_null (remake (result, other, &error));
  g_assert_error (error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_INPUT);
  g_assert_nonnull (strstr (error->message, "not the ones the recipe was made with"));
}

/* Two style images at 3 and 7: the session hashes both, the result's recipe names both with
 * their weights and makes the result again; a changed second image is refused by name. */
static void
test_session_two_styles (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *second = g_build_filename (f->dir, "second.png", NULL);
  g_autofree char *result = g_build_filename (f->dir, "result.png", NULL);
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_new ();
  g_autoptr(ImpastoRecipe) saved = NULL;
  g_autoptr(ImpastoSession) session = NULL;
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(ImpastoImage) image = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *expected_sha = NULL;
  gsize size;

  write_image (second, 5);
  recipe->params->width = WIDTH;
  recipe->params->height = HEIGHT;
  recipe->params->steps = 3;
  impasto_recipe_set_input (&recipe->content, f->content, NULL);
  impasto_recipe_set_input (&recipe->styles[0], f->style, NULL);
  recipe->styles[0].weight = 3;
  g_assert_true (impasto_recipe_add_style (recipe, second, NULL, 7));
  session = impasto_session_new (recipe, NULL);
  g_assert_true (impasto_session_load_inputs (session, &error));
  g_assert_true (impasto_session_load_model (session, f->model, &error));
  g_assert_no_error (error);
  run = impasto_session_create_run (session, &error);
  g_assert_no_error (error);
  g_assert_true (impasto_run_execute (run, NULL, NULL, NULL, &error));
  image = impasto_run_dup_image (run);
  g_assert_true (impasto_session_save (session, run, image, result, &error));
  g_assert_no_error (error);

  saved = impasto_recipe_load_file (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (saved->n_styles, ==, 2);
  g_assert_cmpfloat (saved->styles[0].weight, ==, 3);
  g_assert_cmpfloat (saved->styles[1].weight, ==, 7);
  g_assert_true (g_file_get_contents (second, &bytes, &size, NULL));
  expected_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) bytes, size);
  g_assert_cmpstr (saved->styles[1].sha256, ==, expected_sha);

  first = file_bytes (result);
  again = remake (result, f->model, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, again));

  write_image (second, 6);
  g_assert_null (remake (result, f->model, &error));
  g_assert_error (error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_INPUT);
  g_assert_nonnull (strstr (error->message, "The style image “"));
  g_assert_nonnull (strstr (error->message, "second.png” is not the file the recipe was made"));
}

/* An input that is no image, an image that holds no recipe, text too large to be one. */
static void
test_session_bad_files (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *text = g_build_filename (f->dir, "notes.png", NULL);
  g_autofree char *recipe_path = g_build_filename (f->dir, "recipe.txt", NULL);
  g_autofree char *recipe = fixture_recipe_text (text, f->style);
  g_autoptr(ImpastoRecipe) parsed = NULL;
  g_autoptr(ImpastoSession) session = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (text, "not a picture\n", -1, NULL));
  g_assert_null (impasto_recipe_load_file (f->content, &error));
  g_assert_error (error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "is an image, but not one Impasto made"));
  g_clear_error (&error);

  /* Its checksum is the recipe's own: only what the file holds refuses it. */
  g_assert_true (g_file_set_contents (recipe_path, recipe, -1, NULL));
  parsed = impasto_recipe_load_file (recipe_path, &error);
  g_assert_no_error (error);
  g_free (parsed->content.sha256);
  parsed->content.sha256 = NULL;
  session = impasto_session_new (parsed, f->dir);
  g_assert_false (impasto_session_load_inputs (session, &error));
  g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE);
  g_assert_nonnull (strstr (error->message, "notes.png"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/impasto/recipe/round-trip", test_round_trip);
  g_test_add_func ("/impasto/recipe/styles-round-trip", test_styles_round_trip);
  g_test_add_func ("/impasto/recipe/start-round-trip", test_start_round_trip);
  g_test_add_func ("/impasto/recipe/format-1", test_format_1);
  g_test_add_func ("/impasto/recipe/new-parameters-round-trip", test_new_parameters_round_trip);
  g_test_add_func ("/impasto/recipe/bad", test_bad);
  g_test_add_func ("/impasto/recipe/truncated-anywhere", test_truncated_anywhere);
  g_test_add_func ("/impasto/recipe/in-image-files", test_in_image_files);
#define ADD(path, func) \
  g_test_add ("/impasto/recipe/session/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("remakes-to-the-byte", test_session_remakes);
  ADD ("remakes-stopped-run", test_session_remakes_stopped);
  ADD ("inputs-moved-changed-missing", test_session_inputs_moved);
  ADD ("other-model", test_session_other_model);
  ADD ("two-styles", test_session_two_styles);
  ADD ("bad-files", test_session_bad_files);
#undef ADD

  return g_test_run ();
}
