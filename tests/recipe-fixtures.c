/* recipe-fixtures.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "impasto-params.h"
#include "impasto-recipe.h"
#include "recipe-fixtures.h"

#define SHA_A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SHA_B "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

char *
fixture_recipe_text (const char *content_path,
                     const char *style_path)
{
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_new ();
  ImpastoSteer steer = { 5, "beta", 1500 };

  impasto_recipe_set_input (&recipe->content, content_path, SHA_A);
  impasto_recipe_set_input (&recipe->styles[0], style_path, SHA_B);
  recipe->model_sha256 = g_strdup (SHA_A);
  g_array_append_val (recipe->steering, steer);

  return impasto_recipe_to_text (recipe);
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  const char *at = strstr (text, from);

  g_assert (at != NULL);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

static char *
replace_twice (const char *text,
               const char *from,
               const char *to,
               const char *from_2,
               const char *to_2)
{
  g_autofree char *once = replace (text, from, to);

  return replace (once, from_2, to_2);
}

char *
fixture_recipe_as_format_1 (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (lines[i], "=", 2);
      const ImpastoParamSpec *spec = pair[0] != NULL ? impasto_params_find (pair[0]) : NULL;

      if (g_str_equal (lines[i], "Format=" G_STRINGIFY (IMPASTO_RECIPE_FORMAT)))
        g_string_append (out, "Format=1");
      else if (spec != NULL && spec->since_format >= 2)
        continue;
      else
        g_string_append (out, lines[i]);
      if (lines[i + 1] != NULL)
        g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

static void
add (GArray     *cases,
     const char *name,
     char       *text,
     const char *message)
{
  RecipeCase c = { name, text, message };

  g_array_append_val (cases, c);
}

GArray *
fixture_bad_recipes (const char *good)
{
  GArray *cases = g_array_new (FALSE, FALSE, sizeof (RecipeCase));
  GString *huge = g_string_new (good);
  g_autofree char *format_1 = fixture_recipe_as_format_1 (good);

  add (cases, "empty", g_strdup (""), "it has no [Impasto Recipe] group");
  add (cases, "not-a-key-file", g_strdup ("hello\n"), "The recipe cannot be used: ");
  add (cases, "truncated", g_strndup (good, strlen (good) / 2), "The recipe cannot be used: ");
  add (cases, "newer-format", replace (good, "Format=2", "Format=7"),
       "The recipe is of format 7, made by a newer Impasto; this one reads format 2");
  add (cases, "no-format", replace (good, "Format=2", "Format=one"), "it says no format version");
  add (cases, "width-not-a-number", replace (good, "width=450", "width=wide"),
       "width must be a whole number (1 to 8192), not “wide”");
  add (cases, "beta-out-of-range", replace (good, "beta=500", "beta=-3"),
       "beta must be 0 to 1000000000, not -3");
  add (cases, "steps-missing", replace (good, "steps=3000\n", ""), "it gives no value for steps");
  add (cases, "unknown-parameter", replace (good, "width=450", "wdth=450"),
       "[Parameters] has an unknown key “wdth”");
  add (cases, "unknown-group", replace (good, "[Style]", "[Styles]"),
       "it has an unknown group [Styles]");
  add (cases, "control-characters", replace (good, "Path=", "Path=\\t\\n"),
       "the path in [Content] holds control characters");
  add (cases, "checksum-short", replace (good, SHA_B, "fedcba"),
       "SHA256 in [Style] is not a SHA-256 checksum");
  add (cases, "weight-negative", replace (good, "Weight=1", "Weight=-1"),
       "the Weight in [Style] must be a number, 0 or more");
  add (cases, "style-2-in-format-1",
       replace (format_1, "[Style]",
                "[Style 2]\nPath=b.png\nSHA256=" SHA_A "\nWeight=1\n\n[Style]"),
       "it has a group [Style 2], which recipes of format 1 do not");
  add (cases, "format-2-parameter-in-format-1",
       replace (format_1, "[Parameters]\n", "[Parameters]\npng-depth=8\n"),
       "png-depth is not a parameter of format 1");
  add (cases, "style-3-without-2",
       replace (good, "[Style]", "[Style 3]\nPath=b.png\nSHA256=" SHA_A "\nWeight=1\n\n[Style]"),
       "it has a group [Style 3] but no [Style 2]");
  add (cases, "style-9", replace (good, "[Style]", "[Style 9]\nPath=b.png\n\n[Style]"),
       "it has an unknown group [Style 9]");
  add (cases, "style-02", replace (good, "[Style]", "[Style 02]\nPath=b.png\n\n[Style]"),
       "it has an unknown group [Style 02]");
  add (cases, "style-2-weight-nan",
       replace (good, "[Style]", "[Style 2]\nPath=b.png\nSHA256=" SHA_A "\nWeight=nan\n\n[Style]"),
       "the Weight in [Style 2] must be a number, 0 or more");
  add (cases, "style-2-no-path",
       replace (good, "[Style]", "[Style 2]\nSHA256=" SHA_A "\nWeight=1\n\n[Style]"),
       "[Style 2] has no Path");
  add (cases, "style-weights-all-0",
       replace_twice (good, "Weight=1", "Weight=0", "[Style]",
                      "[Style 2]\nPath=b.png\nSHA256=" SHA_A "\nWeight=0\n\n[Style]"),
       "its style images’ weights add up to 0 or overflow");
  add (cases, "style-weights-overflow",
       replace_twice (good, "Weight=1", "Weight=1e308", "[Style]",
                      "[Style 2]\nPath=b.png\nSHA256=" SHA_A "\nWeight=1e308\n\n[Style]"),
       "its style images’ weights add up to 0 or overflow");
  add (cases, "tv-weight-out-of-range", replace (good, "tv-weight=0", "tv-weight=1e9"),
       "tv-weight must be 0 to 1000, not 1000000000");
  add (cases, "tv-weight-not-a-number", replace (good, "tv-weight=0", "tv-weight=none"),
       "tv-weight must be a number (0 to 1000), not “none”");
  add (cases, "tv-weight-missing", replace (good, "tv-weight=0\n", ""),
       "it gives no value for tv-weight");
  add (cases, "tv-weight-in-format-1",
       replace (format_1, "[Parameters]\n", "[Parameters]\ntv-weight=0\n"),
       "tv-weight is not a parameter of format 1");
  add (cases, "pooling-unknown", replace (good, "pooling=max", "pooling=median"),
       "pooling must be max or avg, not median");
  add (cases, "pooling-as-a-number", replace (good, "pooling=max", "pooling=1"),
       "pooling must be max or avg, not 1");
  add (cases, "pooling-missing", replace (good, "pooling=max\n", ""),
       "it gives no value for pooling");
  add (cases, "init-unknown", replace (good, "init=noise", "init=photo"),
       "init must be noise, content or random, not photo");
  add (cases, "init-a-file", replace (good, "init=noise", "init=/a/start.png"),
       "init must be noise, content or random, not /a/start.png");
  add (cases, "init-missing", replace (good, "init=noise\n", ""),
       "it gives no value for init");
  add (cases, "style-norm-unknown", replace (good, "style-norm=seed", "style-norm=gram"),
       "style-norm must be seed or channels, not gram");
  add (cases, "style-norm-missing", replace (good, "style-norm=seed\n", ""),
       "it gives no value for style-norm");
  add (cases, "steering-not-steerable", replace (good, "5:beta=1500", "5:noise=0.1"),
       "“noise” cannot be changed during a run");
  add (cases, "steering-past-the-end", replace (good, "5:beta=1500", "9000:beta=1"),
       "it changes a parameter at step 9000 of a run of 3000 steps");
  add (cases, "binary", replace (good, "Version=", "Version=\xff\xfe"), "it is not text");

  while (huge->len <= 10 * 1000 * 1000)
    g_string_append (huge, "# padding padding padding padding padding padding padding\n");
  add (cases, "ten-megabytes", g_string_free (huge, FALSE), "a recipe is at most 256 kB");

  return cases;
}

void
fixture_bad_recipes_free (GArray *cases)
{
  for (guint i = 0; i < cases->len; i++)
    g_free (g_array_index (cases, RecipeCase, i).text);
  g_array_unref (cases);
}
