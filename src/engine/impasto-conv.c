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
  /* The Winograd algorithms come in the order of the kinds. */
  G_STATIC_ASSERT (IMPASTO_CONV_WINOGRAD_3X3 - IMPASTO_CONV_WINOGRAD_2X2 == IMPASTO_WINOGRAD_3X3);
  G_STATIC_ASSERT (IMPASTO_CONV_WINOGRAD_4X4 - IMPASTO_CONV_WINOGRAD_2X2 == IMPASTO_WINOGRAD_4X4);
  g_assert (algorithm != IMPASTO_CONV_IM2COL);

  return (ImpastoWinograd) (algorithm - IMPASTO_CONV_WINOGRAD_2X2);
}

const char *
impasto_conv_algorithm_name (ImpastoConvAlgorithm algorithm)
{
  static const char * const names[] = {
    "im2col", "winograd-2x2", "winograd-3x3", "winograd-4x4",
  };

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
                              conv->bias, conv->out_c, FALSE, y, NULL, workspace,
                              workspace_len, pool);
}

void
impasto_conv_forward_relu (const ImpastoConv *conv,
                           const float       *x,
                           guint              h,
                           guint              w,
                           float             *y,
                           guint8            *mask,
                           float             *workspace,
                           gsize              workspace_len,
                           ImpastoPool       *pool)
{
  if (conv->algorithm == IMPASTO_CONV_IM2COL)
    {
      impasto_conv3x3_forward (x, conv->in_c, h, w, conv->weights, conv->bias, conv->out_c, y,
                               workspace, workspace_len, pool);
      impasto_relu_forward (y, (gsize) conv->out_c * h * w, mask, pool);
    }
  else
    impasto_winograd_forward (winograd_kind (conv->algorithm), x, conv->in_c, h, w, conv->u,
                              conv->bias, conv->out_c, TRUE, y, mask, workspace, workspace_len,
                              pool);
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
    impasto_winograd_backward_input (winograd_kind (conv->algorithm), dy, NULL, NULL,
                                     conv->out_c, h, w, conv->u, conv->in_c, dx, workspace,
                                     workspace_len, pool);
}

void
impasto_conv_backward_relu (const ImpastoConv *conv,
                            float             *dy,
                            const float       *relu_y,
                            const guint8      *relu_mask,
                            guint              h,
                            guint              w,
                            float             *dx,
                            float             *workspace,
                            gsize              workspace_len,
                            ImpastoPool       *pool)
{
  gsize n = (gsize) conv->out_c * h * w;

  g_return_if_fail ((relu_y == NULL) != (relu_mask == NULL));

  if (conv->algorithm != IMPASTO_CONV_IM2COL)
    {
      impasto_winograd_backward_input (winograd_kind (conv->algorithm), dy, relu_y, relu_mask,
                                       conv->out_c, h, w, conv->u, conv->in_c, dx, workspace,
                                       workspace_len, pool);
      return;
    }

  if (relu_y != NULL)
    impasto_relu_backward (relu_y, dy, n, pool);
  else
    impasto_relu_backward_mask (relu_mask, dy, n, pool);
  impasto_conv3x3_backward_input (dy, conv->out_c, h, w, conv->weights, conv->in_c, dx,
                                  workspace, workspace_len, pool);
}
