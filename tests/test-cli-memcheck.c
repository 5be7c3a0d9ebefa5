/* test-cli-memcheck.c: impasto-cli end to end under valgrind: no leak, no uninitialised read
 *
 * The sanitizer build already counts leaks in every test; memcheck adds what AddressSanitizer
 * cannot see (reads of memory never written) and checks the program as it is shipped, built
 * without instrumentation. A run that succeeds, one refused at its model and one that diverges
 * cover the three ways out of the program.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "cli-runner.h"
#include "impasto-image-io.h"
#include "test-util.h"

/* What valgrind exits with when it found anything, apart from the program's own statuses. */
#define MEMCHECK_FAILED 99

typedef struct
{
  char *dir;
  char *model;
  char *content;
  char *style;
  char *output;
} Fixture;

static char *
write_image (const char *dir,
             const char *name,
             guint32     seed)
{
  g_autoptr(ImpastoImage) image = test_make_image (50, 30, seed);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  impasto_image_save (image, path, &error);
  g_assert_no_error (error);
  return path;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_make_tmpdir ();
  f->model = test_write_model (f->dir, 16, 6);
  f->content = write_image (f->dir, "content.png", 1);
  f->style = write_image (f->dir, "style.jpg", 2);
  f->output = g_build_filename (f->dir, "out.png", NULL);
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
}

/* Definite and indirect leaks are errors; "possibly lost" and "still reachable" are what
 * libraries keep for the life of the process (GLib's type system, OpenBLAS's buffers) and
 * are not reported. tests/valgrind.supp lists any system-library noise by name. */
static CliResult
run_memcheck (Fixture    *f,
              const char *model,
              const char *extra_flag,
              const char *extra_value)
{
  g_autoptr(GSubprocessLauncher) l = cli_launcher_new (f->dir);
  g_autofree char *error_exitcode = g_strdup_printf ("--error-exitcode=%d", MEMCHECK_FAILED);
  g_autofree char *suppressions = g_strconcat ("--suppressions=",
                                               g_getenv ("VALGRIND_SUPPRESSIONS"), NULL);
  /* Without extra_flag, the list ends there. */
  const char *argv[] = {
    g_getenv ("VALGRIND"), "--quiet", "--leak-check=full",
    "--show-leak-kinds=definite,indirect", "--errors-for-leak-kinds=definite,indirect",
    error_exitcode, suppressions,
    g_getenv ("IMPASTO_CLI"),
    "--content", f->content, "--style", f->style, "--output", f->output, "--model", model,
    "--width", "40", "--height", "28", "--preset", "seed-exact", "--steps", "3",
    "--snapshot-every", "1",
    "--threads", "1", extra_flag, extra_value, NULL,
  };

  g_subprocess_launcher_setenv (l, "G_SLICE", "always-malloc", TRUE);

  return cli_run (l, argv);
}

static void
test_success (Fixture       *f,
              gconstpointer  data)
{
  g_auto(CliResult) r = run_memcheck (f, f->model, NULL, NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_true (g_file_test (f->output, G_FILE_TEST_IS_REGULAR));
}

/* The content image stands in for the model: refused after the images are loaded. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_auto(CliResult) r = run_memcheck (f, f->content, NULL, NULL);

  g_assert_cmpint (r.status, ==, 1);
  g_assert_true (g_str_has_prefix (r.err, "impasto-cli: "));
  g_assert_nonnull (strstr (r.err, "is not a MAT file"));
  g_assert_false (g_file_test (f->output, G_FILE_TEST_EXISTS));
}

/* A learning rate that overflows the image: the run stops and writes its last good image. */
static void
test_diverged (Fixture       *f,
               gconstpointer  data)
{
  g_auto(CliResult) r = run_memcheck (f, f->model, "--lr", "1e30");

  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "the image of step 0 is kept"));
  g_assert_true (g_file_test (f->output, G_FILE_TEST_IS_REGULAR));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/impasto/cli/memcheck/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("success", test_success);
  ADD ("refused", test_refused);
  ADD ("diverged", test_diverged);
#undef ADD

  return g_test_run ();
}
