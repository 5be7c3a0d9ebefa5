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
#define IMPASTO_CLI_EXIT_CANCELLED 130  /* interrupted; the image reached so far was written */

int impasto_cli_main (int    argc,
                      char **argv);

G_END_DECLS
