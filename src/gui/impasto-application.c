/* impasto-application.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "impasto-application.h"
#include "impasto-background.h"
#include "impasto-window.h"

struct _ImpastoApplication
{
  GtkApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (ImpastoApplication, impasto_application, GTK_TYPE_APPLICATION)

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing each window stops its run, once its painting is saved or let go; the
   * application ends with the last one. */
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *authors[] = { "The Impasto authors", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", _("Impasto"),
                         "logo-icon-name", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Repaint a photo in the style of a painting"),
                         "copyright", "© 2026 The Impasto authors",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         /* Translators: put your names here, one per line. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_entries[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "about", .activate = about_action },
};

static void
impasto_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "win.open-content", { "<Control>o", NULL } },
    { "win.open-style", { "<Control><Shift>o", NULL } },
    { "win.start", { "<Control>Return", "<Control>KP_Enter", NULL } },
    { "win.stop", { "Escape", NULL } },
    { "win.pause", { "<Control>p", NULL } },
    { "win.continue", { "<Control><Shift>Return", "<Control><Shift>KP_Enter", NULL } },
    { "win.save", { "<Control>s", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (impasto_application_parent_class)->startup (app);

  gtk_css_provider_load_from_resource (css, "/io/github/impasto/Impasto/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries, G_N_ELEMENTS (app_entries),
                                   app);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
}

static void
impasto_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (impasto_window_new (GTK_APPLICATION (app)));

  gtk_window_present (window);
}

/* `impasto CONTENT STYLE`: the first file is the content, the second the style. */
static void
impasto_application_open (GApplication  *app,
                          GFile        **files,
                          int            n_files,
                          const char    *hint)
{
  ImpastoWindow *window = impasto_window_new (GTK_APPLICATION (app));

  impasto_window_open_files (window, files[0], n_files > 1 ? files[1] : NULL);
  gtk_window_present (GTK_WINDOW (window));
}

/* The windows are gone, but a worker may still be finishing its step: wait for it, so the
 * process never exits under a running thread. */
static void
impasto_application_shutdown (GApplication *app)
{
  impasto_background_wait ();

  G_APPLICATION_CLASS (impasto_application_parent_class)->shutdown (app);
}

static void
impasto_application_class_init (ImpastoApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = impasto_application_startup;
  app_class->activate = impasto_application_activate;
  app_class->open = impasto_application_open;
  app_class->shutdown = impasto_application_shutdown;
}

static void
impasto_application_init (ImpastoApplication *self)
{
}

ImpastoApplication *
impasto_application_new (void)
{
  return g_object_new (IMPASTO_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/impasto/Impasto",
                       NULL);
}
