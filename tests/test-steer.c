/* test-steer.c: a run steered while it goes: changes between steps, pause, Continue
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "impasto-params.h"
#include "impasto-run.h"
#include "test-util.h"

#define WIDTH  24
#define HEIGHT 17

typedef struct
{
  char             *dir;
  ImpastoNetwork   *network;
  ImpastoRunParams *params;
  ImpastoImage     *content;
  ImpastoImage     *style;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *model = NULL;
  g_auto(GStrv) layers = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = test_make_tmpdir ();
  model = test_write_model (f->dir, 16, 3);
  f->params = impasto_run_params_new ();
  f->params->width = WIDTH;
  f->params->height = HEIGHT;
  f->params->snapshot_every = 0;
  f->params->threads = 2;
  f->params->optimizer = GPOINTER_TO_UINT (data);
  f->content = test_make_image (WIDTH, HEIGHT, 11);
  f->style = test_make_image (WIDTH, HEIGHT, 12);
  layers = impasto_run_params_get_loss_layers (f->params);
  f->network = impasto_network_load (model, (const char * const *) layers, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  impasto_network_unref (f->network);
  impasto_run_params_free (f->params);
  impasto_image_free (f->content);
  impasto_image_free (f->style);
  test_remove_tree (f->dir);
  g_free (f->dir);
}

static ImpastoRun *
new_run (Fixture *f,
         guint    steps)
{
  g_autoptr(GError) error = NULL;
  ImpastoRun *run;

  f->params->steps = steps;
  run = impasto_run_new (f->network, f->params, f->content, f->style, &error);
  g_assert_no_error (error);

  return run;
}

/* The loss reported at every step, once each. */
static void
record_loss (const ImpastoProgress *p,
             gpointer               user_data)
{
  GArray *losses = user_data;

  g_assert_cmpuint (p->step, ==, losses->len);
  g_array_append_val (losses, p->total_loss);
}

static void
execute (ImpastoRun *run,
         GArray     *losses)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (impasto_run_execute (run, record_loss, losses, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_same_pixels (ImpastoRun *a,
                    ImpastoRun *b)
{
  g_assert_cmpmem (impasto_run_get_pixels (a), 3 * WIDTH * HEIGHT * sizeof (float),
                   impasto_run_get_pixels (b), 3 * WIDTH * HEIGHT * sizeof (float));
}

/* 100 steps and then 100 more are one run of 200: the optimiser's state is kept. */
static void
test_continue (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ImpastoRun) whole = new_run (f, 24);
  g_autoptr(ImpastoRun) halves = new_run (f, 12);
  g_autoptr(GArray) whole_losses = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) halves_losses = g_array_new (FALSE, FALSE, sizeof (double));

  execute (whole, whole_losses);
  execute (halves, halves_losses);
  g_assert_cmpuint (impasto_run_get_step (halves), ==, 12);
  impasto_run_add_steps (halves, 12);
  execute (halves, halves_losses);

  g_assert_cmpuint (impasto_run_get_step (halves), ==, 24);
  g_assert_cmpuint (halves_losses->len, ==, 25);
  g_assert_cmpmem (halves_losses->data, halves_losses->len * sizeof (double),
                   whole_losses->data, whole_losses->len * sizeof (double));
  assert_same_pixels (whole, halves);
}

/* A change at step k is the run stopped at k and continued with the new value, to the bit. */
static void
test_steer_equals_continue (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(ImpastoRun) steered = new_run (f, 20);
  g_autoptr(ImpastoRun) stopped = new_run (f, 8);
  g_autoptr(GArray) losses = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) log = NULL;
  g_autoptr(ImpastoRunParams) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const ImpastoSteer *steers;

  /* Dragged through 900 and 2000 before step 8: one change, to the last value. */
  g_assert_true (impasto_run_steer (steered, 8, "beta", 900, &error));
  g_assert_true (impasto_run_steer (steered, 8, "beta", 2000, &error));
  g_assert_true (impasto_run_steer (steered, 8, "beta", 4000, &error));
  g_assert_true (impasto_run_steer (steered, 14, "alpha", 3, &error));
  g_assert_no_error (error);
  execute (steered, losses);

  g_array_set_size (losses, 0);
  execute (stopped, losses);
  g_assert_true (impasto_run_steer (stopped, 0, "beta", 4000, NULL));
  impasto_run_add_steps (stopped, 6);
  execute (stopped, losses);
  g_assert_true (impasto_run_steer (stopped, 0, "alpha", 3, NULL));
  impasto_run_add_steps (stopped, 6);
  execute (stopped, losses);

  g_assert_cmpuint (impasto_run_get_step (stopped), ==, 20);
  assert_same_pixels (steered, stopped);

  /* The log has each change at the step it took effect; the parameters are the new ones. */
  log = impasto_run_dup_steering_log (steered);
  steers = (const ImpastoSteer *) (gpointer) log->data;
  text = impasto_steering_to_string (steers, log->len);
  g_assert_cmpstr (text, ==, "8:beta=4000,14:alpha=3");
  now = impasto_run_dup_params (steered);
  g_assert_cmpfloat (now->alpha, ==, 3);
  g_assert_cmpfloat (now->beta, ==, 4000);
}

/* Smoothing switched on, then down, during the run: the same as a run stopped and continued
 * with each new weight, and not the run without it. */
static void
test_steer_tv (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ImpastoRun) steered = new_run (f, 20);
  g_autoptr(ImpastoRun) stopped = new_run (f, 6);
  g_autoptr(ImpastoRun) plain = new_run (f, 20);
  g_autoptr(GArray) losses = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) plain_losses = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) log = NULL;
  g_autofree char *text = NULL;

  g_assert_true (impasto_run_steer (steered, 6, "tv-weight", 30, NULL));
  g_assert_true (impasto_run_steer (steered, 13, "tv-weight", 5, NULL));
  execute (steered, losses);
  execute (plain, plain_losses);
  /* The same run up to step 6, whose loss is reported before the change is taken. */
  g_assert_cmpmem (losses->data, 7 * sizeof (double), plain_losses->data, 7 * sizeof (double));
  g_assert_cmpfloat (g_array_index (losses, double, 7), !=,
                     g_array_index (plain_losses, double, 7));

  g_array_set_size (losses, 0);
  execute (stopped, losses);
  g_assert_true (impasto_run_steer (stopped, 0, "tv-weight", 30, NULL));
  impasto_run_add_steps (stopped, 7);
  execute (stopped, losses);
  g_assert_true (impasto_run_steer (stopped, 0, "tv-weight", 5, NULL));
  impasto_run_add_steps (stopped, 7);
  execute (stopped, losses);

  g_assert_cmpuint (impasto_run_get_step (stopped), ==, 20);
  assert_same_pixels (steered, stopped);
  g_assert_true (memcmp (impasto_run_get_pixels (steered), impasto_run_get_pixels (plain),
                         3 * WIDTH * HEIGHT * sizeof (float)) != 0);
  log = impasto_run_dup_steering_log (steered);
  text = impasto_steering_to_string ((const ImpastoSteer *) (gpointer) log->data, log->len);
  g_assert_cmpstr (text, ==, "6:tv-weight=30,13:tv-weight=5");
}

/* The steering log, scheduled on a new run, makes the same picture again. */
static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ImpastoRun) first = new_run (f, 16);
  g_autoptr(ImpastoRun) again = new_run (f, 16);
  g_autoptr(GArray) losses = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) log = NULL;
  g_autoptr(GArray) steers = g_array_new (FALSE, FALSE, sizeof (ImpastoSteer));
  g_autofree char *text = NULL;

  g_assert_true (impasto_run_steer (first, 5, "beta", 50, NULL));
  execute (first, losses);
  log = impasto_run_dup_steering_log (first);
  text = impasto_steering_to_string ((const ImpastoSteer *) (gpointer) log->data, log->len);

  g_assert_true (impasto_steering_parse (text, steers, NULL));
  for (guint i = 0; i < steers->len; i++)
    {
      const ImpastoSteer *s = &g_array_index (steers, ImpastoSteer, i);

      g_assert_true (impasto_run_steer (again, s->step, s->name, s->value, NULL));
    }
  g_array_set_size (losses, 0);
  execute (again, losses);
  assert_same_pixels (first, again);
}

/* A run can start from a picture instead of the noisy photo, and goes on from there. */
static void
test_start_image (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(ImpastoRun) run = new_run (f, 3);
  g_autoptr(ImpastoImage) start = test_make_image (WIDTH, HEIGHT, 99);
  g_autoptr(ImpastoImage) shown = NULL;
  g_autoptr(ImpastoImage) after = NULL;
  g_autoptr(GArray) losses = g_array_new (FALSE, FALSE, sizeof (double));

  impasto_run_set_start_image (run, start);
  shown = impasto_run_dup_image (run);
  g_assert_cmpmem (shown->pixels, impasto_image_get_n_bytes (shown), start->pixels,
                   impasto_image_get_n_bytes (start));
  execute (run, losses);
  after = impasto_run_dup_image (run);
  g_assert_true (memcmp (after->pixels, start->pixels, impasto_image_get_n_bytes (start)) != 0);
}

static void
test_steer_refused (void)
{
  g_autoptr(GArray) steers = g_array_new (FALSE, FALSE, sizeof (ImpastoSteer));
  static const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "10:noise=0.2", "“noise” cannot be changed during a run" },
    { "10:beta=-1", "beta must be 0 to 1000000000, not -1" },
    { "10:beta=1e10", "beta must be 0 to 1000000000" },
    { "ten:beta=1", "“ten:beta=1” is no change: write STEP:NAME=VALUE" },
    { "10beta=1", "is no change" },
    { "10:beta=", "is no change" },
    { "10:beta=1x", "is no change" },
    { "-1:beta=1", "is no change" },
    { "10:alpha=2,20:gamma=1", "“gamma” cannot be changed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (impasto_steering_parse (cases[i].text, steers, &error));
      g_assert_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      /* nothing of a refused list is taken */
      g_assert_cmpuint (steers->len, ==, 0);
    }

  g_assert_true (impasto_steering_parse ("200:beta=2000, 400:alpha=5", steers, NULL));
  g_assert_cmpuint (steers->len, ==, 2);
  g_assert_cmpuint (g_array_index (steers, ImpastoSteer, 1).step, ==, 400);
  g_assert_cmpstr (g_array_index (steers, ImpastoSteer, 1).name, ==, "alpha");
  g_assert_cmpfloat (g_array_index (steers, ImpastoSteer, 1).value, ==, 5);
}

typedef struct
{
  ImpastoRun   *run;
  GCancellable *cancellable;
  GMutex        lock;
  GCond         cond;
  guint         last_step;
  gboolean      done;
  gboolean      ok;
  GError       *error;
} Worker;

static void
note_step (const ImpastoProgress *p,
           gpointer               user_data)
{
  Worker *w = user_data;

  /* Paused from the run's own thread after step 2, as a button would from another. */
  if (p->step == 2)
    impasto_run_set_paused (w->run, TRUE);
  g_mutex_lock (&w->lock);
  w->last_step = p->step;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
}

static gpointer
work (gpointer data)
{
  Worker *w = data;
  gboolean ok = impasto_run_execute (w->run, note_step, w, w->cancellable, &w->error);

  g_mutex_lock (&w->lock);
  w->ok = ok;
  w->done = TRUE;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);

  return NULL;
}

static double
cpu_seconds (void)
{
  struct timespec t;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* Waits up to 10 s for the worker to end; TRUE if it did. */
static gboolean
wait_done (Worker *w)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean done;

  g_mutex_lock (&w->lock);
  while (!w->done && g_cond_wait_until (&w->cond, &w->lock, deadline))
    ;
  done = w->done;
  g_mutex_unlock (&w->lock);

  return done;
}

/* Paused, the worker holds still and uses no processor; resumed it finishes; cancelled while
 * paused it ends at once. */
static void
test_pause (Fixture       *f,
            gconstpointer  data)
{
  for (guint resume = 0; resume < 2; resume++)
    {
      g_autoptr(ImpastoRun) run = new_run (f, 8);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      Worker w = { run, cancellable };
      GThread *thread;
      double cpu;

      g_mutex_init (&w.lock);
      g_cond_init (&w.cond);
      thread = g_thread_new ("steer-worker", work, &w);

      g_mutex_lock (&w.lock);
      while (w.last_step < 2)
        g_cond_wait (&w.cond, &w.lock);
      g_mutex_unlock (&w.lock);

      cpu = cpu_seconds ();
      g_usleep (G_USEC_PER_SEC / 4);
      cpu = cpu_seconds () - cpu;
      g_test_message ("processor time while paused for 0.25 s: %.4f s", cpu);
      g_mutex_lock (&w.lock);
      g_assert_cmpuint (w.last_step, ==, 2);
      g_assert_false (w.done);
      g_mutex_unlock (&w.lock);
      g_assert_true (impasto_run_is_holding (run));
      /* a spinning worker would take all of the 0.25 s */
      g_assert_cmpfloat (cpu, <, 0.1);

      if (resume)
        {
          impasto_run_set_paused (run, FALSE);
          g_assert_false (impasto_run_is_holding (run));
        }
      else
        g_cancellable_cancel (cancellable);
      g_assert_true (wait_done (&w));
      g_thread_join (thread);

      if (resume)
        {
          g_assert_true (w.ok);
          g_assert_cmpuint (impasto_run_get_step (run), ==, 8);
        }
      else
        {
          g_assert_false (w.ok);
          g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_cmpuint (impasto_run_get_step (run), ==, 2);
        }
      g_clear_error (&w.error);
      g_mutex_clear (&w.lock);
      g_cond_clear (&w.cond);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, optimizer) \
  g_test_add ("/impasto/steer/" path, Fixture, GUINT_TO_POINTER (optimizer), fixture_set_up, \
              func, fixture_tear_down)
  ADD ("continue-equals-one-run/adam", test_continue, IMPASTO_OPTIMIZER_ADAM);
  ADD ("continue-equals-one-run/lbfgs", test_continue, IMPASTO_OPTIMIZER_LBFGS);
  ADD ("steer-equals-continue/adam", test_steer_equals_continue, IMPASTO_OPTIMIZER_ADAM);
  ADD ("steer-equals-continue/lbfgs", test_steer_equals_continue, IMPASTO_OPTIMIZER_LBFGS);
  ADD ("steer-tv-weight/adam", test_steer_tv, IMPASTO_OPTIMIZER_ADAM);
  ADD ("steer-tv-weight/lbfgs", test_steer_tv, IMPASTO_OPTIMIZER_LBFGS);
  ADD ("replay/adam", test_replay, IMPASTO_OPTIMIZER_ADAM);
  ADD ("replay/lbfgs", test_replay, IMPASTO_OPTIMIZER_LBFGS);
  ADD ("pause", test_pause, IMPASTO_OPTIMIZER_ADAM);
  ADD ("start-image", test_start_image, IMPASTO_OPTIMIZER_ADAM);
#undef ADD
  g_test_add_func ("/impasto/steer/refused", test_steer_refused);

  return g_test_run ();
}
