/* impasto-model-download-private.h: what the download's files share
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "impasto-model-download.h"

G_BEGIN_DECLS

struct _ImpastoModelDownload
{
  GObject                     parent_instance;

  char                       *url;
  char                       *path;
  char                       *part_path;
  char                       *info_path;
  const ImpastoModelExpected *expected;
  guint                       timeout;
  SoupSession                *session;

  gboolean                    running;
  ImpastoModelDownloadPhase   phase;
  guint64                     received;
  guint64                     total;
};

/* One run's state: the task's data, freed when the task is. */
typedef struct
{
  GCancellable *cancellable;     /* the caller's, or NULL */
  GCancellable *op_cancellable;  /* cancelled by the caller's or by the watchdog */
  gulong        cancelled_id;
  GSource      *watchdog;
  gboolean      stalled;

  int           fd;              /* the .part file */
  gboolean      locked;          /* and this run holds its lock */
  GOutputStream *out;
  GInputStream  *in;
  SoupMessage   *message;
  GBytes        *chunk;          /* being written */

  char         *etag;            /* the validator to resume with, from the .part.info */
  char         *modified;
  guint64       kept_total;      /* the size the .part.info promises; 0 when unknown */
  guint64       limit;           /* the most bytes this response may bring */
  gboolean      restarted;       /* a 416 has already sent us back to byte 0 once */
} Run;

void  impasto_model_download_set_phase       (ImpastoModelDownload      *self,
                                              ImpastoModelDownloadPhase  phase);
void  impasto_model_download_disarm_watchdog (Run                       *run);

/* Each of these ends the run (the task gets its result); the caller still holds its ref. */
void  impasto_model_download_return_error    (GTask                     *task,
                                              GError                    *error);
void  impasto_model_download_fail            (GTask                     *task,
                                              ImpastoModelDownloadError  code,
                                              const char                *format,
                                              ...) G_GNUC_PRINTF (3, 4);
/* G_IO_ERROR_CANCELLED with the message given */
void  impasto_model_download_cancelled       (GTask                     *task,
                                              const char                *format,
                                              ...) G_GNUC_PRINTF (2, 3);
/* cancelled, stalled or broken, whichever applies first; takes cause */
void  impasto_model_download_fail_transfer   (GTask                     *task,
                                              GError                    *cause);
/* the disk is full or unwritable; takes cause */
void  impasto_model_download_fail_write      (GTask                     *task,
                                              GError                    *cause);
/* checks the complete .part, then puts it in place */
void  impasto_model_download_verify_part     (GTask                     *task);

/* Checks the status, type and size of run->message's answer and readies the .part for its
 * body; ends the run when the answer cannot be the model. */
gboolean impasto_model_download_accept_response (GTask                *task);
/* run's validator and size from the .part.info, when it belongs to this download's URL */
void     impasto_model_download_load_info       (ImpastoModelDownload *self,
                                                 Run                  *run);

void  impasto_model_download_discard_part    (ImpastoModelDownload      *self);
char *impasto_model_download_describe_kept   (ImpastoModelDownload      *self);
char *impasto_model_download_describe_server (ImpastoModelDownload      *self);

G_END_DECLS
