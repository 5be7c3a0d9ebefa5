/* impasto-winograd-private.h: the transforms of F(2x2), F(3x3) and F(4x4, 3x3), row by row
 *
 * Transforms work on rows of a band: a "vertical" step combines whole rows (contiguous, so
 * the compiler vectorises it), a "horizontal" step combines the values of each tile within a
 * row. Tiles are taken TILE_CHUNK at a time so that the rows fit on the stack and in L1.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "impasto-winograd.h"

G_BEGIN_DECLS

#define MAX_A 6                            /* inputs per tile side, at most */
#define TILE_CHUNK 64
#define CHUNK_COLS (4 * TILE_CHUNK + 2)

/* B^T along the rows: out[k][q] = sum over i of B^T[k][i] in[i][q]. */
typedef void (*VerticalIn)    (const float *const *in, float *const *out, gsize n);
/* B^T within each tile: dst[l][t] = sum over j of B^T[l][j] row[m t + j], or row[m t + a-1-j]
 * when reversed. */
typedef void (*HorizontalIn)  (const float *row, float *const *dst, gsize n_tiles,
                               gboolean reversed);
/* A^T within each tile: row[m t + l] (or row[m t + m-1-l] reversed) = sum over j of
 * A^T[l][j] src[j][t]. */
typedef void (*HorizontalOut) (const float *const *src, float *row, gsize n_tiles,
                               gboolean reversed);
/* A^T along the rows, plus bias. */
typedef void (*VerticalOut)   (const float *const *in, float *const *out, gsize n, float bias);

typedef struct
{
  guint          m;         /* outputs per tile side */
  guint          a;         /* inputs per tile side, m + 2 */
  VerticalIn     vertical_in;
  HorizontalIn   horizontal_in;
  HorizontalOut  horizontal_out;
  VerticalOut    vertical_out;
  const double (*g)[3];     /* G, a x 3 */
} ImpastoWinogradKind;

/* Indexed by ImpastoWinograd. */
extern const ImpastoWinogradKind impasto_winograd_kinds[];

G_END_DECLS
