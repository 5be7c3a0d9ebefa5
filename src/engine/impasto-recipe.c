/* impasto-recipe.c: recipes to and from text
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "impasto-params.h"
#include "impasto-recipe.h"

#define GROUP_RECIPE     "Impasto Recipe"
#define GROUP_PARAMETERS "Parameters"
#define GROUP_CONTENT    "Content"
#define GROUP_STYLE      "Style"
#define GROUP_START      "Start"

G_DEFINE_QUARK (impasto-recipe-error-quark, impasto_recipe_error)

ImpastoRecipe *
impasto_recipe_new (void)
{
  ImpastoRecipe *recipe = g_new0 (ImpastoRecipe, 1);

  recipe->version = g_strdup (PACKAGE_VERSION);
  recipe->params = impasto_run_params_new ();
  recipe->n_styles = 1;
  recipe->styles[0].weight = 1.0;
  recipe->steering = g_array_new (FALSE, FALSE, sizeof (ImpastoSteer));

  return recipe;
}

static void
input_copy (ImpastoRecipeInput       *dst,
            const ImpastoRecipeInput *src)
{
  dst->path = g_strdup (src->path);
  dst->sha256 = g_strdup (src->sha256);
  dst->weight = src->weight;
}

static void
input_clear (ImpastoRecipeInput *input)
{
  g_clear_pointer (&input->path, g_free);
  g_clear_pointer (&input->sha256, g_free);
}

ImpastoRecipe *
impasto_recipe_copy (const ImpastoRecipe *recipe)
{
  ImpastoRecipe *copy = g_new0 (ImpastoRecipe, 1);

  copy->version = g_strdup (recipe->version);
  copy->params = impasto_run_params_copy (recipe->params);
  input_copy (&copy->content, &recipe->content);
  copy->n_styles = recipe->n_styles;
  for (guint i = 0; i < recipe->n_styles; i++)
    input_copy (&copy->styles[i], &recipe->styles[i]);
  input_copy (&copy->start, &recipe->start);
  copy->model_sha256 = g_strdup (recipe->model_sha256);
  copy->steering = g_array_copy (recipe->steering);

  return copy;
}

void
impasto_recipe_free (ImpastoRecipe *recipe)
{
  if (recipe == NULL)
    return;

  g_free (recipe->version);
  impasto_run_params_free (recipe->params);
  input_clear (&recipe->content);
  impasto_recipe_clear_styles (recipe);
  input_clear (&recipe->start);
  g_free (recipe->model_sha256);
  g_array_unref (recipe->steering);
  g_free (recipe);
}

void
impasto_recipe_set_input (ImpastoRecipeInput *input,
                          const char         *path,
                          const char         *sha256)
{
  g_free (input->path);
  input->path = g_strdup (path);
  g_free (input->sha256);
  input->sha256 = g_strdup (sha256);
}

gboolean
impasto_recipe_add_style (ImpastoRecipe *recipe,
                          const char    *path,
                          const char    *sha256,
                          double         weight)
{
  ImpastoRecipeInput *input;

  if (recipe->n_styles >= IMPASTO_MAX_STYLES)
    return FALSE;

  input = &recipe->styles[recipe->n_styles++];
  impasto_recipe_set_input (input, path, sha256);
  input->weight = weight;
  return TRUE;
}

void
impasto_recipe_clear_styles (ImpastoRecipe *recipe)
{
  for (guint i = 0; i < recipe->n_styles; i++)
    input_clear (&recipe->styles[i]);
  recipe->n_styles = 0;
}

/* [Style] for the first, [Style 2] and on for the others. */
static char *
style_group (guint i)
{
  return i == 0 ? g_strdup (GROUP_STYLE) : g_strdup_printf (GROUP_STYLE " %u", i + 1);
}

static void
write_input (GKeyFile                 *file,
             const char               *group,
             const ImpastoRecipeInput *input,
             gboolean                  weighted)
{
  if (input->path == NULL)
    return;

  g_key_file_set_string (file, group, "Path", input->path);
  if (input->sha256 != NULL)
    g_key_file_set_string (file, group, "SHA256", input->sha256);
  if (weighted)
    {
      g_autofree char *weight = impasto_format_double (input->weight);

      g_key_file_set_value (file, group, "Weight", weight);
    }
}

char *
impasto_recipe_to_text (const ImpastoRecipe *recipe)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  const ImpastoParamSpec *specs;
  guint n_specs;

  g_key_file_set_integer (file, GROUP_RECIPE, "Format", IMPASTO_RECIPE_FORMAT);
  g_key_file_set_comment (file, NULL, NULL,
                          " How Impasto made a picture: impasto-cli --recipe FILE makes it again.",
                          NULL);
  g_key_file_set_string (file, GROUP_RECIPE, "Version", recipe->version);
  if (recipe->model_sha256 != NULL)
    g_key_file_set_string (file, GROUP_RECIPE, "Model", recipe->model_sha256);
  if (recipe->steering->len > 0)
    {
      g_autofree char *steering =
        impasto_steering_to_string ((const ImpastoSteer *) (gpointer) recipe->steering->data,
                                    recipe->steering->len);

      g_key_file_set_string (file, GROUP_RECIPE, "Steering", steering);
    }

  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      g_autofree char *value = impasto_param_to_string (recipe->params, &specs[i]);

      g_key_file_set_string (file, GROUP_PARAMETERS, specs[i].name, value);
    }

  write_input (file, GROUP_CONTENT, &recipe->content, FALSE);
  for (guint i = 0; i < recipe->n_styles; i++)
    {
      g_autofree char *group = style_group (i);

      write_input (file, group, &recipe->styles[i], TRUE);
    }
  write_input (file, GROUP_START, &recipe->start, FALSE);

  return g_key_file_to_data (file, NULL, NULL);
}

/* Reading */

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: %s says what is wrong with the recipe. */
  g_set_error (error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_INVALID,
               _("The recipe cannot be used: %s"), message);
  return FALSE;
}

static gboolean
has_control_characters (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f)
      return TRUE;

  return FALSE;
}

static gboolean
is_sha256 (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;

  return TRUE;
}

/* Only the keys the format has: a misspelt one would be silently left out otherwise. */
static gboolean
check_keys (GKeyFile           *file,
            const char         *group,
            const char * const *known,
            GError            **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (file, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (known == NULL ? impasto_params_find (keys[i]) == NULL
                      : !g_strv_contains (known, keys[i]))
      return invalid (error, _("[%s] has an unknown key “%s”"), group, keys[i]);

  return TRUE;
}

static gboolean
read_checksum (GKeyFile    *file,
               const char  *group,
               const char  *key,
               char       **out,
               GError     **error)
{
  g_autofree char *value = NULL;

  if (!g_key_file_has_key (file, group, key, NULL))
    return invalid (error, _("[%s] has no %s"), group, key);

  value = g_key_file_get_string (file, group, key, NULL);
  if (value == NULL || !is_sha256 (value))
    return invalid (error, _("%s in [%s] is not a SHA-256 checksum (64 hexadecimal digits)"),
                    key, group);

  *out = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
read_input (GKeyFile           *file,
            const char         *group,
            ImpastoRecipeInput *input,
            gboolean            weighted,
            GError            **error)
{
  static const char * const keys[] = { "Path", "SHA256", "Weight", NULL };
  g_autofree char *path = NULL;

  if (!g_key_file_has_group (file, group))
    return invalid (error, _("it names no %s image"), group);
  if (!check_keys (file, group, keys, error))
    return FALSE;

  path = g_key_file_get_string (file, group, "Path", NULL);
  if (path == NULL || *path == '\0')
    return invalid (error, _("[%s] has no Path"), group);
  if (has_control_characters (path))
    return invalid (error, _("the path in [%s] holds control characters"), group);
  input->path = g_steal_pointer (&path);

  if (!read_checksum (file, group, "SHA256", &input->sha256, error))
    return FALSE;

  if (weighted)
    {
      g_autofree char *text = g_key_file_get_value (file, group, "Weight", NULL);
      char *end = NULL;

      if (text != NULL)
        input->weight = g_ascii_strtod (text, &end);
      if (text == NULL || *text == '\0' || *end != '\0' || !isfinite (input->weight)
          || input->weight < 0)
        return invalid (error, _("the Weight in [%s] must be a number, 0 or more"), group);
    }

  return TRUE;
}

/* [Style], then [Style 2] and on, each after the one before; the weights must make a blend. */
static gboolean
read_styles (GKeyFile      *file,
             guint          format,
             ImpastoRecipe *recipe,
             GError       **error)
{
  double sum = 0;

  impasto_recipe_clear_styles (recipe);
  for (guint i = 0; i < IMPASTO_MAX_STYLES; i++)
    {
      g_autofree char *group = style_group (i);
      ImpastoRecipeInput *input = &recipe->styles[i];

      /* [Style] itself must be there: read_input() says so. */
      if (i > 0 && !g_key_file_has_group (file, group))
        break;
      if (i > 0 && format < 2)
        return invalid (error, _("it has a group [%s], which recipes of format %u do not"),
                        group, format);
      recipe->n_styles = i + 1;
      input->weight = 1.0;
      if (!read_input (file, group, input, TRUE, error))
        return FALSE;
      sum += input->weight;
    }
  for (guint i = recipe->n_styles + 1; i < IMPASTO_MAX_STYLES; i++)
    {
      g_autofree char *group = style_group (i);
      g_autofree char *missing = style_group (recipe->n_styles);

      if (g_key_file_has_group (file, group))
        return invalid (error, _("it has a group [%s] but no [%s]"), group, missing);
    }
  if (!(sum > 0) || !isfinite (sum))
    return invalid (error, _("its style images’ weights add up to 0 or overflow"));

  return TRUE;
}

/* A group the reader knows: the fixed ones, or [Style N] for N from 2 to the most styles, as
 * written ("Style 02" is not). */
static gboolean
is_known_group (const char *group)
{
  static const char * const known[] = {
    GROUP_RECIPE, GROUP_PARAMETERS, GROUP_CONTENT, GROUP_STYLE, GROUP_START, NULL
  };

  if (g_strv_contains (known, group))
    return TRUE;
  for (guint i = 1; i < IMPASTO_MAX_STYLES; i++)
    {
      g_autofree char *name = style_group (i);

      if (g_str_equal (group, name))
        return TRUE;
    }
  return FALSE;
}

static gboolean
read_parameters (GKeyFile         *file,
                 guint             format,
                 ImpastoRunParams *params,
                 GError          **error)
{
  const ImpastoParamSpec *specs;
  guint n_specs;

  if (!check_keys (file, GROUP_PARAMETERS, NULL, error))
    return FALSE;

  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      g_autofree char *value = g_key_file_get_string (file, GROUP_PARAMETERS, specs[i].name,
                                                      NULL);
      g_autoptr(GError) param_error = NULL;

      /* A parameter newer than the recipe's format had its default when the recipe was
       * made; one the format has must be there, or a recipe cut short would pass for one
       * with the defaults. */
      if (MAX (specs[i].since_format, 1) > format)
        {
          if (value != NULL)
            return invalid (error, _("%s is not a parameter of format %u"), specs[i].name,
                            format);
          continue;
        }
      if (value == NULL)
        return invalid (error, _("it gives no value for %s"), specs[i].name);
      if (!impasto_param_parse (params, &specs[i], value, &param_error))
        return invalid (error, "%s", param_error->message);
    }

  {
    g_autoptr(GError) param_error = NULL;

    if (!impasto_run_params_validate (params, &param_error))
      return invalid (error, "%s", param_error->message);
  }

  return TRUE;
}

static gboolean
read_header (GKeyFile      *file,
             ImpastoRecipe *recipe,
             guint         *format_out,
             GError       **error)
{
  static const char * const keys[] = { "Format", "Version", "Model", "Steering", NULL };
  g_autofree char *format = NULL;
  g_autofree char *steering = NULL;
  guint64 version;

  if (!g_key_file_has_group (file, GROUP_RECIPE))
    return invalid (error, _("it has no [%s] group"), GROUP_RECIPE);
  format = g_key_file_get_value (file, GROUP_RECIPE, "Format", NULL);
  if (format == NULL || !g_ascii_string_to_unsigned (format, 10, 1, G_MAXUINT, &version, NULL))
    return invalid (error, _("it says no format version"));
  if (version > IMPASTO_RECIPE_FORMAT)
    {
      g_set_error (error, IMPASTO_RECIPE_ERROR, IMPASTO_RECIPE_ERROR_VERSION,
                   _("The recipe is of format %s, made by a newer Impasto; this one reads "
                     "format %d. Update Impasto to use it"), format, IMPASTO_RECIPE_FORMAT);
      return FALSE;
    }
  if (!check_keys (file, GROUP_RECIPE, keys, error))
    return FALSE;
  *format_out = version;

  g_free (recipe->version);
  recipe->version = g_key_file_get_string (file, GROUP_RECIPE, "Version", NULL);
  if (recipe->version == NULL || has_control_characters (recipe->version))
    return invalid (error, _("it says no Impasto version"));
  if (!read_checksum (file, GROUP_RECIPE, "Model", &recipe->model_sha256, error))
    return FALSE;

  steering = g_key_file_get_string (file, GROUP_RECIPE, "Steering", NULL);
  if (steering != NULL)
    {
      g_autoptr(GError) steer_error = NULL;

      if (!impasto_steering_parse (steering, recipe->steering, &steer_error))
        return invalid (error, "%s", steer_error->message);
    }

  return TRUE;
}

gboolean
impasto_recipe_check_size (guint64  size,
                           GError **error)
{
  g_autofree char *size_text = NULL;

  if (size <= IMPASTO_RECIPE_MAX_SIZE)
    return TRUE;

  size_text = g_format_size (size);
  return invalid (error, _("it is %s long; a recipe is at most %d kB"), size_text,
                  IMPASTO_RECIPE_MAX_SIZE / 1024);
}

ImpastoRecipe *
impasto_recipe_from_text (const char *text,
                          gssize      length,
                          GError    **error)
{
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_new ();
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) key_file_error = NULL;
  gsize size = length < 0 ? strlen (text) : (gsize) length;
  guint format = 0;

  if (!impasto_recipe_check_size (size, error))
    return NULL;
  if (memchr (text, '\0', size) != NULL || !g_utf8_validate (text, size, NULL))
    {
      invalid (error, _("it is not text"));
      return NULL;
    }
  if (!g_key_file_load_from_data (file, text, size, G_KEY_FILE_NONE, &key_file_error))
    {
      invalid (error, "%s", key_file_error->message);
      return NULL;
    }

  {
    g_auto(GStrv) groups = g_key_file_get_groups (file, NULL);

    for (guint i = 0; groups[i] != NULL; i++)
      if (!is_known_group (groups[i]))
        {
          invalid (error, _("it has an unknown group [%s]"), groups[i]);
          return NULL;
        }
  }

  if (!read_header (file, recipe, &format, error)
      || !read_parameters (file, format, recipe->params, error)
      || !read_input (file, GROUP_CONTENT, &recipe->content, FALSE, error)
      || !read_styles (file, format, recipe, error)
      || (g_key_file_has_group (file, GROUP_START)
          && !read_input (file, GROUP_START, &recipe->start, FALSE, error)))
    return NULL;

  for (guint i = 0; i < recipe->steering->len; i++)
    if (g_array_index (recipe->steering, ImpastoSteer, i).step > recipe->params->steps)
      {
        invalid (error, _("it changes a parameter at step %u of a run of %u steps"),
                 g_array_index (recipe->steering, ImpastoSteer, i).step,
                 recipe->params->steps);
        return NULL;
      }

  return g_steal_pointer (&recipe);
}
