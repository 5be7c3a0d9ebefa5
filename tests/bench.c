/* bench.c: seconds per step of the seed's algorithm, against what sgemm alone could do
 *
 *   bench [--model FILE] [--width 450] [--height 300] [--steps 10] [--scaling]
 *         [--optimizer adam|lbfgs]
 *
 * Without --model it writes a full-size VGG19 with random weights to a temporary folder.
 * The sgemm reference runs between the steps, on as many threads as the engine uses, so that
 * both see the same machine when other work shares it; the ratio compares their medians. It
 * runs on a worker pool like the engine's, each thread multiplying its share of the columns
 * with single-threaded sgemm: OpenBLAS's own threads would spin on after it and slow the
 * step that follows.
 * --scaling repeats the measurement at 225x150, 450x300 and 1024x683.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <cblas.h>

#include "impasto-conv.h"
#include "impasto-pool.h"
#include "impasto-run-private.h"
#include "test-util.h"

typedef struct
{
  ImpastoRun *run;
  ImpastoPool *pool;      /* for the sgemm reference */
  guint       threads;
  gint64      left;        /* when the last callback returned */
  GArray     *steps;       /* seconds of each step, callbacks excluded */
  GArray     *gemm;        /* sgemm GFLOP/s measured between steps */
  double      rss_mb;      /* resident set during the run */
  float      *a, *b, *c;   /* the sgemm reference's matrices */
} Timing;

/* A product shaped like the deep layers' (512 x 4608 by 4608 x 2048). */
#define GEMM_M 512
#define GEMM_K 4608
#define GEMM_N 2048

static void
sgemm_task (guint    part,
            gpointer data)
{
  Timing *t = data;
  gsize start, end;

  impasto_pool_chunk (GEMM_N, t->threads, part, 16, &start, &end);
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, GEMM_M, end - start, GEMM_K,
               1.f, t->a, GEMM_K, t->b + start, GEMM_N, 0.f, t->c + start, GEMM_N);
}

static double
sgemm_gflops (Timing *t)
{
  gint64 start = g_get_monotonic_time ();
  double seconds;

  impasto_pool_run (t->pool, t->threads, sgemm_task, t);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  return 2.0 * GEMM_M * GEMM_N * GEMM_K / seconds / 1e9;
}

static double
resident_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, "VmRSS:")) == NULL)
    return 0;

  return g_ascii_strtod (line + 6, NULL) / 1024.0;
}

static void
on_progress (const ImpastoProgress *p,
             gpointer               user_data)
{
  Timing *t = user_data;
  gint64 now = g_get_monotonic_time ();
  double gflops;

  if (p->step >= 2)   /* step 0 -> 1 warms up */
    {
      double dt = (now - t->left) / 1e6;

      g_array_append_val (t->steps, dt);
    }
  if (p->step == 1)
    impasto_run_reset_stage_seconds (t->run);
  t->rss_mb = MAX (t->rss_mb, resident_mb ());

  gflops = sgemm_gflops (t);
  g_array_append_val (t->gemm, gflops);
  t->left = g_get_monotonic_time ();
}

/* FLOPs of one step counted as direct convolution: every conv forward, and its backward to
 * the input, at 2 * 9 * in * out * h * w each. */
static double
step_flops (ImpastoNetwork *network,
            guint           n_stages,
            guint           width,
            guint           height)
{
  double flops = 0;
  guint h = height, w = width;

  for (guint i = 0; i < n_stages; i++)
    {
      const ImpastoLayer *layer = impasto_network_get_layer (network, i);

      if (layer->kind == IMPASTO_LAYER_POOL)
        {
          h = (h + 1) / 2;
          w = (w + 1) / 2;
        }
      else
        flops += 2 * 2.0 * 9 * layer->in_channels * layer->out_channels * h * w;
    }

  return flops;
}

static void
print_layers (ImpastoRun *run,
              double      step_seconds)
{
  double sum_f = 0, sum_b = 0;

  g_print ("%-9s %-13s %9s %9s %7s\n", "layer", "algorithm", "fwd ms", "bwd ms", "share");
  for (guint i = 0; i < impasto_run_get_n_stages (run); i++)
    {
      int algorithm = impasto_run_get_stage_algorithm (run, i);
      double f, b;

      impasto_run_get_stage_seconds (run, i, &f, &b);
      sum_f += f;
      sum_b += b;
      g_print ("%-9s %-13s %9.1f %9.1f %6.1f%%\n", impasto_run_get_stage_name (run, i),
               algorithm < 0 ? "max pool" : impasto_conv_algorithm_name (algorithm),
               1e3 * f, 1e3 * b, 100 * (f + b) / step_seconds);
    }
  g_print ("%-9s %-13s %9.1f %9.1f %6.1f%%  (the rest: the optimiser and the callbacks)\n",
           "all", "", 1e3 * sum_f, 1e3 * sum_b, 100 * (sum_f + sum_b) / step_seconds);
}

typedef struct
{
  double seconds;      /* per step, median */
  double gemm;         /* GFLOP/s, median */
  double flops;        /* per step, direct convolution */
  double rss_mb;
} Result;

static ImpastoOptimizer optimizer = IMPASTO_OPTIMIZER_ADAM;

static gboolean
measure (ImpastoNetwork *network,
         guint           width,
         guint           height,
         guint           steps,
         gboolean        print,
         Result         *result)
{
  g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();
  g_autoptr(ImpastoImage) content = test_make_image (width, height, 1);
  g_autoptr(ImpastoImage) style = test_make_image (width, height, 2);
  g_autoptr(GError) error = NULL;
  Timing t = { NULL, NULL, 0, 0, g_array_new (FALSE, FALSE, sizeof (double)),
               g_array_new (FALSE, FALSE, sizeof (double)), 0, NULL, NULL, NULL };
  gint64 start;

  params->width = width;
  params->height = height;
  params->steps = steps + 1;   /* one warm-up step */
  params->snapshot_every = 0;
  params->optimizer = optimizer;
  start = g_get_monotonic_time ();
  t.run = impasto_run_new (network, params, content, style, &error);
  g_assert_no_error (error);
  if (print)
    g_print ("run prepared (targets computed) in %.2f s\n",
             (g_get_monotonic_time () - start) / 1e6);

  t.threads = g_get_num_processors ();
  t.pool = impasto_pool_new (t.threads, &error);
  g_assert_no_error (error);
  t.a = g_new (float, (gsize) GEMM_M * GEMM_K);
  t.b = g_new (float, (gsize) GEMM_K * GEMM_N);
  t.c = g_new (float, (gsize) GEMM_M * GEMM_N);
  for (gsize i = 0; i < (gsize) GEMM_M * GEMM_K; i++)
    t.a[i] = (float) (i % 7) * 0.1f;
  for (gsize i = 0; i < (gsize) GEMM_K * GEMM_N; i++)
    t.b[i] = (float) (i % 5) * 0.1f;
  sgemm_gflops (&t);   /* warm up */

  t.left = g_get_monotonic_time ();
  impasto_run_execute (t.run, on_progress, &t, NULL, &error);
  g_assert_no_error (error);

  result->seconds = test_median (t.steps);
  result->gemm = test_median (t.gemm);
  result->flops = step_flops (network, impasto_run_get_n_stages (t.run), width, height);
  /* The run's own memory: the sgemm reference's matrices are the benchmark's. */
  result->rss_mb = t.rss_mb - sizeof (float) * ((double) GEMM_M * GEMM_K + (double) GEMM_K * GEMM_N
                                                + (double) GEMM_M * GEMM_N) / (1024 * 1024);
  if (print)
    print_layers (t.run, result->seconds);

  impasto_run_free (t.run);
  impasto_pool_free (t.pool);
  g_array_unref (t.steps);
  g_array_unref (t.gemm);
  g_free (t.a);
  g_free (t.b);
  g_free (t.c);
  return TRUE;
}

static void
print_result (guint         width,
              guint         height,
              guint         steps,
              const Result *r)
{
  struct rusage usage;
  double bound = r->flops / 1e9 / r->gemm;

  getrusage (RUSAGE_SELF, &usage);
  g_print ("size                    %ux%u\n", width, height);
  g_print ("threads                 %u\n", g_get_num_processors ());
  g_print ("seconds per step        %.3f (median of %u)\n", r->seconds, steps);
  g_print ("step GFLOP (direct)     %.1f\n", r->flops / 1e9);
  g_print ("step GFLOP/s            %.1f\n", r->flops / r->seconds / 1e9);
  g_print ("sgemm GFLOP/s           %.1f (median, between the steps)\n", r->gemm);
  g_print ("sgemm bound (s/step)    %.3f\n", bound);
  g_print ("step / sgemm bound      %.2f (goal: at most 0.6)\n", r->seconds / bound);
  g_print ("RSS during the run      %.0f MB (goal: at most 450 at 450x300; the sgemm "
           "reference's matrices left out)\n", r->rss_mb);
  g_print ("peak RSS                %.0f MB (the reference's matrices included)\n",
           usage.ru_maxrss / 1024.0);
}

static void
print_scaling (ImpastoNetwork *network,
               guint           steps)
{
  static const guint sizes[][2] = { { 225, 150 }, { 450, 300 }, { 1024, 683 } };
  Result results[G_N_ELEMENTS (sizes)];

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_print ("\n%ux%u\n", sizes[i][0], sizes[i][1]);
      measure (network, sizes[i][0], sizes[i][1], steps, TRUE, &results[i]);
    }

  g_print ("\n%-10s %8s %10s %14s %8s %10s\n", "size", "Mpixel", "s/step", "s/step/Mpixel",
           "ratio", "vs sgemm");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      const Result *r = &results[i];
      double mpixel = sizes[i][0] * sizes[i][1] / 1e6;
      double base = results[0].seconds / (sizes[0][0] * sizes[0][1] / 1e6);

      g_print ("%4ux%-5u %8.3f %10.3f %14.3f %8.2f %10.2f\n", sizes[i][0], sizes[i][1], mpixel,
               r->seconds, r->seconds / mpixel, r->seconds / mpixel / base,
               r->seconds / (r->flops / 1e9 / r->gemm));
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *model = NULL;
  int width = 450, height = 300, steps = 10;
  gboolean scaling = FALSE;
  g_autofree char *optimizer_name = NULL;
  const GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model, "Model file (default: random VGG19)", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Width (default: 450)", "N" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Height (default: 300)", "N" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, "Timed steps (default: 10)", "N" },
    { "scaling", 0, 0, G_OPTION_ARG_NONE, &scaling, "Also time 225x150, 450x300, 1024x683", NULL },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &optimizer_name,
      "adam (default) or lbfgs (steps then take one or more evaluations)", "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();
  g_autoptr(ImpastoNetwork) network = NULL;
  g_auto(GStrv) layers = NULL;
  Result result;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || steps < 1
      || width < 1 || height < 1
      || (optimizer_name != NULL && !g_str_equal (optimizer_name, "adam")
          && !g_str_equal (optimizer_name, "lbfgs")))
    {
      g_printerr ("bench: %s\n", error ? error->message
                  : "sizes and --steps must be positive, --optimizer adam or lbfgs");
      return 2;
    }
  if (g_strcmp0 (optimizer_name, "lbfgs") == 0)
    optimizer = IMPASTO_OPTIMIZER_LBFGS;

  if (model == NULL)
    {
      dir = test_make_tmpdir ();
      start = g_get_monotonic_time ();
      model = test_write_model (dir, 1, 42);
      g_print ("wrote a random full-size VGG19 in %.1f s\n",
               (g_get_monotonic_time () - start) / 1e6);
    }

  layers = impasto_run_params_get_loss_layers (params);
  start = g_get_monotonic_time ();
  network = impasto_network_load (model, (const char * const *) layers, &error);
  if (network == NULL)
    {
      g_printerr ("bench: %s\n", error->message);
      return 1;
    }
  g_print ("model loaded in %.2f s\n", (g_get_monotonic_time () - start) / 1e6);

  measure (network, width, height, steps, TRUE, &result);
  print_result (width, height, steps, &result);
  if (scaling)
    print_scaling (network, MAX (steps / 2, 3));

  if (dir != NULL)
    test_remove_tree (dir);

  return 0;
}
