/* bench.c: seconds per step of the seed's algorithm, against what sgemm alone could do
 *
 *   bench [--model FILE] [--width 450] [--height 300] [--steps 10]
 *
 * Without --model it writes a full-size VGG19 with random weights to a temporary folder.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <cblas.h>

#include "impasto-run.h"
#include "test-util.h"

typedef struct
{
  GArray *times;   /* elapsed seconds at each step */
} Timing;

static void
on_progress (const ImpastoProgress *p,
             gpointer               user_data)
{
  Timing *t = user_data;

  g_array_append_val (t->times, p->elapsed);
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

/* A product shaped like the deep layers' (512 x 4608 by 4608 x 2048), best of five. */
static double
sgemm_gflops (void)
{
  const int m = 512, k = 4608, n = 2048;
  g_autofree float *a = g_new (float, (gsize) m * k);
  g_autofree float *b = g_new (float, (gsize) k * n);
  g_autofree float *c = g_new (float, (gsize) m * n);
  double best = 0;

  for (gsize i = 0; i < (gsize) m * k; i++)
    a[i] = (float) (i % 7) * 0.1f;
  for (gsize i = 0; i < (gsize) k * n; i++)
    b[i] = (float) (i % 5) * 0.1f;

  for (int rep = 0; rep < 6; rep++)
    {
      gint64 start = g_get_monotonic_time ();
      double seconds;

      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k,
                   1.f, a, k, b, n, 0.f, c, n);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      if (rep > 0)
        best = MAX (best, 2.0 * m * n * k / seconds / 1e9);
    }

  return best;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *model = NULL;
  int width = 450, height = 300, steps = 10;
  const GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model, "Model file (default: random VGG19)", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Width (default: 450)", "N" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Height (default: 300)", "N" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, "Timed steps (default: 10)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();
  g_autoptr(ImpastoNetwork) network = NULL;
  g_autoptr(ImpastoImage) content = NULL, style = NULL;
  g_autoptr(ImpastoRun) run = NULL;
  g_auto(GStrv) layers = NULL;
  g_autoptr(GArray) per_step = g_array_new (FALSE, FALSE, sizeof (double));
  Timing timing = { g_array_new (FALSE, FALSE, sizeof (double)) };
  struct rusage usage;
  double gemm, flops, median;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || steps < 1)
    {
      g_printerr ("bench: %s\n", error ? error->message : "--steps must be positive");
      return 2;
    }

  if (model == NULL)
    {
      dir = test_make_tmpdir ();
      start = g_get_monotonic_time ();
      model = test_write_model (dir, 1, 42);
      g_print ("wrote a random full-size VGG19 in %.1f s\n",
               (g_get_monotonic_time () - start) / 1e6);
    }

  params->width = width;
  params->height = height;
  params->steps = steps + 1;   /* one warm-up step */
  params->snapshot_every = 0;
  layers = impasto_run_params_get_loss_layers (params);
  start = g_get_monotonic_time ();
  network = impasto_network_load (model, (const char * const *) layers, &error);
  if (network == NULL)
    {
      g_printerr ("bench: %s\n", error->message);
      return 1;
    }
  g_print ("model loaded in %.2f s\n", (g_get_monotonic_time () - start) / 1e6);

  content = test_make_image (width, height, 1);
  style = test_make_image (width, height, 2);
  start = g_get_monotonic_time ();
  run = impasto_run_new (network, params, content, style, &error);
  g_assert_no_error (error);
  g_print ("run prepared (targets computed) in %.2f s\n", (g_get_monotonic_time () - start) / 1e6);

  impasto_run_execute (run, on_progress, &timing, NULL, &error);
  g_assert_no_error (error);

  /* times[k] is when step k began; steps 1..n are timed, step 0 warms up. */
  for (guint k = 1; k + 1 < timing.times->len; k++)
    {
      double dt = g_array_index (timing.times, double, k + 1) - g_array_index (timing.times, double, k);

      g_array_append_val (per_step, dt);
    }
  g_array_sort (per_step, compare_doubles);
  median = g_array_index (per_step, double, per_step->len / 2);

  gemm = sgemm_gflops ();
  flops = step_flops (network, impasto_network_find_layer (network, "conv5_2") + 1, width, height);
  getrusage (RUSAGE_SELF, &usage);

  g_print ("size                    %dx%d\n", width, height);
  g_print ("threads (OpenBLAS)      %d\n", openblas_get_num_threads ());
  g_print ("seconds per step        %.3f (median of %u)\n", median, per_step->len);
  g_print ("step GFLOP (direct)     %.1f\n", flops / 1e9);
  g_print ("step GFLOP/s            %.1f\n", flops / median / 1e9);
  g_print ("sgemm GFLOP/s           %.1f\n", gemm);
  g_print ("sgemm bound (s/step)    %.3f\n", flops / 1e9 / gemm);
  g_print ("step / sgemm bound      %.2f\n", median / (flops / 1e9 / gemm));
  g_print ("peak RSS                %.0f MB\n", usage.ru_maxrss / 1024.0);

  if (dir != NULL)
    test_remove_tree (dir);
  g_array_unref (timing.times);

  return 0;
}
