/* main-loop-meter.h: how long the main loop goes without answering, and why
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _MainLoopMeter MainLoopMeter;

/* Starts a 5 ms timeout, a tick callback on widget and a watch on its frame clock. */
MainLoopMeter *main_loop_meter_start               (GtkWidget     *widget);
typedef void (*MainLoopMeterShowFunc) (GdkTexture *texture,
                                       gpointer    user_data);

/* The baseline without a run: a new picture of width x height every frame, made on the main
 * thread as the job makes a snapshot's, and handed to show as the window shows one. */
void           main_loop_meter_replace_every_frame (MainLoopMeter         *meter,
                                                    int                    width,
                                                    int                    height,
                                                    MainLoopMeterShowFunc  show,
                                                    gpointer               user_data);
/* Stops and frees the meter; returns one line of figures headed by what. */
char          *main_loop_meter_stop                (MainLoopMeter *meter,
                                                    const char    *what);

G_END_DECLS
