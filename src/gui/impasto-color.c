/* impasto-color.c: colours from the theme, made readable against its background
 *
 * GTK 4.8's default theme keeps its error red and its selection blue in the dark style, where
 * they are hard to read on the dark grey; these take the theme's colour and, only where it
 * falls short, mix it with the theme's text colour until it reads.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "impasto-color.h"

/* Steps of the search for the least mix: far finer than 8 bits a channel. */
#define SEARCH_STEPS 16

static double
linear (double channel)
{
  return channel <= 0.04045 ? channel / 12.92 : pow ((channel + 0.055) / 1.055, 2.4);
}

double
impasto_color_luminance (const GdkRGBA *color)
{
  return 0.2126 * linear (color->red) + 0.7152 * linear (color->green)
         + 0.0722 * linear (color->blue);
}

double
impasto_color_contrast (const GdkRGBA *a,
                        const GdkRGBA *b)
{
  double la = impasto_color_luminance (a);
  double lb = impasto_color_luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

static void
mix (const GdkRGBA *a,
     const GdkRGBA *b,
     double         t,
     GdkRGBA       *result)
{
  result->red = a->red + (b->red - a->red) * t;
  result->green = a->green + (b->green - a->green) * t;
  result->blue = a->blue + (b->blue - a->blue) * t;
  result->alpha = 1;
}

void
impasto_color_readable (const GdkRGBA *color,
                        const GdkRGBA *toward,
                        const GdkRGBA *background,
                        double         ratio,
                        GdkRGBA       *result)
{
  double low = 0, high = 1;

  mix (color, toward, 0, result);
  if (impasto_color_contrast (result, background) >= ratio)
    return;
  ratio += IMPASTO_CONTRAST_MARGIN;
  mix (color, toward, 1, result);
  if (impasto_color_contrast (result, background) < ratio)
    return;

  /* Between a mix that falls short (low) and one that reads (high): where the contrast
   * crosses ratio, which is the least mix when color and toward lie on the same side of the
   * background, as a theme's accent and text colours do. */
  for (guint i = 0; i < SEARCH_STEPS; i++)
    {
      double t = (low + high) / 2;

      mix (color, toward, t, result);
      if (impasto_color_contrast (result, background) >= ratio)
        high = t;
      else
        low = t;
    }
  mix (color, toward, high, result);
}

void
impasto_color_lookup (GtkWidget     *widget,
                      const char    *name,
                      const GdkRGBA *fallback,
                      GdkRGBA       *result)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (style, name, result))
    *result = *fallback;
  result->alpha = 1;
}

static GtkCssProvider *error_text_provider;
static GtkWidget *probe;   /* a widget of the display, to look its theme's colours up with */

static void
update_error_text (void)
{
  static const GdkRGBA red = { 0.8, 0, 0, 1 }, black = { 0, 0, 0, 1 }, white = { 1, 1, 1, 1 };
  GdkRGBA error, text, background, readable;
  g_autofree char *color = NULL;
  g_autofree char *css = NULL;

  impasto_color_lookup (probe, "error_color", &red, &error);
  impasto_color_lookup (probe, "theme_fg_color", &black, &text);
  impasto_color_lookup (probe, "theme_bg_color", &white, &background);
  impasto_color_readable (&error, &text, &background, IMPASTO_TEXT_CONTRAST, &readable);

  color = gdk_rgba_to_string (&readable);
  css = g_strdup_printf ("label.error { color: %s; }", color);
  gtk_css_provider_load_from_data (error_text_provider, css, -1);
}

void
impasto_color_install_error_text (GdkDisplay *display)
{
  GtkSettings *settings;

  g_return_if_fail (GDK_IS_DISPLAY (display));

  if (error_text_provider != NULL)
    return;

  error_text_provider = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (display,
                                              GTK_STYLE_PROVIDER (error_text_provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  probe = g_object_ref_sink (gtk_label_new (NULL));

  /* The theme is loaded again by the time these are told. */
  settings = gtk_settings_get_for_display (display);
  g_signal_connect (settings, "notify::gtk-theme-name", G_CALLBACK (update_error_text), NULL);
  g_signal_connect (settings, "notify::gtk-application-prefer-dark-theme",
                    G_CALLBACK (update_error_text), NULL);
  update_error_text ();
}
