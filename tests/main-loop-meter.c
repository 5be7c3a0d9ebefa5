/* main-loop-meter.c: how long the main loop goes without answering, and why
 *
 * A long gap between two callbacks says little on a machine shared with other work: the main
 * thread may have been busy, or only waiting for a CPU. So beside the wall-clock gaps this
 * counts the main thread's own CPU time (CLOCK_THREAD_CPUTIME_ID): the most of it spent
 * between two 5 ms timeouts is what our code and GTK really block the loop for.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "main-loop-meter.h"

typedef struct
{
  gint64 last_wall;
  gint64 last_cpu;
  gint64 longest_wall;
  gint64 longest_cpu;
  guint  n_ticks;
} Gaps;

/* A frame's work, from before-paint to after-paint: styles, layout, snapshot, rendering. */
typedef struct
{
  gint64 start_wall;
  gint64 start_cpu;
  gint64 longest_wall;
  gint64 longest_cpu;
  gint64 total_wall;
  gint64 total_cpu;
  guint  n_frames;
} Frames;

struct _MainLoopMeter
{
  GtkWidget     *widget;
  GdkFrameClock *clock;
  guint          timeout_id;
  guint          tick_id;
  gint64         start_wall;
  gint64         start_cpu;
  Gaps           timeouts;
  Gaps           ticks;
  Frames         frames;

  MainLoopMeterShowFunc show;
  gpointer       show_data;
  int            width;
  int            height;
  guint          n_pictures;
};

static gint64
thread_cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);

  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
gaps_tick (Gaps *gaps)
{
  gint64 wall = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_usec ();

  if (gaps->n_ticks > 0)
    {
      gaps->longest_wall = MAX (gaps->longest_wall, wall - gaps->last_wall);
      gaps->longest_cpu = MAX (gaps->longest_cpu, cpu - gaps->last_cpu);
    }
  gaps->last_wall = wall;
  gaps->last_cpu = cpu;
  gaps->n_ticks++;
}

static gboolean
on_timeout (gpointer data)
{
  MainLoopMeter *meter = data;

  gaps_tick (&meter->timeouts);

  return G_SOURCE_CONTINUE;
}

static void
replace_picture (MainLoopMeter *meter)
{
  gsize stride = (gsize) meter->width * 3;
  gsize size = stride * meter->height;
  guint8 *pixels = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  memset (pixels, (int) (meter->n_pictures++ * 37 % 256), size);
  bytes = g_bytes_new_take (pixels, size);
  texture = gdk_memory_texture_new (meter->width, meter->height, GDK_MEMORY_R8G8B8,
                                    bytes, stride);
  meter->show (texture, meter->show_data);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  MainLoopMeter *meter = data;

  gaps_tick (&meter->ticks);
  if (meter->show != NULL)
    replace_picture (meter);

  return G_SOURCE_CONTINUE;
}

static void
on_before_paint (GdkFrameClock *clock,
                 MainLoopMeter *meter)
{
  meter->frames.start_wall = g_get_monotonic_time ();
  meter->frames.start_cpu = thread_cpu_usec ();
}

static void
on_after_paint (GdkFrameClock *clock,
                MainLoopMeter *meter)
{
  Frames *frames = &meter->frames;
  gint64 wall = g_get_monotonic_time () - frames->start_wall;
  gint64 cpu = thread_cpu_usec () - frames->start_cpu;

  frames->longest_wall = MAX (frames->longest_wall, wall);
  frames->longest_cpu = MAX (frames->longest_cpu, cpu);
  frames->total_wall += wall;
  frames->total_cpu += cpu;
  frames->n_frames++;
}

MainLoopMeter *
main_loop_meter_start (GtkWidget *widget)
{
  MainLoopMeter *meter = g_new0 (MainLoopMeter, 1);

  g_assert (gtk_widget_get_realized (widget));

  meter->widget = g_object_ref (widget);
  meter->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  meter->start_wall = g_get_monotonic_time ();
  meter->start_cpu = thread_cpu_usec ();
  meter->timeout_id = g_timeout_add (5, on_timeout, meter);
  meter->tick_id = gtk_widget_add_tick_callback (widget, on_tick, meter, NULL);
  g_signal_connect (meter->clock, "before-paint", G_CALLBACK (on_before_paint), meter);
  g_signal_connect (meter->clock, "after-paint", G_CALLBACK (on_after_paint), meter);

  return meter;
}

void
main_loop_meter_replace_every_frame (MainLoopMeter         *meter,
                                     int                    width,
                                     int                    height,
                                     MainLoopMeterShowFunc  show,
                                     gpointer               user_data)
{
  g_assert (width > 0 && height > 0);

  meter->width = width;
  meter->height = height;
  meter->show = show;
  meter->show_data = user_data;
}

static double
ms (gint64 usec)
{
  return usec / 1000.0;
}

char *
main_loop_meter_stop (MainLoopMeter *meter,
                      const char    *what)
{
  double seconds = (g_get_monotonic_time () - meter->start_wall) / (double) G_USEC_PER_SEC;
  double busy = (thread_cpu_usec () - meter->start_cpu) / (double) G_USEC_PER_SEC;
  guint n_frames = MAX (meter->frames.n_frames, 1);
  char *report;

  g_source_remove (meter->timeout_id);
  gtk_widget_remove_tick_callback (meter->widget, meter->tick_id);
  g_signal_handlers_disconnect_by_data (meter->clock, meter);

  report = g_strdup_printf ("%s, %.1f s: longest gap %.1f ms between 5 ms timeouts (%u), "
                            "%.1f ms between frames (%u); main thread busy %.0f%%, "
                            "at most %.1f ms of its CPU between two timeouts; "
                            "a frame's work %.1f ms CPU at most, %.1f on average "
                            "(wall %.1f at most, %.1f on average)",
                            what, seconds,
                            ms (meter->timeouts.longest_wall), meter->timeouts.n_ticks,
                            ms (meter->ticks.longest_wall), meter->ticks.n_ticks,
                            100.0 * busy / seconds,
                            ms (meter->timeouts.longest_cpu),
                            ms (meter->frames.longest_cpu),
                            ms (meter->frames.total_cpu) / n_frames,
                            ms (meter->frames.longest_wall),
                            ms (meter->frames.total_wall) / n_frames);

  g_clear_object (&meter->clock);
  g_clear_object (&meter->widget);
  g_free (meter);

  return report;
}
