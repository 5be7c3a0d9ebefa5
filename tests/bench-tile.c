/* bench-tile.c: what strips cost: the plan the memory planner chooses, its estimate, and
 * seconds per step per megapixel against the whole image at a small size, in one process
 *
 *   bench-tile --model FILE [--steps 3] [--rounds 2] [--plan-only] [WxH[:MB] ...]
 *
 * Each case is WIDTH x HEIGHT under a limit of MB megabytes (none: the memory available).
 * The default cases are 450x300 whole and 1920x1080 under 1024 MB. Rounds go through every
 * case in turn, so a busy machine slows them alike; the medians of each case's steps (the
 * first step of each run left out) are compared with the first case's, per megapixel.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "impasto-run-memory.h"
#include "impasto-run-private.h"
#include "test-util.h"

typedef struct
{
  guint   width, height;
  guint64 limit_mb;
  GArray *seconds;      /* of every step measured */
} Case;

typedef struct
{
  GArray *seconds;
  gint64  last;
} Timing;

static void
on_progress (const ImpastoProgress *p,
             gpointer               user_data)
{
  Timing *t = user_data;
  gint64 now = g_get_monotonic_time ();

  if (p->step >= 2)   /* step 0 -> 1 warms up */
    {
      double dt = (now - t->last) / 1e6;

      g_array_append_val (t->seconds, dt);
    }
  t->last = g_get_monotonic_time ();
}

static ImpastoRunParams *
case_params (const Case *c,
             guint       steps)
{
  ImpastoRunParams *params = impasto_run_params_new ();

  params->width = c->width;
  params->height = c->height;
  params->memory_limit = c->limit_mb * 1000000;   /* the megabytes of --max-memory */
  params->steps = steps + 1;
  params->snapshot_every = 0;
  return params;
}

static void
print_plan (ImpastoRun *run,
            const Case *c)
{
  const ImpastoPlan *plan = impasto_run_get_plan (run);
  ImpastoRunEstimate estimate;

  impasto_run_get_estimate (run, &estimate);
  g_print ("%ux%u, limit %" G_GUINT64_FORMAT " MB: %.1f MB planned, %s, %.2fx the work, "
           "about %.2f s/step\n", c->width, c->height, c->limit_mb, estimate.bytes / 1e6,
           plan->tile_rows == 0 ? "whole" : plan->tile_cols == 0 ? "strips" : "tiles",
           estimate.work_ratio,
           estimate.seconds_per_step);
  if (plan->tile_rows > 0)
    g_print ("  scratch %.0f + %.0f MB, kept inputs %.0f MB, their gradients %.0f + %.0f MB\n",
             plan->scratch_a * 4e-6, plan->scratch * 4e-6, plan->kept_inputs * 4e-6,
             plan->kept_grad[0] * 4e-6, plan->kept_grad[1] * 4e-6);
  for (guint s = 0; s < plan->n_segments; s++)
    g_print ("  segment %u: stages %u-%u, parts of %u rows and %u columns (0: all), "
             "halo %u/%u\n", s, plan->segments[s].first, plan->segments[s].end - 1,
             plan->segments[s].rows, plan->segments[s].cols, plan->segments[s].halo,
             plan->segments[s].halo_back);
}

static void
measure (ImpastoNetwork *network,
         Case           *c,
         guint           steps,
         gboolean        plan_only)
{
  g_autoptr(ImpastoRunParams) params = case_params (c, steps);
  g_autoptr(ImpastoImage) content = test_make_image (c->width, c->height, 1);
  g_autoptr(ImpastoImage) style = test_make_image (c->width, c->height, 2);
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(GError) error = NULL;
  Timing t = { c->seconds, g_get_monotonic_time () };

  run = impasto_run_new (network, params, content, style, &error);
  if (run == NULL)
    {
      g_print ("%ux%u: %s\n", c->width, c->height, error->message);
      return;
    }
  if (plan_only || c->seconds->len == 0)
    print_plan (run, c);
  if (plan_only)
    return;

  t.last = g_get_monotonic_time ();
  if (!impasto_run_execute (run, on_progress, &t, NULL, &error))
    g_print ("%ux%u: %s\n", c->width, c->height, error->message);
}

static gboolean
parse_case (const char *text,
            Case       *c)
{
  guint64 mb = 0;

  if (sscanf (text, "%ux%u:%" G_GUINT64_FORMAT, &c->width, &c->height, &mb) < 2
      || c->width == 0 || c->height == 0 || c->width > 20000 || c->height > 20000)
    return FALSE;
  c->limit_mb = mb;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *model = NULL;
  int steps = 3, rounds = 2;
  gboolean plan_only = FALSE;
  GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model, "VGG19 model", "FILE" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, "Steps per run, after a warm-up", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Runs of every case", "N" },
    { "plan-only", 0, 0, G_OPTION_ARG_NONE, &plan_only, "Print the plans only", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[WxH[:MB] …]");
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoNetwork) network = NULL;
  g_autoptr(GArray) cases = g_array_new (FALSE, TRUE, sizeof (Case));
  g_autofree char *dir = NULL;
  g_auto(GStrv) layers = NULL;
  g_autoptr(ImpastoRunParams) defaults = impasto_run_params_new ();
  double base = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || steps < 1 || rounds < 1)
    {
      g_printerr ("bench-tile: %s\n", error != NULL ? error->message : "bad --steps or --rounds");
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      Case c = { 0 };

      if (!parse_case (argv[i], &c))
        {
          g_printerr ("bench-tile: “%s” is not WIDTHxHEIGHT[:MB]\n", argv[i]);
          return 2;
        }
      g_array_append_val (cases, c);
    }
  if (cases->len == 0)
    {
      Case small = { 450, 300, 0, NULL }, large = { 1920, 1080, 1024, NULL };

      g_array_append_val (cases, small);
      g_array_append_val (cases, large);
    }
  if (model == NULL)
    {
      dir = test_make_tmpdir ();
      model = test_write_model (dir, 1, 1);
    }

  layers = impasto_run_params_get_loss_layers (defaults);
  network = impasto_network_load (model, (const char * const *) layers, &error);
  if (network == NULL)
    {
      g_printerr ("bench-tile: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < cases->len; i++)
    g_array_index (cases, Case, i).seconds = g_array_new (FALSE, FALSE, sizeof (double));

  for (int r = 0; r < (plan_only ? 1 : rounds); r++)
    for (guint i = 0; i < cases->len; i++)
      measure (network, &g_array_index (cases, Case, i), steps, plan_only);

  for (guint i = 0; i < cases->len && !plan_only; i++)
    {
      Case *c = &g_array_index (cases, Case, i);
      double mp = c->width * (double) c->height / 1e6, s = test_median (c->seconds);

      if (i == 0)
        base = s / mp;
      g_print ("%5ux%-5u %8.2f s/step %8.2f s/step/MP  %.2fx the first case's per MP\n",
               c->width, c->height, s, s / mp, base > 0 ? s / mp / base : 0);
    }
  g_print ("load average: ");
  {
    g_autofree char *load = NULL;

    if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
      g_print ("%s", load);
  }
  for (guint i = 0; i < cases->len; i++)
    g_array_unref (g_array_index (cases, Case, i).seconds);
  if (dir != NULL)
    test_remove_tree (dir);
  return 0;
}
