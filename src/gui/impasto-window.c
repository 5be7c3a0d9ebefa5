/* impasto-window.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "impasto-color.h"
#include "impasto-file-dialog.h"
#include "impasto-log-scale.h"
#include "impasto-model-path.h"
#include "impasto-network-loader.h"
#include "impasto-params.h"
#include "impasto-preset.h"
#include "impasto-run.h"
#include "impasto-window-private.h"

G_DEFINE_FINAL_TYPE (ImpastoWindow, impasto_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CAN_START,
  PROP_MODEL_LOADED,
  PROP_JOB,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
impasto_window_show_status (ImpastoWindow *self,
                            const char    *message,
                            gboolean       is_error)
{
  gtk_label_set_label (self->status_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
  self->status_is_painting_news = FALSE;

  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/* News of the painting on show (it is done, stopped, saved): cleared when it goes. */
void
impasto_window_show_painting_status (ImpastoWindow *self,
                                     const char    *message,
                                     gboolean       is_error)
{
  impasto_window_show_status (self, message, is_error);
  self->status_is_painting_news = message != NULL;
}

static gboolean
impasto_window_is_running (ImpastoWindow *self)
{
  return self->job != NULL && impasto_job_get_state (self->job) == IMPASTO_JOB_RUNNING;
}

static void
describe_missing_styles (ImpastoWindow *self,
                         GString       *text)
{
  guint n = impasto_style_list_get_n_styles (self->style_list);
  double sum = 0;

  for (guint i = 0; i < n; i++)
    {
      ImpastoImagePicker *picker = impasto_style_list_get_picker (self->style_list, i);
      const char *title = impasto_image_picker_get_title (picker);
      g_autofree char *line = NULL;

      sum += impasto_style_list_get_weight (self->style_list, i);
      if (impasto_image_picker_get_loading (picker))
        /* Translators: %s is a picker's title, "Style Image 2". */
        line = n == 1 ? g_strdup (_("the style image, which is still loading"))
                      : g_strdup_printf (_("%s, which is still loading"), title);
      else if (impasto_image_picker_get_image (picker) == NULL)
        /* Translators: %s is a picker's title, "Style Image 2". */
        line = n == 1 ? g_strdup (_("a style image"))
                      : g_strdup_printf (_("an image for %s"), title);
      if (line != NULL)
        g_string_append_printf (text, "\n• %s", line);
    }
  if (n > 1 && !(sum > 0))
    g_string_append_printf (text, "\n• %s", _("a style image with a weight above 0"));
}

/* Every style image there, none loading, and a blend of them. */
static gboolean
impasto_window_styles_ready (ImpastoWindow *self)
{
  guint n = impasto_style_list_get_n_styles (self->style_list);
  double sum = 0;

  for (guint i = 0; i < n; i++)
    {
      ImpastoImagePicker *picker = impasto_style_list_get_picker (self->style_list, i);

      if (impasto_image_picker_get_image (picker) == NULL
          || impasto_image_picker_get_loading (picker))
        return FALSE;
      sum += impasto_style_list_get_weight (self->style_list, i);
    }

  return n == 1 || sum > 0;
}

/* What Start still needs, one line for each, for its tooltip while it is greyed out. */
static char *
describe_missing (ImpastoWindow *self)
{
  GString *text = g_string_new (_("To start, Impasto needs:"));

  if (impasto_image_picker_get_loading (self->content_picker))
    g_string_append_printf (text, "\n• %s", _("the content image, which is still loading"));
  else if (impasto_image_picker_get_image (self->content_picker) == NULL)
    g_string_append_printf (text, "\n• %s", _("a content image"));
  describe_missing_styles (self, text);
  if (self->network == NULL)
    g_string_append_printf (text, "\n• %s", self->model_cancellable != NULL
                                             ? _("the model, which is still loading")
                                             : _("the model"));
  if (self->advanced_error != NULL)
    /* TRANSLATORS: an Advanced row's error follows, as the table's parser wrote it */
    g_string_append_printf (text, "\n• %s %s", _("a valid Advanced setting:"),
                            self->advanced_error);

  return g_string_free (text, FALSE);
}

/* One button: Start while idle, Stop while a run goes. Only touched when that changes: a
 * button given its label again relayouts the window. */
static void
impasto_window_update_start_button (ImpastoWindow *self,
                                    gboolean       running,
                                    gboolean       can_start)
{
  GtkWidget *button = GTK_WIDGET (self->start_button);
  g_autofree char *missing = NULL;

  if (running)
    gtk_widget_set_tooltip_text (button, _("Stop painting (Esc)"));
  else if (can_start)
    gtk_widget_set_tooltip_text (button, _("Start painting (Ctrl+Enter)"));
  else
    gtk_widget_set_tooltip_text (button, missing = describe_missing (self));

  if (self->shows_running == running)
    return;

  self->shows_running = running;
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), running ? "win.stop" : "win.start");
  gtk_button_set_label (self->start_button, running ? _("_Stop") : _("_Start"));
  gtk_widget_remove_css_class (button, running ? "suggested-action" : "destructive-action");
  gtk_widget_add_css_class (button, running ? "destructive-action" : "suggested-action");
}

static void
impasto_window_update_pause_button (ImpastoWindow *self)
{
  gboolean paused = self->job != NULL && impasto_job_get_paused (self->job);
  const char *label = paused ? _("_Resume") : _("Pa_use");

  if (g_strcmp0 (gtk_button_get_label (self->pause_button), label) != 0)
    gtk_button_set_label (self->pause_button, label);
}

void
impasto_window_update_actions (ImpastoWindow *self)
{
  gboolean running = impasto_window_is_running (self);
  gboolean can_continue;
  gboolean can_start;

  /* Not while a picker loads a new image: Start would paint with the one it replaces. */
  can_start = !running &&
              self->network != NULL &&
              impasto_image_picker_get_image (self->content_picker) != NULL &&
              !impasto_image_picker_get_loading (self->content_picker) &&
              impasto_window_styles_ready (self) &&
              self->advanced_error == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start-from-picture",
                                 can_start && self->job != NULL
                                 && impasto_job_get_texture (self->job) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause", running);
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), running);
  impasto_window_update_pause_button (self);
  can_continue = self->job != NULL && impasto_job_can_continue (self->job);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.continue", can_continue);
  gtk_widget_set_visible (self->continue_button, can_continue);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save",
                                 self->job != NULL && impasto_job_get_texture (self->job) != NULL);
  impasto_window_update_start_button (self, running, can_start);
  impasto_window_update_compare (self);
  impasto_window_set_advanced_running (self, running);

  if (self->can_start != can_start)
    {
      self->can_start = can_start;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_START]);
    }
  impasto_window_update_snapshot_actions (self);
  impasto_window_update_memory (self);
}

static void
impasto_window_show_content (ImpastoWindow *self)
{
  impasto_window_set_preview (self, impasto_image_picker_get_preview (self->content_picker));
}

/* With "keep aspect" on, the height follows the width and the content image. */
static void
impasto_window_update_output_size (ImpastoWindow *self)
{
  const ImpastoImage *content = impasto_image_picker_get_image (self->content_picker);
  gboolean keep = gtk_check_button_get_active (self->keep_aspect_check);
  double width;

  gtk_widget_set_sensitive (self->height_spin, !keep || content == NULL);

  if (!keep || content == NULL)
    return;

  width = gtk_adjustment_get_value (impasto_window_get_param_adjustment (self, "width"));
  gtk_adjustment_set_value (impasto_window_get_param_adjustment (self, "height"),
                            round (width * content->height / content->width));
}

static void
impasto_window_set_job (ImpastoWindow *self,
                        ImpastoJob    *job)
{
  if (self->job == job)
    return;

  /* A replaced job may still be finishing its step: nothing it says reaches this window. */
  if (self->job != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->job, self);
      impasto_job_stop (self->job);
    }
  impasto_window_cancel_update (self);

  /* What the line said of the painting on show is not true of the next one. */
  if (self->status_is_painting_news && job != self->job)
    impasto_window_show_status (self, NULL, FALSE);

  g_set_object (&self->job, job);
  self->painting_discarded = FALSE;
  self->n_plotted = 0;
  impasto_loss_plot_clear (self->loss_plot);
  gtk_widget_set_visible (self->progress_box, job != NULL);
  impasto_window_show_run_views (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

static void
on_picker_file_changed (ImpastoWindow      *self,
                        GParamSpec         *pspec,
                        ImpastoImagePicker *picker)
{
  const char *recipe = impasto_image_picker_get_recipe (picker);

  /* A result of Impasto's: how it was made, rather than an image to paint with. */
  if (recipe != NULL)
    {
      g_autofree char *text = g_strdup (recipe);

      impasto_window_open_recipe (self, impasto_image_picker_get_file (picker), text);
      return;
    }

  /* A new image makes the last result stale, once it is saved or the user lets it go; a
   * running job keeps going with its own copies. A file that could not be read is no new
   * input: the painting stays, to be saved. */
  if (!impasto_window_is_running (self))
    {
      if (impasto_image_picker_get_image (picker) != NULL
          && impasto_window_may_drop_painting (self, IMPASTO_AFTER_NEW_IMAGE))
        impasto_window_set_job (self, NULL);
      if (self->job == NULL)
        impasto_window_show_content (self);
    }

  impasto_window_apply_size_choice (self);
  impasto_window_update_output_size (self);
  impasto_window_update_actions (self);
}

/* The painting goes; the content image shows again. */
void
impasto_window_drop_painting (ImpastoWindow *self)
{
  if (impasto_window_is_running (self))
    return;

  impasto_window_set_job (self, NULL);
  impasto_window_show_content (self);
  impasto_window_update_actions (self);
}

static void
on_picker_loading_changed (ImpastoWindow *self)
{
  impasto_window_update_actions (self);
}

static void
on_style_picker_changed (ImpastoWindow      *self,
                         ImpastoImagePicker *picker)
{
  on_picker_file_changed (self, NULL, picker);
}

/* Styles added, removed, moved or weighed anew. */
static void
on_style_list_changed (ImpastoWindow *self)
{
  impasto_window_styles_changed (self);
  impasto_window_update_actions (self);
}

static void
on_output_size_changed (ImpastoWindow *self)
{
  impasto_window_update_output_size (self);
}

void
impasto_window_show_model_error (ImpastoWindow *self,
                                 const char    *message)
{
  gtk_label_set_label (self->model_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->model_error_label), message != NULL);
}

static void
impasto_window_show_model_page (ImpastoWindow *self,
                                const char    *error)
{
  impasto_window_show_model_error (self, error);
  impasto_window_update_download_button (self);
  gtk_stack_set_visible_child_name (self->stack, "model");
  impasto_window_focus_model_page (self);
}

static void
impasto_window_set_network (ImpastoWindow  *self,
                            ImpastoNetwork *network)
{
  gboolean was_loaded = self->network != NULL;

  g_clear_pointer (&self->network, impasto_network_unref);
  if (network != NULL)
    self->network = impasto_network_ref (network);

  if (was_loaded != (network != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_LOADED]);

  impasto_window_update_actions (self);
}

static void
on_network_loaded (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ImpastoWindow) self = user_data;
  g_autoptr(ImpastoNetwork) network = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  network = impasto_network_load_finish (result, &error);

  /* A newer model was chosen meanwhile, or the window is closing. */
  if (g_task_had_error (G_TASK (result)) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->model_cancellable == NULL || g_cancellable_is_cancelled (self->model_cancellable))
    return;

  g_clear_object (&self->model_cancellable);

  if (network == NULL)
    {
      impasto_window_show_status (self, NULL, FALSE);
      /* Translators: the first %s is a file path, the second says what is wrong with it. */
      message = g_strdup_printf (_("“%s” could not be used: %s"), self->model_path, error->message);
      impasto_window_show_model_page (self, message);
      return;
    }

  if (self->remember_model)
    g_settings_set_string (self->settings, "model-path", self->model_path);

  /* Only the news that it was loading is old now; whatever came meanwhile stays, unless the
   * model brought news of its own (how its download or copy went). */
  if (self->model_note != NULL)
    impasto_window_show_status (self, self->model_note, FALSE);
  else if (g_strcmp0 (gtk_label_get_label (self->status_label), _("Loading the model…")) == 0)
    impasto_window_show_status (self, NULL, FALSE);
  g_clear_pointer (&self->model_note, g_free);
  gtk_stack_set_visible_child_name (self->stack, "main");
  impasto_window_set_network (self, network);
}

void
impasto_window_load_model (ImpastoWindow *self,
                           const char    *path,
                           gboolean       remember)
{
  /* Not only the default layers: a recipe opened or the Advanced section may name any, and
   * the network serves every run of the window. The two layers past the default's deepest
   * (conv5_2) take about 19 MB. */
  static const char * const layers[] = { IMPASTO_DEEPEST_LAYER, NULL };

  g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);
  self->model_cancellable = g_cancellable_new ();

  g_free (self->model_path);
  self->model_path = g_strdup (path);
  self->remember_model = remember;
  impasto_window_set_network (self, NULL);

  gtk_stack_set_visible_child_name (self->stack, "main");
  impasto_window_show_status (self, _("Loading the model…"), FALSE);

  /* The window's state only changes on the main thread, in the callback. */
  impasto_network_load_async (path, layers, self->model_cancellable,
                              on_network_loaded, g_object_ref (self));
}

/* Loads the model at path on a worker thread and remembers it in GSettings once it loads. */
void
impasto_window_set_model_path (ImpastoWindow *self,
                               const char    *path)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  impasto_window_load_model (self, path, TRUE);
}

/* As the CLI looks: the remembered choice first, then impasto_model_find()'s places. */
static void
impasto_window_find_model (ImpastoWindow *self)
{
  g_autofree char *saved = g_settings_get_string (self->settings, "model-path");
  g_autofree char *path = NULL;

  if (*saved != '\0')
    path = impasto_model_find (saved, NULL);
  if (path == NULL)
    path = impasto_model_find (NULL, NULL);

  if (path != NULL)
    impasto_window_load_model (self, path, FALSE);
  else
    impasto_window_show_model_page (self, NULL);
}

/* A path that wraps only after a "/": a zero-width space there, and a word joiner after
 * each hyphen, where a line could break too. */
char *
impasto_break_path_at_slashes (const char *path)
{
  GString *shown = g_string_new (NULL);

  for (const char *p = path; *p != '\0'; p++)
    {
      g_string_append_c (shown, *p);
      if (*p == '/')
        g_string_append (shown, "\u200b");
      else if (*p == '-')
        g_string_append (shown, "\u2060");
    }

  return g_string_free (shown, FALSE);
}

static void
impasto_window_setup_model_page (ImpastoWindow *self)
{
  g_autofree char *user_path = g_build_filename (g_get_user_data_dir (), "impasto",
                                                 IMPASTO_MODEL_FILE_NAME, NULL);
  g_autofree char *shown_path = impasto_break_path_at_slashes (user_path);
  g_autofree char *text = NULL;

  gtk_link_button_set_uri (self->model_link, IMPASTO_MODEL_URL);
  gtk_button_set_label (GTK_BUTTON (self->model_link), IMPASTO_MODEL_URL);

  /* Translators: %s is where the file goes, such as ~/.local/share/impasto/….mat */
  text = g_strdup_printf (_("Save it as %s, or tell Impasto where it is:"), shown_path);
  gtk_label_set_label (self->model_path_label, text);
}

/* "snapshot_every_adjustment", "alpha_scale": a parameter's objects in the template. */
static char *
template_id (const ImpastoParamSpec *spec,
             const char             *kind)
{
  g_autofree char *id = g_strdup_printf ("%s_%s", spec->name, kind);

  g_strdelimit (id, "-", '_');
  return g_steal_pointer (&id);
}

GtkAdjustment *
impasto_window_get_param_adjustment (ImpastoWindow *self,
                                     const char    *name)
{
  const ImpastoParamSpec *spec = impasto_params_find (name);
  g_autofree char *id = NULL;

  g_return_val_if_fail (spec != NULL && (spec->flags & IMPASTO_PARAM_SETTING), NULL);

  id = template_id (spec, "adjustment");
  return GTK_ADJUSTMENT (gtk_widget_get_template_child (GTK_WIDGET (self), IMPASTO_TYPE_WINDOW,
                                                        id));
}

static void
bind_template_object (GtkWidgetClass         *widget_class,
                      const ImpastoParamSpec *spec,
                      const char             *kind)
{
  g_autofree char *id = template_id (spec, kind);

  /* The class keeps the name for as long as the program runs. */
  gtk_widget_class_bind_template_child_full (widget_class, g_intern_string (id), FALSE, 0);
}

/* Every parameter the window shows has an adjustment of its name and a key of its name. */
static void
impasto_window_class_bind_params (GtkWidgetClass *widget_class)
{
  const ImpastoParamSpec *specs;
  guint n_specs;

  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    if (specs[i].flags & IMPASTO_PARAM_SETTING)
      {
        bind_template_object (widget_class, &specs[i], "adjustment");
        if (specs[i].flags & IMPASTO_PARAM_LOGARITHMIC)
          bind_template_object (widget_class, &specs[i], "scale");
      }
}

/* A change of a steerable parameter steers the run there is: from its next step while it
 * goes, from where it stopped when it is continued. */
static void
on_steerable_changed (GtkAdjustment *adjustment,
                      ImpastoWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (adjustment), "impasto-param");

  if (self->job != NULL)
    impasto_job_steer (self->job, name, gtk_adjustment_get_value (adjustment), NULL);
}

/* Sliders that go by factors for what spans decades, and steering for what may change. */
static void
impasto_window_setup_params (ImpastoWindow *self)
{
  const ImpastoParamSpec *specs;
  guint n_specs;

  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      const ImpastoParamSpec *spec = &specs[i];
      GtkAdjustment *adjustment;

      if (!(spec->flags & IMPASTO_PARAM_SETTING))
        continue;

      adjustment = impasto_window_get_param_adjustment (self, spec->name);
      if (spec->flags & IMPASTO_PARAM_LOGARITHMIC)
        {
          g_autofree char *id = template_id (spec, "scale");
          GtkScale *scale = GTK_SCALE (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                      IMPASTO_TYPE_WINDOW, id));

          /* Eight decades below the top: 0.01 to a million for alpha. */
          impasto_log_scale_bind (scale, adjustment, spec->maximum * 1e-8,
                                  spec->type != IMPASTO_PARAM_DOUBLE);
        }
      if (spec->flags & IMPASTO_PARAM_STEERABLE)
        {
          g_object_set_data (G_OBJECT (adjustment), "impasto-param", (gpointer) spec->name);
          g_signal_connect (adjustment, "value-changed", G_CALLBACK (on_steerable_changed),
                            self);
        }
    }
}

void
impasto_window_set_base_params (ImpastoWindow          *self,
                                const ImpastoRunParams *params)
{
  /* A recipe opened: no reset is undone over it. */
  impasto_window_forget_reset (self);

  g_clear_pointer (&self->base_params, impasto_run_params_free);
  if (params != NULL)
    self->base_params = impasto_run_params_copy (params);
  /* The Advanced rows hold those parameters from now on. */
  impasto_window_write_advanced (self, params);
}

ImpastoRunParams *
impasto_window_dup_params (ImpastoWindow *self)
{
  guint preset = gtk_drop_down_get_selected (self->preset_dropdown);
  ImpastoRunParams *params = self->base_params != NULL
                             ? impasto_run_params_copy (self->base_params)
                             : impasto_run_params_new ();
  const ImpastoParamSpec *specs;
  guint n_specs;

  impasto_window_update_output_size (self);

  /* The preset's schedule, then the controls over it, as --preset with --steps: the
   * Advanced rows hold what the preset chose, or what the user or a recipe set there. */
  impasto_preset_apply (preset, params);
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    if (specs[i].flags & IMPASTO_PARAM_SETTING)
      {
        GtkAdjustment *adjustment = impasto_window_get_param_adjustment (self, specs[i].name);
        gboolean ok;

        /* The adjustments' ranges are the table's: a test holds them to it. */
        ok = impasto_param_set_value (params, &specs[i], gtk_adjustment_get_value (adjustment),
                                      NULL);
        g_assert (ok);
      }
  /* Start is greyed out while a row holds no value; Save writes what was run. */
  impasto_window_read_advanced (self, params, NULL);

  return params;
}

/* The file a picker shows, as a recipe names it. */
static void
set_input (ImpastoRecipeInput *input,
           ImpastoImagePicker *picker)
{
  GFile *file = impasto_image_picker_get_file (picker);
  g_autofree char *name = g_file_get_path (file);

  if (name == NULL)
    name = g_file_get_uri (file);
  impasto_recipe_set_input (input, name, impasto_image_picker_get_sha256 (picker));
}

/* What the controls and the pickers say, with the images themselves; the run starts from
 * the picture in start_path when it is set. */
static ImpastoSession *
impasto_window_new_session (ImpastoWindow *self,
                            const char    *start_path,
                            const char    *start_sha256)
{
  g_autoptr(ImpastoRecipe) recipe = impasto_recipe_new ();
  guint n_styles = impasto_style_list_get_n_styles (self->style_list);
  const ImpastoImage *styles[IMPASTO_MAX_STYLES];
  ImpastoSession *session;

  impasto_run_params_free (recipe->params);
  recipe->params = impasto_window_dup_params (self);
  set_input (&recipe->content, self->content_picker);
  impasto_recipe_clear_styles (recipe);
  for (guint i = 0; i < n_styles; i++)
    {
      ImpastoImagePicker *picker = impasto_style_list_get_picker (self->style_list, i);

      impasto_recipe_add_style (recipe, NULL, NULL,
                                n_styles == 1 ? 1 : impasto_style_list_get_weight (self->style_list,
                                                                                   i));
      set_input (&recipe->styles[i], picker);
      styles[i] = impasto_image_picker_get_image (picker);
    }
  if (start_path != NULL)
    impasto_recipe_set_input (&recipe->start, start_path, start_sha256);

  session = impasto_session_new (recipe, NULL);
  impasto_session_set_inputs (session, impasto_image_picker_get_image (self->content_picker),
                              styles);
  return session;
}

void
impasto_window_run (ImpastoWindow *self,
                    const char    *start_path,
                    const char    *start_sha256)
{
  g_autoptr(ImpastoRunParams) params = impasto_window_dup_params (self);
  g_autoptr(ImpastoJob) job = NULL;
  g_autoptr(GError) error = NULL;

  if (!impasto_run_params_validate (params, &error))
    {
      impasto_window_show_status (self, error->message, TRUE);
      return;
    }

  job = impasto_job_new (impasto_window_new_session (self, start_path, start_sha256),
                         self->network);
  impasto_window_set_job (self, job);

  g_signal_connect_swapped (job, "notify::step", G_CALLBACK (impasto_window_queue_update), self);
  g_signal_connect_swapped (job, "notify::texture", G_CALLBACK (impasto_window_queue_update),
                            self);
  g_signal_connect_swapped (job, "notify::state", G_CALLBACK (impasto_window_show_job_state),
                            self);
  g_signal_connect_swapped (job, "notify::paused", G_CALLBACK (impasto_window_show_job_state),
                            self);

  impasto_job_start (job);
}

void
impasto_window_start (ImpastoWindow *self)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  if (!self->can_start || !impasto_window_may_drop_painting (self, IMPASTO_AFTER_START))
    return;

  impasto_window_run (self, NULL, NULL);
}

/* A new run that starts from the painting there is, as its file holds it, so that the new
 * painting's recipe names where it began; an unsaved painting is saved first. */
void
impasto_window_start_from_picture (ImpastoWindow *self)
{
  const char *path, *sha256;

  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  if (!self->can_start || self->job == NULL || impasto_job_get_texture (self->job) == NULL)
    return;

  if (!impasto_job_get_saved_file (self->job, &path, &sha256))
    {
      impasto_window_choose_save_file_then (self, IMPASTO_AFTER_START_FROM_PICTURE);
      return;
    }

  {
    g_autofree char *start_path = g_strdup (path);
    g_autofree char *start_sha256 = g_strdup (sha256);

    impasto_window_run (self, start_path, start_sha256);
  }
}

void
impasto_window_toggle_pause (ImpastoWindow *self)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  if (impasto_window_is_running (self))
    impasto_job_set_paused (self->job, !impasto_job_get_paused (self->job));
}

/* As many steps again as the Steps setting says, on from the picture there is. */
void
impasto_window_continue (ImpastoWindow *self)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  if (self->job == NULL || !impasto_job_can_continue (self->job))
    return;

  impasto_job_set_paused (self->job, FALSE);
  impasto_job_continue (self->job,
                        (guint) gtk_adjustment_get_value (
                          impasto_window_get_param_adjustment (self, "steps")));
}

void
impasto_window_stop (ImpastoWindow *self)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  if (self->job != NULL)
    impasto_job_stop (self->job);
}

static gboolean
on_window_drop (GtkDropTarget *target,
                const GValue  *value,
                double         x,
                double         y,
                ImpastoWindow *self)
{
  GSList *files = g_value_get_boxed (value);

  if (files == NULL)
    return FALSE;

  impasto_window_open_files (self, files->data, files->next ? files->next->data : NULL);

  return TRUE;
}

static gboolean
preset_from_setting (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  ImpastoPreset preset;

  if (!impasto_preset_from_name (g_variant_get_string (variant, NULL), &preset))
    return FALSE;

  g_value_set_uint (value, preset);
  return TRUE;
}

static GVariant *
preset_to_setting (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  guint preset = g_value_get_uint (value);

  if (preset >= IMPASTO_N_PRESETS)
    return NULL;

  return g_variant_new_string (impasto_preset_get_info (preset)->name);
}

/* A preset chosen sets the controls it has a value for (the steps it stands for, how often the
 * preview follows them, the noise it starts from, and the Advanced rows of its optimiser,
 * scales and look); the user may change them after. Only a change of the setting does, not
 * loading it: the values remembered stay as they were left. */
static void
on_preset_changed (ImpastoWindow *self)
{
  g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();
  const ImpastoParamSpec *specs;
  guint n_specs;

  impasto_preset_apply (g_settings_get_enum (self->settings, "preset"), params);
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    if ((specs[i].flags & IMPASTO_PARAM_SCHEDULE) && (specs[i].flags & IMPASTO_PARAM_SETTING))
      gtk_adjustment_set_value (impasto_window_get_param_adjustment (self, specs[i].name),
                                impasto_param_get_value (params, &specs[i]));
  impasto_window_write_advanced_schedule (self, params);
}

static void
impasto_window_bind_settings (ImpastoWindow *self)
{
  static const struct {
    const char *key;
    gsize       offset;
    const char *property;
  } bindings[] = {
    { "keep-aspect", G_STRUCT_OFFSET (ImpastoWindow, keep_aspect_check), "active" },
    { "last-content-folder", G_STRUCT_OFFSET (ImpastoWindow, content_picker), "folder" },
    { "last-style-folder", G_STRUCT_OFFSET (ImpastoWindow, style_list), "folder" },
  };
  const ImpastoParamSpec *specs;
  guint n_specs;

  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    if (specs[i].flags & IMPASTO_PARAM_SETTING)
      g_settings_bind (self->settings, specs[i].name,
                       impasto_window_get_param_adjustment (self, specs[i].name), "value",
                       G_SETTINGS_BIND_DEFAULT);

  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    g_settings_bind (self->settings, bindings[i].key,
                     G_STRUCT_MEMBER (gpointer, self, bindings[i].offset), bindings[i].property,
                     G_SETTINGS_BIND_DEFAULT);

  /* Connected before the binding reads the key, as GSettings wants for "changed". */
  g_signal_connect_swapped (self->settings, "changed::preset", G_CALLBACK (on_preset_changed),
                            self);
  g_settings_bind_with_mapping (self->settings, "preset", self->preset_dropdown, "selected",
                                G_SETTINGS_BIND_DEFAULT, preset_from_setting, preset_to_setting,
                                NULL, NULL);

  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
impasto_window_dispose (GObject *object)
{
  ImpastoWindow *self = (ImpastoWindow *)object;

  /* Closing cancels the run; the job lives on until its worker has let go, then is freed. */
  if (self->job != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->job, self);
      impasto_job_stop (self->job);
      g_clear_object (&self->job);
    }
  impasto_window_cancel_update (self);

  g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);
  impasto_window_dispose_model_page (self);
  impasto_window_dispose_reset (self);
  impasto_window_dispose_snapshots (self);

  /* The bindings may keep the settings alive past the window. */
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  impasto_file_dialog_clear (&self->save_chooser);
  impasto_file_dialog_clear (&self->model_chooser);

  /* No gtk_widget_dispose_template(): GtkWindow unparents its own child and titlebar. */

  G_OBJECT_CLASS (impasto_window_parent_class)->dispose (object);
}

static void
impasto_window_finalize (GObject *object)
{
  ImpastoWindow *self = (ImpastoWindow *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->preview_paintable);
  g_clear_pointer (&self->model_path, g_free);
  g_clear_pointer (&self->network, impasto_network_unref);
  g_clear_pointer (&self->base_params, impasto_run_params_free);
  g_clear_pointer (&self->advanced_rows, g_ptr_array_unref);
  g_clear_pointer (&self->advanced_error, g_free);

  G_OBJECT_CLASS (impasto_window_parent_class)->finalize (object);
}

static void
impasto_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ImpastoWindow *self = IMPASTO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CAN_START:
      g_value_set_boolean (value, self->can_start);
      break;

    case PROP_MODEL_LOADED:
      g_value_set_boolean (value, self->network != NULL);
      break;

    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_window_class_init (ImpastoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = impasto_window_dispose;
  object_class->finalize = impasto_window_finalize;
  object_class->get_property = impasto_window_get_property;

  properties[PROP_CAN_START] =
    g_param_spec_boolean ("can-start", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MODEL_LOADED] =
    g_param_spec_boolean ("model-loaded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL,
                         IMPASTO_TYPE_JOB,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (IMPASTO_TYPE_IMAGE_PICKER);
  g_type_ensure (IMPASTO_TYPE_STYLE_LIST);
  g_type_ensure (IMPASTO_TYPE_LOSS_PLOT);
  g_type_ensure (IMPASTO_TYPE_COMPARE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/impasto/Impasto/impasto-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, controls_box);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, continue_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, model_link);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, model_path_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, model_error_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, content_picker);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, style_list);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, preset_dropdown);
  impasto_window_class_bind_params (widget_class);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, keep_aspect_check);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, height_spin);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, size_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, memory_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, preview);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, preview_placeholder);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, compare_view);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, compare_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, step_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, time_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, loss_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, loss_plot);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_picker_file_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_picker_loading_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_style_picker_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_style_list_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_output_size_changed);

  impasto_window_class_actions_init (klass);
  impasto_window_class_model_init (klass);
  impasto_window_class_unsaved_init (klass);
  impasto_window_class_reset_init (klass);
  impasto_window_class_snapshots_init (klass);
}

static void
impasto_window_init (ImpastoWindow *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  impasto_color_install_error_text (gtk_widget_get_display (GTK_WIDGET (self)));

  self->preview_paintable = impasto_preview_paintable_new ();
  gtk_picture_set_paintable (self->preview, GDK_PAINTABLE (self->preview_paintable));
  impasto_compare_view_set_paintable (self->compare_view,
                                      GDK_PAINTABLE (self->preview_paintable));

  self->settings = g_settings_new (APPLICATION_ID);
  impasto_window_bind_settings (self);
  impasto_window_setup_params (self);
  impasto_window_init_reset (self);
  impasto_window_init_advanced (self);
  impasto_window_init_snapshots (self);
  impasto_window_init_size (self);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (on_window_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  impasto_window_setup_model_page (self);
  impasto_window_init_model_page (self);
  impasto_window_update_output_size (self);
  impasto_window_update_actions (self);
  impasto_window_find_model (self);
}

ImpastoWindow *
impasto_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (IMPASTO_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/* Either may be NULL; the pickers load them as if chosen in their dialogs. */
void
impasto_window_open_files (ImpastoWindow *self,
                           GFile         *content,
                           GFile         *style)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  if (content != NULL)
    impasto_image_picker_set_file (self->content_picker, content);
  if (style != NULL)
    impasto_image_picker_set_file (impasto_window_get_style_picker (self), style);
}

gboolean
impasto_window_get_model_loaded (ImpastoWindow *self)
{
  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), FALSE);

  return self->network != NULL;
}

/* Both images and the model are there, and no run is going. */
gboolean
impasto_window_get_can_start (ImpastoWindow *self)
{
  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), FALSE);

  return self->can_start;
}

ImpastoImagePicker *
impasto_window_get_content_picker (ImpastoWindow *self)
{
  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), NULL);

  return self->content_picker;
}

/* The first style image's. */
ImpastoImagePicker *
impasto_window_get_style_picker (ImpastoWindow *self)
{
  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), NULL);

  return impasto_style_list_get_picker (self->style_list, 0);
}

GtkPicture *
impasto_window_get_preview (ImpastoWindow *self)
{
  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), NULL);

  return self->preview;
}

ImpastoJob *
impasto_window_get_job (ImpastoWindow *self)
{
  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), NULL);

  return self->job;
}
