/* test-bad-recipe.c: recipes that cannot be used, through impasto-cli --recipe
 *
 * Each gets one line on stderr, exit status 1 and no output file, and leaves the files it
 * names as they were.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cli-runner.h"
#include "impasto-image-io.h"
#include "recipe-fixtures.h"
#include "test-util.h"

typedef struct
{
  char *dir;
  char *model;
  char *content;
  char *style;
  char *output;
  char *recipe;
} Fixture;

static void
write_image (const char *path,
             guint32     seed)
{
  g_autoptr(ImpastoImage) image = test_make_image (30, 20, seed);

  g_assert_true (impasto_image_save (image, path, NULL));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_make_tmpdir ();
  f->model = test_write_model (f->dir, 16, 5);
  f->content = g_build_filename (f->dir, "content.png", NULL);
  f->style = g_build_filename (f->dir, "style.png", NULL);
  f->output = g_build_filename (f->dir, "out.png", NULL);
  f->recipe = g_build_filename (f->dir, "recipe.txt", NULL);
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
  g_free (f->output);
  g_free (f->recipe);
}

/* Runs --recipe path and checks the refusal: status 1, the message, one line, no output, and
 * the inputs as they were. */
static void
assert_refused (Fixture    *f,
                const char *path,
                const char *message)
{
  g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->dir);
  g_autofree char *content_sum = test_sha256_of_file (f->content);
  g_autofree char *style_sum = test_sha256_of_file (f->style);
  g_autofree char *recipe_sum = test_sha256_of_file (path);
  const char *argv[] = {
    g_getenv ("IMPASTO_CLI"), "--recipe", path, "--output", f->output, "--model", f->model,
    NULL
  };
  g_auto(CliResult) r = cli_run (l, argv);
  g_autofree char *content_after = test_sha256_of_file (f->content);
  g_autofree char *style_after = test_sha256_of_file (f->style);
  g_autofree char *recipe_after = test_sha256_of_file (path);

  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_true (g_str_has_prefix (r.err, "impasto-cli: "));
  g_assert_nonnull (strstr (r.err, message));
  /* one line */
  g_assert_true (strchr (r.err, '\n') == r.err + strlen (r.err) - 1);
  g_assert_false (g_file_test (f->output, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (content_after, ==, content_sum);
  g_assert_cmpstr (style_after, ==, style_sum);
  g_assert_cmpstr (recipe_after, ==, recipe_sum);
}

/* The spoiled recipes of the recipe tests, as files. */
static void
test_spoiled (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *good = fixture_recipe_text (f->content, f->style);
  GArray *cases = fixture_bad_recipes (good);

  for (guint i = 0; i < cases->len; i++)
    {
      const RecipeCase *c = &g_array_index (cases, RecipeCase, i);

      g_test_message ("case %s", c->name);
      g_assert_true (g_file_set_contents (f->recipe, c->text, -1, NULL));
      assert_refused (f, f->recipe, c->message);
    }
  fixture_bad_recipes_free (cases);
}

/* A good recipe of this run's inputs, written by impasto-cli itself. */
static char *
make_result (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->dir);
  char *result = g_build_filename (f->dir, "result.png", NULL);
  const char *argv[] = {
    g_getenv ("IMPASTO_CLI"), "--content", f->content, "--style", f->style, "--output", result,
    "--model", f->model, "--width", "30", "--height", "20", "--steps", "2", NULL
  };
  g_auto(CliResult) r = cli_run (l, argv);

  g_assert_cmpint (r.status, ==, 0);
  return result;
}

static void
test_inputs (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *result = make_result (f);
  g_autofree char *text = NULL;
  g_autofree char *pointed = NULL;
  g_autoptr(ImpastoImage) image = impasto_image_load_full (result, NULL, &text, NULL);
  g_autofree char *notes = g_build_filename (f->dir, "notes.png", NULL);
  g_autofree char *stash = g_build_filename (f->dir, "stash.png", NULL);

  /* An image that holds no recipe */
  assert_refused (f, f->content, "content.png” is an image, but not one Impasto made");

  /* The style changed since */
  write_image (f->style, 7);
  assert_refused (f, result, "The style image “");
  assert_refused (f, result, "is not the file the recipe was made with");
  write_image (f->style, 2);

  /* The content gone */
  g_assert_no_errno (g_rename (f->content, stash));
  {
    g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->dir);
    const char *argv[] = {
      g_getenv ("IMPASTO_CLI"), "--recipe", result, "--output", f->output, "--model",
      f->model, NULL
    };
    g_auto(CliResult) r = cli_run (l, argv);

    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "content.png” is missing, and there is no file of that "
                                     "name beside the recipe"));
    g_assert_false (g_file_test (f->output, G_FILE_TEST_EXISTS));
  }
  g_assert_no_errno (g_rename (stash, f->content));

  /* A recipe whose content is a text file */
  g_assert_true (g_file_set_contents (notes, "shopping list\n", -1, NULL));
  g_assert_nonnull (text);
  {
    g_autoptr(GRegex) regex = g_regex_new ("\\[Content\\]\nPath=[^\n]*\nSHA256=[^\n]*\n", 0, 0,
                                           NULL);
    g_autofree char *sum = test_sha256_of_file (notes);
    g_autofree char *group = g_strdup_printf ("[Content]\nPath=%s\nSHA256=%s\n", notes, sum);

    pointed = g_regex_replace_literal (regex, text, -1, 0, group, 0, NULL);
  }
  g_assert_true (g_file_set_contents (f->recipe, pointed, -1, NULL));
  assert_refused (f, f->recipe, "notes.png” is not an image");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/impasto/bad-input/recipe/spoiled", Fixture, NULL, fixture_set_up,
              test_spoiled, fixture_tear_down);
  g_test_add ("/impasto/bad-input/recipe/inputs", Fixture, NULL, fixture_set_up,
              test_inputs, fixture_tear_down);

  return g_test_run ();
}
