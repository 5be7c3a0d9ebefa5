/* impasto-application.h
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IMPASTO_TYPE_APPLICATION (impasto_application_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoApplication, impasto_application, IMPASTO, APPLICATION, GtkApplication)

ImpastoApplication *impasto_application_new (void);

G_END_DECLS
