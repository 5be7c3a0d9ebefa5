/* make-model.c: write a random VGG19-shaped MatConvNet file
 *
 * With --factor 1 the file has VGG19's real sizes, for benchmarks that must not depend on the
 * 510 MB download.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <glib.h>

#include "impasto-fixture.h"

static gboolean
parse_chars (const char          *text,
             ImpastoFixtureChars *chars)
{
  if (g_strcmp0 (text, "utf8") == 0)
    *chars = IMPASTO_FIXTURE_CHARS_UTF8;
  else if (g_strcmp0 (text, "uint16") == 0)
    *chars = IMPASTO_FIXTURE_CHARS_UINT16;
  else if (g_strcmp0 (text, "uint8") == 0)
    *chars = IMPASTO_FIXTURE_CHARS_UINT8;
  else
    return FALSE;

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  ImpastoFixtureOptions options;
  int factor = 16;
  gint64 seed = 1;
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  GOptionEntry entries[] = {
    { "factor", 0, 0, G_OPTION_ARG_INT, &factor,
      "Divide VGG19's channel counts by N (default 16; 1 for full size)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the random weights (default 1)", "N" },
    { "fc", 0, 0, G_OPTION_ARG_NONE, &options.with_fc, "Add fc6 … prob after pool5", NULL },
    { "names", 0, 0, G_OPTION_ARG_STRING, &names,
      "Char data as utf8 (default), uint16 or uint8", "ENCODING" },
    { "double", 0, 0, G_OPTION_ARG_NONE, &options.double_kernels,
      "Kernels and biases of class double", NULL },
    { "compress", 0, 0, G_OPTION_ARG_NONE, &options.compress, "Compress the variables", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  impasto_fixture_options_init (&options);
  options.with_meta = TRUE;

  context = g_option_context_new ("OUTPUT.mat");
  g_option_context_set_summary (context, "Write a random VGG19-shaped MatConvNet model.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto fail;

  if (argc != 2 || factor < 1 || seed < 0 || seed > G_MAXUINT32
      || (names != NULL && !parse_chars (names, &options.chars)))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return EXIT_FAILURE;
    }

  options.factor = (guint) factor;
  options.seed = (guint32) seed;
  if (!impasto_fixture_write (argv[1], &options, &error))
    goto fail;

  return EXIT_SUCCESS;

fail:
  g_printerr ("make-model: %s\n", error->message);
  return EXIT_FAILURE;
}
