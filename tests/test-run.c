/* test-run.c: the run object: reproducibility, snapshots, cancellation and divergence, the
 * optimisers and the coarse-to-fine scales
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

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
  f->params->steps = 12;
  f->params->snapshot_every = 5;
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
new_run (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  ImpastoRun *run = impasto_run_new (f->network, f->params, f->content, f->style, &error);

  g_assert_no_error (error);
  return run;
}

typedef struct
{
  GArray *steps;       /* every reported step */
  GArray *snapshots;   /* steps that came with a snapshot */
  GArray *losses;
} Record;

static void
record_progress (const ImpastoProgress *p,
                 gpointer               user_data)
{
  Record *r = user_data;

  g_array_append_val (r->steps, p->step);
  g_array_append_val (r->losses, p->total_loss);
  g_assert_cmpuint (p->total_steps, ==, 12);
  g_assert_cmpfloat (p->total_loss, ==, p->content_loss + 500 * p->style_loss);
  if (p->snapshot != NULL)
    {
      g_assert_cmpuint (p->snapshot->width, ==, WIDTH);
      g_assert_cmpuint (p->snapshot->height, ==, HEIGHT);
      g_array_append_val (r->snapshots, p->step);
    }
}

static void
record_init (Record *r)
{
  r->steps = g_array_new (FALSE, FALSE, sizeof (guint));
  r->snapshots = g_array_new (FALSE, FALSE, sizeof (guint));
  r->losses = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
record_clear (Record *r)
{
  g_array_unref (r->steps);
  g_array_unref (r->snapshots);
  g_array_unref (r->losses);
}

static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ImpastoRun) run = new_run (f);
  g_autoptr(GError) error = NULL;
  static const guint expected_snapshots[] = { 0, 5, 10, 12 };
  Record r;

  record_init (&r);
  g_assert_true (impasto_run_execute (run, record_progress, &r, NULL, &error));
  g_assert_no_error (error);

  /* Step k is the image after k updates, 0 to steps inclusive. */
  g_assert_cmpuint (r.steps->len, ==, 13);
  for (guint i = 0; i < r.steps->len; i++)
    g_assert_cmpuint (g_array_index (r.steps, guint, i), ==, i);
  g_assert_cmpmem (r.snapshots->data, r.snapshots->len * sizeof (guint),
                   expected_snapshots, sizeof expected_snapshots);
  g_assert_cmpfloat (g_array_index (r.losses, double, 12), <,
                     g_array_index (r.losses, double, 0));
  g_assert_cmpuint (impasto_run_get_step (run), ==, 12);
  record_clear (&r);
}

static void
test_reproducible (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ImpastoRun) a = new_run (f);
  g_autoptr(ImpastoRun) b = new_run (f);
  g_autoptr(ImpastoRun) c = NULL;
  g_autoptr(ImpastoImage) ia = NULL, ib = NULL, ic = NULL;

  f->params->seed = 1234567890123ull;
  c = new_run (f);
  g_assert_true (impasto_run_execute (a, NULL, NULL, NULL, NULL));
  g_assert_true (impasto_run_execute (b, NULL, NULL, NULL, NULL));
  g_assert_true (impasto_run_execute (c, NULL, NULL, NULL, NULL));
  ia = impasto_run_dup_image (a);
  ib = impasto_run_dup_image (b);
  ic = impasto_run_dup_image (c);

  g_assert_cmpmem (ia->pixels, impasto_image_get_n_bytes (ia),
                   ib->pixels, impasto_image_get_n_bytes (ib));
  g_assert_true (memcmp (ia->pixels, ic->pixels, impasto_image_get_n_bytes (ia)) != 0);
}

/* With no noise the run starts from the content image itself. */
static void
test_noise_free_start (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(ImpastoImage) start = NULL;

  f->params->noise = 0;
  run = new_run (f);
  start = impasto_run_dup_image (run);
  g_assert_cmpmem (start->pixels, impasto_image_get_n_bytes (start),
                   f->content->pixels, impasto_image_get_n_bytes (f->content));
}

static void
cancel_at_step_three (const ImpastoProgress *p,
                      gpointer               user_data)
{
  if (p->step == 3)
    g_cancellable_cancel (user_data);
}

static void
test_cancel_in_callback (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(ImpastoRun) run = new_run (f);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoImage) image = NULL;

  g_assert_false (impasto_run_execute (run, cancel_at_step_three, cancellable, cancellable,
                                       &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelled while step 3 was reported: no update follows it. */
  g_assert_cmpuint (impasto_run_get_step (run), ==, 3);
  image = impasto_run_dup_image (run);
  g_assert_nonnull (image);
}

typedef struct
{
  GMutex        lock;
  GCond         cond;
  guint         last_step;
  guint         cancelled_at;
  GCancellable *cancellable;
} CancelState;

static void
note_step (const ImpastoProgress *p,
           gpointer               user_data)
{
  CancelState *s = user_data;

  g_mutex_lock (&s->lock);
  s->last_step = p->step;
  g_cond_signal (&s->cond);
  g_mutex_unlock (&s->lock);
}

static gpointer
canceller (gpointer data)
{
  CancelState *s = data;

  g_mutex_lock (&s->lock);
  while (s->last_step < 2)
    g_cond_wait (&s->cond, &s->lock);
  s->cancelled_at = s->last_step;
  g_cancellable_cancel (s->cancellable);
  g_mutex_unlock (&s->lock);

  return NULL;
}

/* Cancelled from another thread, as the window's Stop does: the run reports at most one more
 * step after the one during which it was cancelled. */
static void
test_cancel_from_thread (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(GError) error = NULL;
  CancelState s = { 0 };
  GThread *thread;

  f->params->steps = 1000;
  run = new_run (f);
  g_mutex_init (&s.lock);
  g_cond_init (&s.cond);
  s.cancellable = g_cancellable_new ();
  thread = g_thread_new ("canceller", canceller, &s);

  g_assert_false (impasto_run_execute (run, note_step, &s, s.cancellable, &error));
  g_thread_join (thread);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (s.last_step, <=, s.cancelled_at + 1);
  g_assert_cmpuint (impasto_run_get_step (run), <=, s.cancelled_at + 2);

  g_object_unref (s.cancellable);
  g_mutex_clear (&s.lock);
  g_cond_clear (&s.cond);
}

/* An absurd learning rate overflows the features within a few steps: the run must stop with
 * a message and keep the last image whose loss was finite. */
static void
test_divergence (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoImage) image = NULL;

  f->params->learning_rate = 1e30;
  run = new_run (f);
  g_assert_false (impasto_run_execute (run, NULL, NULL, NULL, &error));
  g_assert_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_DIVERGED);
  g_assert_nonnull (strstr (error->message, "learning rate"));
  image = impasto_run_dup_image (run);
  g_assert_cmpuint (image->width, ==, WIDTH);
}

/* The photo painted in its own style, from the photo: the start is the answer (a zero
 * gradient), so L-BFGS ends there at once, which is a result and not a stall. */
static void
test_start_at_minimum (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoImage) image = NULL;

  f->params->optimizer = IMPASTO_OPTIMIZER_LBFGS;
  f->params->init = IMPASTO_INIT_CONTENT;
  run = impasto_run_new (f->network, f->params, f->content, f->content, &error);
  g_assert_no_error (error);
  g_assert_true (impasto_run_execute (run, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  image = impasto_run_dup_image (run);
  g_assert_cmpmem (image->pixels, impasto_image_get_n_bytes (image), f->content->pixels,
                   impasto_image_get_n_bytes (f->content));
}

static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoImage) small = test_make_image (WIDTH - 1, HEIGHT, 3);
  ImpastoRun *run;

  f->params->noise = NAN;
  run = impasto_run_new (f->network, f->params, f->content, f->style, &error);
  g_assert_null (run);
  g_assert_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "noise"));
  g_clear_error (&error);

  f->params->noise = 0.5;
  run = impasto_run_new (f->network, f->params, small, f->style, &error);
  g_assert_null (run);
  g_assert_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "content image is 23x17"));
  g_clear_error (&error);

  impasto_layer_list_clear (&f->params->content_layers);
  impasto_layer_list_clear (&f->params->style_layers);
  impasto_layer_list_add (&f->params->style_layers, "conv9_9", 1);
  run = impasto_run_new (f->network, f->params, f->content, f->style, &error);
  g_assert_null (run);
  g_assert_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "conv9_9"));
}

typedef struct
{
  GArray *evaluations;
  GArray *losses;
} Curve;

static void
record_curve (const ImpastoProgress *p,
              gpointer               user_data)
{
  Curve *c = user_data;
  double evaluations = p->evaluations;

  g_array_append_val (c->evaluations, evaluations);
  g_array_append_val (c->losses, p->total_loss);
}

/* The lowest loss a run reached within a number of evaluations. */
static double
loss_within (ImpastoNetwork         *network,
             const ImpastoRunParams *params,
             const ImpastoImage     *content,
             const ImpastoImage     *style,
             guint                   evaluations)
{
  g_autoptr(ImpastoRun) run = impasto_run_new (network, params, content, style, NULL);
  Curve c = { g_array_new (FALSE, FALSE, sizeof (double)),
              g_array_new (FALSE, FALSE, sizeof (double)) };
  double best = INFINITY;

  g_assert_true (impasto_run_execute (run, record_curve, &c, NULL, NULL));
  for (guint i = 0; i < c.losses->len; i++)
    if (g_array_index (c.evaluations, double, i) <= evaluations)
      best = MIN (best, g_array_index (c.losses, double, i));
  g_array_unref (c.evaluations);
  g_array_unref (c.losses);

  return best;
}

/* Per evaluation of the loss and gradient (what a step costs), L-BFGS gets lower than the
 * seed's Adam: that is the point of it. */
static void
test_lbfgs_beats_adam (Fixture       *f,
                       gconstpointer  data)
{
  double adam, lbfgs;

  f->params->steps = 30;
  adam = loss_within (f->network, f->params, f->content, f->style, 30);
  f->params->optimizer = IMPASTO_OPTIMIZER_LBFGS;
  lbfgs = loss_within (f->network, f->params, f->content, f->style, 30);

  g_test_message ("after 30 evaluations: Adam %.6g, L-BFGS %.6g", adam, lbfgs);
  g_assert_cmpfloat (lbfgs, <, adam);
}

typedef struct
{
  guint  scale;
  double seconds_per_step, seconds_left;
} TimeLeft;

typedef struct
{
  GArray *steps;
  guint   last_scale;
  guint   snapshots;
  gboolean last_had_snapshot;
  GArray *times;     /* TimeLeft of every report */
} ScaleRecord;

static void
record_scales (const ImpastoProgress *p,
               gpointer               user_data)
{
  ScaleRecord *r = user_data;

  if (r->steps->len > 0)
    {
      /* Steps count on across scales, and scales only get finer. */
      g_assert_cmpuint (p->step, ==, g_array_index (r->steps, guint, r->steps->len - 1) + 1);
      g_assert_cmpuint (p->scale, <=, r->last_scale);
    }
  g_assert_cmpuint (p->total_steps, ==, 20);
  g_assert_true (isfinite (p->total_loss));
  g_array_append_val (r->steps, p->step);
  g_array_append_val (r->times, ((TimeLeft) { p->scale, p->seconds_per_step, p->seconds_left }));
  r->last_scale = p->scale;
  r->last_had_snapshot = p->snapshot != NULL;
  if (p->snapshot != NULL)
    {
      /* Snapshots of the coarse scales are upsampled to the output size. */
      g_assert_cmpuint (p->snapshot->width, ==, WIDTH);
      g_assert_cmpuint (p->snapshot->height, ==, HEIGHT);
      r->snapshots++;
    }
}

static void
test_scales (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(ImpastoImage) image = NULL;
  g_autoptr(GError) error = NULL;
  ScaleRecord r = { g_array_new (FALSE, FALSE, sizeof (guint)), 2, 0, FALSE,
                    g_array_new (FALSE, FALSE, sizeof (TimeLeft)) };
  guint made[3] = { 0 }, done[3] = { 0 }, checked = 0;

  f->params->n_scales = 3;
  f->params->steps = 20;
  f->params->optimizer = GPOINTER_TO_UINT (data);
  run = new_run (f);
  g_assert_true (impasto_run_execute (run, record_scales, &r, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_array_index (r.steps, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (r.steps, guint, r.steps->len - 1), ==, 20);
  g_assert_cmpuint (r.last_scale, ==, 0);
  g_assert_true (r.last_had_snapshot);
  g_assert_cmpuint (r.snapshots, ==, 5);   /* steps 0, 5, 10, 15 and 20 */

  /* The time left is the steps still to come, as the reports show them made, at the rate
   * of the last 10 steps (the window seconds_per_step is the mean of) brought to the output
   * size, a scale's steps a quarter of the next finer one's. A report says which scale comes
   * next, so the step before it was made at the scale of the one before. Where those 10
   * steps were all made at one scale w, that rate is seconds_per_step * 4^w. */
  for (guint i = 1; i < r.times->len; i++)
    made[g_array_index (r.times, TimeLeft, i - 1).scale]++;
  g_test_message ("steps made at scales 2, 1, 0: %u, %u, %u", made[2], made[1], made[0]);
  g_assert_cmpuint (made[0] * made[1] * made[2], >, 0);
  for (guint i = 0; i < r.times->len; i++)
    {
      const TimeLeft *t = &g_array_index (r.times, TimeLeft, i);
      guint w = g_array_index (r.times, TimeLeft, i > 0 ? i - 1 : 0).scale;
      gboolean one_scale = TRUE;
      double steps = 0;

      if (i > 0)
        done[w]++;
      for (guint j = i > 10 ? i - 10 : 1; j < i; j++)
        one_scale = one_scale && g_array_index (r.times, TimeLeft, j - 1).scale == w;
      if (!one_scale)
        continue;
      for (guint s = 0; s <= t->scale; s++)
        steps += (s == t->scale ? made[s] - done[s] : made[s]) / pow (4, s);
      g_assert_cmpfloat (fabs (t->seconds_left - t->seconds_per_step * pow (4, w) * steps), <=,
                         1e-9 * t->seconds_left);
      checked++;
    }
  /* Every report of the coarsest scale, and the first of the next, whose rate is still the
   * coarsest scale's. */
  g_assert_cmpuint (checked, >=, made[2] + 1);
  g_array_unref (r.times);
  image = impasto_run_dup_image (run);
  g_assert_cmpuint (image->width, ==, WIDTH);
  g_assert_cmpuint (image->height, ==, HEIGHT);
  g_array_unref (r.steps);
}

static void
cancel_at_step_two (const ImpastoProgress *p,
                    gpointer               user_data)
{
  g_assert_cmpuint (p->scale, ==, 2);   /* still the coarsest scale */
  if (p->step == 2)
    g_cancellable_cancel (user_data);
}

static void
test_scales_cancel (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ImpastoImage) image = NULL;
  g_autoptr(GError) error = NULL;

  f->params->n_scales = 3;
  f->params->steps = 20;
  f->params->optimizer = IMPASTO_OPTIMIZER_LBFGS;
  run = new_run (f);
  g_assert_false (impasto_run_execute (run, cancel_at_step_two, cancellable, cancellable,
                                       &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (impasto_run_get_step (run), <=, 3);
  image = impasto_run_dup_image (run);
  g_assert_cmpuint (image->width, ==, WIDTH);
  g_assert_cmpuint (image->height, ==, HEIGHT);
}

/* The pool splits work by what it is, never by thread: one thread or three, same bits. */
static void
test_threads (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ImpastoRun) one = NULL, three = NULL;
  g_autoptr(ImpastoImage) a = NULL, b = NULL;

  f->params->optimizer = IMPASTO_OPTIMIZER_LBFGS;
  f->params->n_scales = 2;
  f->params->threads = 1;
  one = new_run (f);
  f->params->threads = 3;
  three = new_run (f);
  g_assert_true (impasto_run_execute (one, NULL, NULL, NULL, NULL));
  g_assert_true (impasto_run_execute (three, NULL, NULL, NULL, NULL));
  a = impasto_run_dup_image (one);
  b = impasto_run_dup_image (three);

  g_assert_cmpmem (a->pixels, impasto_image_get_n_bytes (a),
                   b->pixels, impasto_image_get_n_bytes (b));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/impasto/run/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("progress-and-snapshots", test_progress);
  ADD ("reproducible", test_reproducible);
  ADD ("noise-free-start", test_noise_free_start);
  ADD ("cancel/in-callback", test_cancel_in_callback);
  ADD ("cancel/from-thread", test_cancel_from_thread);
  ADD ("divergence", test_divergence);
  ADD ("start-at-minimum", test_start_at_minimum);
  ADD ("invalid", test_invalid);
  ADD ("lbfgs/beats-adam-per-evaluation", test_lbfgs_beats_adam);
  ADD ("scales/cancel", test_scales_cancel);
  ADD ("same-bits-on-any-threads", test_threads);
#undef ADD
  g_test_add ("/impasto/run/scales/adam", Fixture, GUINT_TO_POINTER (IMPASTO_OPTIMIZER_ADAM),
              fixture_set_up, test_scales, fixture_tear_down);
  g_test_add ("/impasto/run/scales/lbfgs", Fixture, GUINT_TO_POINTER (IMPASTO_OPTIMIZER_LBFGS),
              fixture_set_up, test_scales, fixture_tear_down);

  return g_test_run ();
}
