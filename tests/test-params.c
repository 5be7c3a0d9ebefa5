/* test-params.c: the table of run parameters, and the window's schema and adjustments held to it
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "impasto-params.h"
#include "impasto-preset.h"

/* Every default is valid, prints and reads back to the same value, and the edges of its range
 * are kept to. */
static void
test_table (void)
{
  g_autoptr(ImpastoRunParams) defaults = impasto_run_params_new ();
  const ImpastoParamSpec *specs;
  guint n_specs;

  g_assert_true (impasto_run_params_validate (defaults, NULL));
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      const ImpastoParamSpec *spec = &specs[i];
      g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();
      g_autofree char *text = impasto_param_to_string (defaults, spec);
      g_autoptr(GError) error = NULL;

      g_assert_true (impasto_params_find (spec->name) == spec);
      g_assert_nonnull (spec->label);
      g_assert_nonnull (spec->help);
      g_assert_true (impasto_param_parse (params, spec, text, &error));
      g_assert_no_error (error);
      g_assert_true (impasto_param_equal (params, defaults, spec));
      if (spec->type == IMPASTO_PARAM_LAYERS)
        continue;

      g_assert_cmpfloat (impasto_param_get_value (defaults, spec), ==, spec->default_value);
      g_assert_true (impasto_param_set_value (params, spec, spec->maximum, NULL));
      g_assert_cmpfloat (impasto_param_get_value (params, spec), ==, spec->maximum);
      g_assert_false (impasto_param_set_value (params, spec, spec->maximum * 2 + 1, &error));
      g_assert_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, spec->name));
      g_clear_error (&error);
      g_assert_false (impasto_param_set_value (params, spec, NAN, NULL));
      g_assert_false (impasto_param_set_value (params, spec, spec->minimum - 1, NULL));
      g_assert_cmpint (impasto_param_set_value (params, spec, spec->minimum, NULL), ==,
                       !(spec->flags & IMPASTO_PARAM_MIN_EXCLUSIVE));
      /* params is untouched by a refused value */
      g_assert_cmpfloat (impasto_param_get_value (params, spec), ==,
                         (spec->flags & IMPASTO_PARAM_MIN_EXCLUSIVE) ? spec->maximum
                                                                     : spec->minimum);
      if (spec->type != IMPASTO_PARAM_DOUBLE && spec->maximum > spec->minimum)
        g_assert_false (impasto_param_set_value (params, spec, spec->minimum + 0.5, NULL));
    }
}

/* Doubles read back bit for bit, in the shortest form that does. */
static void
test_doubles_round_trip (void)
{
  const double values[] = { 0.2, 500, 1e-300, 1.0 / 3, 123456.789e10, 4.9e-324, 0.1 + 0.2 };
  const ImpastoParamSpec *lr = impasto_params_find ("lr");
  g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();
  g_autofree char *fifth = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *text = NULL;

      params->learning_rate = values[i];
      text = impasto_param_to_string (params, lr);
      params->learning_rate = -1;
      g_assert_true (impasto_param_parse (params, lr, text, NULL));
      g_assert_cmpmem (&params->learning_rate, sizeof (double), &values[i], sizeof (double));
    }

  params->learning_rate = 0.2;
  fifth = impasto_param_to_string (params, lr);
  g_assert_cmpstr (fifth, ==, "0.2");
}

static void
test_layers (void)
{
  ImpastoLayerList list = { 0 };
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (impasto_layer_list_parse (&list, "conv4_2:0.5, conv5_4 ,conv1_1:2", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (list.n, ==, 3);
  g_assert_cmpstr (list.items[1].name, ==, "conv5_4");
  g_assert_cmpfloat (list.items[1].weight, ==, 1);
  text = impasto_layer_list_to_string (&list);
  g_assert_cmpstr (text, ==, "conv4_2:0.5,conv5_4:1,conv1_1:2");

  /* A refused list leaves the one there was. */
  g_assert_false (impasto_layer_list_parse (&list, "conv4_2,conv2_3", &error));
  g_assert_error (error, IMPASTO_RUN_ERROR, IMPASTO_RUN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "conv2_3"));
  g_assert_cmpuint (list.n, ==, 3);
  g_clear_error (&error);
  g_assert_false (impasto_layer_list_parse (&list, "conv4_2:nan", NULL));
  g_assert_false (impasto_layer_list_parse (&list, "conv4_2:", NULL));
  g_assert_false (impasto_layer_list_parse (&list, "pool4", NULL));

  g_assert_true (impasto_layer_list_parse (&list, "", NULL));
  g_assert_cmpuint (list.n, ==, 0);
  impasto_layer_list_clear (&list);
}

/* The window's GSettings keys: every parameter it keeps, with the table's range, and the
 * table's default under the default preset, which is the key "preset"'s own. */
static void
test_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = g_settings_schema_source_lookup (source, APPLICATION_ID,
                                                                       TRUE);
  g_autoptr(ImpastoRunParams) defaults = impasto_run_params_new ();
  g_autoptr(GSettingsSchemaKey) preset_key = NULL;
  g_autoptr(GVariant) preset = NULL;
  const ImpastoParamSpec *specs;
  guint n_specs;

  g_assert_nonnull (schema);
  preset_key = g_settings_schema_get_key (schema, "preset");
  preset = g_settings_schema_key_get_default_value (preset_key);
  g_assert_cmpstr (g_variant_get_string (preset, NULL), ==,
                   impasto_preset_get_info (IMPASTO_PRESET_DEFAULT)->name);
  impasto_preset_apply (IMPASTO_PRESET_DEFAULT, defaults);
  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      const ImpastoParamSpec *spec = &specs[i];
      g_autoptr(GSettingsSchemaKey) key = NULL;
      g_autoptr(GVariant) value = NULL;
      g_autoptr(GVariant) range = NULL;
      g_autoptr(GVariant) limits = NULL;
      const char *kind;
      const char *type = spec->type == IMPASTO_PARAM_DOUBLE ? "d" : "u";

      if (!(spec->flags & IMPASTO_PARAM_SETTING))
        continue;

      g_test_message ("key %s", spec->name);
      g_assert_true (g_settings_schema_has_key (schema, spec->name));
      g_assert_true (spec->type == IMPASTO_PARAM_DOUBLE || spec->type == IMPASTO_PARAM_UINT);
      key = g_settings_schema_get_key (schema, spec->name);
      g_assert_cmpstr ((const char *) g_settings_schema_key_get_value_type (key), ==, type);

      value = g_settings_schema_key_get_default_value (key);
      g_assert_cmpfloat (spec->type == IMPASTO_PARAM_DOUBLE ? g_variant_get_double (value)
                                                            : g_variant_get_uint32 (value),
                         ==, impasto_param_get_value (defaults, spec));

      range = g_settings_schema_key_get_range (key);
      g_variant_get (range, "(&sv)", &kind, &limits);
      g_assert_cmpstr (kind, ==, "range");
      if (spec->type == IMPASTO_PARAM_DOUBLE)
        {
          double low, high;

          g_variant_get (limits, "(dd)", &low, &high);
          g_assert_cmpfloat (low, ==, spec->minimum);
          g_assert_cmpfloat (high, ==, spec->maximum);
        }
      else
        {
          guint32 low, high;

          g_variant_get (limits, "(uu)", &low, &high);
          g_assert_cmpfloat (low, ==, spec->minimum);
          g_assert_cmpfloat (high, ==, spec->maximum);
        }
    }
}

typedef struct
{
  GHashTable *adjustments;   /* id -> GHashTable of property -> text */
  GHashTable *current;       /* the adjustment being read, or NULL */
  char       *property;      /* the property being read, or NULL */
} UiReader;

static void
ui_start (GMarkupParseContext *context,
          const char          *element,
          const char         **names,
          const char         **values,
          gpointer             user_data,
          GError             **error)
{
  UiReader *reader = user_data;
  const char *class = NULL, *id = NULL, *name = NULL;

  g_markup_collect_attributes (element, names, values, NULL, G_MARKUP_COLLECT_INVALID,
                               NULL);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], "class"))
        class = values[i];
      else if (g_str_equal (names[i], "id"))
        id = values[i];
      else if (g_str_equal (names[i], "name"))
        name = values[i];
    }

  if (g_str_equal (element, "object") && g_strcmp0 (class, "GtkAdjustment") == 0 && id != NULL)
    {
      reader->current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (reader->adjustments, g_strdup (id), reader->current);
    }
  else if (g_str_equal (element, "property") && reader->current != NULL && name != NULL)
    {
      g_free (reader->property);
      reader->property = g_strdup (name);
    }
}

static void
ui_end (GMarkupParseContext *context,
        const char          *element,
        gpointer             user_data,
        GError             **error)
{
  UiReader *reader = user_data;

  if (g_str_equal (element, "object"))
    reader->current = NULL;
  g_clear_pointer (&reader->property, g_free);
}

static void
ui_text (GMarkupParseContext *context,
         const char          *text,
         gsize                length,
         gpointer             user_data,
         GError             **error)
{
  UiReader *reader = user_data;

  if (reader->current != NULL && reader->property != NULL)
    g_hash_table_insert (reader->current, g_strdup (reader->property), g_strndup (text, length));
}

static double
adjustment_property (GHashTable *adjustment,
                     const char *name)
{
  const char *text = g_hash_table_lookup (adjustment, name);

  /* GtkAdjustment's own default */
  return text != NULL ? g_ascii_strtod (text, NULL) : 0.0;
}

/* The window's adjustments, from the .ui file itself: one for every parameter it keeps, with
 * the table's range. Their values come from GSettings. */
static void
test_ui_adjustments (void)
{
  static const GMarkupParser parser = { ui_start, ui_end, ui_text, NULL, NULL };
  UiReader reader = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_hash_table_unref) };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ui = NULL;
  gsize length;
  const ImpastoParamSpec *specs;
  guint n_specs;

  g_file_get_contents (WINDOW_UI, &ui, &length, &error);
  g_assert_no_error (error);
  context = g_markup_parse_context_new (&parser, 0, &reader, NULL);
  g_markup_parse_context_parse (context, ui, length, &error);
  g_assert_no_error (error);

  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s_adjustment", specs[i].name);
      GHashTable *adjustment;

      if (!(specs[i].flags & IMPASTO_PARAM_SETTING))
        continue;

      g_strdelimit (id, "-", '_');
      g_test_message ("adjustment %s", id);
      adjustment = g_hash_table_lookup (reader.adjustments, id);
      g_assert_nonnull (adjustment);
      g_assert_cmpfloat (adjustment_property (adjustment, "lower"), ==, specs[i].minimum);
      g_assert_cmpfloat (adjustment_property (adjustment, "upper"), ==, specs[i].maximum);
      g_assert_false (g_hash_table_contains (adjustment, "value"));
    }

  g_hash_table_unref (reader.adjustments);
  g_free (reader.property);
}

static void
assert_same_params (const ImpastoRunParams *a,
                    const ImpastoRunParams *b)
{
  const ImpastoParamSpec *specs;
  guint n_specs;

  specs = impasto_params_get_specs (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      g_autofree char *text_a = impasto_param_to_string (a, &specs[i]);
      g_autofree char *text_b = impasto_param_to_string (b, &specs[i]);

      g_assert_cmpstr (text_a, ==, text_b);
    }
}

/* Each preset gives valid parameters, and the same whichever preset was chosen before it: a
 * look one preset sets (its smoothing, say) must not stay when another is chosen. */
static void
test_presets (void)
{
  for (guint p = 0; p < IMPASTO_N_PRESETS; p++)
    {
      g_autoptr(ImpastoRunParams) fresh = impasto_run_params_new ();
      g_autoptr(GError) error = NULL;

      impasto_preset_apply (p, fresh);
      g_assert_true (impasto_run_params_validate (fresh, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (fresh->steps, ==, impasto_preset_get_info (p)->steps);
      for (guint q = 0; q < IMPASTO_N_PRESETS; q++)
        {
          g_autoptr(ImpastoRunParams) after = impasto_run_params_new ();

          impasto_preset_apply (q, after);
          impasto_preset_apply (p, after);
          assert_same_params (after, fresh);
        }
    }
}

/* Seed-exact resizes as the seed did (PIL's bilinear); a format-1 recipe, which names no
 * filter, gets the box it was made with. */
static void
test_preset_resample (void)
{
  g_autoptr(ImpastoRunParams) params = impasto_run_params_new ();
  const ImpastoParamSpec *spec = impasto_params_find ("resample");

  g_assert_nonnull (spec);
  g_assert_cmpuint (spec->since_format, ==, 2);
  g_assert_cmpint (params->resample, ==, IMPASTO_RESAMPLE_BOX);
  impasto_preset_apply (IMPASTO_PRESET_SEED_EXACT, params);
  g_assert_cmpint (params->resample, ==, IMPASTO_RESAMPLE_TRIANGLE);
  impasto_preset_apply (IMPASTO_PRESET_DRAFT, params);
  g_assert_cmpint (params->resample, ==, IMPASTO_RESAMPLE_BOX);
  g_assert_true (impasto_param_parse (params, spec, "triangle", NULL));
  g_assert_cmpint (params->resample, ==, IMPASTO_RESAMPLE_TRIANGLE);
  g_assert_false (impasto_param_parse (params, spec, "bicubic", NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/impasto/params/table", test_table);
  g_test_add_func ("/impasto/params/presets", test_presets);
  g_test_add_func ("/impasto/params/doubles-round-trip", test_doubles_round_trip);
  g_test_add_func ("/impasto/params/layers", test_layers);
  g_test_add_func ("/impasto/params/schema-follows-table", test_schema);
  g_test_add_func ("/impasto/params/ui-follows-table", test_ui_adjustments);
  g_test_add_func ("/impasto/params/preset-resample", test_preset_resample);

  return g_test_run ();
}
