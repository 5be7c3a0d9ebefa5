/* impasto-model-path.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "impasto-model-path.h"

/* The compact copy first: it holds the same weights and loads faster. */
static void
add_path (GStrvBuilder *builder,
          const char   *data_dir)
{
  g_autofree char *compact = g_build_filename (data_dir, "impasto",
                                               IMPASTO_MODEL_COMPACT_FILE_NAME, NULL);
  g_autofree char *path = g_build_filename (data_dir, "impasto", IMPASTO_MODEL_FILE_NAME, NULL);

  g_strv_builder_add (builder, compact);
  g_strv_builder_add (builder, path);
}

char **
impasto_model_get_search_paths (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *env = g_getenv ("IMPASTO_MODEL");
  const char * const *dirs = g_get_system_data_dirs ();

  if (env != NULL && *env != '\0')
    g_strv_builder_add (builder, env);

  add_path (builder, g_get_user_data_dir ());
  for (guint i = 0; dirs[i] != NULL; i++)
    add_path (builder, dirs[i]);

  return g_strv_builder_end (builder);
}

char *
impasto_model_find (const char  *explicit_path,
                    GError     **error)
{
  g_auto(GStrv) paths = NULL;
  g_autofree char *user_path = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (explicit_path != NULL)
    {
      if (g_file_test (explicit_path, G_FILE_TEST_IS_REGULAR))
        return g_strdup (explicit_path);

      if (g_file_test (explicit_path, G_FILE_TEST_IS_DIR))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                     "Model file “%s” is a folder; give the path of the .mat file in it",
                     explicit_path);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     "Model file “%s” does not exist", explicit_path);
      return NULL;
    }

  paths = impasto_model_get_search_paths ();
  for (guint i = 0; paths[i] != NULL; i++)
    if (g_file_test (paths[i], G_FILE_TEST_IS_REGULAR))
      return g_strdup (paths[i]);

  user_path = g_build_filename (g_get_user_data_dir (), "impasto", IMPASTO_MODEL_FILE_NAME, NULL);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               "The VGG19 model is missing. Run impasto-cli --download-model, or download "
               "%s (about 510 MB) from %s and save it as %s, or pass its path with --model",
               IMPASTO_MODEL_FILE_NAME, IMPASTO_MODEL_URL, user_path);
  return NULL;
}
