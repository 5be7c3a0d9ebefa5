/* window-fixtures.h: what the window's tests share: the files they paint with, a window
 * ready to start, and waiting for the main loop to get somewhere
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "impasto-window-private.h"

G_BEGIN_DECLS

/* Only there to stop a broken build from hanging forever; nothing is timed against it. */
#define HANG_GUARD_SECONDS 300

/* Made by window_fixtures_init() in a folder of their own. */
extern char *tmpdir;
/* The user's Pictures folder, as g_get_user_special_dir() has it. */
extern char *pictures_path;
extern char *model_path;
extern char *content_path;
extern char *style_path;

typedef gboolean (*Condition) (gpointer data);

/* Sets the environment up for a window's test and writes the files; then gtk_test_init(). */
void           window_fixtures_init     (int          *argc,
                                         char       ***argv);
void           window_fixtures_clear    (void);
/* For a test that opens a file chooser: see window-fixtures.c. */
gboolean       window_fixtures_without_leak_check (void);

double         param_value              (ImpastoWindow *window,
                                         const char    *name);
void           set_param_value          (ImpastoWindow *window,
                                         const char    *name,
                                         double         value);
/* Runs the main loop until condition holds. */
void           wait_until               (Condition      condition,
                                         gpointer       data,
                                         const char    *what);
gboolean       can_start                (gpointer       data);
gboolean       background_idle          (gpointer       data);
gboolean       pointer_cleared          (gpointer       data);
gboolean       pointer_set              (gpointer       data);
gboolean       job_finished             (gpointer       data);
gboolean       job_has_snapshot         (gpointer       data);
void           write_image              (const char    *path,
                                         int            width,
                                         int            height,
                                         guint          pattern);
void           write_model              (const char    *path);
void           set_small_run_settings   (void);
ImpastoWindow *new_ready_window         (void);
ImpastoWindow *new_window_with_painting (void);
void           destroy_window           (ImpastoWindow *window);
void           wait_until_dialog_shows  (GtkFileChooser *chooser,
                                         const char     *folder);
gboolean       save_and_wait            (ImpastoWindow *window,
                                         GFile         *file,
                                         GError       **error);

G_END_DECLS
