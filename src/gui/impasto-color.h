/* impasto-color.h: colours from the theme, made readable against its background
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* WCAG 2's least contrast for text, and for the parts of a graphic. */
#define IMPASTO_TEXT_CONTRAST    4.5
#define IMPASTO_GRAPHIC_CONTRAST 3.0

/* WCAG 2's relative luminance of an opaque sRGB colour, 0 to 1. */
double impasto_color_luminance (const GdkRGBA *color);
/* WCAG 2's contrast ratio of two opaque colours, 1 to 21. */
double impasto_color_contrast  (const GdkRGBA *a,
                                const GdkRGBA *b);
/* A mix aims this far above the ratio asked for, so that it still reaches it once drawn
 * with 8 bits a channel. */
#define IMPASTO_CONTRAST_MARGIN 0.05

/* color itself when it has ratio against background; otherwise the least mix of it with
 * toward (the theme's text colour, say) that has ratio + IMPASTO_CONTRAST_MARGIN, or toward
 * itself when even that has not. */
void   impasto_color_readable  (const GdkRGBA *color,
                                const GdkRGBA *toward,
                                const GdkRGBA *background,
                                double         ratio,
                                GdkRGBA       *result);

/* The colour the theme names (error_color, theme_bg_color…) where widget is, or fallback. */
void   impasto_color_lookup    (GtkWidget     *widget,
                                const char    *name,
                                const GdkRGBA *fallback,
                                GdkRGBA       *result);

/* Error text (GTK's label.error) in the theme's error colour, mixed with its text colour as
 * far as it takes to read on the window, in every style the display switches to. */
void   impasto_color_install_error_text (GdkDisplay *display);

G_END_DECLS
