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

/* What is wrong with a model path that is not a regular file, or TRUE when nothing is;
 * the message is subject, the path, then the reason. Only stat()ed: opening a FIFO for
 * reading would block until someone writes to it. */
static gboolean
check_model_path (const char *path,
                  const char *subject,
                  const char *joiner,
                  GError    **error)
{
  GIOErrorEnum code = G_IO_ERROR_NOT_FOUND;
  const char *reason = "does not exist";

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      code = G_IO_ERROR_IS_DIRECTORY;
      reason = "is a folder; give the path of the .mat file in it";
    }
  else if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      code = G_IO_ERROR_NOT_REGULAR_FILE;
      reason = "is not a regular file; give the path of the .mat file";
    }
  g_set_error (error, G_IO_ERROR, code, "%s “%s”%s %s", subject, path, joiner, reason);
  return FALSE;
}

char *
impasto_model_find (const char  *explicit_path,
                    GError     **error)
{
  g_auto(GStrv) paths = NULL;
  g_autofree char *user_path = NULL;
  const char *env = g_getenv ("IMPASTO_MODEL");

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (explicit_path != NULL)
    return check_model_path (explicit_path, "Model file", "", error) ? g_strdup (explicit_path)
                                                                      : NULL;

  paths = impasto_model_get_search_paths ();
  for (guint i = 0; paths[i] != NULL; i++)
    if (g_file_test (paths[i], G_FILE_TEST_IS_REGULAR))
      return g_strdup (paths[i]);

  /* The variable was meant to name the model: what is wrong with it is the news. */
  if (env != NULL && *env != '\0'
      && !check_model_path (env, "IMPASTO_MODEL is set to", ", which", error))
    return NULL;

  user_path = g_build_filename (g_get_user_data_dir (), "impasto", IMPASTO_MODEL_FILE_NAME, NULL);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               "The VGG19 model is missing. Run impasto-cli --download-model, or download "
               "%s (about 510 MB) from %s and save it as %s, or pass its path with --model",
               IMPASTO_MODEL_FILE_NAME, IMPASTO_MODEL_URL, user_path);
  return NULL;
}
