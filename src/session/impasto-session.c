/* impasto-session.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "impasto-colour-transfer.h"
#include "impasto-image-io.h"
#include "impasto-model-path.h"
#include "impasto-resize.h"
#include "impasto-session.h"

struct _ImpastoSession
{
  ImpastoRecipe  *recipe;
  char           *beside;
  ImpastoImage   *content;
  ImpastoImage   *styles[IMPASTO_MAX_STYLES];   /* the recipe's styles' */
  ImpastoImage   *start;     /* NULL: the noisy photo */
  ImpastoNetwork *network;
};

ImpastoSession *
impasto_session_new (const ImpastoRecipe *recipe,
                     const char          *beside)
{
  ImpastoSession *session = g_new0 (ImpastoSession, 1);

  g_return_val_if_fail (recipe != NULL, NULL);

  session->recipe = impasto_recipe_copy (recipe);
  /* From the current folder, once: inputs are named from it, with absolute paths. */
  session->beside = beside != NULL ? g_canonicalize_filename (beside, NULL) : NULL;

  return session;
}

void
impasto_session_free (ImpastoSession *session)
{
  if (session == NULL)
    return;

  impasto_recipe_free (session->recipe);
  g_free (session->beside);
  impasto_image_free (session->content);
  for (guint i = 0; i < G_N_ELEMENTS (session->styles); i++)
    impasto_image_free (session->styles[i]);
  impasto_image_free (session->start);
  g_clear_pointer (&session->network, impasto_network_unref);
  g_free (session);
}

const ImpastoRecipe *
impasto_session_get_recipe (ImpastoSession *session)
{
  return session->recipe;
}

/* Where an input of the recipe may be: its path (relative to the recipe's folder when it is
 * relative), then its name in the recipe's folder. */
static GPtrArray *
candidate_paths (const char *beside_folder,
                 const char *path)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = g_path_get_basename (path);

  g_ptr_array_add (paths, g_canonicalize_filename (path, beside_folder));
  if (beside_folder != NULL)
    {
      char *beside = g_build_filename (beside_folder, name, NULL);

      if (!g_str_equal (beside, g_ptr_array_index (paths, 0)))
        g_ptr_array_add (paths, beside);
      else
        g_free (beside);
    }

  return paths;
}

static gboolean
load_input (ImpastoSession      *session,
            ImpastoRecipeInput  *input,
            const char          *what,
            ImpastoImage       **image,
            GError             **error)
{
  g_autoptr(GPtrArray) paths = candidate_paths (session->beside, input->path);
  g_autofree char *display = g_filename_display_name (input->path);
  gboolean changed = FALSE;

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *sha256 = NULL;
      ImpastoImage *loaded;

      if (input->sha256 != NULL && !g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      loaded = impasto_image_load_full (path, &sha256, NULL, error);
      if (loaded == NULL)
        return FALSE;
      if (input->sha256 != NULL && !g_str_equal (sha256, input->sha256))
        {
          impasto_image_free (loaded);
          changed = TRUE;
          continue;
        }

      impasto_recipe_set_input (input, path, sha256);
      *image = loaded;
      return TRUE;
    }

  if (changed)
    {
      /* Translators: the first %s is "content" or "style", the second a file name. */
      g_set_error (error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_INPUT,
                   _("The %s image “%s” is not the file the recipe was made with: its "
                     "contents have changed"), what, display);
      return FALSE;
    }

  {
    g_autofree char *message = impasto_recipe_describe_missing (input, what);

    g_set_error_literal (error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_INPUT, message);
    return FALSE;
  }
}

char *
impasto_recipe_find_input (const ImpastoRecipeInput *input,
                           const char               *beside)
{
  g_autoptr(GPtrArray) paths = candidate_paths (beside, input->path);

  for (guint i = 0; i < paths->len; i++)
    if (g_file_test (g_ptr_array_index (paths, i), G_FILE_TEST_EXISTS))
      return g_strdup (g_ptr_array_index (paths, i));

  return NULL;
}

char *
impasto_recipe_describe_missing (const ImpastoRecipeInput *input,
                                 const char               *what)
{
  g_autofree char *display = g_filename_display_name (input->path);

  return g_strdup_printf (_("The %s image “%s” is missing, and there is no file of that name "
                            "beside the recipe"), what, display);
}

static void
clear_inputs (ImpastoSession *session)
{
  g_clear_pointer (&session->content, impasto_image_free);
  for (guint i = 0; i < G_N_ELEMENTS (session->styles); i++)
    g_clear_pointer (&session->styles[i], impasto_image_free);
}

/* Each style image in turn, checked and hashed. */
static gboolean
load_styles (ImpastoSession  *session,
             GError         **error)
{
  for (guint i = 0; i < session->recipe->n_styles; i++)
    if (!load_input (session, &session->recipe->styles[i], _("style"), &session->styles[i],
                     error))
      return FALSE;

  return TRUE;
}

gboolean
impasto_session_load_inputs (ImpastoSession  *session,
                             GError         **error)
{
  clear_inputs (session);

  /* Translators: the kind of image, in "The content image “photo.jpg” is missing". */
  if (!load_input (session, &session->recipe->content, _("content"), &session->content, error)
      || !load_styles (session, error)
      || !impasto_session_load_start (session, error))
    {
      clear_inputs (session);
      return FALSE;
    }

  return TRUE;
}

gboolean
impasto_session_load_start (ImpastoSession  *session,
                            GError         **error)
{
  g_clear_pointer (&session->start, impasto_image_free);
  if (session->recipe->start.path == NULL)
    return TRUE;

  /* Translators: the kind of image, in "The starting image “x.png” is missing". */
  return load_input (session, &session->recipe->start, _("starting"), &session->start, error);
}

void
impasto_session_set_inputs (ImpastoSession            *session,
                            const ImpastoImage        *content,
                            const ImpastoImage * const *styles)
{
  clear_inputs (session);
  session->content = impasto_image_copy (content);
  for (guint i = 0; i < session->recipe->n_styles; i++)
    session->styles[i] = impasto_image_copy (styles[i]);
}

gboolean
impasto_session_set_network (ImpastoSession  *session,
                             ImpastoNetwork  *network,
                             GError         **error)
{
  ImpastoRecipe *recipe = session->recipe;
  g_autofree char *checksum = NULL;
  int deepest = impasto_run_params_find_deepest_layer (recipe->params, network, error);

  if (deepest < 0)
    return FALSE;

  checksum = impasto_network_dup_checksum (network, deepest + 1);
  if (recipe->model_sha256 != NULL && !g_str_equal (recipe->model_sha256, checksum))
    {
      g_set_error_literal (error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_INPUT,
                           _("The model's layers are not the ones the recipe was made with, "
                             "so the painting would come out different; use the model it "
                             "was made with"));
      return FALSE;
    }

  g_free (recipe->model_sha256);
  recipe->model_sha256 = g_steal_pointer (&checksum);
  g_clear_pointer (&session->network, impasto_network_unref);
  session->network = impasto_network_ref (network);
  return TRUE;
}

gboolean
impasto_session_load_model (ImpastoSession  *session,
                            const char      *explicit_path,
                            GError         **error)
{
  g_autofree char *path = impasto_model_find (explicit_path, error);
  g_autoptr(ImpastoNetwork) network = NULL;
  g_auto(GStrv) layers = NULL;

  if (path == NULL)
    return FALSE;

  layers = impasto_run_params_get_loss_layers (session->recipe->params);
  network = impasto_network_load (path, (const char * const *) layers, error);

  return network != NULL && impasto_session_set_network (session, network, error);
}

ImpastoRun *
impasto_session_create_run (ImpastoSession  *session,
                            GError         **error)
{
  const ImpastoRecipe *recipe = session->recipe;
  const ImpastoRunParams *params = recipe->params;
  guint n_styles = recipe->n_styles;
  g_autoptr(ImpastoImage) content = NULL;
  ImpastoImage *styles[IMPASTO_MAX_STYLES] = { NULL };
  double weights[IMPASTO_MAX_STYLES];
  gboolean sized = TRUE;
  ImpastoRun *run = NULL;

  g_return_val_if_fail (session->network != NULL, NULL);
  g_return_val_if_fail (session->content != NULL && n_styles > 0, NULL);
  for (guint i = 0; i < n_styles; i++)
    g_return_val_if_fail (session->styles[i] != NULL, NULL);

  content = impasto_image_resize_with (session->content, params->width, params->height,
                                       params->resample);
  for (guint i = 0; i < n_styles; i++)
    {
      const ImpastoImage *image = session->styles[i];
      guint width, height;

      sized = impasto_run_params_get_style_size (params, image->width, image->height, &width,
                                                  &height, error);
      if (!sized)
        break;
      styles[i] = impasto_image_resize_with (image, width, height, params->resample);
      if (params->colour_match == IMPASTO_COLOUR_MATCH_HISTOGRAM)
        impasto_image_match_colours_histogram (styles[i], content);
      else if (params->colour_match == IMPASTO_COLOUR_MATCH_LINEAR)
        impasto_image_match_colours_linear (styles[i], content, NULL, NULL);
      weights[i] = recipe->styles[i].weight;
    }
  if (sized)
    run = impasto_run_new_blend (session->network, params, content,
                                 (const ImpastoImage * const *) styles, weights, n_styles,
                                 error);
  for (guint i = 0; i < n_styles; i++)
    impasto_image_free (styles[i]);
  if (run == NULL)
    return NULL;
  if (session->start != NULL)
    {
      g_autoptr(ImpastoImage) start = impasto_image_resize_with (session->start, params->width,
                                                                 params->height,
                                                                 params->resample);

      impasto_run_set_start_image (run, start);
    }

  for (guint i = 0; i < recipe->steering->len; i++)
    {
      const ImpastoSteer *steer = &g_array_index (recipe->steering, ImpastoSteer, i);
      gboolean ok = impasto_run_steer (run, steer->step, steer->name, steer->value, NULL);

      g_assert (ok);   /* the recipe's steering was checked as it was read */
    }

  return run;
}

char *
impasto_session_dup_recipe_text (ImpastoSession *session,
                                 ImpastoRun     *run,
                                 guint           step)
{
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_copy (session->recipe);

  if (run == NULL)
    return impasto_recipe_to_text (recipe);

  g_array_unref (recipe->steering);
  recipe->steering = impasto_run_dup_steering_log (run);
  /* A run of one scale makes the image of step k again when it has k steps and the changes
   * before k; the scales of a coarse-to-fine run share its steps out, so it keeps them all. */
  if (recipe->params->n_scales == 1 && step > 0)
    {
      recipe->params->steps = step;
      for (guint i = recipe->steering->len; i-- > 0;)
        if (g_array_index (recipe->steering, ImpastoSteer, i).step >= step)
          g_array_remove_index (recipe->steering, i);
    }

  return impasto_recipe_to_text (recipe);
}

gboolean
impasto_session_save (ImpastoSession      *session,
                      ImpastoRun          *run,
                      const ImpastoImage  *image,
                      const char          *path,
                      GError             **error)
{
  g_autofree char *recipe = impasto_session_dup_recipe_text (session, run,
                                                             impasto_run_get_step (run));

  return impasto_image_save_with_recipe (image, path, recipe, error);
}

gboolean
impasto_session_save_result (ImpastoSession  *session,
                             ImpastoRun      *run,
                             const char      *path,
                             GError         **error)
{
  g_autoptr(ImpastoRunParams) params = impasto_run_dup_params (run);
  g_autofree char *recipe = NULL;
  g_autofree guint16 *pixels = NULL;
  guint width, height;

  if (params->png_depth == IMPASTO_PNG_DEPTH_8)
    {
      g_autoptr(ImpastoImage) image = impasto_run_dup_image (run);

      return impasto_session_save (session, run, image, path, error);
    }

  recipe = impasto_session_dup_recipe_text (session, run, impasto_run_get_step (run));
  pixels = impasto_run_dup_pixels16 (run, &width, &height);

  return impasto_image_save_png16 (pixels, width, height, path, recipe, error);
}

ImpastoRecipe *
impasto_recipe_load_file (const char  *path,
                          GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(ImpastoImage) image = NULL;
  g_autoptr(GError) image_error = NULL;
  g_autofree char *text = NULL;
  gsize length;
  GStatBuf st;

  image = impasto_image_load_full (path, NULL, &text, &image_error);
  if (image != NULL)
    {
      if (text == NULL)
        {
          g_set_error (error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_INVALID,
                       _("“%s” is an image, but not one Impasto made: it holds no recipe"),
                       display);
          return NULL;
        }
      return impasto_recipe_from_text (text, -1, error);
    }
  if (!g_error_matches (image_error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE))
    {
      g_propagate_error (error, g_steal_pointer (&image_error));
      return NULL;
    }

  /* Not an image: a recipe's own text, which is small. */
  if (g_stat (path, &st) == 0 && !impasto_recipe_check_size (st.st_size, error))
    return NULL;
  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;

  return impasto_recipe_from_text (text, length, error);
}
