/* image-checks.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

/* For unshare() */
#define _GNU_SOURCE

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mount.h>

#include <glib/gstdio.h>

#include "image-checks.h"

/* Folders */

/* A tmpfs of size (such as "8k") on target, in a mount namespace of the calling thread's own
 * (and of the threads it starts after), so that the mount vanishes with the process. Where
 * that is not allowed it leaves the reason beside target, as "cannot-mount", for a parent
 * process to report. */
gboolean
fixture_mount_small_tmpfs (const char *target,
                           const char *size)
{
  g_autofree char *parent = g_path_get_dirname (target);
  g_autofree char *marker = g_build_filename (parent, "cannot-mount", NULL);
  g_autofree char *options = g_strdup_printf ("size=%s", size);

  if (unshare (CLONE_NEWNS) == 0
      && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0
      && mount ("impasto-test", target, "tmpfs", 0, options) == 0)
    return TRUE;

  g_assert_true (g_file_set_contents (marker, g_strerror (errno), -1, NULL));
  return FALSE;
}

/* The parent's half of a test on a full disk: runs the current test again in a subprocess,
 * with the environment variable naming an empty folder for the child to mount a small tmpfs
 * on (fixture_mount_small_tmpfs()), and checks that nothing the child wrote reached the real
 * folder. Where the child could not mount, the test is skipped with the reason, and what
 * covers the same path instead. */
void
fixture_trap_small_tmpfs (const char *variable,
                          const char *instead)
{
  g_autofree char *folder = fixture_make_folder ();
  g_autofree char *small = g_build_filename (folder, "small", NULL);
  g_autofree char *marker = g_build_filename (folder, "cannot-mount", NULL);
  g_autofree char *reason = NULL;

  g_assert_no_errno (g_mkdir (small, 0755));
  g_setenv (variable, small, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv (variable);
  g_test_trap_assert_passed ();

  /* The tmpfs went with the child: nothing reached the real folder. */
  fixture_assert_folder_holds (small, NULL);
  if (g_file_get_contents (marker, &reason, NULL, NULL))
    {
      g_autofree char *message = g_strdup_printf ("could not mount a small tmpfs to fill (%s); "
                                                  "%s", reason, instead);

      g_test_skip (message);
    }
  fixture_remove_tree (folder);
}

char *
fixture_make_folder (void)
{
  g_autoptr(GError) error = NULL;
  char *folder = g_dir_make_tmp ("impasto-test-XXXXXX", &error);

  g_assert_no_error (error);

  return folder;
}

void
fixture_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_assert_no_errno (g_remove (path));
      return;
    }

  /* A test may have left a folder read-only. */
  g_assert_no_errno (g_chmod (path, 0755));
  dir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      fixture_remove_tree (child);
    }
  g_assert_no_errno (g_rmdir (path));
}

char *
fixture_write (const char *folder,
               const char *name,
               GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (folder, name, NULL);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);

  return path;
}

GBytes *
fixture_read (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize size = 0;

  g_file_get_contents (path, &data, &size, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (data, size);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
sorted_joined (GPtrArray *names)
{
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

void
fixture_assert_folder_holds (const char *folder,
                             ...)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autofree char *expected_text = NULL;
  g_autofree char *found_text = NULL;
  const char *name;
  va_list args;

  va_start (args, folder);
  while ((name = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (expected, (gpointer) name);
  va_end (args);

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (found, g_strdup (name));

  expected_text = sorted_joined (expected);
  found_text = sorted_joined (found);
  g_assert_cmpstr (found_text, ==, expected_text);
}

/* The test fixture */

void
folder_set_up (Folder        *f,
               gconstpointer  data)
{
  f->folder = fixture_make_folder ();
}

void
folder_tear_down (Folder        *f,
                  gconstpointer  data)
{
  fixture_remove_tree (f->folder);
  g_free (f->folder);
}

const guint8 *
pixel_at (const ImpastoImage *image,
          guint               x,
          guint               y)
{
  g_assert_cmpuint (x, <, image->width);
  g_assert_cmpuint (y, <, image->height);

  return image->pixels + 3 * ((gsize) y * image->width + x);
}

void
assert_images_equal (const ImpastoImage *a,
                     const ImpastoImage *b)
{
  g_assert_cmpuint (a->width, ==, b->width);
  g_assert_cmpuint (a->height, ==, b->height);
  g_assert_cmpmem (a->pixels, impasto_image_get_n_bytes (a),
                   b->pixels, impasto_image_get_n_bytes (b));
}

ImpastoImage *
load_fixture (Folder     *f,
              const char *name,
              GBytes     *bytes)
{
  g_autofree char *path = fixture_write (f->folder, name, bytes);
  g_autoptr(GError) error = NULL;
  ImpastoImage *image = impasto_image_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (image);

  return image;
}

void
assert_load_fails (Folder     *f,
                   const char *name,
                   GBytes     *bytes,
                   int         code,
                   ...)
{
  g_autofree char *path = fixture_write (f->folder, name, bytes);
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoImage) image = impasto_image_load (path, &error);
  const char *fragment;
  va_list args;

  g_assert_error (error, IMPASTO_IMAGE_ERROR, code);
  g_assert_null (image);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, name));
  va_start (args, code);
  while ((fragment = va_arg (args, const char *)) != NULL)
    g_assert_nonnull (strstr (error->message, fragment));
  va_end (args);
}
