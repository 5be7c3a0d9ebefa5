/* test-data.c: the desktop file, the metainfo and the icons agree with each other
 *
 * desktop-file-validate, appstreamcli and glib-compile-schemas check each file on its own;
 * this checks what they cannot: that the icon the desktop file names exists and draws, that
 * every image type it claims gdk-pixbuf can open, and that the metainfo launches it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

static GKeyFile *
load_desktop_file (void)
{
  GKeyFile *key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_file (key_file, DESKTOP_FILE, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  return key_file;
}

/* Draws the icon at size, and finds something visible in it. */
static void
assert_icon_draws (const char *path,
                   int         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file_at_size (path, size, size, &error);
  const guint8 *pixels;
  int stride;
  guint n_opaque = 0;

  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, size);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, size);
  g_assert_true (gdk_pixbuf_get_has_alpha (pixbuf));

  pixels = gdk_pixbuf_read_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      n_opaque += pixels[y * stride + x * 4 + 3] > 128;

  g_assert_cmpuint (n_opaque, >, (guint) (size * size / 8));
}

static void
test_icons_draw (void)
{
  g_autoptr(GKeyFile) desktop = load_desktop_file ();
  g_autoptr(GError) error = NULL;
  g_autofree char *icon = g_key_file_get_string (desktop, "Desktop Entry", "Icon", &error);
  g_autofree char *name = NULL;
  g_autofree char *symbolic_name = NULL;
  g_autofree char *app_icon = NULL;
  g_autofree char *symbolic_icon = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (icon, ==, APPLICATION_ID);

  name = g_strconcat (icon, ".svg", NULL);
  symbolic_name = g_strconcat (icon, "-symbolic.svg", NULL);
  app_icon = g_build_filename (ICONS_DIR, "scalable", "apps", name, NULL);
  symbolic_icon = g_build_filename (ICONS_DIR, "symbolic", "apps", symbolic_name, NULL);

  for (int size = 16; size <= 256; size *= 2)
    {
      assert_icon_draws (app_icon, size);
      assert_icon_draws (symbolic_icon, size);
    }
}

static gboolean
pixbuf_reads (const char *mime_type)
{
  g_autoptr(GSList) formats = gdk_pixbuf_get_formats ();

  for (const GSList *l = formats; l != NULL; l = l->next)
    {
      g_auto(GStrv) types = gdk_pixbuf_format_get_mime_types (l->data);

      if (g_strv_contains ((const char * const *) types, mime_type))
        return TRUE;
    }

  return FALSE;
}

/* "Open With" offers Impasto for these: each must be something it can read. */
static void
test_mime_types_readable (void)
{
  g_autoptr(GKeyFile) desktop = load_desktop_file ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) types = g_key_file_get_string_list (desktop, "Desktop Entry", "MimeType",
                                                    NULL, &error);

  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) types, "image/png"));
  g_assert_true (g_strv_contains ((const char * const *) types, "image/jpeg"));

  for (guint i = 0; types[i] != NULL; i++)
    if (!pixbuf_reads (types[i]))
      g_error ("The desktop file claims %s, which gdk-pixbuf cannot read", types[i]);
}

static void
test_metainfo_launches_desktop_file (void)
{
  g_autofree char *contents = NULL;
  g_autofree char *basename = g_path_get_basename (DESKTOP_FILE);
  g_autofree char *launchable = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (METAINFO_FILE, &contents, NULL, &error);
  g_assert_no_error (error);

  launchable = g_strdup_printf ("<launchable type=\"desktop-id\">%s</launchable>", basename);
  id = g_strdup_printf ("<id>%s</id>", APPLICATION_ID);
  g_assert_nonnull (strstr (contents, launchable));
  g_assert_nonnull (strstr (contents, id));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/impasto/data/icons/draw", test_icons_draw);
  g_test_add_func ("/impasto/data/desktop/mime-types-readable", test_mime_types_readable);
  g_test_add_func ("/impasto/data/metainfo/launches-desktop-file",
                   test_metainfo_launches_desktop_file);

  return g_test_run ();
}
