/* impasto-job.h: one style-transfer run on a worker thread, reported on the main loop
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "impasto-image.h"
#include "impasto-network.h"
#include "impasto-run.h"
#include "impasto-session.h"
#include "impasto-snapshot.h"

G_BEGIN_DECLS

typedef enum
{
  IMPASTO_JOB_READY,
  IMPASTO_JOB_RUNNING,
  IMPASTO_JOB_FINISHED,
  IMPASTO_JOB_STOPPED,
  IMPASTO_JOB_FAILED,
} ImpastoJobState;

typedef struct
{
  guint  step;
  double total_loss;
  double content_loss;
  double style_loss;
  double alpha;          /* in force at this step */
  double beta;
  double tv_loss;
  double tv_weight;      /* in force at this step */
} ImpastoJobSample;

#define IMPASTO_TYPE_JOB_STATE (impasto_job_state_get_type ())
#define IMPASTO_TYPE_JOB       (impasto_job_get_type ())

GType impasto_job_state_get_type (void);

G_DECLARE_FINAL_TYPE (ImpastoJob, impasto_job, IMPASTO, JOB, GObject)

ImpastoJob             *impasto_job_new                  (ImpastoSession         *session,
                                                          ImpastoNetwork         *network);
void                    impasto_job_start                (ImpastoJob             *self);
void                    impasto_job_stop                 (ImpastoJob             *self);
gboolean                impasto_job_can_continue         (ImpastoJob             *self);
void                    impasto_job_continue             (ImpastoJob             *self,
                                                          guint                   steps);
gboolean                impasto_job_steer                (ImpastoJob             *self,
                                                          const char             *name,
                                                          double                  value,
                                                          GError                **error);
void                    impasto_job_set_paused           (ImpastoJob             *self,
                                                          gboolean                paused);
gboolean                impasto_job_get_paused           (ImpastoJob             *self);
/* Paused, and the worker has stopped between two steps: no step is under way. */
gboolean                impasto_job_is_holding           (ImpastoJob             *self);
char                   *impasto_job_dup_recipe_text      (ImpastoJob             *self);
char                   *impasto_job_dup_snapshot_recipe_text (ImpastoJob         *self,
                                                          ImpastoSnapshot        *snapshot);
void                    impasto_job_save_async           (ImpastoJob             *self,
                                                          GFile                  *file,
                                                          ImpastoPngDepth         depth,
                                                          GAsyncReadyCallback     callback,
                                                          gpointer                user_data);
void                    impasto_job_save_snapshot_async  (ImpastoJob             *self,
                                                          ImpastoSnapshot        *snapshot,
                                                          GFile                  *file,
                                                          ImpastoPngDepth         depth,
                                                          GAsyncReadyCallback     callback,
                                                          gpointer                user_data);
gboolean                impasto_job_save_finish          (GAsyncResult           *result,
                                                          GError                **error);
gboolean                impasto_job_get_unsaved          (ImpastoJob             *self);
gboolean                impasto_job_get_saved_file       (ImpastoJob             *self,
                                                          const char            **path,
                                                          const char            **sha256);
ImpastoJobState         impasto_job_get_state            (ImpastoJob             *self);
const GError           *impasto_job_get_error            (ImpastoJob             *self);
const ImpastoRunParams *impasto_job_get_params           (ImpastoJob             *self);
guint                   impasto_job_get_step             (ImpastoJob             *self);
guint                   impasto_job_get_total_steps      (ImpastoJob             *self);
guint64                 impasto_job_get_evaluations      (ImpastoJob             *self);
double                  impasto_job_get_elapsed          (ImpastoJob             *self);
double                  impasto_job_get_seconds_per_step (ImpastoJob             *self);
/* What the engine expects the rest of the run to take, finer scales' larger pictures
 * included. */
double                  impasto_job_get_seconds_left     (ImpastoJob             *self);
const ImpastoJobSample *impasto_job_get_samples          (ImpastoJob             *self,
                                                          guint                  *n_samples);
GListModel             *impasto_job_get_snapshots        (ImpastoJob             *self);
GdkTexture             *impasto_job_get_texture          (ImpastoJob             *self);
ImpastoImage           *impasto_job_dup_image            (ImpastoJob             *self);

G_END_DECLS
