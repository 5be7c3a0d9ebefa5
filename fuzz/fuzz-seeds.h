/* fuzz-seeds.h: the starting corpus of a fuzz target, made by the tests' fixture makers
 *
 * Each target's seeds come from a function of this shape in fuzz-<target>-seeds.c, so that
 * nothing binary is checked in: the same code writes them for libFuzzer (fuzz-seeds-main.c)
 * and replays them in the normal test suite (fuzz-replay-main.c).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char   *name;
  GBytes *bytes;
} FuzzSeed;

GPtrArray *fuzz_seeds_new  (void);
/* Takes bytes. */
void       fuzz_seeds_add  (GPtrArray  *seeds,
                            const char *name,
                            GBytes     *bytes);

/* A GPtrArray of FuzzSeed, freed with g_ptr_array_unref(); defined once per target. */
GPtrArray *fuzz_seeds_make (void);

G_END_DECLS
