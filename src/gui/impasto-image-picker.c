/* impasto-image-picker.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "impasto-background.h"
#include "impasto-file-dialog.h"
#include "impasto-image-io.h"
#include "impasto-image-picker.h"
#include "impasto-texture.h"

/* Square, so that both pickers' names line up whatever the images' shapes. */
#define THUMBNAIL_SIZE 64

/* The window shows the image no larger than this on its long side. A photo at its own size
 * (3000 pixels and more) is scaled anew every time the preview is redrawn: a software
 * renderer under X11 spent two seconds on one such frame. */
#define PREVIEW_SIZE 1024

struct _ImpastoImagePicker
{
  GtkWidget             parent_instance;

  GtkButton            *button;
  GtkPicture           *thumbnail;
  GtkImage             *placeholder;
  GtkLabel             *title_label;
  GtkLabel             *file_label;
  GtkSpinner           *spinner;
  GtkLabel             *error_label;

  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;

  char                 *folder;
  GFile                *file;
  ImpastoImage         *image;
  char                 *sha256;    /* of the file's bytes */
  char                 *recipe;    /* the recipe of a result of Impasto's, or NULL */
  char                 *expected;  /* the checksum the file must have, a recipe's input */
  GdkTexture           *preview;
  char                 *error;
};

typedef struct
{
  GFile        *file;
  ImpastoImage *image;
  char         *sha256;
  char         *recipe;
  ImpastoImage *thumbnail;
  ImpastoImage *preview;     /* NULL when the image itself is small enough */
} LoadData;

G_DEFINE_FINAL_TYPE (ImpastoImagePicker, impasto_image_picker, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_FOLDER,
  PROP_FILE,
  PROP_LOADING,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->file);
  g_clear_pointer (&load->image, impasto_image_free);
  g_free (load->sha256);
  g_free (load->recipe);
  g_clear_pointer (&load->thumbnail, impasto_image_free);
  g_clear_pointer (&load->preview, impasto_image_free);
  g_free (load);

  impasto_background_release ();
}

/* The middle square of the image, THUMBNAIL_SIZE pixels wide. */
static ImpastoImage *
make_thumbnail (const ImpastoImage *image)
{
  guint side = MIN (image->width, image->height);
  guint x0 = (image->width - side) / 2;
  guint y0 = (image->height - side) / 2;
  g_autoptr(ImpastoImage) square = impasto_image_new (side, side);

  for (guint y = 0; y < side; y++)
    memcpy (square->pixels + (gsize) y * side * 3,
            image->pixels + ((gsize) (y0 + y) * image->width + x0) * 3,
            (gsize) side * 3);

  return impasto_image_resize (square, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
}

/* The image scaled, in its own proportions, to size pixels on its long side. */
static ImpastoImage *
scale_to (const ImpastoImage *image,
          guint               size)
{
  guint side = MAX (image->width, image->height);
  guint width = MAX (1, (guint) ((guint64) image->width * size / side));
  guint height = MAX (1, (guint) ((guint64) image->height * size / side));

  return impasto_image_resize (image, width, height);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LoadData *load = task_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  g_autofree char *path = g_file_get_path (load->file);

  /* Files without a local path (from a phone, a network share) are read through GIO. */
  if (path != NULL)
    {
      load->image = impasto_image_load_full (path, &load->sha256, &load->recipe, &error);
    }
  else if ((bytes = g_file_load_bytes (load->file, cancellable, NULL, &error)) != NULL)
    {
      load->image = impasto_image_load_bytes_with_recipe (bytes, &load->recipe, &error);
      load->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
    }

  if (load->image == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  load->thumbnail = make_thumbnail (load->image);
  if (MAX (load->image->width, load->image->height) > PREVIEW_SIZE)
    load->preview = scale_to (load->image, PREVIEW_SIZE);
  g_task_return_boolean (task, TRUE);
}

static void
impasto_image_picker_set_loading (ImpastoImagePicker *self,
                                  gboolean            loading)
{
  if (gtk_spinner_get_spinning (self->spinner) == loading)
    return;

  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
impasto_image_picker_set_error (ImpastoImagePicker *self,
                                const char         *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (error);
  gtk_label_set_label (self->error_label, error);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* Takes image, sha256 and recipe. */
static void
impasto_image_picker_show (ImpastoImagePicker *self,
                           GFile              *file,
                           ImpastoImage       *image,
                           char               *sha256,
                           char               *recipe,
                           ImpastoImage       *thumbnail,
                           ImpastoImage       *preview)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *name = NULL;

  if (thumbnail != NULL)
    texture = impasto_texture_new_for_image (thumbnail);
  if (file != NULL)
    name = g_file_get_basename (file);

  gtk_picture_set_paintable (self->thumbnail, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->thumbnail), texture != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder), texture == NULL);
  gtk_label_set_label (self->file_label, name != NULL ? name : _("No image chosen"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button),
                               file != NULL ? g_file_peek_path (file) : NULL);

  g_clear_pointer (&self->image, impasto_image_free);
  self->image = image;
  g_free (self->sha256);
  self->sha256 = sha256;
  g_free (self->recipe);
  self->recipe = recipe;
  g_clear_object (&self->preview);
  if (image != NULL)
    self->preview = impasto_texture_new_for_image (preview != NULL ? preview : image);

  if (g_set_object (&self->file, file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  else if (file != NULL)
    /* The same file again, perhaps changed on disk: the image is new all the same. */
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

static void
on_load_done (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ImpastoImagePicker) self = user_data;
  LoadData *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error)
      && self->expected != NULL && g_strcmp0 (self->expected, load->sha256) != 0)
    {
      g_autofree char *shown = g_file_get_basename (load->file);
      g_autofree char *text = NULL;

      /* Translators: %s is a file name. */
      text = g_strdup_printf (_("“%s” is not the file the recipe was made with: its contents "
                                "have changed"), shown);
      impasto_image_picker_show_error (self, text);
      return;
    }
  if (error == NULL)
    {
      impasto_image_picker_set_loading (self, FALSE);
      impasto_image_picker_set_error (self, NULL);
      impasto_image_picker_show (self, load->file, g_steal_pointer (&load->image),
                                 g_steal_pointer (&load->sha256),
                                 g_steal_pointer (&load->recipe), load->thumbnail,
                                 load->preview);
      return;
    }

  /* Replaced by a newer file, or the picker is going away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  name = g_file_get_basename (load->file);
  /* Translators: the first %s is a file name, the second says what went wrong. */
  message = g_strdup_printf (_("Could not open “%s”: %s"), name, error->message);
  /* A recipe's input that cannot be read leaves no image: the one there was belongs to
   * another recipe. A file the user chose instead is a mistake to correct, and the image
   * chosen before it stays. */
  if (self->expected != NULL)
    {
      impasto_image_picker_show_error (self, message);
      return;
    }
  impasto_image_picker_set_loading (self, FALSE);
  impasto_image_picker_set_error (self, message);
}

/* No image, and why: a file that could not be read, or one a recipe names that is missing
 * or has changed. */
void
impasto_image_picker_show_error (ImpastoImagePicker *self,
                                 const char         *message)
{
  g_return_if_fail (IMPASTO_IS_IMAGE_PICKER (self));

  g_cancellable_cancel (self->cancellable);
  impasto_image_picker_set_loading (self, FALSE);
  impasto_image_picker_set_error (self, message);
  impasto_image_picker_show (self, NULL, NULL, NULL, NULL, NULL, NULL);
}

void
impasto_image_picker_set_file (ImpastoImagePicker *self,
                               GFile              *file)
{
  impasto_image_picker_set_file_expecting (self, file, NULL);
}

/* Loads file as one a recipe names: only with these contents (SHA-256) is it the input the
 * recipe was made with. A recipe it carries itself is not the picker's to follow then. */
void
impasto_image_picker_set_file_expecting (ImpastoImagePicker *self,
                                         GFile              *file,
                                         const char         *sha256)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (IMPASTO_IS_IMAGE_PICKER (self));
  g_return_if_fail (G_IS_FILE (file));

  g_free (self->expected);
  self->expected = g_strdup (sha256);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  load = g_new0 (LoadData, 1);
  load->file = g_object_ref (file);

  /* No source object: the worker may drop the last reference to the task (see
   * impasto-job.c). */
  task = g_task_new (NULL, self->cancellable, on_load_done, g_object_ref (self));
  g_task_set_name (task, "[impasto] load image");
  impasto_background_hold ();
  g_task_set_task_data (task, load, load_data_free);

  impasto_image_picker_set_loading (self, TRUE);
  g_task_run_in_thread (task, load_in_thread);
}

static void
on_file_chosen (GFile    *file,
                gpointer  owner)
{
  ImpastoImagePicker *self = owner;
  g_autoptr(GFile) folder = g_file_get_parent (file);

  if (folder != NULL && g_file_peek_path (folder) != NULL)
    impasto_image_picker_set_folder (self, g_file_peek_path (folder));
  impasto_image_picker_set_file (self, file);
}

void
impasto_image_picker_choose (ImpastoImagePicker *self)
{
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (IMPASTO_IS_IMAGE_PICKER (self));

  if (impasto_file_dialog_reshow (self->chooser))
    return;

  if (self->folder != NULL && *self->folder != '\0')
    folder = g_file_new_for_path (self->folder);

  /* Translators: %s is the picker's title, "Content Image" or "Style Image". */
  title = g_strdup_printf (_("Choose the %s"), gtk_label_get_label (self->title_label));
  dialog = impasto_file_dialog_new (GTK_WIDGET (self), GTK_FILE_CHOOSER_ACTION_OPEN, title,
                                    _("_Open"), folder);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  impasto_file_dialog_add_filter (dialog, filter);

  impasto_file_dialog_show (&self->chooser, dialog, on_file_chosen, self);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  impasto_image_picker_choose (IMPASTO_IMAGE_PICKER (widget));
}

static gboolean
on_drop (GtkDropTarget      *target,
         const GValue       *value,
         double              x,
         double              y,
         ImpastoImagePicker *self)
{
  GFile *file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;

  impasto_image_picker_set_file (self, file);

  return TRUE;
}

static void
impasto_image_picker_dispose (GObject *object)
{
  ImpastoImagePicker *self = (ImpastoImagePicker *)object;

  g_cancellable_cancel (self->cancellable);

  impasto_file_dialog_clear (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), IMPASTO_TYPE_IMAGE_PICKER);

  G_OBJECT_CLASS (impasto_image_picker_parent_class)->dispose (object);
}

static void
impasto_image_picker_finalize (GObject *object)
{
  ImpastoImagePicker *self = (ImpastoImagePicker *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->folder, g_free);
  g_clear_object (&self->file);
  g_clear_pointer (&self->image, impasto_image_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->recipe, g_free);
  g_clear_pointer (&self->expected, g_free);
  g_clear_object (&self->preview);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (impasto_image_picker_parent_class)->finalize (object);
}

static void
impasto_image_picker_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ImpastoImagePicker *self = IMPASTO_IMAGE_PICKER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, impasto_image_picker_get_title (self));
      break;

    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;

    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, impasto_image_picker_get_loading (self));
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_image_picker_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  ImpastoImagePicker *self = IMPASTO_IMAGE_PICKER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      impasto_image_picker_set_title (self, g_value_get_string (value));
      break;

    case PROP_FOLDER:
      impasto_image_picker_set_folder (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_image_picker_class_init (ImpastoImagePickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = impasto_image_picker_dispose;
  object_class->finalize = impasto_image_picker_finalize;
  object_class->get_property = impasto_image_picker_get_property;
  object_class->set_property = impasto_image_picker_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Where the file chooser opens; bound to GSettings by the window. */
  properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/impasto/Impasto/impasto-image-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, ImpastoImagePicker, button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoImagePicker, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, ImpastoImagePicker, placeholder);
  gtk_widget_class_bind_template_child (widget_class, ImpastoImagePicker, title_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoImagePicker, file_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoImagePicker, spinner);
  gtk_widget_class_bind_template_child (widget_class, ImpastoImagePicker, error_label);

  gtk_widget_class_install_action (widget_class, "picker.choose", NULL, choose_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "impasto-image-picker");
}

static void
impasto_image_picker_init (ImpastoImagePicker *self)
{
  GtkDropTarget *target;
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  target = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  self->cancellable = g_cancellable_new ();
}

GtkWidget *
impasto_image_picker_new (void)
{
  return g_object_new (IMPASTO_TYPE_IMAGE_PICKER, NULL);
}

const char *
impasto_image_picker_get_title (ImpastoImagePicker *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_PICKER (self), NULL);

  return gtk_label_get_label (self->title_label);
}

void
impasto_image_picker_set_title (ImpastoImagePicker *self,
                                const char         *title)
{
  g_return_if_fail (IMPASTO_IS_IMAGE_PICKER (self));

  if (g_strcmp0 (title, gtk_label_get_label (self->title_label)) == 0)
    return;

  gtk_label_set_label (self->title_label, title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
impasto_image_picker_get_folder (ImpastoImagePicker *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_PICKER (self), NULL);

  return self->folder;
}

void
impasto_image_picker_set_folder (ImpastoImagePicker *self,
                                 const char         *folder)
{
  g_return_if_fail (IMPASTO_IS_IMAGE_PICKER (self));

  if (g_strcmp0 (self->folder, folder) == 0)
    return;

  g_free (self->folder);
  self->folder = g_strdup (folder);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDER]);
}

GFile *
impasto_image_picker_get_file (ImpastoImagePicker *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_PICKER (self), NULL);

  return self->file;
}

/* The decoded image, at its own size, or NULL. */
const ImpastoImage *
impasto_image_picker_get_image (ImpastoImagePicker *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_PICKER (self), NULL);

  return self->image;
}

/* The SHA-256 of the image file's bytes, or NULL without an image. */
const char *
impasto_image_picker_get_sha256 (ImpastoImagePicker *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_PICKER (self), NULL);

  return self->sha256;
}

/* The recipe text a result of Impasto's carries, or NULL; always NULL for a file a recipe
 * named, which is an input and no recipe to open. */
const char *
impasto_image_picker_get_recipe (ImpastoImagePicker *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_PICKER (self), NULL);

  return self->expected == NULL ? self->recipe : NULL;
}

/* The image for showing: no larger than PREVIEW_SIZE on its long side; NULL without one. */
GdkTexture *
impasto_image_picker_get_preview (ImpastoImagePicker *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_PICKER (self), NULL);

  return self->preview;
}

gboolean
impasto_image_picker_get_loading (ImpastoImagePicker *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_PICKER (self), FALSE);

  return gtk_spinner_get_spinning (self->spinner);
}

const char *
impasto_image_picker_get_error (ImpastoImagePicker *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_PICKER (self), NULL);

  return self->error;
}
