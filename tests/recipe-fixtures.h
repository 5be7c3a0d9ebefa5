/* recipe-fixtures.h: recipes made by the tests, good and spoiled
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *name;      /* for a test path or a seed's file name */
  char       *text;
  const char *message;   /* in the error it must get */
} RecipeCase;

/* A complete recipe, as impasto_recipe_to_text() writes one, for these inputs. */
char      *fixture_recipe_text   (const char *content_path,
                                  const char *style_path);
/* Spoiled copies of a good recipe's text: RecipeCase values, with their expected messages. */
/* text as a recipe of format 1 would have it: without the parameters added since. */
char      *fixture_recipe_as_format_1 (const char *text);
GArray    *fixture_bad_recipes   (const char *good);
void       fixture_bad_recipes_free (GArray  *cases);

G_END_DECLS
