/* impasto-recipe.h: everything needed to make a result again
 *
 * A recipe is a GKeyFile: the format's version and Impasto's, the parameters as the table of
 * impasto-params.h writes them, the inputs with the SHA-256 of their files, the checksum of the
 * model's layers in use, and the changes made during the run. See the README.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "impasto-run.h"

G_BEGIN_DECLS

#define IMPASTO_RECIPE_ERROR (impasto_recipe_error_quark ())

typedef enum
{
  IMPASTO_RECIPE_ERROR_INVALID,   /* not a recipe, or a damaged one */
  IMPASTO_RECIPE_ERROR_VERSION,   /* written by a newer Impasto */
  IMPASTO_RECIPE_ERROR_INPUT,     /* an input is missing or is not the file it was */
} ImpastoRecipeError;

#define IMPASTO_RECIPE_FORMAT   2
/* No recipe comes near this; a larger text is not read at all. */
#define IMPASTO_RECIPE_MAX_SIZE (256 * 1024)

typedef struct
{
  char   *path;     /* as given, absolute or relative to where the recipe was */
  char   *sha256;   /* of the file's bytes, lower-case hex; NULL until known */
  double  weight;   /* styles: their share of the blend */
} ImpastoRecipeInput;

typedef struct
{
  char               *version;        /* Impasto's, when it wrote the recipe */
  ImpastoRunParams   *params;         /* as the run started */
  ImpastoRecipeInput  content;
  /* Groups [Style], [Style 2] ... [Style IMPASTO_MAX_STYLES], in order: the blend of
   * impasto_run_new_blend(). Format 1 had [Style] only. A recipe read has at least one; a new
   * one has one, with no path yet. */
  guint               n_styles;
  ImpastoRecipeInput  styles[IMPASTO_MAX_STYLES];
  ImpastoRecipeInput  start;          /* the image the run starts from; no path: the noise */
  char               *model_sha256;   /* of the layers in use, see impasto_network_dup_checksum() */
  GArray             *steering;       /* ImpastoSteer, at the steps they took effect */
} ImpastoRecipe;

GQuark         impasto_recipe_error_quark (void);

ImpastoRecipe *impasto_recipe_new        (void);
ImpastoRecipe *impasto_recipe_copy       (const ImpastoRecipe *recipe);
void           impasto_recipe_free       (ImpastoRecipe       *recipe);
void           impasto_recipe_set_input  (ImpastoRecipeInput  *input,
                                          const char          *path,
                                          const char          *sha256);
/* Another style image after the ones there are; FALSE when there are IMPASTO_MAX_STYLES. */
gboolean       impasto_recipe_add_style  (ImpastoRecipe       *recipe,
                                          const char          *path,
                                          const char          *sha256,
                                          double               weight);
/* No style image at all, until impasto_recipe_add_style(). */
void           impasto_recipe_clear_styles (ImpastoRecipe       *recipe);
char          *impasto_recipe_to_text    (const ImpastoRecipe *recipe);
/* Refuses a text too large to be a recipe before it is read. */
gboolean       impasto_recipe_check_size (guint64              size,
                                          GError             **error);
/* Every field checked: one message for the first thing wrong, and nothing returned. */
ImpastoRecipe *impasto_recipe_from_text  (const char          *text,
                                          gssize               length,
                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoRecipe, impasto_recipe_free)

G_END_DECLS
