/* fuzz-model.c: any bytes through the model loader, then a one-step run on what it accepts
 *
 * matio reads from a path, so the bytes go to an in-memory file that it opens through /proc.
 * A network the loader accepts must be one the run can use without tripping over it, so a
 * small run of one step follows on every success.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define _GNU_SOURCE 1   /* memfd_create() */

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-target.h"
#include "impasto-run.h"

#define SIDE 9   /* odd, so that every pooling rounds up */

static int fd = -1;
static char *path;
static ImpastoRunParams *params;
static char **layers;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_target_init_logging (NULL);

  fd = memfd_create ("impasto-fuzz-model", MFD_CLOEXEC);
  if (fd < 0)
    g_error ("memfd_create: %s", g_strerror (errno));
  path = g_strdup_printf ("/proc/self/fd/%d", fd);

  params = impasto_run_params_new ();
  params->width = SIDE;
  params->height = SIDE;
  params->steps = 1;
  params->snapshot_every = 0;
  params->threads = 1;   /* no worker threads to start and stop for every input */
  layers = impasto_run_params_get_loss_layers (params);

  return 0;
}

static void
write_input (const uint8_t *data,
             size_t         size)
{
  if (ftruncate (fd, 0) != 0)
    abort ();
  for (size_t done = 0; done < size;)
    {
      ssize_t n = pwrite (fd, data + done, size - done, done);

      if (n <= 0)
        abort ();
      done += n;
    }
}

/* A refusal must be one of ours, with a message to show. */
static void
check_error (const GError *error,
             GQuark        domain)
{
  if (error == NULL || error->domain != domain || error->message[0] == '\0'
      || !g_utf8_validate (error->message, -1, NULL))
    abort ();
}

static void
check_floats (const float *values,
              gsize        n)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (values[i]))
      abort ();
}

/* What the run relies on: a chain of channels from 3, finite weights, every loss layer. */
static void
check_network (const ImpastoNetwork *network)
{
  guint channels = 3;

  for (guint i = 0; i < impasto_network_get_n_layers (network); i++)
    {
      const ImpastoLayer *layer = impasto_network_get_layer (network, i);

      if (layer->name == NULL || layer->in_channels != channels || layer->out_channels == 0
          || (layer->kind == IMPASTO_LAYER_POOL && layer->out_channels != channels))
        abort ();
      if (layer->kind == IMPASTO_LAYER_CONV)
        {
          check_floats (layer->weights, (gsize) 9 * layer->in_channels * layer->out_channels);
          check_floats (layer->bias, layer->out_channels);
        }
      channels = layer->out_channels;
    }
  for (guint i = 0; layers[i] != NULL; i++)
    if (impasto_network_find_layer (network, layers[i]) < 0)
      abort ();
}

/* The run may still refuse (a loss on a pooling layer, more memory than there is), but only
 * with an error of its own; it may diverge on absurd weights, which it reports. */
static void
run_one_step (ImpastoNetwork *network)
{
  g_autoptr(ImpastoImage) content = impasto_image_new (SIDE, SIDE);
  g_autoptr(ImpastoImage) style = impasto_image_new (SIDE, SIDE);
  g_autoptr(ImpastoRun) run = NULL;
  g_autoptr(ImpastoImage) result = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < impasto_image_get_n_bytes (content); i++)
    {
      content->pixels[i] = (guint8) (i * 7);
      style->pixels[i] = (guint8) (i * 13);
    }

  run = impasto_run_new (network, params, content, style, &error);
  if (run == NULL)
    {
      check_error (error, IMPASTO_RUN_ERROR);
      return;
    }
  if (!impasto_run_execute (run, NULL, NULL, NULL, &error))
    check_error (error, IMPASTO_RUN_ERROR);
  result = impasto_run_dup_image (run);
  if (result->width != SIDE || result->height != SIDE)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(ImpastoNetwork) network = NULL;
  g_autoptr(GError) error = NULL;

  write_input (data, size);
  network = impasto_network_load (path, (const char * const *) layers, &error);
  if (network == NULL)
    {
      check_error (error, IMPASTO_NETWORK_ERROR);
      return 0;
    }
  if (error != NULL)
    abort ();

  check_network (network);
  run_one_step (network);
  return 0;
}
