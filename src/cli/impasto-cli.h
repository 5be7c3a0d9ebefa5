/* impasto-cli.h: the command-line front end
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses besides 0 (done): */
#define IMPASTO_CLI_EXIT_FAILURE   1    /* an error, reported in one line on stderr */
#define IMPASTO_CLI_EXIT_USAGE     2    /* the command line itself is wrong */
/* Stopped by a signal, the image reached so far written: 128 + the signal's number, as a
 * shell reports a program killed by it. 129 SIGHUP, 130 SIGINT (Ctrl-C), 143 SIGTERM, and
 * 141 SIGPIPE, which a closed stdout stands for. */
#define IMPASTO_CLI_EXIT_SIGNAL    128

int impasto_cli_main (int    argc,
                      char **argv);

G_END_DECLS
