/* impasto-session.h: from a recipe to a run and from a run to a file, for both front ends
 *
 * A session holds one recipe and what it takes to carry it out: it finds and loads the model
 * as deep as the recipe's layers go, loads the inputs and checks them against the recipe's
 * checksums (or records them), turns the recipe into a run, and saves a result with the
 * recipe that made it, steering included.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "impasto-image.h"
#include "impasto-network.h"
#include "impasto-recipe.h"
#include "impasto-run.h"

G_BEGIN_DECLS

typedef struct _ImpastoSession ImpastoSession;

/* A copy of recipe. beside: the folder the recipe came from (relative to the current one, or
 * absolute), where inputs that moved along with it are looked for by name; NULL for a recipe
 * made here and now. */
ImpastoSession      *impasto_session_new           (const ImpastoRecipe *recipe,
                                                    const char          *beside);
void                 impasto_session_free          (ImpastoSession      *session);
const ImpastoRecipe *impasto_session_get_recipe    (ImpastoSession      *session);

/* The inputs: found by path, or by name beside the recipe, each checked against the recipe's
 * checksum when it has one (IMPASTO_RECIPE_ERROR_INPUT names the one missing or changed), and
 * recorded when it has none. */
gboolean             impasto_session_load_inputs   (ImpastoSession      *session,
                                                    GError             **error);
/* Or inputs already loaded, such as the window's pickers'; the recipe's inputs name their
 * files and checksums. styles: one per style of the recipe, in its order. Copies them all. */
void                 impasto_session_set_inputs    (ImpastoSession      *session,
                                                    const ImpastoImage  *content,
                                                    const ImpastoImage * const *styles);
/* The starting image the recipe names, if any, as impasto_session_load_inputs() loads it. */
gboolean             impasto_session_load_start    (ImpastoSession      *session,
                                                    GError             **error);
/* explicit_path as impasto_model_find() takes it. The checksum of the layers in use must be
 * the recipe's when it has one. */
gboolean             impasto_session_load_model    (ImpastoSession      *session,
                                                    const char          *explicit_path,
                                                    GError             **error);
/* Or a model already loaded, such as the window's. */
gboolean             impasto_session_set_network   (ImpastoSession      *session,
                                                    ImpastoNetwork      *network,
                                                    GError             **error);
/* The inputs resized to the output, the run made, the recipe's steering scheduled on it. */
ImpastoRun          *impasto_session_create_run    (ImpastoSession      *session,
                                                    GError             **error);
/* The recipe of the image run showed at step: the steering it took instead of the one
 * planned. run may be NULL for the recipe as it was given. */
char                *impasto_session_dup_recipe_text (ImpastoSession    *session,
                                                      ImpastoRun        *run,
                                                      guint              step);
/* image as PNG or JPEG with that recipe inside, atomically. */
gboolean             impasto_session_save          (ImpastoSession      *session,
                                                    ImpastoRun          *run,
                                                    const ImpastoImage  *image,
                                                    const char          *path,
                                                    GError             **error);

/* The run's image as it is now, at the bits per channel its parameters ask for (16 only in a
 * PNG), with its recipe inside, atomically. */
gboolean             impasto_session_save_result   (ImpastoSession      *session,
                                                    ImpastoRun          *run,
                                                    const char          *path,
                                                    GError             **error);

/* Where input is now: its path, or its name beside the recipe; NULL when neither exists. */
char                *impasto_recipe_find_input     (const ImpastoRecipeInput *input,
                                                    const char          *beside);
/* "The content image “x” is missing, …"; what: "content" or "style", translated. */
char                *impasto_recipe_describe_missing (const ImpastoRecipeInput *input,
                                                      const char        *what);

/* A recipe from a file: a result of Impasto's (PNG or JPEG) or a recipe's text. */
ImpastoRecipe       *impasto_recipe_load_file      (const char          *path,
                                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoSession, impasto_session_free)

G_END_DECLS
