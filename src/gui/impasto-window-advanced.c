/* impasto-window-advanced.c: the Advanced section, one row per parameter of the engine's
 * table that the main panel has no control for
 *
 * The rows are made from impasto_params_get_specs(), so a parameter added to the table shows
 * here with no change to the window. They are the only source of those values: Start and Save
 * read them, a recipe opened sets them, and the "advanced" key (name -> text, as recipes write
 * it) keeps them across sessions. Choosing a preset sets the rows of what it chooses
 * (optimiser, scales, smoothing…), as it sets the steps.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "impasto-params.h"
#include "impasto-preset.h"
#include "impasto-window-private.h"

/* The main panel's controls are the SETTING ones; the SAVING ones belong to the save dialog. */
gboolean
impasto_window_param_is_advanced (const ImpastoParamSpec *spec)
{
  return (spec->flags & (IMPASTO_PARAM_SETTING | IMPASTO_PARAM_SAVING)) == 0;
}

/* The table's defaults with the chosen preset's schedule: what the rows hold untouched. */
static ImpastoRunParams *
preset_defaults (ImpastoWindow *self)
{
  ImpastoRunParams *params = impasto_run_params_new ();

  impasto_preset_apply (g_settings_get_enum (self->settings, "preset"), params);
  return params;
}

static const ImpastoParamSpec *
row_spec (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "impasto-param-spec");
}

/* The row's value written into params; FALSE with error set if it is not one. */
static gboolean
read_row (GtkWidget        *widget,
          ImpastoRunParams *params,
          GError          **error)
{
  const ImpastoParamSpec *spec = row_spec (widget);

  switch (spec->type)
    {
    case IMPASTO_PARAM_ENUM:
      return impasto_param_set_value (params, spec,
                                      gtk_drop_down_get_selected (GTK_DROP_DOWN (widget)), error);
    case IMPASTO_PARAM_LAYERS:
      return impasto_param_parse (params, spec, gtk_editable_get_text (GTK_EDITABLE (widget)),
                                  error);
    case IMPASTO_PARAM_UINT:
    case IMPASTO_PARAM_UINT64:
    case IMPASTO_PARAM_DOUBLE:
    default:
      return impasto_param_set_value (params, spec,
                                      gtk_spin_button_get_value (GTK_SPIN_BUTTON (widget)),
                                      error);
    }
}

static void
write_row (GtkWidget              *widget,
           const ImpastoRunParams *params)
{
  const ImpastoParamSpec *spec = row_spec (widget);

  if (spec->type == IMPASTO_PARAM_ENUM)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (widget),
                                (guint) impasto_param_get_value (params, spec));
  else if (spec->type == IMPASTO_PARAM_LAYERS)
    {
      g_autofree char *text = impasto_param_to_string (params, spec);

      gtk_editable_set_text (GTK_EDITABLE (widget), text);
    }
  else
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), impasto_param_get_value (params, spec));
}

gboolean
impasto_window_read_advanced (ImpastoWindow    *self,
                              ImpastoRunParams *params,
                              GError          **error)
{
  for (guint i = 0; i < self->advanced_rows->len; i++)
    if (!read_row (g_ptr_array_index (self->advanced_rows, i), params, error))
      return FALSE;
  return TRUE;
}

/* The rows whose parameters have all of flags set (all rows for 0). */
static void
write_rows (ImpastoWindow          *self,
            const ImpastoRunParams *params,
            ImpastoParamFlags       flags)
{
  self->advanced_loading = TRUE;
  for (guint i = 0; i < self->advanced_rows->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->advanced_rows, i);

      if ((row_spec (widget)->flags & flags) == flags)
        write_row (widget, params);
    }
  self->advanced_loading = FALSE;
  impasto_window_advanced_changed (self);
}

void
impasto_window_write_advanced (ImpastoWindow          *self,
                               const ImpastoRunParams *params)
{
  g_autoptr(ImpastoRunParams) defaults = NULL;

  if (params == NULL)
    params = defaults = preset_defaults (self);
  write_rows (self, params, 0);
}

void
impasto_window_write_advanced_schedule (ImpastoWindow          *self,
                                        const ImpastoRunParams *params)
{
  write_rows (self, params, IMPASTO_PARAM_SCHEDULE);
}

/* The rows as the "advanced" key keeps them; a row that holds no value is left out. */
static void
save_advanced (ImpastoWindow *self)
{
  g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();
  GVariantBuilder builder;

  /* Each row writes its own field of params. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < self->advanced_rows->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->advanced_rows, i);
      const ImpastoParamSpec *spec = row_spec (widget);
      g_autofree char *text = NULL;

      if (!read_row (widget, params, NULL))
        continue;
      text = impasto_param_to_string (params, spec);
      g_variant_builder_add (&builder, "{ss}", spec->name, text);
    }
  g_settings_set_value (self->settings, "advanced", g_variant_builder_end (&builder));
}

/* Entries of an older version or edited by hand that no longer parse are dropped quietly:
 * the row keeps its default, or the preset's value for what the preset chooses. */
static void
load_advanced (ImpastoWindow *self)
{
  g_autoptr(GVariant) saved = g_settings_get_value (self->settings, "advanced");
  g_autoptr(ImpastoRunParams) params = preset_defaults (self);
  GVariantIter iter;
  const char *name;
  const char *text;

  g_variant_iter_init (&iter, saved);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &text))
    {
      const ImpastoParamSpec *spec = impasto_params_find (name);

      if (spec != NULL && impasto_window_param_is_advanced (spec))
        impasto_param_parse (params, spec, text, NULL);
    }
  self->advanced_loading = TRUE;
  for (guint i = 0; i < self->advanced_rows->len; i++)
    write_row (g_ptr_array_index (self->advanced_rows, i), params);
  self->advanced_loading = FALSE;
}

static gboolean
is_steerable (GtkWidget *widget)
{
  return (row_spec (widget)->flags & IMPASTO_PARAM_STEERABLE) != 0;
}

/* The command line's help; while a run paints, a row that cannot steer it says when it
 * counts. */
static void
set_row_tooltip (ImpastoWindow *self,
                 GtkWidget     *widget)
{
  g_autofree char *text = NULL;

  if (self->advanced_running && !is_steerable (widget))
    /* Translators: the tooltip of an Advanced row, greyed out while a run paints; the
     * parameter's help follows. */
    text = g_strdup_printf (_("Takes effect at the next Start. %s"), _(row_spec (widget)->help));
  gtk_widget_set_tooltip_text (widget, text != NULL ? text : _(row_spec (widget)->help));
}

/* While a run paints, only the rows it can take changes from stay open. */
void
impasto_window_set_advanced_running (ImpastoWindow *self,
                                     gboolean       running)
{
  if (self->advanced_running == running)
    return;

  self->advanced_running = running;
  /* It would set rows that cannot steer the run, or steer it by surprise. */
  gtk_widget_set_sensitive (self->advanced_reset, !running);
  for (guint i = 0; i < self->advanced_rows->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->advanced_rows, i);

      if (is_steerable (widget))
        continue;
      gtk_widget_set_sensitive (widget, !running);
      if (!gtk_widget_has_css_class (widget, "error"))
        set_row_tooltip (self, widget);
    }
}

/* As the main panel's sliders do (see on_steerable_changed()): the run there is takes the
 * value from its next step, or from where it stopped when it is continued. */
static void
on_steerable_row_changed (GtkSpinButton *spin,
                          ImpastoWindow *self)
{
  if (self->job != NULL && !self->advanced_loading)
    impasto_job_steer (self->job, row_spec (GTK_WIDGET (spin))->name,
                       gtk_spin_button_get_value (spin), NULL);
}

/* Marks the rows that hold no value and keeps the first error for Start's tooltip. */
void
impasto_window_advanced_changed (ImpastoWindow *self)
{
  g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();

  g_clear_pointer (&self->advanced_error, g_free);
  for (guint i = 0; i < self->advanced_rows->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->advanced_rows, i);
      g_autoptr(GError) error = NULL;

      if (read_row (widget, params, &error))
        {
          gtk_widget_remove_css_class (widget, "error");
          set_row_tooltip (self, widget);
          gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID);
        }
      else
        {
          gtk_widget_add_css_class (widget, "error");
          gtk_widget_set_tooltip_text (widget, error->message);
          gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID,
                                       GTK_ACCESSIBLE_INVALID_TRUE, -1);
          if (self->advanced_error == NULL)
            self->advanced_error = g_strdup (error->message);
        }
    }
  if (!self->advanced_loading)
    save_advanced (self);
  impasto_window_update_actions (self);
}

static void
on_reset_advanced (GtkButton     *button,
                   ImpastoWindow *self)
{
  (void) button;
  impasto_window_write_advanced (self, NULL);
}

static GtkWidget *
make_row_widget (ImpastoWindow          *self,
                 const ImpastoParamSpec *spec)
{
  GtkWidget *widget;

  if (spec->type == IMPASTO_PARAM_ENUM)
    {
      widget = gtk_drop_down_new_from_strings ((const char * const *) spec->nicks);
      g_signal_connect_swapped (widget, "notify::selected",
                                G_CALLBACK (impasto_window_advanced_changed), self);
    }
  else if (spec->type == IMPASTO_PARAM_LAYERS)
    {
      widget = gtk_entry_new ();
      gtk_editable_set_width_chars (GTK_EDITABLE (widget), 12);
      g_signal_connect_swapped (widget, "changed",
                                G_CALLBACK (impasto_window_advanced_changed), self);
    }
  else
    {
      gboolean whole = spec->type != IMPASTO_PARAM_DOUBLE;
      double step = whole ? 1 : 0.1;
      double minimum = spec->minimum;
      GtkAdjustment *adjustment;

      if ((spec->flags & IMPASTO_PARAM_MIN_EXCLUSIVE) && !whole)
        minimum = spec->minimum + 1e-6;
      else if (spec->flags & IMPASTO_PARAM_MIN_EXCLUSIVE)
        minimum = spec->minimum + 1;
      adjustment = gtk_adjustment_new (spec->default_value, minimum, spec->maximum,
                                       step, step * 10, 0);
      widget = gtk_spin_button_new (adjustment, step, whole ? 0 : 4);
      gtk_editable_set_width_chars (GTK_EDITABLE (widget), 6);
      g_signal_connect_swapped (widget, "value-changed",
                                G_CALLBACK (impasto_window_advanced_changed), self);
      if (spec->flags & IMPASTO_PARAM_STEERABLE)
        g_signal_connect (widget, "value-changed", G_CALLBACK (on_steerable_row_changed), self);
    }
  g_object_set_data (G_OBJECT (widget), "impasto-param-spec", (gpointer) spec);
  gtk_widget_set_name (widget, spec->name);
  gtk_widget_set_tooltip_text (widget, _(spec->help));
  gtk_widget_set_hexpand (widget, TRUE);
  return widget;
}

/* After the template: the expander goes last in the left panel's scrolled box, below the
 * main controls, closed. */
void
impasto_window_init_advanced (ImpastoWindow *self)
{
  const ImpastoParamSpec *specs;
  GtkWidget *grid = gtk_grid_new ();
  guint n_specs;
  int row = 0;

  self->advanced_rows = g_ptr_array_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_top (grid, 6);

  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      const ImpastoParamSpec *spec = &specs[i];
      g_autofree char *text = NULL;
      GtkWidget *label;
      GtkWidget *widget;

      if (!impasto_window_param_is_advanced (spec))
        continue;
      /* TRANSLATORS: a parameter's label and its unit, "Memory limit (MB)" */
      text = spec->unit != NULL ? g_strdup_printf (_("%s (%s)"), _(spec->label), _(spec->unit))
                                : g_strdup (_(spec->label));
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      widget = make_row_widget (self, spec);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _(spec->help), -1);
      gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), widget, 1, row, 1, 1);
      g_ptr_array_add (self->advanced_rows, widget);
      row++;
    }

  self->advanced_reset = gtk_button_new_with_mnemonic (_("Reset Advanced to _Defaults"));
  gtk_widget_set_halign (self->advanced_reset, GTK_ALIGN_END);
  g_signal_connect (self->advanced_reset, "clicked", G_CALLBACK (on_reset_advanced), self);
  gtk_grid_attach (GTK_GRID (grid), self->advanced_reset, 0, row, 2, 1);

  self->advanced_expander = GTK_EXPANDER (gtk_expander_new_with_mnemonic (_("_Advanced")));
  gtk_expander_set_child (self->advanced_expander, grid);
  gtk_expander_set_expanded (self->advanced_expander, FALSE);
  gtk_box_append (self->controls_box, GTK_WIDGET (self->advanced_expander));

  load_advanced (self);
  impasto_window_advanced_changed (self);
}
