/* impasto-frame-history.h: which of a run's snapshots are kept for the window's strip
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The snapshots a history keeps: at most this many, and at most this many bytes of pixels
 * (at the output size, 8 bits a channel), but always two. */
#define IMPASTO_FRAME_HISTORY_MAX_FRAMES 64
#define IMPASTO_FRAME_HISTORY_BUDGET_BYTES ((gsize) 128 * 1024 * 1024)

/* One snapshot's pixels: 8-bit RGB, width * 3 bytes a row. */
typedef struct
{
  guint   step;
  guint   width;
  guint   height;
  GBytes *pixels;
} ImpastoFrame;

typedef struct _ImpastoFrameHistory ImpastoFrameHistory;

ImpastoFrameHistory *impasto_frame_history_new  (void);
void                 impasto_frame_history_free (ImpastoFrameHistory *history);
/* The run's next snapshot, taken every `every` steps (0: only at the end); takes pixels. */
void                 impasto_frame_history_add  (ImpastoFrameHistory *history,
                                                 guint                step,
                                                 guint                every,
                                                 guint                width,
                                                 guint                height,
                                                 GBytes              *pixels);
/* ImpastoFrame, oldest first, the newest always among them; each holds a reference to its
 * pixels, which the array lets go of when freed. */
GArray              *impasto_frame_history_dup  (ImpastoFrameHistory *history);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoFrameHistory, impasto_frame_history_free)

G_END_DECLS
