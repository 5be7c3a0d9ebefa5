/* impasto-run.h: one style-transfer optimisation, from parameters to snapshots
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "impasto-image.h"
#include "impasto-network.h"

G_BEGIN_DECLS

#define IMPASTO_RUN_ERROR (impasto_run_error_quark ())

typedef enum
{
  IMPASTO_RUN_ERROR_INVALID,    /* the parameters or images do not make a run */
  IMPASTO_RUN_ERROR_DIVERGED,   /* the loss became NaN or infinite */
  IMPASTO_RUN_ERROR_MEMORY,     /* the run would need more memory than there is */
  IMPASTO_RUN_ERROR_STALLED,    /* L-BFGS found no step at all from the starting image */
} ImpastoRunError;

#define IMPASTO_MAX_LOSS_LAYERS 16

typedef struct
{
  char  *name;
  double weight;
} ImpastoLossLayer;

typedef struct
{
  guint            n;
  ImpastoLossLayer items[IMPASTO_MAX_LOSS_LAYERS];
} ImpastoLayerList;

#define IMPASTO_MAX_THREADS 256

#define IMPASTO_MAX_STYLES 8

typedef enum
{
  IMPASTO_MEAN_SEED,       /* 128 in every channel, as the seed program does */
  IMPASTO_MEAN_IMAGENET,   /* 123.68, 116.779, 103.939: what VGG19 was trained with */
} ImpastoMean;

typedef enum
{
  IMPASTO_OPTIMIZER_ADAM,    /* the seed's: TensorFlow 1's Adam, one evaluation per step */
  IMPASTO_OPTIMIZER_LBFGS,   /* L-BFGS: far fewer steps to the same loss */
} ImpastoOptimizer;

typedef enum
{
  IMPASTO_PNG_DEPTH_8,    /* what gdk-pixbuf writes, and JPEG */
  IMPASTO_PNG_DEPTH_16,   /* for prints: the run's image has more shades than 8 bits */
} ImpastoPngDepth;

typedef enum
{
  IMPASTO_POOLING_MAX,   /* the seed's (and VGG's own) */
  IMPASTO_POOLING_AVG,   /* Gatys et al.'s choice: smoother strokes */
} ImpastoPooling;

/* What the optimisation starts from when the recipe names no image to start from. */
typedef enum
{
  IMPASTO_INIT_NOISE,     /* the seed's: the photo blended with noise, by `noise` */
  IMPASTO_INIT_CONTENT,   /* the photo itself */
  IMPASTO_INIT_RANDOM,    /* the seed's noise alone */
} ImpastoInit;

/* How each style layer's sum of squared Gram differences is scaled, before its weight. */
typedef enum
{
  IMPASTO_STYLE_NORM_SEED,       /* the seed's 1 / (4 N^2 M^2): N^2 / 4 times the next */
  IMPASTO_STYLE_NORM_CHANNELS,   /* the classic Torch tool's: the Grams divided by N M, the
                                  * mean square over their N^2 entries: 1 / (N^4 M^2) */
} ImpastoStyleNorm;

#define IMPASTO_MAX_SCALES 3

typedef enum
{
  IMPASTO_RESAMPLE_BOX,        /* each pixel the average of the area it covers (format 1's) */
  IMPASTO_RESAMPLE_TRIANGLE,   /* PIL's bilinear, as the seed's scipy.misc.imresize did */
} ImpastoResample;

typedef enum
{
  IMPASTO_ORIGINAL_COLOURS_NO,    /* the painting's colours, as the seed */
  IMPASTO_ORIGINAL_COLOURS_YES,   /* the photo's colours under the painting's brightness */
} ImpastoOriginalColours;

typedef enum
{
  IMPASTO_COLOUR_MATCH_NONE,        /* the painting's own colours, as the seed */
  IMPASTO_COLOUR_MATCH_HISTOGRAM,   /* each channel's histogram made the photo's */
  IMPASTO_COLOUR_MATCH_LINEAR,      /* the colours' mean and covariance made the photo's */
} ImpastoColourMatch;

/* A plain value: copy it freely, hand copies to other threads.
 *
 * With n_scales > 1 the run goes coarse to fine: it optimises the image at 1/2^(n_scales-1)
 * of the output size first, then upsamples the result as the start of the next scale, up to
 * the output size; the targets are recomputed at every scale. steps counts the steps of all
 * scales together; most of them go to the coarse scales, where they are cheap. With the
 * seed's weights the coarse scales drift towards the painting's layout: see the README.
 *
 * threads sizes the run's own worker pool; the run does all of its threading itself and sets
 * OpenBLAS (process-wide) to one thread, so that the two never compete for the cores. */
typedef struct
{
  guint            width;
  guint            height;
  double           alpha;           /* content weight */
  double           beta;            /* style weight */
  double           noise;           /* share of noise in the initial image, 0..1, for
                                     * IMPASTO_INIT_NOISE */
  guint            steps;
  double           learning_rate;   /* Adam's; for L-BFGS, the first step's largest change */
  guint            snapshot_every;  /* 0: only the final image */
  guint64          seed;
  ImpastoMean      mean;
  ImpastoLayerList content_layers;
  ImpastoLayerList style_layers;
  ImpastoOptimizer optimizer;       /* Adam: the seed's */
  guint            n_scales;        /* 1 (the seed) to IMPASTO_MAX_SCALES */
  guint            threads;         /* 0: one per processor */
  guint64          memory_limit;    /* bytes a run may take; 0: whatever is available */
  ImpastoPngDepth  png_depth;       /* of a PNG result; its snapshots have 8 bits */
  ImpastoResample  resample;        /* how the inputs are resized to the run's size */
  ImpastoOriginalColours original_colours;   /* applied to every image the run gives out */
  ImpastoColourMatch colour_match;  /* applied to the style image before the run */
  double           tv_weight;       /* total variation weight, on the 0..255 pixel scale */
  ImpastoPooling   pooling;
  ImpastoInit      init;
  ImpastoStyleNorm style_norm;
  double           style_scale;     /* 0: each style image stretched to the output's size, as
                                     * the seed; X > 0: its own proportions kept, X times the
                                     * side that gives it the output's area */
} ImpastoRunParams;

/* With several scales, step and total_steps count the steps of all scales together (the last
 * step of the run is still total_steps), scale says which one the losses were computed at,
 * and snapshots are always at the output size (coarse images upsampled). */
typedef struct
{
  guint               step;          /* updates applied so far; 0 is the initial image */
  guint               total_steps;
  guint               scale;         /* 0: the output size; 1: half of it; 2: a quarter */
  guint64             evaluations;   /* of the loss and gradient so far (L-BFGS: about one
                                      * per step, sometimes more) */
  double              total_loss;    /* alpha * content_loss + beta * style_loss
                                      * + tv_weight * tv_loss */
  double              content_loss;
  double              style_loss;
  double              tv_loss;       /* the image's total variation, weighted or not */
  double              seconds_per_step;  /* mean over the steps since the previous report */
  double              seconds_left;  /* the steps still to make at the recent steps' rate,
                                      * each finer scale's 4 times as long (4 times the
                                      * pixels) */
  double              elapsed;       /* seconds since the optimisation started */
  const ImpastoImage *snapshot;      /* set every snapshot_every steps and at the end */
  const ImpastoRunParams *params;    /* in force at this step, steering included */
} ImpastoProgress;

/* Called on the run's thread after every step; snapshot and progress are only valid during
 * the call. */
typedef void (*ImpastoProgressFunc) (const ImpastoProgress *progress,
                                     gpointer               user_data);

typedef struct _ImpastoRun ImpastoRun;

/* A change of a steerable parameter (see impasto-params.h) during a run: from the loss of the
 * image after `step` updates on, name has value. */
typedef struct
{
  guint       step;
  const char *name;    /* the table's, never freed */
  double      value;
} ImpastoSteer;

GQuark            impasto_run_error_quark       (void);

ImpastoRunParams *impasto_run_params_new        (void);
ImpastoRunParams *impasto_run_params_copy       (const ImpastoRunParams *params);
void              impasto_run_params_free       (ImpastoRunParams       *params);
void              impasto_layer_list_add        (ImpastoLayerList       *list,
                                                 const char             *name,
                                                 double                  weight);
void              impasto_layer_list_clear      (ImpastoLayerList       *list);
gboolean          impasto_run_params_validate   (const ImpastoRunParams *params,
                                                 GError                **error);
/* NULL-terminated names of every layer a loss uses; free with g_strfreev(). */
char            **impasto_run_params_get_loss_layers (const ImpastoRunParams *params);
/* The index in network of the deepest layer a loss of params uses: the run computes the
 * layers up to it. -1 with error set when network lacks one or it is no convolution. */
int               impasto_run_params_find_deepest_layer (const ImpastoRunParams *params,
                                                         const ImpastoNetwork   *network,
                                                         GError                **error);
void              impasto_run_params_get_mean   (const ImpastoRunParams *params,
                                                 float                   mean[3]);
/* The size a style image of image_width x image_height is given for a run of params (at the
 * output size; the coarser scales halve it as they halve the output), or FALSE with error
 * set when that size is too small or too large to use. */
gboolean          impasto_run_params_get_style_size (const ImpastoRunParams *params,
                                                     guint                   image_width,
                                                     guint                   image_height,
                                                     guint                  *width,
                                                     guint                  *height,
                                                     GError                **error);
/* Whether a style image of width x height can serve a run of params. */
gboolean          impasto_run_params_check_style_size (const ImpastoRunParams *params,
                                                       guint                   width,
                                                       guint                   height,
                                                       GError                **error);

ImpastoRun       *impasto_run_new               (ImpastoNetwork         *network,
                                                 const ImpastoRunParams *params,
                                                 const ImpastoImage     *content,
                                                 const ImpastoImage     *style,
                                                 GError                **error);
/* Several style images, each with a weight (finite, >= 0, not all 0): the style target of
 * each style layer is the weighted blend of the images' Gram matrices, as the classic
 * neural-style's -style_blend_weights does. At most IMPASTO_MAX_STYLES images. */
ImpastoRun       *impasto_run_new_blend         (ImpastoNetwork         *network,
                                                 const ImpastoRunParams *params,
                                                 const ImpastoImage     *content,
                                                 const ImpastoImage *const *styles,
                                                 const double           *weights,
                                                 guint                   n_styles,
                                                 GError                **error);
void              impasto_run_free              (ImpastoRun             *run);
/* Runs every step on the calling thread. Returns FALSE with G_IO_ERROR_CANCELLED within one
 * step of cancellation, or with an IMPASTO_RUN_ERROR; the image reached so far stays
 * available either way. */
gboolean          impasto_run_execute           (ImpastoRun             *run,
                                                 ImpastoProgressFunc     func,
                                                 gpointer                user_data,
                                                 GCancellable           *cancellable,
                                                 GError                **error);
/* Continue: a run that finished or was stopped can be executed again, with steps more on
 * the output size; the optimiser goes on from where it was. Not during execute(). */
void              impasto_run_add_steps         (ImpastoRun             *run,
                                                 guint                   steps);
/* Or: the run ends `steps` after where it is now (stopped at a coarse scale, it makes that
 * many more at the output size than it would have). */
void              impasto_run_continue_for      (ImpastoRun             *run,
                                                 guint                   steps);
/* The image the optimisation starts from instead of the noisy photo, resized to the first
 * scale; before the first execute() only. */
void              impasto_run_set_start_image   (ImpastoRun             *run,
                                                 const ImpastoImage     *image);
/* From any thread, at any time: name = value from the loss of the image after `step` updates
 * on; a step already passed means the next step. Adam keeps its moments; L-BFGS forgets its
 * history, which the old objective made. FALSE for a parameter that cannot be steered or a
 * value out of its range. */
gboolean          impasto_run_steer             (ImpastoRun             *run,
                                                 guint                   step,
                                                 const char             *name,
                                                 double                  value,
                                                 GError                **error);
/* From any thread: a paused run waits before its next step without using the processor;
 * cancelling it still ends it at once. */
void              impasto_run_set_paused        (ImpastoRun             *run,
                                                 gboolean                paused);
/* From any thread: whether the worker, paused, has stopped between two steps (the step it
 * was in when paused has ended). */
gboolean          impasto_run_is_holding        (ImpastoRun             *run);
/* The changes made so far, at the steps they took effect: ImpastoSteer values. */
GArray           *impasto_run_dup_steering_log  (ImpastoRun             *run);
/* Parameters in force now, steering included. */
ImpastoRunParams *impasto_run_dup_params        (ImpastoRun             *run);
/* The current (or last good) image, mean added back, clipped to 0..255. */
ImpastoImage     *impasto_run_dup_image         (ImpastoRun             *run);
/* The same at 16 bits a channel (0..65535 for 0..255, rounded), interleaved RGB of
 * width x height, for prints: the optimised image has more than 8 bits' worth of shades. */
guint16          *impasto_run_dup_pixels16      (ImpastoRun             *run,
                                                 guint                  *width,
                                                 guint                  *height);
guint             impasto_run_get_step          (ImpastoRun             *run);

/* Loss and gradient with respect to the image (planar, mean subtracted, 3 x h x w floats),
 * for tests and benchmarks. grad may be NULL. */
double            impasto_run_evaluate          (ImpastoRun             *run,
                                                 const float            *image,
                                                 float                  *grad,
                                                 double                 *content_loss,
                                                 double                 *style_loss);
float            *impasto_run_get_pixels        (ImpastoRun             *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoRunParams, impasto_run_params_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoRun, impasto_run_free)

G_END_DECLS
