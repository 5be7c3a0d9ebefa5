/* cli-runner.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli-runner.h"

/* The system data dir stays: gdk-pixbuf needs its MIME database to recognise images. UTF-8,
 * so that the quotes around names survive (GLib writes "?" for them in plain C), but no
 * translation. */
GSubprocessLauncher *
cli_launcher_new (const char *data_home)
{
  GSubprocessLauncher *l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                      | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *data_dirs = g_strconcat (data_home, ":/usr/share", NULL);

  g_subprocess_launcher_unsetenv (l, "IMPASTO_MODEL");
  g_subprocess_launcher_setenv (l, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (l, "XDG_DATA_DIRS", data_dirs, TRUE);
  g_subprocess_launcher_setenv (l, "LC_ALL", "C.UTF-8", TRUE);

  return l;
}

/* A crash is never the refusal a test waits for, whatever status it expects: under the
 * sanitizers a report aborts the program rather than exiting with 1. */
CliResult
cli_run (GSubprocessLauncher *launcher,
         const char * const  *argv)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  CliResult r = { 0 };
  gboolean exited;

  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r.out, &r.err, &error);
  g_assert_no_error (error);
  exited = g_subprocess_get_if_exited (proc);
  r.status = exited ? g_subprocess_get_exit_status (proc) : -1;
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
  g_assert_true (exited);

  return r;
}

void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}
