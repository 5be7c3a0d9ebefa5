/* naive.h: slow, obviously correct twins of the engine's layers, in double precision
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Direct 3x3 SAME cross-correlation plus bias, weights [out][in][3][3]. */
void naive_conv3x3_forward (const double *x, guint in_c, guint h, guint w,
                            const float *weights, const float *bias, guint out_c, double *y);
/* The adjoint, written as a scatter so that it shares no code path with the forward. */
void naive_conv3x3_backward_input (const double *dy, guint out_c, guint h, guint w,
                                   const float *weights, guint in_c, double *dx);
/* 2x2 stride-2 max pooling over the part of each window inside the image; the backward
 * sends each gradient to the window's first maximum in row-major order. */
void naive_maxpool_forward (const double *x, guint c, guint h, guint w, double *y);
void naive_maxpool_backward (const double *x, const double *dy, guint c, guint h, guint w,
                             double *dx);

/* 2x2 stride-2 average pooling over the part of each window inside the image; the backward
 * scatters each gradient over that part. */
void naive_avgpool_forward (const double *x, guint c, guint h, guint w, double *y);
void naive_avgpool_backward (const double *dy, guint c, guint h, guint w, double *dx);

double *naive_from_floats (const float *x, gsize n);
float  *naive_random_floats (GRand *rand, gsize n, double lo, double hi);
/* Largest |a - b| relative to the largest |b|. */
double  naive_max_rel_error (const float *a, const double *b, gsize n);

G_END_DECLS
