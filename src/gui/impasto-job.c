/* impasto-job.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "impasto-background.h"
#include "impasto-frame-history.h"
#include "impasto-image-io.h"
#include "impasto-job.h"
#include "impasto-params.h"
#include "impasto-snapshot.h"

/* Tags the save task; the address matters, not the value. */
static const char save_tag;

/* Progress without a new picture is passed on at most this often, so that a small model
 * stepping a thousand times a second does not keep the main loop busy. A new picture is
 * posted at once, but reaches the main thread no sooner than this after the one before:
 * each costs the strip a thumbnail, and a main loop slower than the worker's steps would
 * otherwise never be idle. */
#define PROGRESS_INTERVAL_USEC (G_USEC_PER_SEC / 20)

/* What the worker has to say since the main thread last listened. */
typedef struct
{
  GArray *samples;
  guint   step;
  guint   total_steps;
  guint64 evaluations;
  double  seconds_per_step;
  double  seconds_left;
  double  elapsed;
  GArray *frames;    /* ImpastoFrame: those kept, when they changed; or NULL */
  GBytes *pixels16;  /* the newest snapshot at 16 bits a channel, for a PNG to print */
  guint   width16;
  guint   height16;
} Update;

/* Shared by the worker and the main thread. The worker only ever merges into `pending`;
 * at most one idle is on its way at a time, and it carries whatever is newest. Controls go the
 * other way: to the run once the worker has made it, queued here until then. */
typedef struct
{
  GMutex        mutex;
  GMainContext *context;
  GWeakRef      job;       /* dereferenced on the main thread only */
  Update       *pending;
  gboolean      posted;
  gint64        taken;     /* when the main thread last took an update */
  ImpastoRun   *run;       /* once made; the job frees it */
  GArray       *steers;    /* ImpastoSteer for the run not made yet */
  gboolean      paused;
  ImpastoFrameHistory *history;   /* the snapshots kept, chosen as they come */
  gboolean      history_changed;  /* since the main thread last took them */
} Mailbox;

/* What the worker works on: the session (its own copies of the inputs, the model and the
 * recipe) and, after the first execution, the run it made; nothing shared with a widget. */
typedef struct
{
  ImpastoSession *session;
  ImpastoNetwork *network;
  Mailbox        *mailbox;
  guint           more_steps;   /* a Continue: steps to add before executing again */
  gint64          last_post;
} RunData;

struct _ImpastoJob
{
  GObject           parent_instance;

  /* Read by the worker while it runs; the main thread reads the recipe, which nothing
   * changes once the job is made, and the run's steering log, which is locked. */
  ImpastoSession   *session;
  ImpastoNetwork   *network;
  ImpastoRunParams *params;    /* as the run started */
  guint             total_steps;

  GCancellable     *cancellable;
  Mailbox          *mailbox;
  gboolean          paused;

  ImpastoJobState   state;
  GError           *error;
  guint             step;
  guint64           evaluations;
  double            elapsed;
  double            seconds_per_step;
  double            seconds_left;
  GArray           *samples;
  GBytes           *pixels;
  guint             pixels_step;   /* the step the pixels show */
  GBytes           *pixels16;      /* the same at 16 bits a channel, as the run had them */
  guint             width16;
  guint             height16;
  GBytes           *saved_pixels;  /* the last pixels saved to a file */
  char             *saved_path;    /* that file */
  char             *saved_sha256;
  guint             width;
  guint             height;
  GdkTexture       *texture;     /* the newest snapshot's */
  GListStore       *snapshots;   /* ImpastoSnapshot: the mailbox's history, shown */
};

G_DEFINE_FINAL_TYPE (ImpastoJob, impasto_job, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (ImpastoJobState, impasto_job_state,
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_FINISHED, "finished"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_STOPPED, "stopped"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_FAILED, "failed"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_STEP,
  PROP_TEXTURE,
  PROP_PAUSED,
  PROP_SNAPSHOTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static Update *
update_new (void)
{
  Update *update = g_new0 (Update, 1);

  update->samples = g_array_new (FALSE, FALSE, sizeof (ImpastoJobSample));

  return update;
}

static void
update_free (Update *update)
{
  if (update == NULL)
    return;

  g_array_unref (update->samples);
  g_clear_pointer (&update->frames, g_array_unref);
  g_clear_pointer (&update->pixels16, g_bytes_unref);
  g_free (update);
}

static void
mailbox_clear (gpointer data)
{
  Mailbox *mailbox = data;

  g_mutex_clear (&mailbox->mutex);
  g_main_context_unref (mailbox->context);
  g_weak_ref_clear (&mailbox->job);
  update_free (mailbox->pending);
  impasto_run_free (mailbox->run);
  g_array_unref (mailbox->steers);
  impasto_frame_history_free (mailbox->history);
}

static Mailbox *
mailbox_new (ImpastoJob *job)
{
  Mailbox *mailbox = g_atomic_rc_box_new0 (Mailbox);

  g_mutex_init (&mailbox->mutex);
  mailbox->steers = g_array_new (FALSE, FALSE, sizeof (ImpastoSteer));
  mailbox->history = impasto_frame_history_new ();
  mailbox->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&mailbox->job, job);

  return mailbox;
}

static Mailbox *
mailbox_ref (Mailbox *mailbox)
{
  return g_atomic_rc_box_acquire (mailbox);
}

static void
mailbox_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, mailbox_clear);
}

static Update *
mailbox_take (Mailbox *mailbox)
{
  Update *update;

  g_mutex_lock (&mailbox->mutex);
  update = g_steal_pointer (&mailbox->pending);
  if (update != NULL && mailbox->history_changed)
    update->frames = impasto_frame_history_dup (mailbox->history);
  mailbox->history_changed = FALSE;
  mailbox->posted = FALSE;
  mailbox->taken = g_get_monotonic_time ();
  g_mutex_unlock (&mailbox->mutex);

  return update;
}

static void
run_data_free (gpointer data)
{
  RunData *run_data = data;

  impasto_network_unref (run_data->network);
  mailbox_unref (run_data->mailbox);
  g_free (run_data);

  impasto_background_release ();
}

static void
impasto_job_set_state (ImpastoJob      *self,
                       ImpastoJobState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gboolean
snapshot_shows (ImpastoSnapshot    *snapshot,
                const ImpastoFrame *frame)
{
  return impasto_snapshot_get_pixels (snapshot) == frame->pixels;
}

/* The store made the history the worker kept, each snapshot made once: what was saved of
 * one stays with it. */
static void
show_frames (ImpastoJob *self,
             GArray     *frames)
{
  GListModel *model = G_LIST_MODEL (self->snapshots);
  guint n_old = g_list_model_get_n_items (model);
  g_autoptr(GHashTable) old = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  guint same = 0;

  for (ImpastoSnapshot *snapshot; same < MIN (n_old, frames->len); same++)
    {
      snapshot = g_list_model_get_item (model, same);
      g_object_unref (snapshot);   /* the store keeps it */
      if (!snapshot_shows (snapshot, &g_array_index (frames, ImpastoFrame, same)))
        break;
    }
  for (guint i = same; i < n_old; i++)
    {
      ImpastoSnapshot *snapshot = g_list_model_get_item (model, i);

      g_hash_table_insert (old, impasto_snapshot_get_pixels (snapshot), snapshot);
    }
  for (guint i = same; i < frames->len; i++)
    {
      const ImpastoFrame *frame = &g_array_index (frames, ImpastoFrame, i);
      ImpastoSnapshot *snapshot = g_hash_table_lookup (old, frame->pixels);

      g_ptr_array_add (added, snapshot != NULL
                              ? g_object_ref (snapshot)
                              : impasto_snapshot_new (frame->step, frame->width,
                                                      frame->height, frame->pixels));
    }
  g_list_store_splice (self->snapshots, same, n_old - same, added->pdata, added->len);
}

static void
apply_frames (ImpastoJob *self,
              GArray     *frames)
{
  const ImpastoFrame *last = &g_array_index (frames, ImpastoFrame, frames->len - 1);
  g_autoptr(ImpastoSnapshot) newest = NULL;

  show_frames (self, frames);
  newest = g_list_model_get_item (G_LIST_MODEL (self->snapshots), frames->len - 1);

  g_clear_pointer (&self->pixels, g_bytes_unref);
  self->pixels = g_bytes_ref (last->pixels);
  self->pixels_step = last->step;
  self->width = last->width;
  self->height = last->height;
  g_set_object (&self->texture, impasto_snapshot_get_texture (newest));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}

/* Main thread. A stopped job's late updates are dropped: the preview must not change after
 * the user pressed Stop, nor show a replaced run's pictures. */
static void
impasto_job_apply (ImpastoJob *self,
                   Update     *update)
{
  if (self->state != IMPASTO_JOB_RUNNING)
    return;

  g_array_append_vals (self->samples, update->samples->data, update->samples->len);
  self->total_steps = update->total_steps;
  self->elapsed = update->elapsed;
  self->seconds_per_step = update->seconds_per_step;
  self->seconds_left = update->seconds_left;
  self->evaluations = update->evaluations;

  if (update->frames != NULL && update->frames->len > 0)
    apply_frames (self, update->frames);
  if (update->pixels16 != NULL)
    {
      g_clear_pointer (&self->pixels16, g_bytes_unref);
      self->pixels16 = g_steal_pointer (&update->pixels16);
      self->width16 = update->width16;
      self->height16 = update->height16;
    }

  if (self->step != update->step)
    {
      self->step = update->step;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
    }
}

static gboolean
deliver_cb (gpointer data)
{
  Mailbox *mailbox = data;
  g_autoptr(ImpastoJob) job = g_weak_ref_get (&mailbox->job);
  Update *update = mailbox_take (mailbox);

  if (job != NULL && update != NULL)
    impasto_job_apply (job, update);

  update_free (update);

  return G_SOURCE_REMOVE;
}

/* Not g_main_context_invoke_full(): from a worker thread it may run the function right there
 * when the main thread happens not to own the context at that moment. The update waits
 * delay_usec: it keeps gathering what comes meanwhile, and the newest is delivered even if
 * the run pauses before then. */
static void
mailbox_post (Mailbox *mailbox,
              gint64   delay_usec)
{
  GSource *source = delay_usec > 0 ? g_timeout_source_new ((guint) (delay_usec / 1000) + 1)
                                   : g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, deliver_cb, mailbox_ref (mailbox), mailbox_unref);
  g_source_set_static_name (source, "[impasto] job progress");
  g_source_attach (source, mailbox->context);
  g_source_unref (source);
}

/* Worker thread, between steps: the run's own buffers serve the conversion. Only the worker
 * may make it, so every snapshot comes with it, in case the painting is saved at 16 bits. */
static GBytes *
dup_pixels16 (ImpastoRun *run,
              guint      *width,
              guint      *height)
{
  guint16 *pixels = impasto_run_dup_pixels16 (run, width, height);

  return g_bytes_new_take (pixels, (gsize) *width * *height * 3 * sizeof (guint16));
}

/* Worker thread, after every step. */
static void
on_progress (const ImpastoProgress *progress,
             gpointer               user_data)
{
  RunData *data = user_data;
  Mailbox *mailbox = data->mailbox;
  gint64 now = g_get_monotonic_time ();
  ImpastoJobSample sample = {
    progress->step, progress->total_loss, progress->content_loss, progress->style_loss,
    progress->params->alpha, progress->params->beta, progress->tv_loss,
    progress->params->tv_weight,
  };
  gboolean urgent = progress->snapshot != NULL || progress->step == progress->total_steps;
  gboolean post = FALSE;
  gint64 delay = 0;

  g_mutex_lock (&mailbox->mutex);

  if (mailbox->pending == NULL)
    mailbox->pending = update_new ();

  g_array_append_val (mailbox->pending->samples, sample);
  mailbox->pending->step = progress->step;
  mailbox->pending->total_steps = progress->total_steps;
  mailbox->pending->evaluations = progress->evaluations;
  mailbox->pending->elapsed = progress->elapsed;
  mailbox->pending->seconds_per_step = progress->seconds_per_step;
  mailbox->pending->seconds_left = progress->seconds_left;

  if (progress->snapshot != NULL)
    {
      const ImpastoImage *snapshot = progress->snapshot;

      impasto_frame_history_add (mailbox->history, progress->step,
                                 progress->params->snapshot_every,
                                 snapshot->width, snapshot->height,
                                 g_bytes_new (snapshot->pixels,
                                              impasto_image_get_n_bytes (snapshot)));
      mailbox->history_changed = TRUE;
      g_clear_pointer (&mailbox->pending->pixels16, g_bytes_unref);
      mailbox->pending->pixels16 = dup_pixels16 (mailbox->run, &mailbox->pending->width16,
                                                 &mailbox->pending->height16);
    }

  if (!mailbox->posted && (urgent || now - data->last_post >= PROGRESS_INTERVAL_USEC))
    {
      mailbox->posted = post = TRUE;
      if (progress->step != progress->total_steps)
        delay = MAX (mailbox->taken + PROGRESS_INTERVAL_USEC - now, 0);
    }

  g_mutex_unlock (&mailbox->mutex);

  if (post)
    {
      data->last_post = now;
      mailbox_post (mailbox, delay);
    }
}

/* The run made once, with whatever controls came before it existed. */
static ImpastoRun *
make_run (RunData  *data,
          GError  **error)
{
  Mailbox *mailbox = data->mailbox;
  ImpastoRun *run;

  /* The model's checksum for the recipe takes a moment on the full model, and a starting
   * image is read from its file. */
  if (!impasto_session_set_network (data->session, data->network, error)
      || !impasto_session_load_start (data->session, error)
      || (run = impasto_session_create_run (data->session, error)) == NULL)
    return NULL;

  g_mutex_lock (&mailbox->mutex);
  for (guint i = 0; i < mailbox->steers->len; i++)
    {
      const ImpastoSteer *steer = &g_array_index (mailbox->steers, ImpastoSteer, i);

      impasto_run_steer (run, steer->step, steer->name, steer->value, NULL);
    }
  g_array_set_size (mailbox->steers, 0);
  impasto_run_set_paused (run, mailbox->paused);
  mailbox->run = run;
  g_mutex_unlock (&mailbox->mutex);

  return run;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunData *data = task_data;
  ImpastoRun *run;
  GError *error = NULL;

  /* Only this thread sets it, and only the first time. */
  g_mutex_lock (&data->mailbox->mutex);
  run = data->mailbox->run;
  g_mutex_unlock (&data->mailbox->mutex);

  if (run == NULL && (run = make_run (data, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->more_steps > 0)
    impasto_run_continue_for (run, data->more_steps);

  if (!impasto_run_execute (run, on_progress, data, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_run_done (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ImpastoJob) self = user_data;
  g_autoptr(GError) error = NULL;
  Update *update;
  gboolean ok;

  ok = g_task_propagate_boolean (G_TASK (result), &error);

  /* The last steps may still sit in the mailbox, behind this callback. */
  update = mailbox_take (self->mailbox);
  if (update != NULL)
    impasto_job_apply (self, update);
  update_free (update);

  if (self->state != IMPASTO_JOB_RUNNING)
    return;

  if (ok)
    {
      impasto_job_set_state (self, IMPASTO_JOB_FINISHED);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      impasto_job_set_state (self, IMPASTO_JOB_STOPPED);
    }
  else
    {
      self->error = g_steal_pointer (&error);
      impasto_job_set_state (self, IMPASTO_JOB_FAILED);
    }
}

static void
impasto_job_finalize (GObject *object)
{
  ImpastoJob *self = (ImpastoJob *)object;

  g_clear_pointer (&self->session, impasto_session_free);
  g_clear_pointer (&self->network, impasto_network_unref);
  g_clear_pointer (&self->params, impasto_run_params_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->mailbox, mailbox_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->samples, g_array_unref);
  g_clear_pointer (&self->pixels, g_bytes_unref);
  g_clear_pointer (&self->pixels16, g_bytes_unref);
  g_clear_pointer (&self->saved_pixels, g_bytes_unref);
  g_clear_pointer (&self->saved_path, g_free);
  g_clear_pointer (&self->saved_sha256, g_free);
  g_clear_object (&self->texture);
  g_clear_object (&self->snapshots);

  G_OBJECT_CLASS (impasto_job_parent_class)->finalize (object);
}

static void
impasto_job_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ImpastoJob *self = IMPASTO_JOB (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_STEP:
      g_value_set_uint (value, self->step);
      break;

    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;

    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;

    case PROP_SNAPSHOTS:
      g_value_set_object (value, self->snapshots);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_job_class_init (ImpastoJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = impasto_job_finalize;
  object_class->get_property = impasto_job_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       IMPASTO_TYPE_JOB_STATE,
                       IMPASTO_JOB_READY,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Notified once per batch of steps the main thread hears about; the samples, the timing
   * and the texture are up to date by then. */
  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL,
                         GDK_TYPE_TEXTURE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The same list all along the job's life, Continues included. */
  properties[PROP_SNAPSHOTS] =
    g_param_spec_object ("snapshots", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
impasto_job_init (ImpastoJob *self)
{
  self->samples = g_array_new (FALSE, FALSE, sizeof (ImpastoJobSample));
  self->cancellable = g_cancellable_new ();
  self->snapshots = g_list_store_new (IMPASTO_TYPE_SNAPSHOT);
}

/* Takes session, whose inputs are set; the worker gives it network. */
ImpastoJob *
impasto_job_new (ImpastoSession *session,
                 ImpastoNetwork *network)
{
  ImpastoJob *self;

  g_return_val_if_fail (session != NULL, NULL);
  g_return_val_if_fail (network != NULL, NULL);

  self = g_object_new (IMPASTO_TYPE_JOB, NULL);
  self->session = session;
  self->network = impasto_network_ref (network);
  self->params = impasto_run_params_copy (impasto_session_get_recipe (session)->params);
  self->total_steps = self->params->steps;
  self->mailbox = mailbox_new (self);

  return self;
}

static void
impasto_job_run (ImpastoJob *self,
                 guint       more_steps)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  data = g_new0 (RunData, 1);
  data->session = self->session;
  data->network = impasto_network_ref (self->network);
  data->mailbox = mailbox_ref (self->mailbox);
  data->more_steps = more_steps;

  /* No source object: the worker may drop the task's last reference, and the job must only
   * ever be finalised on the main thread. The callback's reference keeps it alive instead,
   * and with it the session and the run the worker uses. */
  task = g_task_new (NULL, self->cancellable, on_run_done, g_object_ref (self));
  g_task_set_name (task, "[impasto] run");
  g_task_set_task_data (task, data, run_data_free);

  impasto_background_hold ();
  g_clear_error (&self->error);
  impasto_job_set_state (self, IMPASTO_JOB_RUNNING);
  g_task_run_in_thread (task, run_in_thread);
}

void
impasto_job_start (ImpastoJob *self)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));
  g_return_if_fail (self->state == IMPASTO_JOB_READY);

  impasto_job_run (self, 0);
}

/* steps more, from where a finished or stopped run got to, its optimiser's state kept. */
void
impasto_job_continue (ImpastoJob *self,
                      guint       steps)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));
  g_return_if_fail (impasto_job_can_continue (self));

  impasto_job_run (self, steps);
}

gboolean
impasto_job_can_continue (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), FALSE);

  return (self->state == IMPASTO_JOB_FINISHED || self->state == IMPASTO_JOB_STOPPED)
         && self->mailbox->run != NULL;
}

/* From the next step on, name has value; before the run exists, from its start. */
gboolean
impasto_job_steer (ImpastoJob  *self,
                   const char  *name,
                   double       value,
                   GError     **error)
{
  Mailbox *mailbox;
  gboolean ok = TRUE;

  g_return_val_if_fail (IMPASTO_IS_JOB (self), FALSE);

  mailbox = self->mailbox;
  g_mutex_lock (&mailbox->mutex);
  if (mailbox->run != NULL)
    {
      ok = impasto_run_steer (mailbox->run, 0, name, value, error);
    }
  else if ((ok = impasto_steer_check (name, value, NULL, error)))
    {
      ImpastoSteer steer = { 0, impasto_params_find (name)->name, value };

      g_array_append_val (mailbox->steers, steer);
    }
  g_mutex_unlock (&mailbox->mutex);

  return ok;
}

void
impasto_job_set_paused (ImpastoJob *self,
                        gboolean    paused)
{
  Mailbox *mailbox;

  g_return_if_fail (IMPASTO_IS_JOB (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  mailbox = self->mailbox;
  g_mutex_lock (&mailbox->mutex);
  mailbox->paused = paused;
  if (mailbox->run != NULL)
    impasto_run_set_paused (mailbox->run, paused);
  g_mutex_unlock (&mailbox->mutex);

  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
impasto_job_get_paused (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), FALSE);

  return self->paused;
}

gboolean
impasto_job_is_holding (ImpastoJob *self)
{
  Mailbox *mailbox;
  gboolean holding;

  g_return_val_if_fail (IMPASTO_IS_JOB (self), FALSE);

  mailbox = self->mailbox;
  g_mutex_lock (&mailbox->mutex);
  holding = mailbox->run != NULL && impasto_run_is_holding (mailbox->run);
  g_mutex_unlock (&mailbox->mutex);

  return holding;
}

static char *
dup_recipe_text_at (ImpastoJob *self,
                    guint       step)
{
  char *text;

  g_mutex_lock (&self->mailbox->mutex);
  text = impasto_session_dup_recipe_text (self->session, self->mailbox->run, step);
  g_mutex_unlock (&self->mailbox->mutex);

  return text;
}

/* The recipe of the painting on show, steering included. */
char *
impasto_job_dup_recipe_text (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  return dup_recipe_text_at (self, self->pixels_step);
}

/* The recipe that makes that snapshot again: its steps and the steering before it. */
char *
impasto_job_dup_snapshot_recipe_text (ImpastoJob      *self,
                                      ImpastoSnapshot *snapshot)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);
  g_return_val_if_fail (IMPASTO_IS_SNAPSHOT (snapshot), NULL);

  return dup_recipe_text_at (self, impasto_snapshot_get_step (snapshot));
}

typedef struct
{
  ImpastoImage *image;
  char         *recipe;
  char         *path;
  GWeakRef      job;      /* told on the main thread that its pixels are safe */
  GWeakRef      snapshot; /* and the snapshot saved, when it was one */
  GBytes       *pixels;   /* the ones saved */
  GBytes       *pixels16; /* for a PNG at 16 bits a channel; NULL at 8 */
  guint         width16;
  guint         height16;
  char         *sha256;   /* of the file written */
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *save = data;

  impasto_image_free (save->image);
  g_free (save->recipe);
  g_free (save->path);
  g_weak_ref_clear (&save->job);
  g_weak_ref_clear (&save->snapshot);
  g_bytes_unref (save->pixels);
  g_clear_pointer (&save->pixels16, g_bytes_unref);
  g_free (save->sha256);
  g_free (save);

  impasto_background_release ();
}

static void
save_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SaveData *save = task_data;
  g_autofree char *bytes = NULL;
  GError *error = NULL;
  gsize size;

  if (save->pixels16 != NULL
      ? !impasto_image_save_png16 (g_bytes_get_data (save->pixels16, NULL), save->width16,
                                   save->height16, save->path, save->recipe, &error)
      : !impasto_image_save_with_recipe (save->image, save->path, save->recipe, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* What a recipe starting from this picture will name it by; the file was just written. */
  if (g_file_get_contents (save->path, &bytes, &size, NULL))
    save->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) bytes,
                                                size);
  g_task_return_boolean (task, TRUE);
}

/* The recipe as saved at 16 bits: impasto-cli --recipe makes the same file again. */
static char *
recipe_at_16_bits (const char *text)
{
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_from_text (text, -1, NULL);

  g_assert (recipe != NULL);   /* the session wrote it */
  recipe->params->png_depth = IMPASTO_PNG_DEPTH_16;
  return impasto_recipe_to_text (recipe);
}

static void
save_at_16_bits (SaveData   *save,
                 ImpastoJob *self)
{
  g_autofree char *recipe = save->recipe;

  save->pixels16 = g_bytes_ref (self->pixels16);
  save->width16 = self->width16;
  save->height16 = self->height16;
  save->recipe = recipe_at_16_bits (recipe);
}

/* Saves the latest snapshot with its recipe, during a run or after it, as PNG or JPEG by the
 * name's extension; a PNG at depth bits a channel (a JPEG has 8, whatever depth says).
 * Encoding a large painting takes a while, so a worker does it, on its own copy.
 * impasto_image_save_with_recipe() writes a temporary file and renames it: a failure leaves
 * nothing behind, and quitting waits for the worker. The task has no source object (see
 * impasto_job_run()): a callback that needs the window gets a reference in user_data.
 * self may be NULL: there is nothing to save then. */
void
impasto_job_save_async (ImpastoJob          *self,
                        GFile               *file,
                        ImpastoPngDepth      depth,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  impasto_job_save_snapshot_async (self, NULL, file, depth, callback, user_data);
}

static SaveData *
save_data_new (ImpastoJob      *self,
               ImpastoSnapshot *snapshot,
               char            *path)
{
  SaveData *save = g_new0 (SaveData, 1);

  if (snapshot != NULL)
    {
      save->image = impasto_snapshot_dup_image (snapshot);
      save->recipe = impasto_job_dup_snapshot_recipe_text (self, snapshot);
      save->pixels = g_bytes_ref (impasto_snapshot_get_pixels (snapshot));
    }
  else
    {
      save->image = impasto_job_dup_image (self);
      save->recipe = impasto_job_dup_recipe_text (self);
      save->pixels = g_bytes_ref (self->pixels);
    }
  save->path = path;
  g_weak_ref_init (&save->job, self);
  g_weak_ref_init (&save->snapshot, snapshot);

  return save;
}

/* As impasto_job_save_async(), of one of the snapshots instead of the latest (snapshot NULL:
 * the latest), with the recipe of its own step, at 8 bits. The starting image is not one: it is no
 * painting, and a recipe cannot make it alone. */
void
impasto_job_save_snapshot_async (ImpastoJob          *self,
                                 ImpastoSnapshot     *snapshot,
                                 GFile               *file,
                                 ImpastoPngDepth      depth,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  SaveData *save;

  g_return_if_fail (self == NULL || IMPASTO_IS_JOB (self));
  g_return_if_fail (snapshot == NULL || IMPASTO_IS_SNAPSHOT (snapshot));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, (gpointer) &save_tag);
  g_task_set_name (task, "[impasto] save");

  if (self == NULL || self->pixels == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               "%s", _("There is no painting to save yet"));
      return;
    }

  if (snapshot != NULL && impasto_snapshot_get_step (snapshot) == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "%s", _("The starting image is not painted yet: save a later "
                                       "snapshot"));
      return;
    }

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "%s", _("Only files on this computer can be saved to"));
      return;
    }

  save = save_data_new (self, snapshot, g_steal_pointer (&path));
  /* Only the newest picture is kept at 16 bits: a snapshot of the strip has its 8. */
  if (snapshot == NULL && depth == IMPASTO_PNG_DEPTH_16 && self->pixels16 != NULL
      && g_strcmp0 (impasto_image_type_for_path (save->path), "png") == 0)
    save_at_16_bits (save, self);
  impasto_background_hold ();
  g_task_set_task_data (task, save, save_data_free);
  g_task_run_in_thread (task, save_in_thread);
}

/* On the main thread. */
gboolean
impasto_job_save_finish (GAsyncResult  *result,
                         GError       **error)
{
  SaveData *save;
  g_autoptr(ImpastoJob) job = NULL;
  g_autoptr(ImpastoSnapshot) snapshot = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, (gpointer) &save_tag), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  save = g_task_get_task_data (G_TASK (result));
  if (save != NULL)
    snapshot = g_weak_ref_get (&save->snapshot);
  if (snapshot != NULL)
    impasto_snapshot_set_saved_file (snapshot, save->path, save->sha256);
  /* An older snapshot saved leaves the painting as saved or unsaved as it was. */
  if (save != NULL && (job = g_weak_ref_get (&save->job)) != NULL
      && (snapshot == NULL || save->pixels == job->pixels))
    {
      g_clear_pointer (&job->saved_pixels, g_bytes_unref);
      job->saved_pixels = g_bytes_ref (save->pixels);
      g_free (job->saved_path);
      job->saved_path = g_strdup (save->path);
      g_free (job->saved_sha256);
      job->saved_sha256 = g_strdup (save->sha256);
    }

  return TRUE;
}

/* The file that holds the painting on show, and its checksum; FALSE while none does. */
gboolean
impasto_job_get_saved_file (ImpastoJob  *self,
                            const char **path,
                            const char **sha256)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), FALSE);

  if (self->pixels == NULL || self->pixels != self->saved_pixels || self->saved_sha256 == NULL)
    return FALSE;

  *path = self->saved_path;
  *sha256 = self->saved_sha256;
  return TRUE;
}

/* A painting is there that no file holds yet: losing the job loses it. */
gboolean
impasto_job_get_unsaved (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), FALSE);

  return self->pixels != NULL && self->pixels != self->saved_pixels;
}

/* Returns at once; the worker notices within one step. */
void
impasto_job_stop (ImpastoJob *self)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));

  if (self->state != IMPASTO_JOB_RUNNING)
    return;

  g_cancellable_cancel (self->cancellable);
  impasto_job_set_state (self, IMPASTO_JOB_STOPPED);
}

ImpastoJobState
impasto_job_get_state (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), IMPASTO_JOB_READY);

  return self->state;
}

const GError *
impasto_job_get_error (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  return self->error;
}

const ImpastoRunParams *
impasto_job_get_params (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  return self->params;
}

guint
impasto_job_get_step (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return self->step;
}

guint
impasto_job_get_total_steps (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return self->total_steps;
}

/* Of the loss and its gradient: one a step for Adam, a few more than steps for L-BFGS, whose
 * line search may try a step more than once. */
guint64
impasto_job_get_evaluations (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return self->evaluations;
}

double
impasto_job_get_elapsed (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return self->elapsed;
}

double
impasto_job_get_seconds_per_step (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return self->seconds_per_step;
}

double
impasto_job_get_seconds_left (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return self->seconds_left;
}

const ImpastoJobSample *
impasto_job_get_samples (ImpastoJob *self,
                         guint      *n_samples)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);
  g_return_val_if_fail (n_samples != NULL, NULL);

  *n_samples = self->samples->len;

  return (const ImpastoJobSample *)(gpointer) self->samples->data;
}

/* The snapshots kept for the strip, oldest first, the newest always among them: every one
 * while they are few, then evenly thinned out (see impasto-frame-history.c). */
GListModel *
impasto_job_get_snapshots (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  return G_LIST_MODEL (self->snapshots);
}

/* The latest snapshot the main thread has received, or NULL before the first. */
GdkTexture *
impasto_job_get_texture (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  return self->texture;
}

ImpastoImage *
impasto_job_dup_image (ImpastoJob *self)
{
  ImpastoImage *image;

  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  if (self->pixels == NULL)
    return NULL;

  image = impasto_image_new (self->width, self->height);
  memcpy (image->pixels, g_bytes_get_data (self->pixels, NULL), impasto_image_get_n_bytes (image));

  return image;
}
