/* impasto-cli.c: impasto-cli, the engine driven from a terminal
 *
 * The run happens on a worker thread so that the main thread can turn Ctrl-C into a
 * cancellation; the run then stops after its current step and the image is still written.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "impasto-cli.h"
#include "impasto-cli-files.h"
#include "impasto-image-io.h"
#include "impasto-model-path.h"
#include "impasto-preset.h"
#include "impasto-run.h"

/* GOption cannot tell an option left out from one given; the options a preset decides when
 * they are left out start at this value, which no one types. */
#define UNSET G_MININT

typedef struct
{
  char   *content_path;
  char   *style_path;
  char   *output_path;
  char   *model_path;
  char   *snapshot_dir;
  char   *log_path;
  char   *mean;
  char   *optimizer;
  char   *preset;
  int     width;
  int     height;
  double  alpha;
  double  beta;
  double  noise;
  int     steps;
  double  learning_rate;
  int     snapshot_every;
  gint64  seed;
  int     threads;
  int     scales;
  gint64  max_memory;   /* megabytes; 0: whatever is available */
} Options;

/* What the run's thread and the main one share. */
typedef struct
{
  const Options *options;
  ImpastoCliLog *log;              /* NULL without --log */
  GError        *log_error;        /* the first line that could not be written */
  GError        *snapshot_error;   /* the first snapshot that could not be saved */
  GCancellable  *cancellable;
  int            stop_signal;      /* atomic: the signal that stopped the run, or 0 */
} Job;

static void
options_clear (Options *options)
{
  g_free (options->content_path);
  g_free (options->style_path);
  g_free (options->output_path);
  g_free (options->model_path);
  g_free (options->snapshot_dir);
  g_free (options->log_path);
  g_free (options->mean);
  g_free (options->optimizer);
  g_free (options->preset);
}

static void
print_error (const char *message)
{
  g_printerr ("impasto-cli: %s\n", message);
}

static gboolean
parse_options (Options  *options,
               int      *argc,
               char   ***argv,
               GError  **error)
{
  const GOptionEntry entries[] = {
    { "content", 'c', 0, G_OPTION_ARG_FILENAME, &options->content_path,
      N_("The photo to repaint"), N_("FILE") },
    { "style", 's', 0, G_OPTION_ARG_FILENAME, &options->style_path,
      N_("The painting whose style to use"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options->output_path,
      N_("Where to write the result (.png, .jpg or .jpeg)"), N_("FILE") },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &options->model_path,
      N_("The VGG19 model (default: $IMPASTO_MODEL, then "
         "$XDG_DATA_HOME/impasto/imagenet-vgg-verydeep-19.mat, then the system data dirs)"),
      N_("FILE") },
    { "width", 0, 0, G_OPTION_ARG_INT, &options->width,
      N_("Output width in pixels (default: 450)"), N_("N") },
    { "height", 0, 0, G_OPTION_ARG_INT, &options->height,
      N_("Output height in pixels (default: 300)"), N_("N") },
    { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &options->alpha,
      N_("Content weight (default: 1)"), N_("X") },
    { "beta", 0, 0, G_OPTION_ARG_DOUBLE, &options->beta,
      N_("Style weight (default: 500)"), N_("X") },
    { "noise", 0, 0, G_OPTION_ARG_DOUBLE, &options->noise,
      N_("Share of noise in the starting image, 0 to 1 (default: 0.5)"), N_("X") },
    { "steps", 0, 0, G_OPTION_ARG_INT, &options->steps,
      N_("Optimisation steps, all scales together (default: 3000)"), N_("N") },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &options->optimizer,
      N_("“adam” (the seed's) or “lbfgs” (fewer steps to the same loss) (default: adam)"),
      N_("NAME") },
    { "scales", 0, 0, G_OPTION_ARG_INT, &options->scales,
      N_("Work coarse to fine over this many scales, each half the next, 1 to 3 (default: 1)"),
      N_("N") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &options->preset,
      N_("“draft” (L-BFGS, 50 steps), “balanced” (L-BFGS, 120 steps) or “seed-exact” (Adam, "
         "3000 steps); the options above override it"),
      N_("NAME") },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &options->learning_rate,
      N_("Adam's learning rate; L-BFGS's largest first change of a pixel (default: 1)"),
      N_("X") },
    { "snapshot-every", 0, 0, G_OPTION_ARG_INT, &options->snapshot_every,
      N_("Report and save a snapshot every N steps, 0 for none (default: the preset's, 50 for the seed's)"), N_("N") },
    { "snapshot-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->snapshot_dir,
      N_("Save snapshots there as step-NNNNN.png (default: not saved)"), N_("DIR") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &options->seed,
      N_("Seed of the starting noise (default: 0)"), N_("N") },
    { "mean", 0, 0, G_OPTION_ARG_STRING, &options->mean,
      N_("Pixel mean to subtract: “seed” (128) or “imagenet” (default: seed)"), N_("NAME") },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &options->log_path,
      N_("Write step,total,content,style,seconds,scale,evaluations for every step as CSV"),
      N_("FILE.csv") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &options->threads,
      N_("Threads to compute with (default: one per core)"), N_("N") },
    { "max-memory", 0, 0, G_OPTION_ARG_INT64, &options->max_memory,
      N_("Refuse to start a run that needs more than MB megabytes "
         "(default: the memory available)"), N_("MB") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context,
                                _("Repaint a photo in the style of a painting "
                                  "(Gatys, Ecker and Bethge's neural style transfer)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  /* A word the parser left over is a mistake (a name without its flag, a forgotten quote):
   * run without it, the user would not get what was asked for. */
  if (*argc > 1)
    {
      /* GOption keeps a "--" only when words follow it: the first is the one to name. */
      const char *word = g_str_equal ((*argv)[1], "--") && *argc > 2 ? (*argv)[2] : (*argv)[1];

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Unexpected argument “%s”; usage: impasto-cli --content FILE --style FILE "
                     "--output FILE [OPTION…] (see --help)"), word);
      return FALSE;
    }

  return TRUE;
}

static void
set_defaults (Options *options)
{
  g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();

  options->width = params->width;
  options->height = params->height;
  options->alpha = params->alpha;
  options->beta = params->beta;
  options->noise = params->noise;
  /* from the preset, else the seed's */
  options->steps = UNSET;
  options->scales = UNSET;
  options->learning_rate = params->learning_rate;
  options->snapshot_every = UNSET;
  options->seed = params->seed;
  options->threads = 0;
}

static gboolean
usage_error (GError    **error,
             const char *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return FALSE;
}

/* Everything that can be checked before minutes of work are spent. */
static gboolean
check_options (const Options *options,
               GError       **error)
{
  ImpastoPreset preset;

  if (options->content_path == NULL || options->style_path == NULL
      || options->output_path == NULL)
    return usage_error (error, _("--content, --style and --output are required (see --help)"));
  if (options->width <= 0 || options->height <= 0)
    return usage_error (error, _("--width and --height must be positive"));
  if (options->steps != UNSET && options->steps < 1)
    return usage_error (error, _("--steps must be at least 1"));
  if (options->scales != UNSET && (options->scales < 1 || options->scales > IMPASTO_MAX_SCALES))
    return usage_error (error, _("--scales must be 1, 2 or 3"));
  if (options->optimizer != NULL && !g_str_equal (options->optimizer, "adam")
      && !g_str_equal (options->optimizer, "lbfgs"))
    return usage_error (error, _("--optimizer must be “adam” or “lbfgs”"));
  if (options->preset != NULL && !impasto_preset_from_name (options->preset, &preset))
    return usage_error (error, _("--preset must be “draft”, “balanced” or “seed-exact”"));
  if (options->snapshot_every != UNSET && options->snapshot_every < 0)
    return usage_error (error, _("--snapshot-every must be 0 or more"));
  if (options->seed < 0)
    return usage_error (error, _("--seed must be 0 or more"));
  if (options->threads < 0)
    return usage_error (error, _("--threads must be 0 or more"));
  if (options->max_memory < 0 || options->max_memory > G_MAXINT64 / 1000000)
    return usage_error (error, _("--max-memory must be a number of megabytes, 0 or more"));
  if (options->mean != NULL && !g_str_equal (options->mean, "seed")
      && !g_str_equal (options->mean, "imagenet"))
    return usage_error (error, _("--mean must be “seed” or “imagenet”"));

  return TRUE;
}

/* The preset's choices where the command line made none; the seed's where neither did. */
static void
apply_schedule (const Options    *options,
                ImpastoRunParams *params)
{
  ImpastoPreset preset;

  if (options->preset != NULL && impasto_preset_from_name (options->preset, &preset))
    impasto_preset_apply (preset, params);
  if (options->optimizer != NULL)
    params->optimizer = g_str_equal (options->optimizer, "lbfgs") ? IMPASTO_OPTIMIZER_LBFGS
                                                                  : IMPASTO_OPTIMIZER_ADAM;
  if (options->scales != UNSET)
    params->n_scales = options->scales;
  if (options->steps != UNSET)
    params->steps = options->steps;
  if (options->snapshot_every != UNSET)
    params->snapshot_every = options->snapshot_every;
}

static ImpastoRunParams *
make_params (const Options *options,
             GError       **error)
{
  g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();

  params->width = options->width;
  params->height = options->height;
  params->alpha = options->alpha;
  params->beta = options->beta;
  params->noise = options->noise;
  apply_schedule (options, params);
  params->threads = options->threads;
  params->learning_rate = options->learning_rate;
  params->seed = options->seed;
  params->memory_limit = (guint64) options->max_memory * 1000000;
  if (g_strcmp0 (options->mean, "imagenet") == 0)
    params->mean = IMPASTO_MEAN_IMAGENET;

  if (!impasto_run_params_validate (params, error))
    return NULL;

  return g_steal_pointer (&params);
}

static ImpastoImage *
load_sized (const char *path,
            guint       width,
            guint       height,
            GError    **error)
{
  g_autoptr(ImpastoImage) image = impasto_image_load (path, error);

  if (image == NULL)
    return NULL;

  return impasto_image_resize (image, width, height);
}

static char *
format_duration (double seconds)
{
  guint s = (guint) MAX (seconds + 0.5, 0);

  if (s >= 3600)
    return g_strdup_printf ("%uh%02um", s / 3600, s / 60 % 60);
  if (s >= 60)
    return g_strdup_printf ("%um%02us", s / 60, s % 60);
  return g_strdup_printf ("%us", s);
}

/* Asks the run to stop after its step, for the signal signo (SIGPIPE for a closed stdout)
 * or, with 0, for an error of the log. The first reason is the one reported. */
static void
request_stop (Job *job,
              int  signo)
{
  if (signo != 0 && g_atomic_int_compare_and_exchange (&job->stop_signal, 0, signo))
    g_printerr (_("Stopping after the current step…\n"));
  g_cancellable_cancel (job->cancellable);
}

/* FALSE once nobody reads stdout any more (a pipe into head that has closed). */
static gboolean
print_progress (const ImpastoProgress *p)
{
  g_autofree char *left = format_duration (p->seconds_per_step * (p->total_steps - p->step));
  int saved;

  if (p->scale > 0)   /* a coarse scale of a coarse-to-fine run: 1/2 or 1/4 of the size */
    g_print ("[1/%u] ", 1u << p->scale);
  g_print (_("step %u/%u  loss %.6g (content %.6g, style %.6g)  %.3f s/step  %s left\n"),
           p->step, p->total_steps, p->total_loss, p->content_loss, p->style_loss,
           p->seconds_per_step, left);

  /* g_print() flushes by itself: a failed write shows in the stream's error flag, and errno
   * still says why. */
  if (!ferror (stdout))
    return TRUE;
  saved = errno;
  clearerr (stdout);
  return saved != EPIPE;
}

static void
save_snapshot (Job                   *job,
               const ImpastoProgress *p)
{
  g_autofree char *name = g_strdup_printf ("step-%05u.png", p->step);
  g_autofree char *path = g_build_filename (job->options->snapshot_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!impasto_image_save (p->snapshot, path, &error) && job->snapshot_error == NULL)
    {
      g_printerr (_("impasto-cli: warning: %s (further snapshot errors are not shown)\n"),
                  error->message);
      job->snapshot_error = g_steal_pointer (&error);
    }
}

/* On the run's thread. */
static void
on_progress (const ImpastoProgress *p,
             gpointer               user_data)
{
  Job *job = user_data;

  if (job->log != NULL && job->log_error == NULL
      && !impasto_cli_log_write (job->log, p, &job->log_error))
    request_stop (job, 0);

  if (p->snapshot == NULL)
    return;

  /* SIGPIPE is ignored (it would kill the run and its work): EPIPE stands for it. */
  if (!print_progress (p))
    request_stop (job, SIGPIPE);
  /* unset is the preset's interval, never 0 */
  if (job->options->snapshot_dir != NULL && job->options->snapshot_every != 0)
    save_snapshot (job, p);
}

typedef struct
{
  ImpastoRun *run;
  Job        *job;
  GMainLoop  *loop;
  GError     *error;
  gboolean    done;
} Execution;

static gpointer
run_thread (gpointer data)
{
  Execution *exec = data;

  impasto_run_execute (exec->run, on_progress, exec->job, exec->job->cancellable, &exec->error);
  g_atomic_int_set (&exec->done, TRUE);
  g_main_loop_quit (exec->loop);

  return NULL;
}

static gboolean
on_sigint (gpointer user_data)
{
  request_stop (user_data, SIGINT);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigterm (gpointer user_data)
{
  request_stop (user_data, SIGTERM);
  return G_SOURCE_CONTINUE;
}

/* A closed terminal, or a logout. */
static gboolean
on_sighup (gpointer user_data)
{
  request_stop (user_data, SIGHUP);
  return G_SOURCE_CONTINUE;
}

/* Runs on a worker while the main loop waits for a signal or the end; returns the run's
 * error. */
static GError *
execute (ImpastoRun *run,
         Job        *job)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Execution exec = { run, job, loop, NULL, FALSE };
  guint sources[3];
  GThread *thread;

  job->cancellable = cancellable;
  sources[0] = g_unix_signal_add (SIGINT, on_sigint, job);
  sources[1] = g_unix_signal_add (SIGTERM, on_sigterm, job);
  sources[2] = g_unix_signal_add (SIGHUP, on_sighup, job);
  thread = g_thread_try_new ("impasto-run", run_thread, &exec, &exec.error);
  if (thread != NULL)
    {
      while (!g_atomic_int_get (&exec.done))
        g_main_loop_run (loop);
      g_thread_join (thread);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    g_source_remove (sources[i]);
  job->cancellable = NULL;

  return exec.error;
}

static gboolean
prepare_files (const Options *options,
               const char    *model_path,
               GError       **error)
{
  ImpastoCliPaths paths = {
    options->content_path, options->style_path, model_path, options->output_path,
    options->log_path, options->snapshot_every != 0 ? options->snapshot_dir : NULL,
  };

  return impasto_cli_prepare_files (&paths, error);
}

static ImpastoRun *
create_run (const Options          *options,
            const ImpastoRunParams *params,
            const char             *model_path,
            GError                **error)
{
  g_autoptr(ImpastoImage) content = NULL;
  g_autoptr(ImpastoImage) style = NULL;
  g_autoptr(ImpastoNetwork) network = NULL;
  g_auto(GStrv) layers = NULL;

  if ((content = load_sized (options->content_path, params->width, params->height,
                             error)) == NULL
      || (style = load_sized (options->style_path, params->width, params->height,
                              error)) == NULL)
    return NULL;

  layers = impasto_run_params_get_loss_layers (params);
  network = impasto_network_load (model_path, (const char * const *) layers, error);
  if (network == NULL)
    return NULL;

  return impasto_run_new (network, params, content, style, error);
}

/* Why the run ended, once the image it reached is written. */
static int
report_end (ImpastoRun    *run,
            const Options *options,
            Job           *job,
            GError        *run_error)
{
  g_autoptr(GError) close_error = NULL;
  int stop_signal = g_atomic_int_get (&job->stop_signal);

  if (job->log_error != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: the first %s is why the log could not be written; the second a file. */
      message = g_strdup_printf (_("%s; stopped at step %u and wrote %s"),
                                 job->log_error->message, impasto_run_get_step (run),
                                 options->output_path);
      print_error (message);
      return IMPASTO_CLI_EXIT_FAILURE;
    }
  if (job->log != NULL && !impasto_cli_log_close (job->log, &close_error))
    {
      print_error (close_error->message);
      return IMPASTO_CLI_EXIT_FAILURE;
    }
  if (stop_signal != 0)
    {
      g_printerr (_("Stopped at step %u; wrote %s\n"), impasto_run_get_step (run),
                  options->output_path);
      return IMPASTO_CLI_EXIT_SIGNAL + stop_signal;
    }
  if (run_error != NULL)
    {
      print_error (run_error->message);
      return IMPASTO_CLI_EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}

/* Writes whatever image the run reached, whether it finished, was stopped or diverged. */
static int
finish (ImpastoRun    *run,
        const Options *options,
        Job           *job,
        GError        *run_error)
{
  g_autoptr(ImpastoImage) image = impasto_run_dup_image (run);
  g_autoptr(GError) error = NULL;

  if (!impasto_image_save (image, options->output_path, &error))
    {
      print_error (error->message);
      return IMPASTO_CLI_EXIT_FAILURE;
    }

  return report_end (run, options, job, run_error);
}

static int
run_job (const Options          *options,
         const ImpastoRunParams *params)
{
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) run_error = NULL;
  g_autofree char *model_path = NULL;
  Job job = { options, NULL, NULL, NULL, NULL, 0 };
  int status;

  if ((model_path = impasto_model_find (options->model_path, &error)) == NULL
      || !prepare_files (options, model_path, &error)
      || (run = create_run (options, params, model_path, &error)) == NULL)
    {
      print_error (error->message);
      return IMPASTO_CLI_EXIT_FAILURE;
    }

  if (options->log_path != NULL)
    job.log = impasto_cli_log_new (options->log_path);
  run_error = execute (run, &job);
  status = finish (run, options, &job, run_error);
  g_clear_pointer (&job.log, impasto_cli_log_free);
  g_clear_error (&job.log_error);
  g_clear_error (&job.snapshot_error);

  return status;
}

int
impasto_cli_main (int    argc,
                  char **argv)
{
  Options options = { 0 };
  g_autoptr(ImpastoRunParams) params = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* Before any file is opened. */
  impasto_cli_open_std_streams ();
  signal (SIGPIPE, SIG_IGN);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  set_defaults (&options);
  /* A value the engine refuses (noise 1.5, a width past its limit) is a wrong command line
   * too, and gets the same status as one the parser refuses. */
  if (!parse_options (&options, &argc, &argv, &error) || !check_options (&options, &error)
      || (params = make_params (&options, &error)) == NULL)
    {
      print_error (error->message);
      options_clear (&options);
      return IMPASTO_CLI_EXIT_USAGE;
    }

  status = run_job (&options, params);
  options_clear (&options);

  return status;
}
