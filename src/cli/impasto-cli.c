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
#include "impasto-cli-model.h"
#include "impasto-image-io.h"
#include "impasto-model-path.h"
#include "impasto-params.h"
#include "impasto-preset.h"
#include "impasto-run.h"
#include "impasto-run-memory.h"
#include "impasto-session.h"

typedef struct
{
  const ImpastoParamSpec *spec;
  char                   *text;
} Given;

typedef struct
{
  char   *content_path;
  char  **style_args;   /* each --style as typed */
  char  **style_paths;  /* the style images they name, in order; NULL when none */
  const char *style_path;   /* the first of them */
  char   *style_weights;
  char   *output_path;
  char   *model_path;
  char   *snapshot_dir;
  char   *log_path;
  char   *preset;
  char   *recipe_path;
  char   *steer;
  GArray *given;        /* of Given: the table's options, in the order typed */
  GPtrArray *help;      /* the table's options' descriptions, while the parser needs them */
  gboolean download_model;
  char    *model_url;
  char    *model_md5;
  gboolean compact_model;
  gboolean remove_original;
} Options;

/* What the run's thread and the main one share. */
typedef struct
{
  const Options          *options;
  const ImpastoRunParams *params;
  ImpastoCliLog          *log;              /* NULL without --log */
  GError                 *log_error;        /* the first line that could not be written */
  GError        *snapshot_error;   /* the first snapshot that could not be saved */
  GCancellable  *cancellable;
  int            stop_signal;      /* atomic: the signal that stopped the run, or 0 */
} Job;

static void
given_clear (gpointer data)
{
  g_free (((Given *) data)->text);
}

static void
options_clear (Options *options)
{
  g_free (options->content_path);
  g_strfreev (options->style_args);
  g_strfreev (options->style_paths);
  g_free (options->style_weights);
  g_free (options->output_path);
  g_free (options->model_path);
  g_free (options->snapshot_dir);
  g_free (options->log_path);
  g_free (options->preset);
  g_free (options->model_url);
  g_free (options->model_md5);
  g_free (options->recipe_path);
  g_free (options->steer);
  g_clear_pointer (&options->given, g_array_unref);
  g_clear_pointer (&options->help, g_ptr_array_unref);
}

static void
print_error (const char *message)
{
  g_printerr ("impasto-cli: %s\n", message);
}

/* Every option of the parameter table is taken as text and checked once all are in, so that
 * a preset can fill in what was not given whichever comes first. */
static gboolean
on_param_option (const char  *option_name,
                 const char  *value,
                 gpointer     data,
                 GError     **error)
{
  Options *options = data;
  Given given = { impasto_params_find (option_name + 2), g_strdup (value) };

  g_assert (given.spec != NULL);
  g_array_append_val (options->given, given);

  return TRUE;
}

/* --init takes the table's choices or the image a run starts from, the recipe's [Start]. */
static gboolean
is_init (const ImpastoParamSpec *spec)
{
  return g_str_equal (spec->name, "init");
}

/* "How much the painting keeps of the photo, 0 to 1000000 (default: 1)" */
static char *
describe_param (const ImpastoParamSpec *spec)
{
  g_autoptr(ImpastoRunParams) defaults = impasto_run_params_new ();
  g_autofree char *range = NULL;
  g_autofree char *value = NULL;
  g_autofree char *shown = NULL;

  impasto_preset_apply (IMPASTO_PRESET_DEFAULT, defaults);
  range = impasto_param_describe_range (spec);
  value = impasto_param_to_string (defaults, spec);
  if (spec->unit != NULL)
    shown = g_strdup_printf ("%s %s", value, _(spec->unit));
  if (is_init (spec))
    /* Translators: --init's help: what it does, its choices and its default value. */
    return g_strdup_printf (_("%s; %s, or an image FILE, resized to the output (default: %s)"),
                            _(spec->help), range, value);
  if (spec->flags & IMPASTO_PARAM_SCHEDULE)
    /* Translators: an option's help: what it does, its range, its value under the default
     * preset and that preset's name. */
    return g_strdup_printf (_("%s; %s (default: the preset's; %s with “%s”)"), _(spec->help),
                            range, shown != NULL ? shown : value,
                            impasto_preset_get_info (IMPASTO_PRESET_DEFAULT)->name);

  /* Translators: an option's help: what it does, its range and its default value. */
  return g_strdup_printf (_("%s; %s (default: %s)"), _(spec->help), range,
                          shown != NULL ? shown : value);
}

static void
add_param_entries (GOptionGroup *group,
                   Options      *options)
{
  const ImpastoParamSpec *specs;
  guint n_specs;

  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      char *help = describe_param (&specs[i]);
      GOptionEntry entry[2] = {
        { specs[i].name, 0, 0, G_OPTION_ARG_CALLBACK, G_GNUC_EXTENSION (gpointer) on_param_option, help,
          is_init (&specs[i]) ? "NAME|FILE" : specs[i].arg },
        { NULL },
      };

      g_ptr_array_add (options->help, help);
      g_option_group_add_entries (group, entry);
    }
}

static gboolean
parse_options (Options  *options,
               int      *argc,
               char   ***argv,
               GError  **error)
{
  const GOptionEntry entries[] = {
    { "content", 'c', 0, G_OPTION_ARG_FILENAME, &options->content_path,
      _("The photo to repaint"), _("FILE") },
    { "style", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &options->style_args,
      _("The painting whose style to use; several, blended, as “a.jpg,b.jpg” or --style given "
        "again (a file whose own name has a comma is taken whole); at most 8"),
      _("FILE[,FILE…]") },
    { "style-blend-weights", 0, 0, G_OPTION_ARG_STRING, &options->style_weights,
      _("How much of each style image the blend takes, one number of 0 or more for each, not "
        "all 0, as “3,7”; they are divided by their sum (default: equal)"),
      _("W[,W…]") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options->output_path,
      _("Where to write the result (.png, .jpg or .jpeg)"), _("FILE") },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &options->model_path,
      _("The VGG19 model (default: $IMPASTO_MODEL, then "
        "$XDG_DATA_HOME/impasto/imagenet-vgg-verydeep-19.mat, then the system data dirs)"),
      _("FILE") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &options->preset,
      _("“draft” (L-BFGS, 50 steps, from the photo), “balanced” (the default: L-BFGS, 100 "
        "steps, from the photo) or “seed-exact” (Adam, 3000 steps, from the seed's half noise) "
        "chooses the optimizer, scales, steps, snapshot interval, noise, resampling, smoothing "
        "and pooling; the options for those override it"),
      _("NAME") },
    { "recipe", 'r', 0, G_OPTION_ARG_FILENAME, &options->recipe_path,
      _("Make a picture again from its recipe: a result of Impasto's (PNG or JPEG) or a recipe "
        "file; the other options change single fields of it"),
      _("FILE") },
    { "steer", 0, 0, G_OPTION_ARG_STRING, &options->steer,
      _("Change parameters during the run: “200:beta=2000,400:alpha=5” sets beta to 2000 from "
        "step 200 on and alpha to 5 from step 400 on (alpha, beta and tv-weight can be changed)"),
      _("STEP:NAME=VALUE,…") },
    { "snapshot-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->snapshot_dir,
      _("Save snapshots there as step-NNNNN.png (default: not saved)"), _("DIR") },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &options->log_path,
      _("Write step,total,content,style,tv,seconds,scale,evaluations for every step as CSV"),
      _("FILE.csv") },
    { "download-model", 0, 0, G_OPTION_ARG_NONE, &options->download_model,
      _("Download the VGG19 model (about 510 MB) to where --model says, or to "
        "$XDG_DATA_HOME/impasto/, resuming an interrupted download; then paint if "
        "--content, --style and --output are given"), NULL },
    { "model-url", 0, 0, G_OPTION_ARG_STRING, &options->model_url,
      _("Download from this mirror instead of MatConvNet's site"), _("URL") },
    { "model-md5", 0, 0, G_OPTION_ARG_STRING, &options->model_md5,
      _("Accept only the file with this MD5 (a mirror's own copy, such as a compact one)"),
      _("MD5") },
    { "compact-model", 0, 0, G_OPTION_ARG_NONE, &options->compact_model,
      _("Write a copy of the model with only the layers Impasto uses (about 80 MB instead "
        "of 510 MB) beside it, checked against it"), NULL },
    { "remove-original", 0, 0, G_OPTION_ARG_NONE, &options->remove_original,
      _("With --compact-model: remove the original once the copy is checked"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  GOptionGroup *group = g_option_group_new (NULL, NULL, NULL, options, NULL);

  options->given = g_array_new (FALSE, FALSE, sizeof (Given));
  g_array_set_clear_func (options->given, given_clear);
  options->help = g_ptr_array_new_with_free_func (g_free);

  g_option_group_add_entries (group, entries);
  add_param_entries (group, options);
  g_option_context_set_main_group (context, group);
  g_option_context_set_summary (context,
                                _("Repaint a photo in the style of a painting "
                                  "(Gatys, Ecker and Bethge's neural style transfer)."));
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

static gboolean
usage_error (GError    **error,
             const char *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return FALSE;
}

/* Each --style: a file that exists is taken whole, comma or not; else it is a list of files,
 * comma separated, as the classic neural-style takes them. */
static gboolean
split_styles (Options  *options,
              GError  **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; options->style_args != NULL && options->style_args[i] != NULL; i++)
    {
      const char *arg = options->style_args[i];
      g_auto(GStrv) parts = NULL;

      if (g_file_test (arg, G_FILE_TEST_EXISTS))
        {
          g_ptr_array_add (paths, g_strdup (arg));
          continue;
        }
      parts = g_strsplit (arg, ",", -1);
      for (guint j = 0; parts[j] != NULL; j++)
        {
          if (*parts[j] == '\0')
            return usage_error (error, _("--style names an empty file name: give the style "
                                         "images as “a.jpg,b.jpg”"));
          g_ptr_array_add (paths, g_strdup (parts[j]));
        }
    }
  if (paths->len > IMPASTO_MAX_STYLES)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--style names %u images; a run blends at most %d"), paths->len,
                   IMPASTO_MAX_STYLES);
      return FALSE;
    }
  if (paths->len == 0)
    return TRUE;

  g_ptr_array_add (paths, NULL);
  options->style_paths = (char **) g_ptr_array_steal (paths, NULL);
  options->style_path = options->style_paths[0];
  return TRUE;
}

/* --style-blend-weights: one number of 0 or more for each of n style images, not all 0. */
static gboolean
parse_style_weights (const char  *text,
                     guint        n,
                     double      *weights,
                     GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  double sum = 0;

  if (g_strv_length (parts) != n)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--style-blend-weights gives %u weights for %u style images; give one "
                     "for each"), g_strv_length (parts), n);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      char *end = NULL;
      const char *part = g_strstrip (parts[i]);

      weights[i] = g_ascii_strtod (part, &end);
      if (*part == '\0' || *end != '\0' || !isfinite (weights[i]) || weights[i] < 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--style-blend-weights: “%s” is not a number of 0 or more"), part);
          return FALSE;
        }
      sum += weights[i];
    }
  if (!(sum > 0) || !isfinite (sum))
    return usage_error (error, _("--style-blend-weights: the weights add up to 0 or "
                                 "overflow; give at least one style image a weight above 0"));

  return TRUE;
}

/* Whether the command line asks for a picture, or only for the model's download or copy. */
static gboolean
will_paint (const Options *options)
{
  return options->content_path != NULL || options->style_path != NULL
         || options->output_path != NULL || options->recipe_path != NULL;
}

/* What only the command line has to check; the parameters are the engine's to check. */

static gboolean
check_options (Options  *options,
               GError  **error)
{
  ImpastoPreset preset;

  if ((options->model_url != NULL || options->model_md5 != NULL) && !options->download_model)
    return usage_error (error, _("--model-url and --model-md5 go with --download-model"));
  if (options->model_md5 != NULL && !g_regex_match_simple ("^[0-9a-fA-F]{32}$",
                                                           options->model_md5, 0, 0))
    return usage_error (error, _("--model-md5 must be 32 hexadecimal digits"));
  if (options->remove_original && !options->compact_model)
    return usage_error (error, _("--remove-original goes with --compact-model"));
  if ((options->download_model || options->compact_model) && !will_paint (options))
    return TRUE;
  if (options->output_path == NULL
      || (options->recipe_path == NULL
          && (options->content_path == NULL || options->style_path == NULL)))
    return usage_error (error, _("--content, --style and --output are required, or --recipe "
                                 "and --output (see --help)"));
  if (options->preset != NULL && !impasto_preset_from_name (options->preset, &preset))
    return usage_error (error, _("--preset must be “draft”, “balanced” or “seed-exact”"));
  if (options->style_weights != NULL && options->style_paths != NULL)
    {
      double weights[IMPASTO_MAX_STYLES];

      return parse_style_weights (options->style_weights,
                                  g_strv_length (options->style_paths), weights, error);
    }

  return TRUE;
}

/* The style images given replace the recipe's; the weights given replace theirs. */
static gboolean
set_styles (const Options *options,
            ImpastoRecipe *recipe,
            GError       **error)
{
  double weights[IMPASTO_MAX_STYLES];
  guint n;

  if (options->style_paths != NULL)
    {
      /* Files given are used as they are, not held to a checksum. */
      impasto_recipe_clear_styles (recipe);
      for (guint i = 0; options->style_paths[i] != NULL; i++)
        impasto_recipe_add_style (recipe, options->style_paths[i], NULL, 1);
    }
  if (options->style_weights == NULL)
    return TRUE;

  n = recipe->n_styles;
  if (!parse_style_weights (options->style_weights, n, weights, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    recipe->styles[i].weight = weights[i];
  return TRUE;
}

/* The engine names a parameter as the table does; here it is an option. */
static void
name_option (GError                **error,
             const ImpastoParamSpec *spec)
{
  if (g_str_has_prefix ((*error)->message, spec->name))
    g_prefix_error (error, "--");
  else
    g_prefix_error (error, "--%s: ", spec->name);
}

static gboolean
is_choice (const ImpastoParamSpec *spec,
           const char             *text)
{
  return g_strv_contains ((const char * const *) spec->nicks, text);
}

/* --init FILE: the run starts from that image, whatever the recipe started from. Whether it
 * can be read is found when the inputs are loaded, with the reason. */
static gboolean
set_start_file (ImpastoRecipe *recipe,
                const char    *path,
                GError       **error)
{
  if (*path == '\0')
    return usage_error (error, _("--init must be noise, content, random or an image file"));

  impasto_recipe_set_input (&recipe->start, path, NULL);
  return TRUE;
}

/* The recipe's values (the default preset's without one), then the preset's, then the options
 * given, the last one of each kind winning. */
static ImpastoRecipe *
make_recipe (const Options       *options,
             const ImpastoRecipe *base,
             GError             **error)
{
  g_autoptr(ImpastoRecipe) recipe = base != NULL ? impasto_recipe_copy (base)
                                                 : impasto_recipe_new ();
  ImpastoRunParams *params = recipe->params;
  ImpastoPreset preset;

  if (options->preset != NULL && impasto_preset_from_name (options->preset, &preset))
    impasto_preset_apply (preset, params);
  else if (base == NULL)
    impasto_preset_apply (IMPASTO_PRESET_DEFAULT, params);

  for (guint i = 0; i < options->given->len; i++)
    {
      const Given *given = &g_array_index (options->given, Given, i);

      if (is_init (given->spec) && !is_choice (given->spec, given->text))
        {
          if (!set_start_file (recipe, given->text, error))
            return NULL;
          continue;
        }
      if (is_init (given->spec))
        impasto_recipe_set_input (&recipe->start, NULL, NULL);
      if (!impasto_param_parse (params, given->spec, given->text, error))
        {
          name_option (error, given->spec);
          return NULL;
        }
    }

  if (!impasto_run_params_validate (params, error))
    return NULL;
  if (params->png_depth == IMPASTO_PNG_DEPTH_16 && options->output_path != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (options->output_path, -1);

      if (!g_str_has_suffix (lower, ".png"))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--png-depth 16: “%s” is not a PNG; only a PNG result has 16 bits "
                         "a channel"), options->output_path);
          return NULL;
        }
    }

  if (options->steer != NULL)
    {
      g_array_set_size (recipe->steering, 0);
      if (!impasto_steering_parse (options->steer, recipe->steering, error))
        {
          g_prefix_error (error, "--steer: ");
          return NULL;
        }
    }

  /* Files given are used as they are, not held to a checksum. */
  if (options->content_path != NULL)
    impasto_recipe_set_input (&recipe->content, options->content_path, NULL);
  if (!set_styles (options, recipe, error))
    return NULL;

  return g_steal_pointer (&recipe);
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

/* What the run was planned to take, before it starts: memory, strips and time. */
static void
print_plan (ImpastoRun *run)
{
  ImpastoRunEstimate estimate;
  g_autofree char *bytes = NULL;

  impasto_run_get_estimate (run, &estimate);
  bytes = g_format_size (estimate.bytes);
  if (estimate.tile_rows == 0)
    g_print (_("plan: about %s of memory, the whole image at once; about %.2f s/step\n"),
             bytes, estimate.seconds_per_step);
  else if (estimate.tile_cols == 0)
    /* Translators: %u is a number of rows, %.2f how many times the work of the whole image. */
    g_print (_("plan: about %s of memory, in strips of %u rows (%.2f× the work); "
               "about %.2f s/step\n"),
             bytes, estimate.tile_rows, estimate.work_ratio, estimate.seconds_per_step);
  else
    /* Translators: %u×%u is a tile's width and height in pixels, %.2f how many times the
     * work of the whole image. */
    g_print (_("plan: about %s of memory, in tiles of %u×%u (%.2f× the work); "
               "about %.2f s/step\n"),
             bytes, estimate.tile_cols, estimate.tile_rows, estimate.work_ratio,
             estimate.seconds_per_step);
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
  g_autofree char *left = format_duration (p->seconds_left);
  int saved;

  if (p->scale > 0)   /* a coarse scale of a coarse-to-fine run: 1/2 or 1/4 of the size */
    g_print ("[1/%u] ", 1u << p->scale);
  if (p->params->tv_weight > 0)
    g_print (_("step %u/%u  loss %.6g (content %.6g, style %.6g, tv %.6g)  %.3f s/step  "
               "%s left\n"),
             p->step, p->total_steps, p->total_loss, p->content_loss, p->style_loss,
             p->tv_loss, p->seconds_per_step, left);
  else
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
  if (job->options->snapshot_dir != NULL && job->params->snapshot_every != 0)
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

static void
on_stop_signal (gpointer data,
                int      signo)
{
  request_stop (data, signo);
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
  ImpastoCliSignals signals;
  GThread *thread;

  job->cancellable = cancellable;
  impasto_cli_watch_signals (&signals, on_stop_signal, job);
  thread = g_thread_try_new ("impasto-run", run_thread, &exec, &exec.error);
  if (thread != NULL)
    {
      while (!g_atomic_int_get (&exec.done))
        g_main_loop_run (loop);
      g_thread_join (thread);
    }
  impasto_cli_unwatch_signals (&signals);
  job->cancellable = NULL;

  return exec.error;
}

static gboolean
prepare_files (const Options       *options,
               const ImpastoRecipe *recipe,
               const char          *model_path,
               GError             **error)
{
  ImpastoCliPaths paths = {
    recipe->content.path, recipe->styles[0].path, model_path, options->output_path,
    options->log_path, recipe->params->snapshot_every != 0 ? options->snapshot_dir : NULL,
    recipe->start.path,
  };

  return impasto_cli_prepare_files (&paths, error);
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
finish (ImpastoSession *session,
        ImpastoRun     *run,
        const Options  *options,
        Job            *job,
        GError         *run_error)
{
  g_autoptr(GError) error = NULL;

  if (!impasto_session_save_result (session, run, options->output_path, &error))
    {
      print_error (error->message);
      return IMPASTO_CLI_EXIT_FAILURE;
    }

  return report_end (run, options, job, run_error);
}

/* The inputs first, where a recipe may send us looking; then every file to be written
 * checked against them before the model, the slow part, is loaded. */
static int
run_job (const Options       *options,
         const ImpastoRecipe *recipe)
{
  g_autofree char *beside = options->recipe_path != NULL
                            ? g_path_get_dirname (options->recipe_path) : NULL;
  g_autoptr(ImpastoSession) session = impasto_session_new (recipe, beside);
  const ImpastoRecipe *resolved = impasto_session_get_recipe (session);
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) run_error = NULL;
  g_autofree char *model_path = NULL;
  Job job = { options, resolved->params, NULL, NULL, NULL, NULL, 0 };
  int status;

  if (!impasto_session_load_inputs (session, &error)
      || (model_path = impasto_model_find (options->model_path, &error)) == NULL
      || !prepare_files (options, resolved, model_path, &error)
      || !impasto_session_load_model (session, model_path, &error)
      || (run = impasto_session_create_run (session, &error)) == NULL)
    {
      print_error (error->message);
      return IMPASTO_CLI_EXIT_FAILURE;
    }

  if (options->log_path != NULL)
    {
      g_autofree char *text = impasto_session_dup_recipe_text (session, NULL, 0);

      job.log = impasto_cli_log_new (options->log_path, text);
    }
  print_plan (run);
  run_error = execute (run, &job);
  status = finish (session, run, options, &job, run_error);
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
  g_autoptr(ImpastoRecipe) base = NULL;
  g_autoptr(ImpastoRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* Before any file is opened. */
  impasto_cli_open_std_streams ();
  signal (SIGPIPE, SIG_IGN);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A value the engine refuses (noise 1.5, a width past its limit) is a wrong command line
   * too, and gets the same status as one the parser refuses. */
  if (!parse_options (&options, &argc, &argv, &error) || !split_styles (&options, &error)
      || !check_options (&options, &error))
    {
      print_error (error->message);
      options_clear (&options);
      return IMPASTO_CLI_EXIT_USAGE;
    }
  /* A recipe that cannot be used is a bad file, not a wrong command line. */
  if (will_paint (&options) && options.recipe_path != NULL
      && (base = impasto_recipe_load_file (options.recipe_path, &error)) == NULL)
    {
      print_error (error->message);
      options_clear (&options);
      return IMPASTO_CLI_EXIT_FAILURE;
    }
  if (will_paint (&options) && (recipe = make_recipe (&options, base, &error)) == NULL)
    {
      print_error (error->message);
      options_clear (&options);
      return IMPASTO_CLI_EXIT_USAGE;
    }

  status = 0;
  if (options.download_model)
    status = impasto_cli_download_model (options.model_url, options.model_path,
                                         options.model_md5);
  if (status == 0 && options.compact_model)
    status = impasto_cli_compact_model (options.model_path, options.remove_original);
  if (status == 0 && will_paint (&options))
    status = run_job (&options, recipe);
  options_clear (&options);

  return status;
}
