/* test-image-save.c: saving images, and failing to without harm
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "image-checks.h"
#include "image-fixtures.h"
#include "impasto-image-io.h"

/* The tests that fail a save in a child process tell it where to work through this variable:
 * the child runs the test function again and would otherwise make a folder of its own. */
#define FOLDER_VARIABLE "IMPASTO_TEST_SAVE_FOLDER"

static const char precious[] = "an earlier result that must survive";

static void
assert_file_holds (const char *path,
                   const void *data,
                   gsize       size)
{
  g_autoptr(GBytes) bytes = fixture_read (path);

  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, size);
}

static void
assert_saved_as (const char   *path,
                 const guint8 *magic,
                 gsize         magic_size)
{
  g_autoptr(GBytes) bytes = fixture_read (path);

  g_assert_cmpuint (g_bytes_get_size (bytes), >, magic_size);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), magic_size, magic, magic_size);
}

/* Saves, expecting code and a message naming path and holding fragment. */
static void
assert_save_fails (const ImpastoImage *image,
                   const char         *path,
                   int                 code,
                   const char         *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (impasto_image_save (image, path, &error));
  g_assert_error (error, IMPASTO_IMAGE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, fragment));
}

/* Formats */

static const guint8 png_magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
static const guint8 jpeg_magic[] = { 0xff, 0xd8, 0xff };

static void
test_png_by_extension (Folder        *f,
                       gconstpointer  data)
{
  const char *names[] = { "a.png", "b.PNG", "c.Png", "d.jpg.png" };
  g_autoptr(ImpastoImage) image = fixture_noise_image (19, 11, 1);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (f->folder, names[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(ImpastoImage) loaded = NULL;

      g_assert_true (impasto_image_save (image, path, &error));
      g_assert_no_error (error);
      assert_saved_as (path, png_magic, sizeof png_magic);
      loaded = impasto_image_load (path, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (loaded->pixels, impasto_image_get_n_bytes (loaded),
                       image->pixels, impasto_image_get_n_bytes (image));
    }

  fixture_assert_folder_holds (f->folder, "a.png", "b.PNG", "c.Png", "d.jpg.png", NULL);
}

static void
test_jpeg_by_extension (Folder        *f,
                        gconstpointer  data)
{
  const char *names[] = { "a.jpg", "b.JPG", "c.jpeg", "d.JPEG", "e.png.Jpg" };
  g_autoptr(ImpastoImage) image = fixture_noise_image (19, 11, 2);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (f->folder, names[i], NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (impasto_image_save (image, path, &error));
      g_assert_no_error (error);
      assert_saved_as (path, jpeg_magic, sizeof jpeg_magic);
    }

  fixture_assert_folder_holds (f->folder, "a.jpg", "b.JPG", "c.jpeg", "d.JPEG", "e.png.Jpg", NULL);
}

/* libjpeg scales its standard tables by 200 - 2 * quality percent at quality 95: the first
 * entry of the luminance table, 16, becomes (16 * 10 + 50) / 100 = 2. */
static void
test_jpeg_quality (Folder        *f,
                   gconstpointer  data)
{
  g_autoptr(ImpastoImage) image = fixture_noise_image (16, 16, 3);
  g_autofree char *path = g_build_filename (f->folder, "quality.jpg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data_bytes;
  gsize size;
  gsize offset = 2;

  g_assert_true (impasto_image_save (image, path, &error));
  bytes = fixture_read (path);
  data_bytes = g_bytes_get_data (bytes, &size);

  /* Walk the segments to the first quantisation table (FF DB, length, precision and id). */
  while (offset + 5 < size && data_bytes[offset + 1] != 0xdb)
    offset += 2 + (data_bytes[offset + 2] << 8 | data_bytes[offset + 3]);
  g_assert_cmpuint (offset + 5, <, size);
  g_assert_cmpuint (data_bytes[offset + 4], ==, 0);  /* 8-bit precision, table 0 */
  g_assert_cmpuint (data_bytes[offset + 5], ==, 2);
}

static void
test_unknown_extension (Folder        *f,
                        gconstpointer  data)
{
  const char *names[] = { "a.webp", "a", "a.png.txt", "a.", ".jpeg.d/b", "png" };
  g_autoptr(ImpastoImage) image = fixture_noise_image (4, 4, 4);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (f->folder, names[i], NULL);

      assert_save_fails (image, path, IMPASTO_IMAGE_ERROR_FORMAT, ".png, .jpg or .jpeg");
    }

  fixture_assert_folder_holds (f->folder, NULL);
}

/* Replacing */

static void
test_replaces_existing (Folder        *f,
                        gconstpointer  data)
{
  g_autoptr(ImpastoImage) image = fixture_noise_image (8, 8, 5);
  g_autoptr(GBytes) old = g_bytes_new_static (precious, sizeof precious);
  g_autofree char *path = fixture_write (f->folder, "out.png", old);
  g_autoptr(GError) error = NULL;
  mode_t mask = umask (0);
  struct stat st;

  umask (mask);
  g_assert_true (impasto_image_save (image, path, &error));
  g_assert_no_error (error);
  assert_saved_as (path, png_magic, sizeof png_magic);

  /* A new file made the usual way: the umask decides, not mkstemp's 0600. */
  g_assert_no_errno (g_stat (path, &st));
  g_assert_cmpint (st.st_mode & 0777, ==, 0666 & ~mask);
  fixture_assert_folder_holds (f->folder, "out.png", NULL);
}

/* Failures that need no privileges */

static void
test_missing_folder (Folder        *f,
                     gconstpointer  data)
{
  g_autoptr(ImpastoImage) image = fixture_noise_image (8, 8, 6);
  g_autofree char *missing = g_build_filename (f->folder, "not-made-yet", NULL);
  g_autofree char *path = g_build_filename (missing, "out.png", NULL);
  g_autofree char *fragment = g_strdup_printf ("the folder “%s” does not exist", missing);

  assert_save_fails (image, path, IMPASTO_IMAGE_ERROR_WRITE, fragment);
  fixture_assert_folder_holds (f->folder, NULL);
}

static void
test_folder_is_a_file (Folder        *f,
                       gconstpointer  data)
{
  g_autoptr(ImpastoImage) image = fixture_noise_image (8, 8, 7);
  g_autoptr(GBytes) old = g_bytes_new_static (precious, sizeof precious);
  g_autofree char *file = fixture_write (f->folder, "notes", old);
  g_autofree char *path = g_build_filename (file, "out.png", NULL);
  g_autofree char *fragment = g_strdup_printf ("“%s” is not a folder", file);

  assert_save_fails (image, path, IMPASTO_IMAGE_ERROR_WRITE, fragment);
  assert_file_holds (file, precious, sizeof precious);
  fixture_assert_folder_holds (f->folder, "notes", NULL);
}

/* The temporary file is written in full before the rename fails on the folder. */
static void
test_target_is_a_folder (Folder        *f,
                         gconstpointer  data)
{
  g_autoptr(ImpastoImage) image = fixture_noise_image (8, 8, 8);
  g_autoptr(GBytes) old = g_bytes_new_static (precious, sizeof precious);
  g_autofree char *path = g_build_filename (f->folder, "out.png", NULL);
  g_autofree char *inside = NULL;

  g_assert_no_errno (g_mkdir (path, 0755));
  inside = fixture_write (path, "kept.txt", old);

  assert_save_fails (image, path, IMPASTO_IMAGE_ERROR_WRITE, "a folder of that name");
  assert_file_holds (inside, precious, sizeof precious);
  fixture_assert_folder_holds (f->folder, "out.png", NULL);
  fixture_assert_folder_holds (path, "kept.txt", NULL);
}

/* Failures in a child process: each sets up a limit the parent must not keep */

/* Parent side: a folder holding out.png with earlier content and given folder_mode, handed to
 * a child that fails to save over it; then out.png must be byte for byte what it was, and
 * alone. */
static void
run_failing_save_in_child (const char *folder,
                           mode_t      folder_mode)
{
  g_autoptr(GBytes) old = g_bytes_new_static (precious, sizeof precious);
  g_autofree char *existing = fixture_write (folder, "out.png", old);

  g_assert_no_errno (g_chmod (existing, 0644));
  g_assert_no_errno (g_chmod (folder, folder_mode));
  g_setenv (FOLDER_VARIABLE, folder, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv (FOLDER_VARIABLE);
  g_assert_no_errno (g_chmod (folder, 0755));
  g_test_trap_assert_passed ();

  assert_file_holds (existing, precious, sizeof precious);
  fixture_assert_folder_holds (folder, "out.png", NULL);
}

/* Child side: a picture big enough (about 12 kB as PNG) to hit small limits. */
static void
child_save_fails (const char *fragment)
{
  g_autoptr(ImpastoImage) image = fixture_noise_image (64, 64, 9);
  g_autofree char *path = g_build_filename (g_getenv (FOLDER_VARIABLE), "out.png", NULL);

  assert_save_fails (image, path, IMPASTO_IMAGE_ERROR_WRITE, fragment);
}

/* Root may write anywhere, so as root the child first becomes nobody (65534); otherwise the
 * folder's mode alone refuses. */
static void
test_read_only_folder (void)
{
  g_autofree char *folder = NULL;
  g_autofree char *locked = NULL;

  if (g_test_subprocess ())
    {
      if (geteuid () == 0)
        {
          g_assert_no_errno (setgroups (0, NULL));
          g_assert_no_errno (setgid (65534));
          g_assert_no_errno (setuid (65534));
        }
      child_save_fails ("there is no permission to write in the folder");
      return;
    }

  /* nobody must be able to reach the locked folder, to be refused there. */
  folder = fixture_make_folder ();
  locked = g_build_filename (folder, "locked", NULL);
  g_assert_no_errno (g_chmod (folder, 0755));
  g_assert_no_errno (g_mkdir (locked, 0755));
  run_failing_save_in_child (locked, 0555);
  fixture_remove_tree (folder);
}

/* A file size limit of 4 kB makes write() fail half way through the file with EFBIG, the same
 * path a full disk takes, without needing one. */
static void
test_write_fails_midway (void)
{
  g_autofree char *folder = NULL;

  if (g_test_subprocess ())
    {
      struct rlimit limit = { 4096, 4096 };

      /* Otherwise the kernel's SIGXFSZ would kill the child instead of failing the write. */
      signal (SIGXFSZ, SIG_IGN);
      g_assert_no_errno (setrlimit (RLIMIT_FSIZE, &limit));
      child_save_fails ("the file would be larger than this system allows");
      return;
    }

  folder = fixture_make_folder ();
  run_failing_save_in_child (folder, 0755);
  fixture_remove_tree (folder);
}

/* A real full disk. The existing file takes one of the tmpfs's two pages; the new one needs
 * four. */
static void
test_disk_full (void)
{
  if (g_test_subprocess ())
    {
      const char *target = g_getenv (FOLDER_VARIABLE);
      g_autoptr(GBytes) old = g_bytes_new_static (precious, sizeof precious);
      g_autofree char *existing = NULL;

      /* Eight kB: two pages. */
      if (!fixture_mount_small_tmpfs (target, "8k"))
        return;
      existing = fixture_write (target, "out.png", old);
      child_save_fails ("the disk is full");
      assert_file_holds (existing, precious, sizeof precious);
      fixture_assert_folder_holds (target, "out.png", NULL);
      return;
    }

  fixture_trap_small_tmpfs (FOLDER_VARIABLE, "write-fails-midway covers the same path");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  FOLDER_TEST_ADD ("/impasto/imaging/save/png-by-extension", NULL, test_png_by_extension);
  FOLDER_TEST_ADD ("/impasto/imaging/save/jpeg-by-extension", NULL, test_jpeg_by_extension);
  FOLDER_TEST_ADD ("/impasto/imaging/save/jpeg-quality-95", NULL, test_jpeg_quality);
  FOLDER_TEST_ADD ("/impasto/imaging/save/unknown-extension", NULL, test_unknown_extension);
  FOLDER_TEST_ADD ("/impasto/imaging/save/replaces-existing", NULL, test_replaces_existing);
  FOLDER_TEST_ADD ("/impasto/imaging/save/missing-folder", NULL, test_missing_folder);
  FOLDER_TEST_ADD ("/impasto/imaging/save/folder-is-a-file", NULL, test_folder_is_a_file);
  FOLDER_TEST_ADD ("/impasto/imaging/save/target-is-a-folder", NULL, test_target_is_a_folder);
  g_test_add_func ("/impasto/imaging/save/read-only-folder", test_read_only_folder);
  g_test_add_func ("/impasto/imaging/save/write-fails-midway", test_write_fails_midway);
  g_test_add_func ("/impasto/imaging/save/disk-full", test_disk_full);

  return g_test_run ();
}
