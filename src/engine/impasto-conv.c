/* impasto-conv.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-conv.h"
#include "impasto-layers.h"

static ImpastoWinograd
winograd_kind (ImpastoConvAlgorithm algorithm)
{
  return algorithm == IMPASTO_CONV_WINOGRAD_2X2 ? IMPASTO_WINOGRAD_2X2 : IMPASTO_WINOGRAD_4X4;
}

const char *
impasto_conv_algorithm_name (ImpastoConvAlgorithm algorithm)
{
  static const char * const names[] = { "im2col", "winograd-2x2", "winograd-4x4" };

  g_return_val_if_fail (algorithm < G_N_ELEMENTS (names), NULL);

  return names[algorithm];
}

gsize
impasto_conv_weights_size (ImpastoConvAlgorithm algorithm,
                           guint                in_c,
                           guint                out_c)
{
  if (algorithm == IMPASTO_CONV_IM2COL)
    return 0;

  return impasto_winograd_weights_size (winograd_kind (algorithm), in_c, out_c);
}

ImpastoConv *
impasto_conv_new (ImpastoConvAlgorithm algorithm,
                  guint                in_c,
                  guint                out_c,
                  const float         *weights,
                  const float         *bias)
{
  ImpastoConv *conv = g_new0 (ImpastoConv, 1);

  conv->algorithm = algorithm;
  conv->in_c = in_c;
  conv->out_c = out_c;
  conv->weights = weights;
  conv->bias = bias;
  if (algorithm != IMPASTO_CONV_IM2COL)
    {
      conv->u = g_new (float, impasto_conv_weights_size (algorithm, in_c, out_c));
      impasto_winograd_transform_weights (winograd_kind (algorithm), weights, in_c, out_c,
                                          conv->u);
    }

  return conv;
}

void
impasto_conv_free (ImpastoConv *conv)
{
  if (conv == NULL)
    return;

  g_free (conv->u);
  g_free (conv);
}

gsize
impasto_conv_workspace_size (const ImpastoConv *conv,
                             guint              h,
                             guint              w)
{
  if (conv->algorithm == IMPASTO_CONV_IM2COL)
    return impasto_conv3x3_workspace_size (conv->in_c, h, w);

  return impasto_winograd_workspace_size (winograd_kind (conv->algorithm), conv->in_c,
                                          conv->out_c, h, w);
}

void
impasto_conv_forward (const ImpastoConv *conv,
                      const float       *x,
                      guint              h,
                      guint              w,
                      float             *y,
                      float             *workspace,
                      gsize              workspace_len,
                      ImpastoPool       *pool)
{
  if (conv->algorithm == IMPASTO_CONV_IM2COL)
    impasto_conv3x3_forward (x, conv->in_c, h, w, conv->weights, conv->bias,
                             conv->out_c, y, workspace, workspace_len, pool);
  else
    impasto_winograd_forward (winograd_kind (conv->algorithm), x, conv->in_c, h, w, conv->u,
                              conv->bias, conv->out_c, y, workspace, workspace_len, pool);
}

void
impasto_conv_backward_input (const ImpastoConv *conv,
                             const float       *dy,
                             guint              h,
                             guint              w,
                             float             *dx,
                             float             *workspace,
                             gsize              workspace_len,
                             ImpastoPool       *pool)
{
  if (conv->algorithm == IMPASTO_CONV_IM2COL)
    impasto_conv3x3_backward_input (dy, conv->out_c, h, w, conv->weights,
                                    conv->in_c, dx, workspace, workspace_len, pool);
  else
    impasto_winograd_backward_input (winograd_kind (conv->algorithm), dy, conv->out_c,
                                     h, w, conv->u, conv->in_c, dx, workspace,
                                     workspace_len, pool);
}
