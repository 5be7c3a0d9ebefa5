/* test-window-compare.c: the photo left of the divider and the painting right of it
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "impasto-compare-view.h"
#include "window-fixtures.h"

#define VIEW_WIDTH 200
#define VIEW_HEIGHT 100

static const guint8 photo_rgb[3] = { 20, 40, 200 };
static const guint8 painting_rgb[3] = { 230, 120, 10 };

static GdkTexture *
new_solid_texture (int           width,
                   int           height,
                   const guint8  rgb[3])
{
  gsize n = (gsize) width * height;
  guint8 *pixels = g_malloc (n * 3);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = 0; i < n; i++)
    memcpy (pixels + i * 3, rgb, 3);
  bytes = g_bytes_new_take (pixels, n * 3);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, (gsize) width * 3);
}

typedef struct
{
  GtkWindow          *window;
  ImpastoCompareView *view;
} Fixture;

static gboolean
view_allocated (gpointer data)
{
  return gtk_widget_get_width (data) == VIEW_WIDTH && gtk_widget_get_height (data) == VIEW_HEIGHT;
}

/* A view of 200x100 showing a 2:1 painting, so that its frame is the whole view, and a square
 * photo, which is stretched to that frame. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GdkTexture) painting = new_solid_texture (40, 20, painting_rgb);
  g_autoptr(GdkTexture) photo = new_solid_texture (16, 16, photo_rgb);
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (painting));

  fixture->view = IMPASTO_COMPARE_VIEW (g_object_ref_sink (impasto_compare_view_new ()));
  gtk_widget_set_size_request (GTK_WIDGET (fixture->view), VIEW_WIDTH, VIEW_HEIGHT);
  gtk_widget_set_halign (GTK_WIDGET (fixture->view), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (fixture->view), GTK_ALIGN_START);
  impasto_compare_view_set_child (fixture->view, picture);
  impasto_compare_view_set_paintable (fixture->view, GDK_PAINTABLE (painting));
  impasto_compare_view_set_before (fixture->view, GDK_PAINTABLE (photo));

  fixture->window = GTK_WINDOW (gtk_window_new ());
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);
  wait_until (view_allocated, fixture->view, "the view is allocated");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  wait_until (pointer_cleared, &fixture->window, "the window is finalized");
  g_assert_finalize_object (fixture->view);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  (*(guint *) data)++;

  return G_SOURCE_CONTINUE;
}

static gboolean
two_frames_drawn (gpointer data)
{
  return *(guint *) data >= 2;
}

static guint32 *
render_laid_out_view (Fixture *fixture)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (fixture->view));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (fixture->window));
  guint32 *pixels = g_new (guint32, VIEW_WIDTH * VIEW_HEIGHT);

  gdk_paintable_snapshot (paintable, snapshot, VIEW_WIDTH, VIEW_HEIGHT);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, VIEW_WIDTH, VIEW_HEIGHT));
  gdk_texture_download (texture, (guchar *) pixels, VIEW_WIDTH * 4);
  for (int i = 0; i < VIEW_WIDTH * VIEW_HEIGHT; i++)
    pixels[i] &= 0xffffff;

  return pixels;
}

/* The view as the window's renderer draws it, as 0xRRGGBB words, once a change is laid out. */
static guint32 *
render_view (Fixture *fixture)
{
  guint n_frames = 0;
  guint tick = gtk_widget_add_tick_callback (GTK_WIDGET (fixture->view), on_tick, &n_frames,
                                             NULL);

  gtk_widget_queue_draw (GTK_WIDGET (fixture->view));
  wait_until (two_frames_drawn, &n_frames, "the view is drawn");
  gtk_widget_remove_tick_callback (GTK_WIDGET (fixture->view), tick);

  return render_laid_out_view (fixture);
}

static guint32
rgb_word (const guint8 rgb[3])
{
  return (guint32) rgb[0] << 16 | (guint32) rgb[1] << 8 | rgb[2];
}

/* Every pixel of the columns [from, to) in a band above the knob and one below it. */
static void
assert_columns (const guint32 *pixels,
                int            from,
                int            to,
                const guint8   rgb[3])
{
  static const int rows[] = { 0, 10, 30, 70, 90, VIEW_HEIGHT - 1 };

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    for (int x = from; x < to; x++)
      if (pixels[rows[r] * VIEW_WIDTH + x] != rgb_word (rgb))
        g_error ("pixel %d,%d is %06x, expected %06x", x, rows[r],
                 pixels[rows[r] * VIEW_WIDTH + x], rgb_word (rgb));
}

static void
test_compare_off_shows_painting (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree guint32 *pixels = NULL;

  g_assert_false (impasto_compare_view_get_comparing (fixture->view));
  g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (fixture->view)));
  pixels = render_view (fixture);
  assert_columns (pixels, 0, VIEW_WIDTH, painting_rgb);
}

static void
test_compare_photo_left_painting_right (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autofree guint32 *at_quarter = NULL;
  g_autofree guint32 *at_end = NULL;
  g_autofree guint32 *at_start = NULL;

  impasto_compare_view_set_comparing (fixture->view, TRUE);
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (fixture->view)));
  impasto_compare_view_set_position (fixture->view, 0.25);
  at_quarter = render_view (fixture);
  /* The divider is 4 pixels wide, at x = 50. */
  assert_columns (at_quarter, 0, 48, photo_rgb);
  assert_columns (at_quarter, 52, VIEW_WIDTH, painting_rgb);

  impasto_compare_view_set_position (fixture->view, 1);
  at_end = render_view (fixture);
  assert_columns (at_end, 0, VIEW_WIDTH - 2, photo_rgb);

  impasto_compare_view_set_position (fixture->view, 0);
  at_start = render_view (fixture);
  assert_columns (at_start, 2, VIEW_WIDTH, painting_rgb);
}

/* The painting's frame, with letterboxing: the photo is drawn in it and nowhere else. */
static void
test_compare_photo_fills_painting_frame (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(GdkTexture) tall = new_solid_texture (10, 20, painting_rgb);
  graphene_rect_t frame;

  impasto_compare_view_set_paintable (fixture->view, GDK_PAINTABLE (tall));
  g_assert_true (impasto_compare_view_get_frame (fixture->view, VIEW_WIDTH, VIEW_HEIGHT,
                                                 &frame));
  g_assert_cmpfloat (frame.origin.x, ==, 75);
  g_assert_cmpfloat (frame.origin.y, ==, 0);
  g_assert_cmpfloat (frame.size.width, ==, 50);
  g_assert_cmpfloat (frame.size.height, ==, 100);

  impasto_compare_view_set_comparing (fixture->view, TRUE);
  impasto_compare_view_set_position (fixture->view, 0.5);
  {
    g_autofree guint32 *pixels = render_view (fixture);

    /* Outside the frame: the window's background, neither picture. */
    g_assert_cmphex (pixels[10 * VIEW_WIDTH + 10], !=, rgb_word (photo_rgb));
    g_assert_cmphex (pixels[10 * VIEW_WIDTH + 10], !=, rgb_word (painting_rgb));
    assert_columns (pixels, 75, 98, photo_rgb);
    assert_columns (pixels, 102, 125, painting_rgb);
  }
}

static GtkEventController *
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;   /* the widget keeps it */
    }

  g_assert_not_reached ();
}

static void
test_compare_drag_moves_and_clamps (Fixture       *fixture,
                                    gconstpointer  data)
{
  GtkEventController *drag = find_controller (GTK_WIDGET (fixture->view), GTK_TYPE_GESTURE_DRAG);

  impasto_compare_view_set_position (fixture->view, 7);
  g_assert_cmpfloat (impasto_compare_view_get_position (fixture->view), ==, 1);
  impasto_compare_view_set_position (fixture->view, -3);
  g_assert_cmpfloat (impasto_compare_view_get_position (fixture->view), ==, 0);

  /* Off, a press leaves the divider where it is. */
  g_signal_emit_by_name (drag, "drag-begin", 150.0, 50.0);
  g_assert_cmpfloat (impasto_compare_view_get_position (fixture->view), ==, 0);

  impasto_compare_view_set_comparing (fixture->view, TRUE);
  g_signal_emit_by_name (drag, "drag-begin", 150.0, 50.0);
  g_assert_cmpfloat (impasto_compare_view_get_position (fixture->view), ==, 0.75);
  g_signal_emit_by_name (drag, "drag-update", -100.0, 3.0);
  g_assert_cmpfloat (impasto_compare_view_get_position (fixture->view), ==, 0.25);
  g_signal_emit_by_name (drag, "drag-update", 500.0, 0.0);
  g_assert_cmpfloat (impasto_compare_view_get_position (fixture->view), ==, 1);
  g_signal_emit_by_name (drag, "drag-update", -500.0, 0.0);
  g_assert_cmpfloat (impasto_compare_view_get_position (fixture->view), ==, 0);
}

static gboolean
press_key (GtkEventController *keys,
           guint               keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (keys, "key-pressed", keyval, 0, 0, &handled);

  return handled;
}

static void
test_compare_keys_move (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkEventController *keys = find_controller (GTK_WIDGET (fixture->view),
                                              GTK_TYPE_EVENT_CONTROLLER_KEY);

  g_assert_false (press_key (keys, GDK_KEY_Left));
  g_assert_cmpfloat (impasto_compare_view_get_position (fixture->view), ==, 0.5);

  impasto_compare_view_set_comparing (fixture->view, TRUE);
  g_assert_true (press_key (keys, GDK_KEY_Left));
  g_assert_cmpfloat_with_epsilon (impasto_compare_view_get_position (fixture->view), 0.45,
                                  1e-9);
  g_assert_true (press_key (keys, GDK_KEY_Right));
  g_assert_true (press_key (keys, GDK_KEY_Right));
  g_assert_cmpfloat_with_epsilon (impasto_compare_view_get_position (fixture->view), 0.55,
                                  1e-9);
  g_assert_true (press_key (keys, GDK_KEY_End));
  g_assert_true (press_key (keys, GDK_KEY_Right));
  g_assert_cmpfloat (impasto_compare_view_get_position (fixture->view), ==, 1);
  g_assert_true (press_key (keys, GDK_KEY_Home));
  g_assert_true (press_key (keys, GDK_KEY_Left));
  g_assert_cmpfloat (impasto_compare_view_get_position (fixture->view), ==, 0);
  g_assert_false (press_key (keys, GDK_KEY_a));
}

static guint n_notified;

static void
on_notify (void)
{
  n_notified++;
}

static void
test_compare_notifies_on_change_only (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_signal_connect (fixture->view, "notify::position", G_CALLBACK (on_notify), NULL);
  g_signal_connect (fixture->view, "notify::comparing", G_CALLBACK (on_notify), NULL);
  n_notified = 0;

  impasto_compare_view_set_position (fixture->view, 0.5);
  impasto_compare_view_set_comparing (fixture->view, FALSE);
  g_assert_cmpuint (n_notified, ==, 0);
  impasto_compare_view_set_position (fixture->view, 0.3);
  impasto_compare_view_set_position (fixture->view, 0.3);
  impasto_compare_view_set_comparing (fixture->view, TRUE);
  impasto_compare_view_set_comparing (fixture->view, TRUE);
  g_assert_cmpuint (n_notified, ==, 2);
}

/* The window's Compare button: off at first, there once a painting is, and the photo it
 * compares with is the run's. */
static void
test_window_compare_button (void)
{
  ImpastoWindow *window = new_ready_window ();

  g_assert_false (gtk_widget_get_sensitive (window->compare_button));
  g_assert_false (impasto_compare_view_get_comparing (window->compare_view));
  g_assert_true (gtk_widget_get_parent (GTK_WIDGET (window->preview))
                 == GTK_WIDGET (window->compare_view));
  destroy_window (window);

  window = new_window_with_painting ();
  g_assert_true (gtk_widget_get_sensitive (window->compare_button));
  g_assert_false (impasto_compare_view_get_comparing (window->compare_view));
  g_assert_true (impasto_compare_view_get_before (window->compare_view)
                 == GDK_PAINTABLE (impasto_image_picker_get_preview (window->content_picker)));
  g_assert_true (impasto_compare_view_get_paintable (window->compare_view)
                 == gtk_picture_get_paintable (window->preview));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (window->compare_button), TRUE);
  g_assert_true (impasto_compare_view_get_comparing (window->compare_view));

  /* The painting let go: nothing to compare with. */
  impasto_window_drop_painting (window);
  g_assert_false (gtk_widget_get_sensitive (window->compare_button));
  g_assert_false (impasto_compare_view_get_comparing (window->compare_view));
  g_assert_null (impasto_compare_view_get_before (window->compare_view));
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  window_fixtures_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/impasto/gui/compare/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("off-shows-painting", test_compare_off_shows_painting);
  ADD ("photo-left-painting-right", test_compare_photo_left_painting_right);
  ADD ("photo-fills-painting-frame", test_compare_photo_fills_painting_frame);
  ADD ("drag-moves-and-clamps", test_compare_drag_moves_and_clamps);
  ADD ("keys-move", test_compare_keys_move);
  ADD ("notifies-on-change-only", test_compare_notifies_on_change_only);
#undef ADD
  g_test_add_func ("/impasto/gui/compare/window-button", test_window_compare_button);

  ret = g_test_run ();
  window_fixtures_clear ();

  return ret;
}
