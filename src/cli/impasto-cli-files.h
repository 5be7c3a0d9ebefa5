/* impasto-cli-files.h: the files impasto-cli reads and writes, checked before it writes any
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "impasto-run.h"

G_BEGIN_DECLS

/* What a run reads and writes. */
typedef struct
{
  const char *content;
  const char *style;
  const char *model;
  const char *output;
  const char *log;            /* NULL: none */
  const char *snapshot_dir;   /* NULL: no snapshots saved */
  const char *start;          /* the image the run starts from; NULL: none */
} ImpastoCliPaths;

typedef struct _ImpastoCliLog ImpastoCliLog;

void           impasto_cli_open_std_streams (void);

/* SIGINT, SIGTERM and SIGHUP (a closed terminal, a logout) call stop (data, signo) on the
 * main context, until impasto_cli_unwatch_signals(): a run or a download stops after what
 * it is doing, keeps what it has, and exits with 128 + signo. */
typedef void (*ImpastoCliStopFunc) (gpointer data,
                                    int      signo);

typedef struct
{
  ImpastoCliStopFunc stop;
  gpointer           data;
  guint              sources[3];
} ImpastoCliSignals;

void           impasto_cli_watch_signals    (ImpastoCliSignals     *watch,
                                             ImpastoCliStopFunc     stop,
                                             gpointer               data);
void           impasto_cli_unwatch_signals  (ImpastoCliSignals     *watch);
/* Checks every file the run will write against every file it reads and against each other,
 * and that each can be written, then creates the snapshot folder. Opens nothing. */
gboolean       impasto_cli_prepare_files    (const ImpastoCliPaths *paths,
                                             GError               **error);

/* A CSV log of every step, created by its first line: a run that fails before its first
 * step leaves none. */
/* recipe: what the log starts with, as comment lines. */
ImpastoCliLog *impasto_cli_log_new          (const char            *path,
                                             const char            *recipe);
gboolean       impasto_cli_log_write        (ImpastoCliLog         *log,
                                             const ImpastoProgress *progress,
                                             GError               **error);
/* FALSE when what was written could not all reach the file. */
gboolean       impasto_cli_log_close        (ImpastoCliLog         *log,
                                             GError               **error);
void           impasto_cli_log_free         (ImpastoCliLog         *log);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoCliLog, impasto_cli_log_free)

G_END_DECLS
