/* fuzz-target.h: libFuzzer's entry points, which every fuzz target defines
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* What every target does first: criticals become crashes (a g_return_if_fail() tripping is a
 * bug in the caller), while warnings and debug output are kept off the terminal. tolerated
 * holds pairs of a log domain and an exact message, NULL-terminated: criticals that a system
 * library logs on hostile input and survives, each listed with the reason in the target. */
void fuzz_target_init_logging (const char * const *tolerated);
