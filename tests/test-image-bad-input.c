/* test-image-bad-input.c: files that must be refused, each with a message that helps
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "image-checks.h"
#include "image-fixtures.h"
#include "impasto-image-io.h"

/* Decompression bombs */

typedef struct
{
  guint  signal_id;
  gulong hook_id;
  guint  count;
} EmissionCount;

static gboolean
count_emission (GSignalInvocationHint *hint,
                guint                  n_params,
                const GValue          *params,
                gpointer               user_data)
{
  EmissionCount *emissions = user_data;

  emissions->count++;

  return TRUE;
}

/* Counts the emissions of a GdkPixbufLoader signal on every loader, ours included. */
static void
emission_count_start (EmissionCount *emissions,
                      const char    *signal_name)
{
  gpointer klass = g_type_class_ref (GDK_TYPE_PIXBUF_LOADER);

  emissions->signal_id = g_signal_lookup (signal_name, GDK_TYPE_PIXBUF_LOADER);
  emissions->hook_id = g_signal_add_emission_hook (emissions->signal_id, 0, count_emission,
                                                   emissions, NULL);
  emissions->count = 0;
  g_type_class_unref (klass);
}

static void
emission_count_stop (EmissionCount *emissions)
{
  g_signal_remove_emission_hook (emissions->signal_id, emissions->hook_id);
}

/* "size-prepared" announces the size the file claims; "area-prepared" follows the allocation of
 * the pixbuf. A refused image must see the first and never the second. */
static void
assert_refused_before_allocation (Folder     *f,
                                  const char *name,
                                  GBytes     *bytes,
                                  const char *size_text,
                                  const char *limit_text)
{
  EmissionCount sized;
  EmissionCount allocated;

  emission_count_start (&sized, "size-prepared");
  emission_count_start (&allocated, "area-prepared");
  assert_load_fails (f, name, bytes, IMPASTO_IMAGE_ERROR_TOO_LARGE, size_text, limit_text, NULL);
  emission_count_stop (&sized);
  emission_count_stop (&allocated);

  g_assert_cmpuint (sized.count, ==, 1);
  g_assert_cmpuint (allocated.count, ==, 0);
}

static void
test_png_bomb (Folder        *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) png = fixture_png_claiming (50000, 50000);

  g_assert_cmpuint (g_bytes_get_size (png), <, 200);
  assert_refused_before_allocation (f, "bomb.png", png, "50000 × 50000",
                                    "at most 100 million pixels, and larger ones only as JPEG "
                                    "files that are not progressive");
}

static void
test_jpeg_bomb (Folder        *f,
                gconstpointer  data)
{
  g_autoptr(ImpastoImage) small = fixture_noise_image (8, 8, 3);
  g_autoptr(GBytes) jpeg = fixture_jpeg (small, 90);
  g_autoptr(GBytes) bomb = fixture_jpeg_claiming (jpeg, 60000, 60000);

  assert_refused_before_allocation (f, "bomb.jpg", bomb, "60000 × 60000",
                                    "Impasto reads JPEG images of at most 1000 million pixels");
}

/* A progressive JPEG is decoded whole, in libjpeg's coefficients, whatever size is asked
 * for: it is held to the limit of any image decoded at its own size. */
static void
test_progressive_jpeg_bomb (Folder        *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = fixture_jpeg_quadrants (16, 16, TRUE);
  g_autoptr(GBytes) bomb = fixture_jpeg_claiming (jpeg, 12000, 9000);

  assert_refused_before_allocation (f, "bomb.jpg", bomb, "12000 × 9000",
                                    "at most 100 million pixels, and larger ones only as JPEG "
                                    "files that are not progressive");
}

static void
test_gif_bomb (Folder        *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) gif = fixture_gif_two_frames (65535, 65535, 4, 4);

  assert_refused_before_allocation (f, "bomb.gif", gif, "65535 × 65535", "100 million");
}

/* Few pixels but a side longer than gdk-pixbuf's int arithmetic is safe with. */
static void
test_side_too_long (Folder        *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) png = fixture_png_claiming (70000, 10);

  assert_refused_before_allocation (f, "long.png", png, "70000 × 10", "65535");
}

/* Files that are not images, or not whole ones */

static void
test_empty (Folder        *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoImage) image = impasto_image_load_bytes (empty, &error);

  g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE);
  g_assert_null (image);
  g_assert_nonnull (strstr (error->message, "empty"));

  assert_load_fails (f, "empty.png", empty, IMPASTO_IMAGE_ERROR_DECODE, "empty", NULL);
}

/* Noise compresses badly, so every cut lands in pixel data; gdk-pixbuf itself would hand back
 * a partly filled image for all but the first few. */
static void
test_truncated_png (Folder        *f,
                    gconstpointer  data)
{
  g_autoptr(ImpastoImage) noise = fixture_noise_image (64, 64, 5);
  g_autofree char *path = g_build_filename (f->folder, "whole.png", NULL);
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  g_assert_true (impasto_image_save (noise, path, &error));
  whole = fixture_read (path);
  size = g_bytes_get_size (whole);
  /* IEND is the last 12 bytes and the IDAT CRC the 4 before it: size - 30 cuts pixel data. */
  for (gsize cut = 1; cut < size - 30; cut += cut < 64 ? 7 : size / 8)
    {
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (whole, 0, cut);

      g_test_message ("PNG cut at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT, cut, size);
      assert_load_fails (f, "cut.png", part, IMPASTO_IMAGE_ERROR_DECODE, NULL);
    }
  {
    g_autoptr(GBytes) part = g_bytes_new_from_bytes (whole, 0, size - 30);

    assert_load_fails (f, "cut.png", part, IMPASTO_IMAGE_ERROR_DECODE,
                       "the file ends before the image does (only 63 of its 64 rows", NULL);
  }
}

/* A JPEG cut inside its header is refused; one cut inside the pixel data is what libjpeg and
 * every viewer make of it: the right size, the missing part filled in. */
static void
test_truncated_jpeg (Folder        *f,
                     gconstpointer  data)
{
  g_autoptr(ImpastoImage) noise = fixture_noise_image (64, 48, 6);
  g_autoptr(GBytes) whole = fixture_jpeg (noise, 95);
  gsize size = g_bytes_get_size (whole);
  gsize scan = fixture_jpeg_scan_offset (whole);
  const gsize header_cuts[] = { 1, 2, 3, 20, scan / 2, scan, scan + 5 };
  const gsize data_cuts[] = { scan + 40, scan + (size - scan) / 2, size - 10, size - 2 };

  for (guint i = 0; i < G_N_ELEMENTS (header_cuts); i++)
    {
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (whole, 0, header_cuts[i]);

      g_test_message ("JPEG cut at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT, header_cuts[i], size);
      assert_load_fails (f, "cut.jpg", part, IMPASTO_IMAGE_ERROR_DECODE, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (data_cuts); i++)
    {
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (whole, 0, data_cuts[i]);
      g_autoptr(ImpastoImage) image = load_fixture (f, "cut.jpg", part);

      g_assert_cmpuint (image->width, ==, 64);
      g_assert_cmpuint (image->height, ==, 48);
    }
}

static void
test_text_file (Folder        *f,
                gconstpointer  data)
{
  const char text[] = "Dear diary, today I painted a sunflower.\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);

  assert_load_fails (f, "notes.txt", bytes, IMPASTO_IMAGE_ERROR_DECODE,
                     "notes.txt” is not an image (it is a text file)", NULL);
  /* What a file is, whatever its name says. */
  assert_load_fails (f, "notes.png", bytes, IMPASTO_IMAGE_ERROR_DECODE,
                     "notes.png” is not an image (it is a text file)", NULL);
}

static void
test_other_file (Folder        *f,
                 gconstpointer  data)
{
  const char pdf[] = "%PDF-1.4\n1 0 obj\n<< >>\nendobj\n";
  static const guint8 noise[] = { 0x13, 0x8a, 0x00, 0xf1, 0x5c, 0x02, 0x99, 0xe7, 0x00, 0x41 };
  g_autoptr(GBytes) document = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autoptr(GBytes) unknown = g_bytes_new_static (noise, sizeof noise);

  assert_load_fails (f, "scan.png", document, IMPASTO_IMAGE_ERROR_DECODE,
                     "scan.png” is not an image (it is a file of the type “PDF document”)",
                     NULL);
  assert_load_fails (f, "photo.jpg", unknown, IMPASTO_IMAGE_ERROR_DECODE,
                     "photo.jpg” is not an image, or one in a format this computer cannot read",
                     NULL);
}

/* A JPEG's header followed by bytes that are no JPEG data: the decoder knows the format and
 * says what is wrong inside it. */
static void
test_damaged (Folder        *f,
              gconstpointer  data)
{
  g_autoptr(ImpastoImage) noise = fixture_noise_image (64, 48, 7);
  g_autoptr(GBytes) jpeg = fixture_jpeg (noise, 90);
  gsize scan = fixture_jpeg_scan_offset (jpeg);
  g_autoptr(GByteArray) spoiled = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;

  g_byte_array_append (spoiled, g_bytes_get_data (jpeg, NULL), scan);
  g_byte_array_append (spoiled, (const guint8 *) "\xff\xf2\x00\x04\x00\x00", 6);
  for (guint i = 0; i < 512; i++)
    g_byte_array_append (spoiled, (const guint8 *) "\xa5", 1);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&spoiled));

  assert_load_fails (f, "photo.png", bytes, IMPASTO_IMAGE_ERROR_DECODE,
                     "photo.png” is damaged: it is a JPEG image, but its contents cannot be "
                     "decoded (", NULL);
}

/* The start of an HEIF file (an ISO media "ftyp" box), a format this system has no loader for. */
static void
test_unknown_format (Folder        *f,
                     gconstpointer  data)
{
  static const guint8 heic[] = {
    0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0,
    'm', 'i', 'f', '1', 'h', 'e', 'i', 'c', 0, 0, 0, 8, 'm', 'e', 't', 'a',
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (heic, sizeof heic);

  assert_load_fails (f, "photo.heic", bytes, IMPASTO_IMAGE_ERROR_DECODE,
                     "photo.heic” is in a format this computer cannot read (HEIF image); "
                     "convert it to PNG or JPEG", NULL);
}

static void
assert_path_fails (const char *path,
                   int         code,
                   const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoImage) image = impasto_image_load (path, &error);

  g_assert_error (error, IMPASTO_IMAGE_ERROR, code);
  g_assert_null (image);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_missing_file (Folder        *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->folder, "missing.png", NULL);

  assert_path_fails (path, IMPASTO_IMAGE_ERROR_READ, g_strerror (ENOENT));
}

static void
test_folder (Folder        *f,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->folder, "album.png", NULL);

  g_assert_no_errno (g_mkdir (path, 0755));
  assert_path_fails (path, IMPASTO_IMAGE_ERROR_READ, "is a folder");
}

/* Opening a FIFO for reading would wait for a writer; the load must refuse it instead. */
static void
test_fifo (Folder        *f,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->folder, "pipe.png", NULL);

  g_assert_no_errno (mkfifo (path, 0644));
  assert_path_fails (path, IMPASTO_IMAGE_ERROR_READ, "not a regular file");
}

/* A sparse file of 2 GiB: refused from its size, before any of it is read. */
static void
test_huge_file (Folder        *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->folder, "huge.png", NULL);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_no_errno (ftruncate (fd, G_GINT64_CONSTANT (2) << 30));
  g_assert_no_errno (close (fd));
  assert_path_fails (path, IMPASTO_IMAGE_ERROR_TOO_LARGE, "at most 1.0");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  FOLDER_TEST_ADD ("/impasto/imaging/load/too-large/png", NULL, test_png_bomb);
  FOLDER_TEST_ADD ("/impasto/imaging/load/too-large/jpeg", NULL, test_jpeg_bomb);
  FOLDER_TEST_ADD ("/impasto/imaging/load/too-large/progressive-jpeg", NULL,
                   test_progressive_jpeg_bomb);
  FOLDER_TEST_ADD ("/impasto/imaging/load/too-large/gif", NULL, test_gif_bomb);
  FOLDER_TEST_ADD ("/impasto/imaging/load/too-large/side", NULL, test_side_too_long);
  FOLDER_TEST_ADD ("/impasto/imaging/load/empty", NULL, test_empty);
  FOLDER_TEST_ADD ("/impasto/imaging/load/truncated/png", NULL, test_truncated_png);
  FOLDER_TEST_ADD ("/impasto/imaging/load/truncated/jpeg", NULL, test_truncated_jpeg);
  FOLDER_TEST_ADD ("/impasto/imaging/load/text-file", NULL, test_text_file);
  FOLDER_TEST_ADD ("/impasto/imaging/load/other-file", NULL, test_other_file);
  FOLDER_TEST_ADD ("/impasto/imaging/load/damaged", NULL, test_damaged);
  FOLDER_TEST_ADD ("/impasto/imaging/load/unknown-format", NULL, test_unknown_format);
  FOLDER_TEST_ADD ("/impasto/imaging/load/missing-file", NULL, test_missing_file);
  FOLDER_TEST_ADD ("/impasto/imaging/load/folder", NULL, test_folder);
  FOLDER_TEST_ADD ("/impasto/imaging/load/fifo", NULL, test_fifo);
  FOLDER_TEST_ADD ("/impasto/imaging/load/huge-file", NULL, test_huge_file);

  return g_test_run ();
}
