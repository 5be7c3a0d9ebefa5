/* impasto-transfer-rate.c
 *
 * The speed is measured over a window of the last seconds rather than since the start, so
 * that it follows a connection that slows down, and leaves out the bytes a resumed download
 * already had.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "impasto-transfer-rate.h"

#define N_SAMPLES 32
#define WINDOW    (5 * G_TIME_SPAN_SECOND)
#define SPACING   (WINDOW / N_SAMPLES)

typedef struct
{
  gint64  time;
  guint64 received;
} Sample;

struct _ImpastoTransferRate
{
  Sample samples[N_SAMPLES];   /* a ring, oldest at first */
  guint  first;
  guint  count;
};

ImpastoTransferRate *
impasto_transfer_rate_new (void)
{
  return g_new0 (ImpastoTransferRate, 1);
}

void
impasto_transfer_rate_free (ImpastoTransferRate *self)
{
  g_free (self);
}

static Sample *
sample_at (ImpastoTransferRate *self,
           guint                i)
{
  return &self->samples[(self->first + i) % N_SAMPLES];
}

void
impasto_transfer_rate_add (ImpastoTransferRate *self,
                           gint64               now,
                           guint64              received)
{
  g_return_if_fail (self != NULL);

  if (self->count > 0 && received < sample_at (self, self->count - 1)->received)
    self->count = 0;

  /* Samples closer together than the spacing would only fill the ring: the latest
   * replaces the last. */
  if (self->count >= 2 && now - sample_at (self, self->count - 2)->time < SPACING)
    self->count--;
  else if (self->count == N_SAMPLES)
    {
      self->first = (self->first + 1) % N_SAMPLES;
      self->count--;
    }
  *sample_at (self, self->count++) = (Sample) { now, received };

  /* Samples older than the window go, but one stays to measure from. */
  while (self->count > 2 && now - sample_at (self, 1)->time > WINDOW)
    {
      self->first = (self->first + 1) % N_SAMPLES;
      self->count--;
    }
}

double
impasto_transfer_rate_get_speed (ImpastoTransferRate *self)
{
  Sample *oldest, *latest;

  g_return_val_if_fail (self != NULL, 0);

  if (self->count < 2)
    return 0;
  oldest = sample_at (self, 0);
  latest = sample_at (self, self->count - 1);
  if (latest->time <= oldest->time)
    return 0;

  return (double) (latest->received - oldest->received) * G_TIME_SPAN_SECOND
         / (double) (latest->time - oldest->time);
}

char *
impasto_describe_time_left (double seconds)
{
  guint s = (guint) MIN (ceil (seconds), G_MAXUINT);

  if (s < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second left", "%u seconds left", s),
                            s);
  if (s < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "About %u minute left",
                                         "About %u minutes left", (s + 30) / 60),
                            (s + 30) / 60);
  /* Translators: hours and minutes, as in "1 h 05 min left". */
  return g_strdup_printf (_("%u h %02u min left"), s / 3600, (s % 3600) / 60);
}

char *
impasto_transfer_rate_describe (ImpastoTransferRate *self,
                                guint64              received,
                                guint64              total)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *got = g_format_size (received);
  double speed = impasto_transfer_rate_get_speed (self);

  if (total > 0)
    {
      g_autofree char *all = g_format_size (total);

      g_string_printf (line, _("%s of %s"), got, all);
    }
  else
    g_string_append (line, got);

  if (speed > 0)
    {
      g_autofree char *rate = g_format_size ((guint64) speed);

      /* TRANSLATORS: a speed, as in "4.1 MB/s" */
      g_string_append_printf (line, _(", %s/s"), rate);
      if (total > received)
        {
          g_autofree char *left = impasto_describe_time_left ((total - received) / speed);

          g_string_append_printf (line, ", %s", left);
        }
    }

  return g_string_free (g_steal_pointer (&line), FALSE);
}
