/* cli-runner.h: impasto-cli run as a user runs it, and what it said
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

/* Collects stdout and stderr; its environment finds no model of the user's by accident. */
GSubprocessLauncher *cli_launcher_new  (const char          *data_home);
/* Runs argv (the program first) to its end and fails the test unless it exited. */
CliResult            cli_run           (GSubprocessLauncher *launcher,
                                        const char * const  *argv);
void                 cli_result_clear  (CliResult           *result);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

G_END_DECLS
