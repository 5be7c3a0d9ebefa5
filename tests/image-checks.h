/* image-checks.h: a folder of its own for each test, and checks on what loads from it
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "impasto-image-io.h"

G_BEGIN_DECLS

/* Each test gets a folder of its own, removed with everything in it. */
char         *fixture_make_folder       (void);
void          fixture_remove_tree       (const char         *path);
char         *fixture_write             (const char         *folder,
                                         const char         *name,
                                         GBytes             *bytes);
GBytes       *fixture_read              (const char         *path);
gboolean      fixture_mount_small_tmpfs (const char         *target,
                                         const char         *size);
void          fixture_trap_small_tmpfs  (const char         *variable,
                                         const char         *instead);
/* Fails unless folder holds exactly the entries named (NULL-terminated): no stray temporary
 * files. */
void          fixture_assert_folder_holds (const char       *folder,
                                           ...) G_GNUC_NULL_TERMINATED;

/* A GTest fixture: a folder of the test's own, removed with everything in it afterwards. */
typedef struct
{
  char *folder;
} Folder;

void          folder_set_up             (Folder             *f,
                                         gconstpointer       data);
void          folder_tear_down          (Folder             *f,
                                         gconstpointer       data);
#define FOLDER_TEST_ADD(path, data, func) \
  g_test_add ((path), Folder, (data), folder_set_up, (func), folder_tear_down)

/* Checks on loaded images */

const guint8 *pixel_at                  (const ImpastoImage *image,
                                         guint               x,
                                         guint               y);
#define assert_pixel_near(image, x, y, r, g, b, tolerance) \
  G_STMT_START { \
    const guint8 *p_ = pixel_at ((image), (x), (y)); \
    g_assert_cmpint (ABS ((int) p_[0] - (int) (r)), <=, (tolerance)); \
    g_assert_cmpint (ABS ((int) p_[1] - (int) (g)), <=, (tolerance)); \
    g_assert_cmpint (ABS ((int) p_[2] - (int) (b)), <=, (tolerance)); \
  } G_STMT_END
#define assert_pixel(image, x, y, r, g, b) assert_pixel_near (image, x, y, r, g, b, 0)
void          assert_images_equal       (const ImpastoImage *a,
                                         const ImpastoImage *b);
/* Writes bytes to name in the test's folder and loads it through impasto_image_load(). */
ImpastoImage *load_fixture              (Folder             *f,
                                         const char         *name,
                                         GBytes             *bytes);
/* The same, expecting an error of code whose message names the file and holds every fragment
 * given (NULL-terminated). */
void          assert_load_fails         (Folder             *f,
                                         const char         *name,
                                         GBytes             *bytes,
                                         int                 code,
                                         ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
