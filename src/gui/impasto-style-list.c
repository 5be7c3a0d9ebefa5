/* impasto-style-list.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "impasto-run.h"
#include "impasto-style-list.h"
#include "impasto-style-row.h"

struct _ImpastoStyleList
{
  GtkWidget  parent_instance;

  GtkBox    *rows_box;
  GtkWidget *add_button;

  GPtrArray *rows;      /* ImpastoStyleRow, in the blend's order; the box holds them */
  char      *folder;
};

G_DEFINE_FINAL_TYPE (ImpastoStyleList, impasto_style_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLDER,
  PROP_LOADING,
  N_PROPS
};

enum {
  PICKER_CHANGED,
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static ImpastoStyleRow *
row_at (ImpastoStyleList *self,
        guint             i)
{
  g_return_val_if_fail (i < self->rows->len, NULL);

  return g_ptr_array_index (self->rows, i);
}

static double
total_weight (ImpastoStyleList *self)
{
  double sum = 0;

  for (guint i = 0; i < self->rows->len; i++)
    sum += impasto_style_row_get_weight (row_at (self, i));

  return sum;
}

/* Titles, shares and buttons as the rows now stand; then the news. */
static void
update_rows (ImpastoStyleList *self)
{
  double sum = total_weight (self);

  for (guint i = 0; i < self->rows->len; i++)
    {
      ImpastoStyleRow *row = row_at (self, i);
      double share = sum > 0 ? impasto_style_row_get_weight (row) / sum : 0;

      impasto_style_row_set_place (row, i, self->rows->len, share);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "style-list.add",
                                 self->rows->len < IMPASTO_MAX_STYLES);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_row_move (ImpastoStyleList *self,
             int               delta,
             ImpastoStyleRow  *row)
{
  guint i;

  if (g_ptr_array_find (self->rows, row, &i) && (int) i + delta >= 0)
    impasto_style_list_move (self, i, i + delta);
}

static void
on_row_remove (ImpastoStyleList *self,
               ImpastoStyleRow  *row)
{
  guint i;

  if (g_ptr_array_find (self->rows, row, &i))
    impasto_style_list_remove (self, i);
}

static void
on_picker_file (ImpastoStyleList   *self,
                GParamSpec         *pspec,
                ImpastoImagePicker *picker)
{
  g_signal_emit (self, signals[PICKER_CHANGED], 0, picker);
}

static void
on_picker_loading (ImpastoStyleList *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static ImpastoStyleRow *
append_row (ImpastoStyleList *self)
{
  ImpastoStyleRow *row = IMPASTO_STYLE_ROW (impasto_style_row_new ());
  ImpastoImagePicker *picker = impasto_style_row_get_picker (row);

  /* Every picker opens where the last style image came from, and tells where that was. */
  g_object_bind_property (self, "folder", picker, "folder",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (row, "move", G_CALLBACK (on_row_move), self);
  g_signal_connect_swapped (row, "remove", G_CALLBACK (on_row_remove), self);
  g_signal_connect_swapped (row, "notify::weight", G_CALLBACK (update_rows), self);
  g_signal_connect_swapped (picker, "notify::file", G_CALLBACK (on_picker_file), self);
  g_signal_connect_swapped (picker, "notify::loading", G_CALLBACK (on_picker_loading), self);

  gtk_box_append (self->rows_box, GTK_WIDGET (row));
  g_ptr_array_add (self->rows, row);
  return row;
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  ImpastoImagePicker *picker = impasto_style_list_add (IMPASTO_STYLE_LIST (widget));

  if (picker != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (picker));
}

static void
impasto_style_list_dispose (GObject *object)
{
  ImpastoStyleList *self = IMPASTO_STYLE_LIST (object);

  g_ptr_array_set_size (self->rows, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMPASTO_TYPE_STYLE_LIST);

  G_OBJECT_CLASS (impasto_style_list_parent_class)->dispose (object);
}

static void
impasto_style_list_finalize (GObject *object)
{
  ImpastoStyleList *self = IMPASTO_STYLE_LIST (object);

  g_ptr_array_unref (self->rows);
  g_free (self->folder);

  G_OBJECT_CLASS (impasto_style_list_parent_class)->finalize (object);
}

static void
impasto_style_list_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ImpastoStyleList *self = IMPASTO_STYLE_LIST (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, impasto_style_list_get_loading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_style_list_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ImpastoStyleList *self = IMPASTO_STYLE_LIST (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      if (g_strcmp0 (self->folder, g_value_get_string (value)) != 0)
        {
          g_free (self->folder);
          self->folder = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_style_list_class_init (ImpastoStyleListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = impasto_style_list_dispose;
  object_class->finalize = impasto_style_list_finalize;
  object_class->get_property = impasto_style_list_get_property;
  object_class->set_property = impasto_style_list_set_property;

  /* Where the pickers' file choosers open; bound to GSettings by the window. */
  properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A picker's file changed, as its "notify::file". */
  signals[PICKER_CHANGED] = g_signal_new ("picker-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, IMPASTO_TYPE_IMAGE_PICKER);
  /* Rows added, removed or moved, a weight or whether a picker loads. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/impasto/Impasto/impasto-style-list.ui");
  gtk_widget_class_bind_template_child (widget_class, ImpastoStyleList, rows_box);
  gtk_widget_class_bind_template_child (widget_class, ImpastoStyleList, add_button);
  gtk_widget_class_install_action (widget_class, "style-list.add", NULL, add_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "impasto-style-list");
}

static void
impasto_style_list_init (ImpastoStyleList *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  self->rows = g_ptr_array_new ();
  append_row (self);
  update_rows (self);
}

guint
impasto_style_list_get_n_styles (ImpastoStyleList *self)
{
  g_return_val_if_fail (IMPASTO_IS_STYLE_LIST (self), 0);

  return self->rows->len;
}

ImpastoImagePicker *
impasto_style_list_get_picker (ImpastoStyleList *self,
                               guint             i)
{
  g_return_val_if_fail (IMPASTO_IS_STYLE_LIST (self), NULL);

  return impasto_style_row_get_picker (row_at (self, i));
}

double
impasto_style_list_get_weight (ImpastoStyleList *self,
                               guint             i)
{
  g_return_val_if_fail (IMPASTO_IS_STYLE_LIST (self), 0);

  return impasto_style_row_get_weight (row_at (self, i));
}

void
impasto_style_list_set_weight (ImpastoStyleList *self,
                               guint             i,
                               double            weight)
{
  g_return_if_fail (IMPASTO_IS_STYLE_LIST (self));

  impasto_style_row_set_weight (row_at (self, i), weight);
}

ImpastoImagePicker *
impasto_style_list_add (ImpastoStyleList *self)
{
  ImpastoStyleRow *row;

  g_return_val_if_fail (IMPASTO_IS_STYLE_LIST (self), NULL);

  if (self->rows->len >= IMPASTO_MAX_STYLES)
    return NULL;

  row = append_row (self);
  update_rows (self);
  return impasto_style_row_get_picker (row);
}

/* The last one stays: a painting needs a style image. */
void
impasto_style_list_remove (ImpastoStyleList *self,
                           guint             i)
{
  ImpastoStyleRow *row;

  g_return_if_fail (IMPASTO_IS_STYLE_LIST (self));
  g_return_if_fail (i < self->rows->len);

  if (self->rows->len == 1)
    return;

  row = g_ptr_array_steal_index (self->rows, i);
  g_signal_handlers_disconnect_by_data (row, self);
  g_signal_handlers_disconnect_by_data (impasto_style_row_get_picker (row), self);
  gtk_box_remove (self->rows_box, GTK_WIDGET (row));
  update_rows (self);
}

void
impasto_style_list_move (ImpastoStyleList *self,
                         guint             from,
                         guint             to)
{
  ImpastoStyleRow *row;

  g_return_if_fail (IMPASTO_IS_STYLE_LIST (self));
  g_return_if_fail (from < self->rows->len);

  if (to >= self->rows->len || to == from)
    return;

  row = g_ptr_array_steal_index (self->rows, from);
  g_ptr_array_insert (self->rows, to, row);
  gtk_box_reorder_child_after (self->rows_box, GTK_WIDGET (row),
                               to == 0 ? NULL : g_ptr_array_index (self->rows, to - 1));
  update_rows (self);
}

void
impasto_style_list_set_n_styles (ImpastoStyleList *self,
                                 guint             n)
{
  g_return_if_fail (IMPASTO_IS_STYLE_LIST (self));
  g_return_if_fail (n >= 1 && n <= IMPASTO_MAX_STYLES);

  while (self->rows->len > n)
    impasto_style_list_remove (self, self->rows->len - 1);
  while (self->rows->len < n)
    impasto_style_list_add (self);
}

gboolean
impasto_style_list_get_loading (ImpastoStyleList *self)
{
  g_return_val_if_fail (IMPASTO_IS_STYLE_LIST (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    if (impasto_image_picker_get_loading (impasto_style_list_get_picker (self, i)))
      return TRUE;

  return FALSE;
}

gboolean
impasto_style_list_has_picker (ImpastoStyleList   *self,
                               ImpastoImagePicker *picker)
{
  g_return_val_if_fail (IMPASTO_IS_STYLE_LIST (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    if (impasto_style_list_get_picker (self, i) == picker)
      return TRUE;

  return FALSE;
}
