/* impasto-frame-history.c
 *
 * Every snapshot is kept while they fit. Past IMPASTO_FRAME_HISTORY_MAX_FRAMES or the byte
 * budget, every second one goes and only every second one is kept from then on (the stride
 * doubles), so that those kept stay evenly spread over the run; the newest is always there,
 * and is let go when the next comes unless it is on the stride. The choice depends on the
 * steps alone, never on how fast the main loop takes them: the worker makes it, and the
 * main thread only shows what is kept.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-frame-history.h"

struct _ImpastoFrameHistory
{
  GArray  *frames;          /* ImpastoFrame, oldest first */
  guint    every;
  guint    stride;          /* of those kept, in snapshots */
  gboolean tail_on_stride;  /* the newest stays when another comes */
};

static void
frame_clear (gpointer data)
{
  ImpastoFrame *frame = data;

  g_clear_pointer (&frame->pixels, g_bytes_unref);
}

static GArray *
frame_array_new (void)
{
  GArray *frames = g_array_new (FALSE, FALSE, sizeof (ImpastoFrame));

  g_array_set_clear_func (frames, frame_clear);
  return frames;
}

ImpastoFrameHistory *
impasto_frame_history_new (void)
{
  ImpastoFrameHistory *history = g_new0 (ImpastoFrameHistory, 1);

  history->frames = frame_array_new ();
  history->stride = 1;

  return history;
}

void
impasto_frame_history_free (ImpastoFrameHistory *history)
{
  if (history == NULL)
    return;

  g_array_unref (history->frames);
  g_free (history);
}

static gboolean
on_stride (ImpastoFrameHistory *history,
           guint                step)
{
  return step % (MAX (history->every, 1) * history->stride) == 0;
}

static ImpastoFrame *
frame_at (ImpastoFrameHistory *history,
          guint                i)
{
  return &g_array_index (history->frames, ImpastoFrame, i);
}

/* Every second of those kept goes, the newest excepted, until they fit. */
static void
thin_out (ImpastoFrameHistory *history,
          guint                max)
{
  while (history->frames->len > max)
    {
      history->stride *= 2;
      for (guint i = history->frames->len - 1; i-- > 0;)
        if (!on_stride (history, frame_at (history, i)->step))
          g_array_remove_index (history->frames, i);
      history->tail_on_stride = on_stride (history,
                                           frame_at (history, history->frames->len - 1)->step);
    }
}

void
impasto_frame_history_add (ImpastoFrameHistory *history,
                           guint                step,
                           guint                every,
                           guint                width,
                           guint                height,
                           GBytes              *pixels)
{
  ImpastoFrame frame = { step, width, height, pixels };
  guint n = history->frames->len;
  gsize bytes = MAX (g_bytes_get_size (pixels), 1);

  g_return_if_fail (history != NULL);
  g_return_if_fail (pixels != NULL);

  history->every = every;
  /* A step given out again (L-BFGS converging reports its last one twice) replaces itself. */
  if (n > 0 && (!history->tail_on_stride || frame_at (history, n - 1)->step == step))
    g_array_remove_index (history->frames, n - 1);
  g_array_append_val (history->frames, frame);
  history->tail_on_stride = on_stride (history, step);
  thin_out (history, CLAMP (IMPASTO_FRAME_HISTORY_BUDGET_BYTES / bytes, 2,
                            IMPASTO_FRAME_HISTORY_MAX_FRAMES));
}

GArray *
impasto_frame_history_dup (ImpastoFrameHistory *history)
{
  GArray *frames = frame_array_new ();

  g_return_val_if_fail (history != NULL, NULL);

  for (guint i = 0; i < history->frames->len; i++)
    {
      ImpastoFrame frame = *frame_at (history, i);

      frame.pixels = g_bytes_ref (frame.pixels);
      g_array_append_val (frames, frame);
    }

  return frames;
}
