/* main.c: impasto-cli
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-cli.h"

int
main (int    argc,
      char **argv)
{
  return impasto_cli_main (argc, argv);
}
