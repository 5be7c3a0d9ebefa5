/* impasto-window-private.h: the window's state, shared by its source files
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "impasto-compare-view.h"
#include "impasto-loss-plot.h"
#include "impasto-model-download.h"
#include "impasto-network.h"
#include "impasto-params.h"
#include "impasto-preview-paintable.h"
#include "impasto-snapshot.h"
#include "impasto-style-list.h"
#include "impasto-transfer-rate.h"
#include "impasto-window.h"

G_BEGIN_DECLS

/* What waits for the save-before question's answer. */
typedef enum
{
  IMPASTO_AFTER_NOTHING,
  IMPASTO_AFTER_CLOSE,
  IMPASTO_AFTER_START,
  IMPASTO_AFTER_NEW_IMAGE,
  IMPASTO_AFTER_START_FROM_PICTURE,
  IMPASTO_AFTER_CONTINUE_FROM_SNAPSHOT,
} ImpastoAfter;

typedef struct _ImpastoResetUndo ImpastoResetUndo;

/* The output sizes the window offers, in the order of its list (impasto-window-size.c). */
typedef enum
{
  IMPASTO_OUTPUT_SIZE_PREVIEW,   /* 450 px on the long side */
  IMPASTO_OUTPUT_SIZE_FULL_HD,   /* 1920 */
  IMPASTO_OUTPUT_SIZE_4K,        /* 3840 */
  IMPASTO_OUTPUT_SIZE_PHOTO,     /* the content image's own size */
  IMPASTO_OUTPUT_SIZE_CUSTOM,    /* whatever the width and height say */
} ImpastoOutputSize;

struct _ImpastoWindow
{
  GtkApplicationWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  GtkStack             *stack;
  GtkButton            *start_button;
  GtkButton            *pause_button;
  GtkWidget            *continue_button;
  GtkLinkButton        *model_link;
  GtkLabel             *model_path_label;
  GtkLabel             *model_error_label;
  GtkButton            *download_button;
  GtkWidget            *cancel_download_button;
  GtkWidget            *compact_button;
  GtkWidget            *choose_model_button;
  GtkWidget            *download_box;
  GtkProgressBar       *download_bar;
  GtkLabel             *download_label;
  GtkWidget            *compact_box;
  GtkLabel             *compact_label;
  ImpastoImagePicker   *content_picker;
  ImpastoStyleList     *style_list;
  GtkDropDown          *preset_dropdown;
  GtkCheckButton       *keep_aspect_check;
  GtkWidget            *height_spin;
  GtkDropDown          *size_dropdown;
  GtkLabel             *memory_label;
  GtkPicture           *preview;
  ImpastoCompareView   *compare_view;
  GtkWidget            *compare_button;
  GtkWidget            *live_button;
  GtkLabel             *shown_label;
  GtkMenuButton        *snapshot_menu_button;
  GtkWidget            *snapshot_scroller;
  GtkListView          *snapshot_strip;
  GtkWidget            *preview_placeholder;
  GtkWidget            *progress_box;
  GtkLabel             *step_label;
  GtkLabel             *time_label;
  GtkProgressBar       *progress_bar;
  GtkLabel             *loss_label;
  ImpastoLossPlot      *loss_plot;
  GtkLabel             *status_label;

  /* The model, loaded once and shared by every run */
  char                 *model_path;
  ImpastoNetwork       *network;
  GCancellable         *model_cancellable;
  gboolean              remember_model;
  char                 *model_note;   /* shown in the status line once the model has loaded */

  /* The model page's download, then the offer of a compact copy (impasto-window-model.c) */
  ImpastoModelDownload *download;
  GCancellable         *download_cancellable;
  ImpastoTransferRate  *download_rate;
  gint64                download_shown;
  char                 *download_md5[2];
  ImpastoModelExpected  download_expected;
  char                 *downloaded_path;
  GCancellable         *compact_cancellable;

  /* What the preview shows: the content image, then the run's snapshots */
  ImpastoPreviewPaintable *preview_paintable;

  /* The strip of the job's snapshots (impasto-window-snapshots.c) */
  GtkSingleSelection   *snapshot_selection;
  ImpastoSnapshot      *shown_snapshot;    /* an older one the preview shows; NULL: live */
  ImpastoSnapshot      *save_snapshot;     /* the save dialog's; NULL: the latest painting */
  ImpastoSnapshot      *start_snapshot;    /* Continue from Here's, while it is being saved */

  /* The current or last run; NULL before the first and after the inputs change */
  ImpastoJob           *job;
  guint                 n_plotted;
  /* The job's news reach the widgets once per frame, however often it sends them */
  guint                 update_tick_id;

  GtkFileChooserNative *save_chooser;
  ImpastoAfter          after_save;        /* for the save the question's Save asked for */
  GtkWindow            *question;          /* the save-before question, while it is asked */
  ImpastoAfter          after_question;
  gboolean              painting_discarded;
  gboolean              status_is_painting_news;
  GtkFileChooserNative *model_chooser;

  /* The parameters the window has no control for, from a recipe opened; and the preset it
   * chose then, with which its optimiser and scales hold. NULL: the defaults. */
  ImpastoRunParams     *base_params;

  /* Reset to Defaults' way back, while the notice offers it (impasto-window-reset.c) */
  GtkRevealer          *reset_revealer;
  ImpastoResetUndo     *reset_undo;
  guint                 reset_timeout_id;

  /* The Advanced section's rows, one widget per parameter (impasto-window-advanced.c) */
  GtkBox               *controls_box;
  GtkExpander          *advanced_expander;
  GtkWidget            *advanced_reset;
  GPtrArray            *advanced_rows;
  char                 *advanced_error;    /* the first row that holds no value, or NULL */
  gboolean              advanced_loading;
  guint                 advanced_running : 1;   /* the rows as they are while a run paints */
  gboolean              size_applying;     /* the size list sets the width and height */
  gboolean              memory_updating;
  guint                 can_start : 1;
  guint                 shows_running : 1;
};

void impasto_window_class_actions_init (ImpastoWindowClass *klass);
/* The adjustment of the run parameter of that name in the engine's table (see
 * impasto-params.h), "<name>_adjustment" in the template. */
GtkAdjustment *impasto_window_get_param_adjustment (ImpastoWindow *self,
                                                    const char    *name);
void impasto_window_update_actions      (ImpastoWindow      *self);
/* Every parameter as the controls have them, for a run. */
ImpastoRunParams *impasto_window_dup_params (ImpastoWindow   *self);
void impasto_window_start              (ImpastoWindow      *self);
void impasto_window_start_from_picture (ImpastoWindow      *self);
/* A new run from the controls; from the picture in start_path when it is set. */
void impasto_window_run                (ImpastoWindow      *self,
                                        const char         *start_path,
                                        const char         *start_sha256);
void impasto_window_toggle_pause       (ImpastoWindow      *self);
void impasto_window_continue           (ImpastoWindow      *self);
void impasto_window_stop               (ImpastoWindow      *self);
void impasto_window_choose_model       (ImpastoWindow      *self);
void impasto_window_choose_save_file   (ImpastoWindow      *self);
void impasto_window_choose_save_file_then (ImpastoWindow   *self,
                                        ImpastoAfter        after);
void impasto_window_drop_painting      (ImpastoWindow      *self);
void impasto_window_save_to_file       (ImpastoWindow      *self,
                                        GFile              *file);
void impasto_window_show_status        (ImpastoWindow      *self,
                                        const char         *message,
                                        gboolean            is_error);
/* impasto-window-advanced.c */
gboolean impasto_window_param_is_advanced (const ImpastoParamSpec *spec);
void     impasto_window_init_advanced     (ImpastoWindow          *self);
gboolean impasto_window_read_advanced     (ImpastoWindow          *self,
                                           ImpastoRunParams       *params,
                                           GError                **error);
/* params NULL: the defaults, with the chosen preset's schedule. */
void     impasto_window_write_advanced    (ImpastoWindow          *self,
                                           const ImpastoRunParams *params);
/* Only the rows of what a preset chooses. */
void     impasto_window_write_advanced_schedule (ImpastoWindow          *self,
                                                 const ImpastoRunParams *params);
void     impasto_window_advanced_changed  (ImpastoWindow          *self);
void     impasto_window_set_advanced_running (ImpastoWindow       *self,
                                              gboolean             running);
char *impasto_break_path_at_slashes    (const char        *path);
void impasto_window_show_painting_status (ImpastoWindow     *self,
                                          const char        *message,
                                          gboolean           is_error);

void impasto_window_load_model        (ImpastoWindow      *self,
                                        const char         *path,
                                        gboolean            remember);
void impasto_window_show_model_error   (ImpastoWindow      *self,
                                        const char         *message);

/* impasto-window-size.c */
void     impasto_window_init_size         (ImpastoWindow          *self);
void     impasto_window_apply_size_choice (ImpastoWindow          *self);
void     impasto_window_update_memory     (ImpastoWindow          *self);
gboolean impasto_window_get_choice_size   (ImpastoWindow          *self,
                                           guint                   choice,
                                           guint                  *width,
                                           guint                  *height);

/* impasto-window-model.c */
void impasto_window_class_model_init   (ImpastoWindowClass *klass);
void impasto_window_init_model_page    (ImpastoWindow      *self);
void impasto_window_dispose_model_page (ImpastoWindow      *self);
void impasto_window_update_download_button (ImpastoWindow  *self);
void impasto_window_focus_model_page   (ImpastoWindow      *self);
void impasto_window_download_model     (ImpastoWindow      *self);
void impasto_window_cancel_download    (ImpastoWindow      *self);
void impasto_window_compact_model      (ImpastoWindow      *self);
void impasto_window_keep_full_model    (ImpastoWindow      *self);

void impasto_window_set_base_params    (ImpastoWindow      *self,
                                        const ImpastoRunParams *params);

/* impasto-window-unsaved.c */
void      impasto_window_class_unsaved_init (ImpastoWindowClass *klass);
gboolean  impasto_window_may_drop_painting  (ImpastoWindow      *self,
                                             ImpastoAfter        after);
void      impasto_window_carry_out          (ImpastoWindow      *self,
                                             ImpastoAfter        after);
GtkWindow *impasto_window_get_question      (ImpastoWindow      *self);

/* impasto-window-reset.c */
void impasto_window_class_reset_init   (ImpastoWindowClass *klass);
void impasto_window_init_reset         (ImpastoWindow      *self);
void impasto_window_dispose_reset      (ImpastoWindow      *self);
void impasto_window_reset_defaults     (ImpastoWindow      *self);
void impasto_window_undo_reset         (ImpastoWindow      *self);
void impasto_window_forget_reset       (ImpastoWindow      *self);
void impasto_window_styles_changed     (ImpastoWindow      *self);

/* impasto-window-recipe.c */
void impasto_window_open_recipe        (ImpastoWindow      *self,
                                        GFile              *file,
                                        const char         *text);

/* impasto-window-snapshots.c */
void impasto_window_class_snapshots_init   (ImpastoWindowClass *klass);
void impasto_window_init_snapshots         (ImpastoWindow      *self);
void impasto_window_dispose_snapshots      (ImpastoWindow      *self);
void impasto_window_show_job_snapshots     (ImpastoWindow      *self);
void impasto_window_update_snapshot_actions (ImpastoWindow     *self);
ImpastoSnapshot *impasto_window_get_target_snapshot (ImpastoWindow *self);
void impasto_window_show_snapshot          (ImpastoWindow      *self,
                                            guint               position);
void impasto_window_show_live              (ImpastoWindow      *self);
void impasto_window_choose_snapshot_file   (ImpastoWindow      *self,
                                            ImpastoSnapshot    *snapshot,
                                            ImpastoAfter        after);
void impasto_window_continue_from_snapshot (ImpastoWindow      *self);
/* As impasto_window_save_async(), of that snapshot (NULL: the latest). */
void impasto_window_save_snapshot_async    (ImpastoWindow       *self,
                                            ImpastoSnapshot     *snapshot,
                                            GFile               *file,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);

/* impasto-window-progress.c */
void impasto_window_set_preview        (ImpastoWindow      *self,
                                        GdkTexture         *texture);
void impasto_window_queue_update       (ImpastoWindow      *self);
void impasto_window_cancel_update      (ImpastoWindow      *self);
void impasto_window_show_job_state     (ImpastoWindow      *self);
void impasto_window_update_compare     (ImpastoWindow      *self);
void impasto_window_show_run_views     (ImpastoWindow      *self);

G_END_DECLS
