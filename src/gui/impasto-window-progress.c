/* impasto-window-progress.c: what the window shows of a run
 *
 * The progress, the losses and their plot, and the snapshots, brought from the job to the
 * widgets at most once per frame.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "impasto-transfer-rate.h"
#include "impasto-window-private.h"

void
impasto_window_set_preview (ImpastoWindow *self,
                            GdkTexture    *texture)
{
  impasto_preview_paintable_set_texture (self->preview_paintable, texture);
  gtk_widget_set_visible (self->preview_placeholder, texture == NULL);
}

/* Comparing needs a painting to compare the photo with. */
void
impasto_window_update_compare (ImpastoWindow *self)
{
  gboolean can_compare = self->job != NULL && impasto_job_get_texture (self->job) != NULL;

  if (!can_compare)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->compare_button), FALSE);
  gtk_widget_set_sensitive (self->compare_button, can_compare);
}

/* A new run, or none: the photo it paints (the picker may take another while it runs). */
void
impasto_window_show_run_views (ImpastoWindow *self)
{
  GdkTexture *photo = NULL;

  if (self->job != NULL)
    photo = impasto_image_picker_get_preview (self->content_picker);
  impasto_compare_view_set_before (self->compare_view, GDK_PAINTABLE (photo));
  impasto_window_update_compare (self);
  impasto_window_show_job_snapshots (self);
}

void
impasto_window_cancel_update (ImpastoWindow *self)
{
  if (self->update_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->update_tick_id);
  self->update_tick_id = 0;
}

/* A new fraction reallocates the bar, and with it the window: move it by whole pixels only. */
static void
set_fraction (GtkProgressBar *bar,
              double          fraction)
{
  int width = MAX (gtk_widget_get_width (GTK_WIDGET (bar)), 1);
  double old = gtk_progress_bar_get_fraction (bar);

  if (fraction == 0 || fraction == 1 || floor (fraction * width) != floor (old * width))
    gtk_progress_bar_set_fraction (bar, fraction);
}

/* L-BFGS's steps are not all alike: its line search evaluates some of them more than once, and
 * the evaluations are what the time goes into. Adam's are one a step, not worth a word. */
static char *
format_step (ImpastoJob *job,
             guint       step,
             guint       total)
{
  guint evaluations = (guint) MIN (impasto_job_get_evaluations (job), G_MAXUINT);

  if (impasto_job_get_params (job)->optimizer != IMPASTO_OPTIMIZER_LBFGS)
    /* Translators: "Step 350 of 3000" */
    return g_strdup_printf (_("Step %u of %u"), step, total);

  /* Translators: "Step 35 of 50 · 41 evaluations" (of the loss, one or more a step) */
  return g_strdup_printf (ngettext ("Step %u of %u · %u evaluation",
                                    "Step %u of %u · %u evaluations", evaluations),
                          step, total, evaluations);
}

static void
impasto_window_update_progress (ImpastoWindow *self)
{
  ImpastoJob *job = self->job;
  guint step = impasto_job_get_step (job);
  guint total = impasto_job_get_total_steps (job);
  double elapsed = impasto_job_get_elapsed (job);
  const ImpastoJobSample *samples;
  guint n_samples;
  g_autofree char *step_text = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *loss_text = NULL;

  samples = impasto_job_get_samples (job, &n_samples);

  step_text = format_step (job, step, total);
  gtk_label_set_text (self->step_label, step_text);
  /* L-BFGS may be done before its last step, when the loss stops going down. */
  if (impasto_job_get_state (job) == IMPASTO_JOB_FINISHED)
    set_fraction (self->progress_bar, 1);
  else
    set_fraction (self->progress_bar, total > 0 ? (double) step / total : 0);

  if (step > 0 && impasto_job_get_state (job) == IMPASTO_JOB_RUNNING)
    {
      double per_step = elapsed / step;
      g_autofree char *left = impasto_describe_time_left (impasto_job_get_seconds_left (job));

      /* Translators: the first part is the time one step takes, the second the time left. */
      time_text = g_strdup_printf (_("%.2f s per step · %s"), per_step, left);
    }
  gtk_label_set_text (self->time_label, time_text);

  if (n_samples > 0)
    {
      const ImpastoJobSample *last = &samples[n_samples - 1];

      /* Translators: the current losses, then the weights in force (which the user may have
       * changed during the run); keep the numbers' format. */
      if (last->tv_weight > 0)
        /* Translators: as above, with the smoothing (total variation) and its weight. */
        loss_text = g_strdup_printf (_("Loss %.4g  (content %.4g, style %.4g, smoothing %.4g) "
                                       "· α %g, β %g, TV %g"),
                                     last->total_loss, last->content_loss, last->style_loss,
                                     last->tv_loss, last->alpha, last->beta, last->tv_weight);
      else
        loss_text = g_strdup_printf (_("Loss %.4g  (content %.4g, style %.4g) · α %g, β %g"),
                                     last->total_loss, last->content_loss, last->style_loss,
                                     last->alpha, last->beta);
    }
  gtk_label_set_text (self->loss_label, loss_text);

  impasto_loss_plot_set_range (self->loss_plot, total);
  for (; self->n_plotted < n_samples; self->n_plotted++)
    {
      const ImpastoJobSample *sample = &samples[self->n_plotted];

      /* The step where a change of the user's took effect. */
      if (self->n_plotted > 0 && (sample->alpha != sample[-1].alpha
                                  || sample->beta != sample[-1].beta))
        impasto_loss_plot_add_mark (self->loss_plot, sample[-1].step);
      impasto_loss_plot_append (self->loss_plot, sample->step, sample->total_loss);
    }
}

static void
impasto_window_show_job (ImpastoWindow *self)
{
  GdkTexture *texture = impasto_job_get_texture (self->job);

  impasto_window_cancel_update (self);
  impasto_window_update_progress (self);

  if (texture != NULL)
    {
      /* Unless an older snapshot is on show. */
      if (self->shown_snapshot == NULL)
        impasto_window_set_preview (self, texture);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", TRUE);
      impasto_window_update_compare (self);
    }
}

static gboolean
on_update_tick (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  self->update_tick_id = 0;
  impasto_window_show_job (self);

  return G_SOURCE_REMOVE;
}

/* A small model steps faster than the screen refreshes: what arrives between two frames is
 * shown once, at the next one. */
void
impasto_window_queue_update (ImpastoWindow *self)
{
  if (self->update_tick_id == 0)
    self->update_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_update_tick,
                                                         NULL, NULL);
}

void
impasto_window_show_job_state (ImpastoWindow *self)
{
  const GError *error = impasto_job_get_error (self->job);
  g_autofree char *message = NULL;

  switch (impasto_job_get_state (self->job))
    {
    case IMPASTO_JOB_FAILED:
      /* Translators: %s says why the run stopped. */
      message = g_strdup_printf (_("The painting stopped: %s"), error->message);
      impasto_window_show_painting_status (self, message, TRUE);
      break;

    case IMPASTO_JOB_STOPPED:
      impasto_window_show_painting_status (self, _("Stopped"), FALSE);
      break;

    case IMPASTO_JOB_FINISHED:
      impasto_window_show_painting_status (self, _("Done"), FALSE);
      break;

    case IMPASTO_JOB_RUNNING:
      impasto_window_show_painting_status (self, impasto_job_get_paused (self->job)
                                                 ? _("Paused; the sliders still steer the "
                                                     "painting")
                                                 : NULL, FALSE);
      break;

    case IMPASTO_JOB_READY:
    default:
      impasto_window_show_painting_status (self, NULL, FALSE);
      break;
    }

  /* Whatever the job had sent is shown at once: Stop leaves the last picture in place. */
  impasto_window_show_job (self);
  impasto_window_update_actions (self);
}
