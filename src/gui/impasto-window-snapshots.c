/* impasto-window-snapshots.c: the strip of the run's snapshots below the preview
 *
 * The strip shows the job's snapshots (see impasto_job_get_snapshots()) as they come. While
 * live, the preview follows the run and the newest is selected; a click on an older one
 * shows it instead, until the newest or Live is clicked. The one shown (the newest, live) can
 * be saved with the recipe of its own step, or painted on from: Continue from Here saves it
 * first when no file holds it, so that the new run's recipe names its start, as Start from
 * This Picture does. The new run has a strip of its own, which begins with that picture.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "impasto-window-private.h"

/* The shown one, or the newest while live; NULL without any. */
ImpastoSnapshot *
impasto_window_get_target_snapshot (ImpastoWindow *self)
{
  GListModel *model = G_LIST_MODEL (self->snapshot_selection);
  g_autoptr(ImpastoSnapshot) newest = NULL;
  guint n;

  if (self->shown_snapshot != NULL)
    return self->shown_snapshot;
  /* Before the window's init has made the strip, or after its dispose. */
  if (model == NULL || (n = g_list_model_get_n_items (model)) == 0)
    return NULL;

  newest = g_list_model_get_item (model, n - 1);
  return newest;   /* the job keeps it */
}

void
impasto_window_update_snapshot_actions (ImpastoWindow *self)
{
  ImpastoSnapshot *target = impasto_window_get_target_snapshot (self);
  gboolean painted = target != NULL && impasto_snapshot_get_step (target) > 0;
  g_autofree char *shown = NULL;

  if (self->snapshot_selection == NULL)
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.live", self->shown_snapshot != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-snapshot", painted);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.continue-from-snapshot",
                                 painted && self->can_start);
  gtk_widget_set_visible (self->live_button, self->shown_snapshot != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->snapshot_menu_button), target != NULL);

  if (self->shown_snapshot != NULL)
    /* Translators: the step of the snapshot the preview shows instead of the running one. */
    shown = g_strdup_printf (_("Showing step %u"),
                             impasto_snapshot_get_step (self->shown_snapshot));
  gtk_label_set_text (self->shown_label, shown);
}

/* And scrolled to when it is a new one, not the newest replaced. */
static void
select_newest (ImpastoWindow *self,
               gboolean       scroll)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->snapshot_selection));

  if (n == 0)
    return;

  if (gtk_single_selection_get_selected (self->snapshot_selection) != n - 1)
    gtk_single_selection_set_selected (self->snapshot_selection, n - 1);
  if (scroll)
    gtk_widget_activate_action (GTK_WIDGET (self->snapshot_strip), "list.scroll-to-item", "u",
                                n - 1);
}

/* The preview follows the run again. */
void
impasto_window_show_live (ImpastoWindow *self)
{
  g_clear_object (&self->shown_snapshot);
  select_newest (self, TRUE);
  if (self->job != NULL && impasto_job_get_texture (self->job) != NULL)
    impasto_window_set_preview (self, impasto_job_get_texture (self->job));
  impasto_window_update_snapshot_actions (self);
}

/* The snapshot at position in the strip; the newest is the live preview. */
void
impasto_window_show_snapshot (ImpastoWindow *self,
                              guint          position)
{
  GListModel *model = G_LIST_MODEL (self->snapshot_selection);
  g_autoptr(ImpastoSnapshot) snapshot = g_list_model_get_item (model, position);

  g_return_if_fail (snapshot != NULL);

  if (position + 1 == g_list_model_get_n_items (model))
    {
      impasto_window_show_live (self);
      return;
    }

  g_set_object (&self->shown_snapshot, snapshot);
  gtk_single_selection_set_selected (self->snapshot_selection, position);
  impasto_window_set_preview (self, impasto_snapshot_get_texture (snapshot));
  impasto_window_update_snapshot_actions (self);
}

static void
on_strip_activate (GtkListView   *strip,
                   guint          position,
                   ImpastoWindow *self)
{
  impasto_window_show_snapshot (self, position);
}

/* A right click shows the snapshot and offers what can be done with it. */
static void
on_thumbnail_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      GtkListItem     *item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  ImpastoWindow *self = IMPASTO_WINDOW (gtk_widget_get_root (widget));

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  impasto_window_show_snapshot (self, gtk_list_item_get_position (item));
  gtk_menu_button_popup (self->snapshot_menu_button);
}

static void
setup_thumbnail (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkGesture *menu_click = gtk_gesture_click_new ();

  g_autoptr(ImpastoPreviewPaintable) paintable = impasto_preview_paintable_new ();

  /* The newest thumbnail is replaced at every snapshot: a paintable that stays, as the
   * preview's does, spares the window a resize each time. */
  gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (paintable));
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_size_request (picture, 72, 48);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), label);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (menu_click), GDK_BUTTON_SECONDARY);
  g_signal_connect (menu_click, "pressed", G_CALLBACK (on_thumbnail_pressed), item);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (menu_click));

  gtk_list_item_set_child (item, box);
}

static void
bind_thumbnail (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  ImpastoSnapshot *snapshot = gtk_list_item_get_item (item);
  GtkWidget *picture = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *label = gtk_widget_get_next_sibling (picture);
  g_autofree char *text = NULL;

  /* Translators: below a snapshot's thumbnail: the step it shows. */
  text = g_strdup_printf (_("Step %u"), impasto_snapshot_get_step (snapshot));
  gtk_label_set_text (GTK_LABEL (label), text);
  impasto_preview_paintable_set_texture (
    IMPASTO_PREVIEW_PAINTABLE (gtk_picture_get_paintable (GTK_PICTURE (picture))),
    impasto_snapshot_get_texture (snapshot));
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), text);
}

/* While live the newest is selected as it comes. */
static void
on_snapshots_changed (GListModel    *model,
                      guint          position,
                      guint          removed,
                      guint          added,
                      ImpastoWindow *self)
{
  if (self->shown_snapshot == NULL)
    select_newest (self, added > removed);
  impasto_window_update_snapshot_actions (self);
}

/* A new job, or none: its strip, live. */
void
impasto_window_show_job_snapshots (ImpastoWindow *self)
{
  g_clear_object (&self->shown_snapshot);
  gtk_single_selection_set_model (self->snapshot_selection,
                                  self->job != NULL ? impasto_job_get_snapshots (self->job)
                                                    : NULL);
  gtk_widget_set_visible (self->snapshot_scroller, self->job != NULL);
  select_newest (self, TRUE);
  impasto_window_update_snapshot_actions (self);
}

/* The save dialog, for that snapshot's file; then after. */
void
impasto_window_choose_snapshot_file (ImpastoWindow   *self,
                                     ImpastoSnapshot *snapshot,
                                     ImpastoAfter     after)
{
  impasto_window_choose_save_file_then (self, after);
  g_set_object (&self->save_snapshot, snapshot);
}

/* A new run from the snapshot Continue from Here chose, as the file it is saved in holds it
 * (saved first when it is in none); the painting there is may have to be saved too. */
void
impasto_window_continue_from_snapshot (ImpastoWindow *self)
{
  const char *path, *sha256;

  if (self->start_snapshot == NULL || !self->can_start)
    return;

  if (!impasto_snapshot_get_saved_file (self->start_snapshot, &path, &sha256))
    {
      impasto_window_choose_snapshot_file (self, self->start_snapshot,
                                           IMPASTO_AFTER_CONTINUE_FROM_SNAPSHOT);
      return;
    }
  if (!impasto_window_may_drop_painting (self, IMPASTO_AFTER_CONTINUE_FROM_SNAPSHOT))
    return;

  {
    g_autofree char *start_path = g_strdup (path);
    g_autofree char *start_sha256 = g_strdup (sha256);

    g_clear_object (&self->start_snapshot);
    impasto_window_run (self, start_path, start_sha256);
  }
}

static void
live_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  impasto_window_show_live (IMPASTO_WINDOW (widget));
}

static void
save_snapshot_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);
  ImpastoSnapshot *target = impasto_window_get_target_snapshot (self);

  if (target != NULL && impasto_snapshot_get_step (target) > 0)
    impasto_window_choose_snapshot_file (self, target, IMPASTO_AFTER_NOTHING);
}

static void
continue_from_snapshot_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);
  ImpastoSnapshot *target = impasto_window_get_target_snapshot (self);

  if (target == NULL || impasto_snapshot_get_step (target) == 0)
    return;

  g_set_object (&self->start_snapshot, target);
  impasto_window_continue_from_snapshot (self);
}

void
impasto_window_class_snapshots_init (ImpastoWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, live_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, shown_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, snapshot_menu_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, snapshot_scroller);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, snapshot_strip);

  gtk_widget_class_install_action (widget_class, "win.live", NULL, live_action);
  gtk_widget_class_install_action (widget_class, "win.save-snapshot", NULL,
                                   save_snapshot_action);
  gtk_widget_class_install_action (widget_class, "win.continue-from-snapshot", NULL,
                                   continue_from_snapshot_action);
}

void
impasto_window_init_snapshots (ImpastoWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_thumbnail), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_thumbnail), NULL);
  gtk_list_view_set_factory (self->snapshot_strip, factory);
  g_object_unref (factory);

  self->snapshot_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->snapshot_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->snapshot_selection, TRUE);
  gtk_list_view_set_model (self->snapshot_strip, GTK_SELECTION_MODEL (self->snapshot_selection));
  /* Once the list view has its new items: selecting one before would crash it. */
  g_signal_connect_object (self->snapshot_selection, "items-changed",
                           G_CALLBACK (on_snapshots_changed), self, G_CONNECT_AFTER);
  g_signal_connect (self->snapshot_strip, "activate", G_CALLBACK (on_strip_activate), self);

  impasto_window_update_snapshot_actions (self);
}

void
impasto_window_dispose_snapshots (ImpastoWindow *self)
{
  if (self->snapshot_selection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->snapshot_selection, self);
      gtk_single_selection_set_model (self->snapshot_selection, NULL);
    }
  g_clear_object (&self->snapshot_selection);
  g_clear_object (&self->shown_snapshot);
  g_clear_object (&self->save_snapshot);
  g_clear_object (&self->start_snapshot);
}
