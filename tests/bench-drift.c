/* bench-drift.c: how far the finer scales of a coarse-to-fine run move from the coarse picture
 *
 * The user watches the coarsest scale's picture form, then the same picture grow to the output
 * size. This runs one coarse-to-fine run and, for every coarse scale, downsamples the final
 * picture to that scale's size (each pixel the mean of the area it covers) and compares it
 * with the scale's own result: the mean absolute difference of each channel, on 0..255. Both
 * pictures are written to the output folder, and side by side in one.
 *
 *   bench-drift --model FILE --content FILE --style FILE [--width 900 --height 600]
 *               [--scales 3] [--preset balanced] [--steps N] [--set NAME=VALUE ...] [--out DIR]
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "impasto-image-io.h"
#include "impasto-params.h"
#include "impasto-preset.h"
#include "impasto-resample.h"
#include "impasto-run-private.h"
#include "impasto-resize.h"
#include "impasto-session.h"

typedef struct
{
  ImpastoImage *at_scale[IMPASTO_MAX_SCALES];   /* each coarse scale's own result */
  gint64        start;
} Drift;

static void
on_scale (const ImpastoImage *image,
          guint               scale,
          gpointer            user_data)
{
  Drift *drift = user_data;

  g_assert (scale < IMPASTO_MAX_SCALES);
  drift->at_scale[scale] = impasto_image_copy (image);
  g_print ("scale %u (%ux%u) done after %.1f s\n", scale, image->width, image->height,
           (g_get_monotonic_time () - drift->start) / (double) G_USEC_PER_SEC);
}

static void
on_progress (const ImpastoProgress *progress,
             gpointer               user_data)
{
  if (progress->step == progress->total_steps && progress->snapshot != NULL)
    g_print ("step %u/%u at scale %u: loss %.6g (content %.6g, style %.6g)\n",
             progress->step, progress->total_steps, progress->scale, progress->total_loss,
             progress->content_loss, progress->style_loss);
}

static ImpastoImage *
side_by_side (const ImpastoImage *left,
              const ImpastoImage *right)
{
  ImpastoImage *both = impasto_image_new (left->width + right->width,
                                          MAX (left->height, right->height));

  memset (both->pixels, 255, (gsize) 3 * both->width * both->height);
  for (guint y = 0; y < left->height; y++)
    memcpy (both->pixels + (gsize) 3 * y * both->width,
            left->pixels + (gsize) 3 * y * left->width, (gsize) 3 * left->width);
  for (guint y = 0; y < right->height; y++)
    memcpy (both->pixels + (gsize) 3 * (y * both->width + left->width),
            right->pixels + (gsize) 3 * y * right->width, (gsize) 3 * right->width);
  return both;
}

static gboolean
save (const ImpastoImage *image,
      const char         *dir,
      const char         *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (impasto_image_save (image, path, &error))
    return TRUE;

  g_printerr ("%s\n", error->message);
  return FALSE;
}

/* The per-channel mean absolute difference of two images of one size. */
static void
mean_abs_diff (const ImpastoImage *a,
               const ImpastoImage *b,
               double              diff[3])
{
  gsize hw = (gsize) a->width * a->height;

  g_assert (a->width == b->width && a->height == b->height);
  diff[0] = diff[1] = diff[2] = 0;
  for (gsize i = 0; i < hw; i++)
    for (guint c = 0; c < 3; c++)
      diff[c] += fabs ((double) a->pixels[3 * i + c] - b->pixels[3 * i + c]);
  for (guint c = 0; c < 3; c++)
    diff[c] /= hw;
}

static void
print_diff (const char         *what,
            const ImpastoImage *a,
            const ImpastoImage *b)
{
  double diff[3];

  mean_abs_diff (a, b, diff);
  g_print ("%s: mean absolute difference R %.2f G %.2f B %.2f, mean %.2f (of 255)\n", what,
           diff[0], diff[1], diff[2], (diff[0] + diff[1] + diff[2]) / 3);
}

/* What the run's upsampling (bilinear) and this shrinking (box) alone take from a picture:
 * the least drift there can be. */
static ImpastoImage *
round_trip (const ImpastoImage *coarse,
            guint               width,
            guint               height)
{
  gsize n = (gsize) coarse->width * coarse->height, big_n = (gsize) width * height;
  g_autofree float *planes = g_new (float, 3 * n);
  g_autofree float *big = g_new (float, 3 * big_n);
  g_autoptr(ImpastoImage) large = impasto_image_new (width, height);

  for (gsize i = 0; i < n; i++)
    for (guint c = 0; c < 3; c++)
      planes[c * n + i] = coarse->pixels[3 * i + c];
  impasto_planes_resize (planes, 3, coarse->height, coarse->width, big, height, width);
  for (gsize i = 0; i < big_n; i++)
    for (guint c = 0; c < 3; c++)
      large->pixels[3 * i + c] = (guint8) CLAMP (lrintf (big[c * big_n + i]), 0, 255);
  return impasto_image_scale_down (large, coarse->width, coarse->height);
}

/* Beside the drift, what it is to be measured against: how far the scale itself took the
 * photo, and the resampling's own loss. */
static gboolean
report_scale (const ImpastoImage *final,
              const ImpastoImage *coarse,
              const ImpastoImage *photo,
              guint               scale,
              const char         *dir)
{
  g_autoptr(ImpastoImage) down = impasto_image_scale_down (final, coarse->width, coarse->height);
  g_autoptr(ImpastoImage) photo_down = impasto_image_scale_down (photo, coarse->width,
                                                                 coarse->height);
  g_autoptr(ImpastoImage) trip = round_trip (coarse, final->width, final->height);
  g_autoptr(ImpastoImage) both = side_by_side (coarse, down);
  g_autofree char *own = g_strdup_printf ("scale%u-own.png", scale);
  g_autofree char *shrunk = g_strdup_printf ("scale%u-final-downsampled.png", scale);
  g_autofree char *pair = g_strdup_printf ("scale%u-pair.png", scale);
  g_autofree char *what = g_strdup_printf ("drift at scale %u (%ux%u)", scale, coarse->width,
                                           coarse->height);

  print_diff (what, coarse, down);
  print_diff ("  its result against the photo", coarse, photo_down);
  print_diff ("  its result upsampled and shrunk again", coarse, trip);
  return save (coarse, dir, own) && save (down, dir, shrunk) && save (both, dir, pair);
}

static ImpastoRecipe *
make_recipe (const char  *content,
             const char  *style,
             const char  *preset_name,
             int          width,
             int          height,
             int          scales,
             int          steps,
             char       **sets,
             GError     **error)
{
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_new ();
  ImpastoPreset preset;

  if (!impasto_preset_from_name (preset_name, &preset))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "No preset “%s”: draft, balanced or seed-exact", preset_name);
      return NULL;
    }
  impasto_preset_apply (preset, recipe->params);
  recipe->params->width = width;
  recipe->params->height = height;
  recipe->params->n_scales = scales;
  if (steps > 0)
    recipe->params->steps = steps;
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (sets[i], "=", 2);
      const ImpastoParamSpec *spec = impasto_params_find (pair[0]);

      if (spec == NULL || pair[1] == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--set %s: give NAME=VALUE, NAME one of impasto-cli's options",
                       sets[i]);
          return NULL;
        }
      if (!impasto_param_parse (recipe->params, spec, pair[1], error))
        return NULL;
    }
  impasto_recipe_set_input (&recipe->content, content, NULL);
  impasto_recipe_set_input (&recipe->styles[0], style, NULL);
  return impasto_run_params_validate (recipe->params, error) ? g_steal_pointer (&recipe) : NULL;
}

static gboolean
bench (const ImpastoRecipe *recipe,
       const char          *model,
       const char          *dir,
       GError             **error)
{
  g_autoptr(ImpastoSession) session = impasto_session_new (recipe, NULL);
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(ImpastoImage) final = NULL;
  g_autoptr(ImpastoImage) original = NULL;
  g_autoptr(ImpastoImage) photo = NULL;
  Drift drift = { { NULL } };
  gboolean ok = TRUE;

  if (!impasto_session_load_inputs (session, error)
      || !impasto_session_load_model (session, model, error)
      || (run = impasto_session_create_run (session, error)) == NULL)
    return FALSE;

  impasto_run_set_scale_func (run, on_scale, &drift);
  drift.start = g_get_monotonic_time ();
  if (!impasto_run_execute (run, on_progress, NULL, NULL, error))
    return FALSE;

  final = impasto_run_dup_image (run);
  g_print ("output (%ux%u) done after %.1f s\n", final->width, final->height,
           (g_get_monotonic_time () - drift.start) / (double) G_USEC_PER_SEC);
  /* The photo as the run had it, at the output size. */
  if ((original = impasto_image_load (recipe->content.path, error)) == NULL)
    return FALSE;
  photo = impasto_image_resize_with (original, final->width, final->height,
                                     recipe->params->resample);
  ok = save (final, dir, "final.png");
  for (guint s = IMPASTO_MAX_SCALES; s-- > 1;)
    if (drift.at_scale[s] != NULL)
      {
        ok = ok && report_scale (final, drift.at_scale[s], photo, s, dir);
        impasto_image_free (drift.at_scale[s]);
      }
  return ok;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *model = NULL, *content = NULL, *style = NULL, *dir = NULL, *preset = NULL;
  g_auto(GStrv) sets = NULL;
  int width = 900, height = 600, scales = 3, steps = 0;
  GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model, "The VGG19 model", "FILE" },
    { "content", 0, 0, G_OPTION_ARG_FILENAME, &content, "The photo", "FILE" },
    { "style", 0, 0, G_OPTION_ARG_FILENAME, &style, "The painting", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Output width (900)", "N" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Output height (600)", "N" },
    { "scales", 0, 0, G_OPTION_ARG_INT, &scales, "Scales, 2 or 3 (3)", "N" },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "The preset (balanced)", "NAME" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, "Steps of all scales (the preset's)", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Any other parameter", "NAME=VALUE" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Folder for the pictures (.)", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- coarse-to-fine drift");
  g_autoptr(ImpastoRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (model == NULL || content == NULL || style == NULL || width < 1 || height < 1
      || scales < 2 || scales > IMPASTO_MAX_SCALES)
    {
      g_printerr ("Give --model, --content and --style, a size of at least 1x1 and 2 or 3 "
                  "scales\n");
      return 2;
    }
  if (dir == NULL)
    dir = g_strdup (".");
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_printerr ("Cannot make the folder %s\n", dir);
      return 1;
    }

  recipe = make_recipe (content, style, preset != NULL ? preset : "balanced", width, height,
                        scales, steps, sets, &error);
  if (recipe == NULL || !bench (recipe, model, dir, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
