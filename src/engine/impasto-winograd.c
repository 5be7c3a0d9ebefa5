/* impasto-winograd.c: F(2x2, 3x3), F(3x3, 3x3) and F(4x4, 3x3) convolutions on sgemm
 *
 * Three steps: (1) every input tile d becomes V = B^T d B, scattered so that each of the a^2
 * positions (a = m + 2) holds an [in][tiles] matrix; (2) one sgemm per position multiplies it
 * by that position's [out][in] transformed weights; (3) each output tile is A^T M A, with the
 * transforms of impasto-winograd-kernels.c. Layers with few channels take them block by block,
 * a block of tiles per worker at a time, so that V and M stay in that core's cache; layers
 * with many take them band by band, each step over all workers, so that the large transformed
 * weights are read once per band rather than once per block.
 *
 * The backward pass to the input correlates dy with the kernels turned by 180 degrees, in
 * and out swapped. Turning the kernel g is the same as reversing the tile: for one tile,
 * A^T [(G Jg) . (B^T d)] = J A^T [(G g) . (B^T J d)], J the reversal. So the backward reuses
 * the forward's transformed weights, transposed in the sgemm, with B^T J and J A^T in place
 * of B^T and A^T: no second copy of the weights.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <cblas.h>

#include "impasto-winograd-private.h"

typedef ImpastoWinogradKind Kind;

/* Scratch for a band: V and M together. 16 MiB keeps the sgemm calls wide (hundreds of
 * tiles) without growing with the image. */
#define BAND_FLOATS ((gsize) 4 * 1024 * 1024)

gsize
impasto_winograd_weights_size (ImpastoWinograd kind,
                               guint           in_c,
                               guint           out_c)
{
  const Kind *k = &impasto_winograd_kinds[kind];

  return (gsize) k->a * k->a * out_c * in_c;
}

/* U = G g G^T in double, so that the only rounding is the final one to float. */
static void
transform_kernel (const Kind  *k,
                  const float *g,
                  double       u[MAX_A][MAX_A])
{
  double t[MAX_A][3];

  for (guint i = 0; i < k->a; i++)
    for (guint l = 0; l < 3; l++)
      t[i][l] = k->g[i][0] * g[l] + k->g[i][1] * g[3 + l] + k->g[i][2] * g[6 + l];
  for (guint i = 0; i < k->a; i++)
    for (guint j = 0; j < k->a; j++)
      u[i][j] = t[i][0] * k->g[j][0] + t[i][1] * k->g[j][1] + t[i][2] * k->g[j][2];
}

void
impasto_winograd_transform_weights (ImpastoWinograd  kind,
                                    const float     *weights,
                                    guint            in_c,
                                    guint            out_c,
                                    float           *u)
{
  const Kind *k = &impasto_winograd_kinds[kind];
  gsize pair = (gsize) out_c * in_c;

  for (gsize p = 0; p < pair; p++)
    {
      double t[MAX_A][MAX_A];

      transform_kernel (k, weights + 9 * p, t);
      for (guint i = 0; i < k->a; i++)
        for (guint j = 0; j < k->a; j++)
          u[(i * k->a + j) * pair + p] = (float) t[i][j];
    }
}

static guint
tiles (const Kind *k,
       guint       size)
{
  return (size + k->m - 1) / k->m;
}

static gsize
floats_per_tile_row (const Kind *k,
                     guint       in_c,
                     guint       out_c,
                     guint       w)
{
  return (gsize) k->a * k->a * (in_c + out_c) * tiles (k, w);
}

gsize
impasto_winograd_workspace_size (ImpastoWinograd kind,
                                 guint           in_c,
                                 guint           out_c,
                                 guint           h,
                                 guint           w)
{
  const Kind *k = &impasto_winograd_kinds[kind];
  gsize per_row = floats_per_tile_row (k, in_c, out_c, w);

  return CLAMP (BAND_FLOATS / per_row, 1, tiles (k, h)) * per_row;
}

/* One pass, forward or backward, over one band of tile rows. */
typedef struct
{
  const Kind  *k;
  const float *src;          /* src_c x h x w */
  guint        src_c;
  guint        dst_c;
  guint        h, w;
  gboolean     reversed;     /* B^T J and J A^T: the backward pass */
  const float *u;            /* [a * a][out][in] of the layer */
  const float *bias;         /* dst_c, or NULL */
  gboolean     relu;         /* forward: max (0, .) on the output */
  guint8      *mask;         /* forward: receives output > 0, or NULL */
  const float *gate_y;       /* backward: src is read times (gate_y > 0), or NULL */
  const guint8 *gate_mask;   /* backward: src is read times gate_mask, or NULL */
  float       *dst;          /* dst_c x h x w */
  guint        tiles_w;
  guint        ty0;          /* first tile row of the band */
  guint        n_ty;
  guint        tx0;          /* first tile column of the band: 0 but for a block */
  gsize        n_tiles;      /* in the band */
  float       *v;            /* [a * a][src_c][n_tiles] */
  float       *mm;           /* [a * a][dst_c][n_tiles] */
} Pass;

static const float zeros[CHUNK_COLS];

/* dst[i] = src[i] where the ReLU let the value through, else 0: the ReLU's backward, done
 * while the row is read instead of in a pass of its own. */
static void
gate_copy (const Pass  *p,
           gsize        at,
           gsize        n,
           float       *dst)
{
  const float *restrict src = p->src + at;

  if (p->gate_y != NULL)
    {
      const float *restrict y = p->gate_y + at;

      for (gsize i = 0; i < n; i++)
        dst[i] = y[i] > 0.f ? src[i] : 0.f;
    }
  else
    {
      const guint8 *restrict mask = p->gate_mask + at;

      for (gsize i = 0; i < n; i++)
        dst[i] = mask[i] ? src[i] : 0.f;
    }
}

/* Columns x0 .. x0 + n - 1 of row y of channel c, zero outside the plane. */
static const float *
padded_row (const Pass  *p,
            guint        c,
            int          y,
            int          x0,
            gsize        n,
            float       *buffer)
{
  gboolean gated = p->gate_y != NULL || p->gate_mask != NULL;
  int lo = MAX (x0, 0), hi = MIN (x0 + (int) n, (int) p->w);
  gsize row = ((gsize) c * p->h + y) * p->w;

  if (y < 0 || y >= (int) p->h)
    return zeros;
  if (!gated && x0 >= 0 && x0 + (int) n <= (int) p->w)
    return p->src + row + x0;

  memset (buffer, 0, n * sizeof (float));
  if (hi <= lo)
    return buffer;
  if (gated)
    gate_copy (p, row + lo, hi - lo, buffer + (lo - x0));
  else
    memcpy (buffer + (lo - x0), p->src + row + lo, (hi - lo) * sizeof (float));
  return buffer;
}

/* V for the tiles tx0 .. tx0 + n - 1 of tile row ty, channel c. */
static void
input_chunk (const Pass *p,
             guint       c,
             guint       ty,
             guint       tx0,
             guint       n)
{
  const Kind *k = p->k;
  gsize cols = (gsize) k->m * n + 2;
  gsize t0 = (gsize) (ty - p->ty0) * p->tiles_w + tx0 - p->tx0;
  float buffers[MAX_A][CHUNK_COLS], t[MAX_A][CHUNK_COLS];
  const float *rows[MAX_A];
  float *t_rows[MAX_A], *dst[MAX_A];

  for (guint i = 0; i < k->a; i++)
    {
      guint slot = p->reversed ? k->a - 1 - i : i;

      rows[slot] = padded_row (p, c, (int) (k->m * ty + i) - 1, (int) (k->m * tx0) - 1, cols,
                               buffers[i]);
      t_rows[i] = t[i];
    }
  k->vertical_in (rows, t_rows, cols);

  for (guint r = 0; r < k->a; r++)
    {
      for (guint l = 0; l < k->a; l++)
        dst[l] = p->v + ((gsize) (r * k->a + l) * p->src_c + c) * p->n_tiles + t0;
      k->horizontal_in (t[r], dst, n, p->reversed);
    }
}

static void
input_task (guint    c,
            gpointer data)
{
  const Pass *p = data;

  for (guint ty = p->ty0; ty < p->ty0 + p->n_ty; ty++)
    for (guint tx0 = 0; tx0 < p->tiles_w; tx0 += TILE_CHUNK)
      input_chunk (p, c, ty, tx0, MIN (TILE_CHUNK, p->tiles_w - tx0));
}

static void
product_task (guint    pos,
              gpointer data)
{
  const Pass *p = data;
  gsize n = p->n_tiles;

  /* Forward: [out][in] x [in][tiles]. Backward: the same U read transposed. */
  cblas_sgemm (CblasRowMajor, p->reversed ? CblasTrans : CblasNoTrans, CblasNoTrans,
               p->dst_c, n, p->src_c,
               1.f, p->u + (gsize) pos * p->src_c * p->dst_c, p->reversed ? p->dst_c : p->src_c,
               p->v + (gsize) pos * p->src_c * n, n,
               0.f, p->mm + (gsize) pos * p->dst_c * n, n);
}

/* The forward's ReLU while the row is still in L1 rather than in a pass of its own. */
static void
relu_row (float  *row,
          gsize   n,
          guint8 *mask)
{
  for (gsize q = 0; q < n; q++)
    row[q] = row[q] > 0.f ? row[q] : 0.f;
  if (mask != NULL)
    for (gsize q = 0; q < n; q++)
      mask[q] = row[q] > 0.f;
}

/* Outputs of the tiles tx0 .. tx0 + n - 1 of tile row ty, channel o. */
static void
output_chunk (const Pass *p,
              guint       o,
              guint       ty,
              guint       tx0,
              guint       n)
{
  const Kind *k = p->k;
  float *plane = p->dst + (gsize) o * p->h * p->w;
  gsize cols = MIN ((gsize) k->m * n, p->w - k->m * tx0);
  gsize t0 = (gsize) (ty - p->ty0) * p->tiles_w + tx0 - p->tx0;
  float s[MAX_A][CHUNK_COLS], junk[CHUNK_COLS];
  const float *src[MAX_A], *s_rows[MAX_A];
  float *out[MAX_A];

  for (guint r = 0; r < k->a; r++)
    {
      for (guint j = 0; j < k->a; j++)
        src[j] = p->mm + ((gsize) (r * k->a + j) * p->dst_c + o) * p->n_tiles + t0;
      k->horizontal_out (src, s[r], n, p->reversed);
      s_rows[r] = s[r];
    }

  for (guint i = 0; i < k->m; i++)
    {
      guint y = k->m * ty + (p->reversed ? k->m - 1 - i : i);

      out[i] = y < p->h ? plane + (gsize) y * p->w + k->m * tx0 : junk;
    }
  k->vertical_out (s_rows, out, cols, p->bias != NULL ? p->bias[o] : 0.f);
  if (p->relu)
    for (guint i = 0; i < k->m && out[i] != junk; i++)
      relu_row (out[i], cols, p->mask != NULL ? p->mask + (out[i] - p->dst) : NULL);
}

static void
output_task (guint    o,
             gpointer data)
{
  const Pass *p = data;

  for (guint ty = p->ty0; ty < p->ty0 + p->n_ty; ty++)
    for (guint tx0 = 0; tx0 < p->tiles_w; tx0 += TILE_CHUNK)
      output_chunk (p, o, ty, tx0, MIN (TILE_CHUNK, p->tiles_w - tx0));
}

/* The blocked pass: each worker takes blocks of up to TILE_CHUNK tiles of one tile row and
 * carries each through all three steps in its own slice of the workspace. */
typedef struct
{
  const Pass *pass;
  float      *workspace;
  gsize       slice;        /* floats per worker */
  guint       blocks_per_row;
  guint       n_blocks;
  gint        next_block;   /* atomic */
} Blocks;

static void
block_worker (guint    slot,
              gpointer data)
{
  Blocks *b = data;
  Pass p = *b->pass;
  const Kind *k = p.k;
  guint i;

  p.v = b->workspace + slot * b->slice;
  p.mm = p.v + (gsize) k->a * k->a * p.src_c * MIN (TILE_CHUNK, p.tiles_w);
  p.n_ty = 1;
  while ((i = (guint) g_atomic_int_add (&b->next_block, 1)) < b->n_blocks)
    {
      p.ty0 = i / b->blocks_per_row;
      p.tx0 = (i % b->blocks_per_row) * TILE_CHUNK;
      p.n_tiles = MIN (TILE_CHUNK, p.tiles_w - p.tx0);
      for (guint c = 0; c < p.src_c; c++)
        input_chunk (&p, c, p.ty0, p.tx0, p.n_tiles);
      for (guint pos = 0; pos < k->a * k->a; pos++)
        product_task (pos, &p);
      for (guint o = 0; o < p.dst_c; o++)
        output_chunk (&p, o, p.ty0, p.tx0, p.n_tiles);
    }
}

static gsize
block_slice (const Pass *p)
{
  return floats_per_tile_row (p->k, p->src_c, p->dst_c, MIN (TILE_CHUNK, p->tiles_w) * p->k->m);
}

/* How many workers' slices of the workspace the blocked pass gets; 0 for a band pass.
 * Blocks pay off while the weights of a position stay small: then each block's V, M and U
 * stay in L2, and the small sgemm calls run faster than wide ones that stream V and M
 * through L3. Measured at 450x300 on 2 cores: 35% less time for a 64-channel layer, 25% for
 * 128 channels; at 256 channels each narrow call re-packs 256 KB of weights and blocks take
 * 28% longer, at 512 channels 70% longer. */
static guint
blocked_slots (const Pass  *p,
               gsize        workspace_len,
               ImpastoPool *pool)
{
  if ((gsize) p->src_c * p->dst_c > 128 * 128)
    return 0;

  return MIN (impasto_pool_get_n_threads (pool), workspace_len / block_slice (p));
}

/* Bands of equal height, as few as the workspace allows. */
static void
run_pass (Pass        *p,
          float       *workspace,
          gsize        workspace_len,
          ImpastoPool *pool)
{
  const Kind *k = p->k;
  guint tiles_h = tiles (k, p->h);
  gsize per_row = floats_per_tile_row (k, p->src_c, p->dst_c, p->w);
  guint max_rows = CLAMP (workspace_len / per_row, 1, tiles_h);
  guint n_bands = (tiles_h + max_rows - 1) / max_rows;
  guint rows = (tiles_h + n_bands - 1) / n_bands;
  guint slots;

  g_assert (workspace_len >= per_row);

  p->tiles_w = tiles (k, p->w);
  if ((slots = blocked_slots (p, workspace_len, pool)) > 0)
    {
      Blocks b = {
        .pass = p, .workspace = workspace, .slice = block_slice (p),
        .blocks_per_row = (p->tiles_w + TILE_CHUNK - 1) / TILE_CHUNK,
      };

      b.n_blocks = b.blocks_per_row * tiles_h;
      impasto_pool_run (pool, slots, block_worker, &b);
      return;
    }
  for (p->ty0 = 0; p->ty0 < tiles_h; p->ty0 += rows)
    {
      p->n_ty = MIN (rows, tiles_h - p->ty0);
      p->n_tiles = (gsize) p->n_ty * p->tiles_w;
      p->v = workspace;
      p->mm = workspace + (gsize) k->a * k->a * p->src_c * p->n_tiles;
      impasto_pool_run (pool, p->src_c, input_task, p);
      impasto_pool_run (pool, k->a * k->a, product_task, p);
      impasto_pool_run (pool, p->dst_c, output_task, p);
    }
}

void
impasto_winograd_forward (ImpastoWinograd  kind,
                          const float     *x,
                          guint            in_c,
                          guint            h,
                          guint            w,
                          const float     *u,
                          const float     *bias,
                          guint            out_c,
                          gboolean         relu,
                          float           *y,
                          guint8          *mask,
                          float           *workspace,
                          gsize            workspace_len,
                          ImpastoPool     *pool)
{
  Pass p = {
    .k = &impasto_winograd_kinds[kind], .src = x, .src_c = in_c, .dst_c = out_c, .h = h, .w = w,
    .reversed = FALSE, .u = u, .bias = bias, .relu = relu, .mask = mask, .dst = y,
  };

  run_pass (&p, workspace, workspace_len, pool);
}

void
impasto_winograd_backward_input (ImpastoWinograd  kind,
                                 const float     *dy,
                                 const float     *relu_y,
                                 const guint8    *relu_mask,
                                 guint            out_c,
                                 guint            h,
                                 guint            w,
                                 const float     *u,
                                 guint            in_c,
                                 float           *dx,
                                 float           *workspace,
                                 gsize            workspace_len,
                                 ImpastoPool     *pool)
{
  Pass p = {
    .k = &impasto_winograd_kinds[kind], .src = dy, .src_c = out_c, .dst_c = in_c, .h = h, .w = w,
    .reversed = TRUE, .u = u, .bias = NULL, .gate_y = relu_y, .gate_mask = relu_mask,
    .dst = dx,
  };

  run_pass (&p, workspace, workspace_len, pool);
}
