/* impasto-model-download.h: the VGG19 model fetched over HTTP, resumed, verified, put in place
 *
 * The file arrives as NAME.part beside its final place, with NAME.part.info holding what a
 * later request needs to resume it (the URL, the server's validator, the size). It is renamed
 * to NAME only once its MD5 is one of the expected ones; its SHA-256 is then recorded as
 * NAME.sha256 and checked instead from then on. Every failure leaves nothing at NAME and
 * keeps NAME.part when what it holds can be resumed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define IMPASTO_MODEL_DOWNLOAD_ERROR (impasto_model_download_error_quark ())

/* Cancellation is G_IO_ERROR_CANCELLED, with a message saying what was kept. */
typedef enum
{
  IMPASTO_MODEL_DOWNLOAD_ERROR_HTTP,          /* the server answered with an error status */
  IMPASTO_MODEL_DOWNLOAD_ERROR_NOT_MODEL,     /* a web page, or a size the model cannot have */
  IMPASTO_MODEL_DOWNLOAD_ERROR_CHECKSUM,      /* complete, but not the expected file */
  IMPASTO_MODEL_DOWNLOAD_ERROR_INTERRUPTED,   /* the connection broke or stalled; resumable */
  IMPASTO_MODEL_DOWNLOAD_ERROR_WRITE,         /* the disk is full or cannot be written */
  IMPASTO_MODEL_DOWNLOAD_ERROR_BUSY,          /* another download into the same place runs */
} ImpastoModelDownloadError;

typedef enum
{
  IMPASTO_MODEL_DOWNLOAD_CONNECTING,
  IMPASTO_MODEL_DOWNLOAD_RECEIVING,
  IMPASTO_MODEL_DOWNLOAD_VERIFYING,
} ImpastoModelDownloadPhase;

/* What the file must be: any of the MD5 digests (lower-case hex, NULL-terminated), and a size
 * in [min_size, max_size], which lets a wrong answer be refused before it is written. */
typedef struct
{
  const char * const *md5;
  guint64             min_size;
  guint64             max_size;
  const char         *description;   /* for messages: "the VGG19 model" */
} ImpastoModelExpected;

/* MatConvNet's imagenet-vgg-verydeep-19.mat, current and beta16. */
const ImpastoModelExpected *impasto_model_expected_vgg19 (void);

#define IMPASTO_TYPE_MODEL_DOWNLOAD (impasto_model_download_get_type ())
G_DECLARE_FINAL_TYPE (ImpastoModelDownload, impasto_model_download,
                      IMPASTO, MODEL_DOWNLOAD, GObject)

GQuark                impasto_model_download_error_quark (void);

/* url is fetched into path (its folder is made if needed); expected is not copied and must
 * outlive the object. */
ImpastoModelDownload *impasto_model_download_new      (const char                 *url,
                                                       const char                 *path,
                                                       const ImpastoModelExpected *expected);
/* Seconds without a byte from the server before the download gives up (default 30). */
void                  impasto_model_download_set_timeout (ImpastoModelDownload *self,
                                                          guint                 seconds);

const char           *impasto_model_download_get_path     (ImpastoModelDownload *self);
guint64               impasto_model_download_get_received (ImpastoModelDownload *self);
/* 0 while the size is not known */
guint64               impasto_model_download_get_total    (ImpastoModelDownload *self);
ImpastoModelDownloadPhase impasto_model_download_get_phase (ImpastoModelDownload *self);

/* Emits "progress" on the calling thread's main context as bytes arrive. A file already at
 * path is checked rather than fetched again. One run at a time per object. */
void                  impasto_model_download_run_async  (ImpastoModelDownload *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean              impasto_model_download_run_finish (ImpastoModelDownload  *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

/* The bytes a download into path has kept for resuming (0 when none). */
guint64               impasto_model_download_get_kept  (const char *path);

/* Checks the file at path: against its recorded SHA-256 when there is one, else against
 * expected's MD5 digests (and then records its SHA-256). Reads the whole file: call it off
 * the main thread. */
gboolean              impasto_model_verify (const char                 *path,
                                            const ImpastoModelExpected *expected,
                                            GCancellable               *cancellable,
                                            GError                    **error);

G_END_DECLS
