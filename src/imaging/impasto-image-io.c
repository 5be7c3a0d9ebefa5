/* impasto-image-io.c: images from and to files, through gdk-pixbuf
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* For the loaders' signatures (GdkPixbufFormat's fields), to sniff a format without the MIME
 * database. */
#define GDK_PIXBUF_ENABLE_BACKEND 1
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "impasto-image-io.h"
#include "impasto-image-io-private.h"
#include "impasto-recipe.h"

/* Small enough that a refusal in "size-prepared" stops the feeding early. */
#define LOAD_CHUNK_SIZE (64 * 1024)

/* What gdk-pixbuf itself looks at to tell a format. */
#define SNIFF_SIZE 4096

/* No photo or painting file comes near this; a larger one is a mistake or an attack, and it
 * would be read into memory whole before decoding. */
#define MAX_FILE_SIZE (G_GUINT64_CONSTANT (1000) * 1000 * 1000)

G_DEFINE_QUARK (impasto-image-error-quark, impasto_image_error)

gboolean
impasto_image_size_within_limits (guint64 width,
                                  guint64 height)
{
  return width <= IMPASTO_IMAGE_MAX_SIDE
         && height <= IMPASTO_IMAGE_MAX_SIDE
         && width * height <= IMPASTO_IMAGE_MAX_PIXELS;
}

/* A view of the image's pixels for gdk-pixbuf, which must not outlive the image. The size
 * must be within the limits, which keeps gdk-pixbuf's int arithmetic (rows times rowstride)
 * from overflowing. */
GdkPixbuf *
impasto_image_wrap_pixbuf (const ImpastoImage *image)
{
  g_assert (impasto_image_size_within_limits (image->width, image->height));

  return gdk_pixbuf_new_from_data (image->pixels, GDK_COLORSPACE_RGB, FALSE, 8,
                                   image->width, image->height, image->width * 3,
                                   NULL, NULL);
}

/* Names a file at the start of a message. */
char *
impasto_image_quote_path (const char *path)
{
  g_autofree char *display = g_filename_display_name (path);

  return g_strdup_printf ("“%s”", display);
}

/* Loading */

typedef struct
{
  gboolean reducible;   /* a sequential JPEG, which libjpeg decodes at 1/2, 1/4 or 1/8 */
  int      width;       /* as the file claims */
  int      height;
  gboolean too_large;
  guint8  *row_done;    /* one flag per row of the pixbuf: did the decoder deliver it? */
  int      n_rows;      /* the pixbuf's height */
  int      n_rows_done;
} LoadState;

static void
load_state_clear (LoadState *state)
{
  g_clear_pointer (&state->row_done, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LoadState, load_state_clear)

/* A side as libjpeg decodes it at 1/scale: rounded up. */
static guint64
reduced_side (guint64 side,
              guint   scale)
{
  return (side + scale - 1) / scale;
}

/* By how much an image must be reduced while it is decoded to fit the limits (1: not at all),
 * or 0 when it cannot be decoded within them. */
static guint
decode_scale (gboolean reducible,
              guint64  width,
              guint64  height)
{
  if (impasto_image_size_within_limits (width, height))
    return 1;
  if (!reducible || width > IMPASTO_IMAGE_MAX_SIDE || height > IMPASTO_IMAGE_MAX_SIDE
      || width * height > IMPASTO_IMAGE_MAX_JPEG_PIXELS)
    return 0;

  for (guint scale = 2; scale <= 8; scale *= 2)
    if (impasto_image_size_within_limits (reduced_side (width, scale),
                                          reduced_side (height, scale)))
      return scale;

  return 0;
}

static gboolean
loader_is_jpeg (GdkPixbufLoader *loader)
{
  GdkPixbufFormat *format = gdk_pixbuf_loader_get_format (loader);
  g_autofree char *name = format != NULL ? gdk_pixbuf_format_get_name (format) : NULL;

  return g_strcmp0 (name, "jpeg") == 0;
}

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  LoadState *state = user_data;
  guint scale;

  state->width = width;
  state->height = height;
  if (width <= 0 || height <= 0)
    return;

  scale = decode_scale (state->reducible && loader_is_jpeg (loader), width, height);
  if (scale == 0)
    {
      state->too_large = TRUE;
      /* The PNG, JPEG and GIF loaders give up on a 0x0 target before they allocate the
       * pixbuf: the same trick gdk_pixbuf_get_file_info() relies on. */
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
  else if (scale > 1)
    /* Exactly the size libjpeg makes at 1/scale, which gdk-pixbuf's JPEG loader then chooses;
     * any other would have gdk-pixbuf scale a second copy after the decode. */
    gdk_pixbuf_loader_set_size (loader, reduced_side (width, scale),
                                reduced_side (height, scale));
}

static void
on_area_updated (GdkPixbufLoader *loader,
                 int              x,
                 int              y,
                 int              width,
                 int              height,
                 gpointer         user_data)
{
  LoadState *state = user_data;

  for (int row = MAX (y, 0); row < MIN (y + height, state->n_rows); row++)
    if (!state->row_done[row])
      {
        state->row_done[row] = TRUE;
        state->n_rows_done++;
      }
}

/* The pixbuf exists, at its real size (which may differ from the announced one). */
static void
on_area_prepared (GdkPixbufLoader *loader,
                  gpointer         user_data)
{
  LoadState *state = user_data;

  state->n_rows = gdk_pixbuf_get_height (gdk_pixbuf_loader_get_pixbuf (loader));
  g_free (state->row_done);
  state->row_done = g_new0 (guint8, state->n_rows);
  state->n_rows_done = 0;
}

/* reducible: whether the image could have been decoded at a reduced size. */
static void
set_too_large_error (guint64     width,
                     guint64     height,
                     gboolean    reducible,
                     const char *subject,
                     GError    **error)
{
  /* %llu rather than G_GUINT64_FORMAT: xgettext cuts a message at a macro, and the
   * translation would never be found. */
  if (width > IMPASTO_IMAGE_MAX_SIDE || height > IMPASTO_IMAGE_MAX_SIDE)
    g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_TOO_LARGE,
                 _("%s is %llu × %llu pixels; Impasto reads images of at most %u pixels a side"),
                 subject, (unsigned long long) width, (unsigned long long) height,
                 IMPASTO_IMAGE_MAX_SIDE);
  else if (reducible)
    g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_TOO_LARGE,
                 _("%s is %llu × %llu pixels; Impasto reads JPEG images of at most %u million "
                   "pixels"),
                 subject, (unsigned long long) width, (unsigned long long) height,
                 IMPASTO_IMAGE_MAX_JPEG_PIXELS / 1000000u);
  else
    g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_TOO_LARGE,
                 /* Translators: JPEG files, unless progressive, are read at a reduced size. */
                 _("%s is %llu × %llu pixels; Impasto reads images of at most %u million pixels, "
                   "and larger ones only as JPEG files that are not progressive"),
                 subject, (unsigned long long) width, (unsigned long long) height,
                 IMPASTO_IMAGE_MAX_PIXELS / 1000000u);
}

/* GIO calls any few bytes without a zero text; a text file here is UTF-8 (the sample may end
 * inside a character) without control characters but spacing ones. */
static gboolean
looks_like_text (const guint8 *data,
                 gsize         size)
{
  const char *end;

  if (!g_utf8_validate ((const char *) data, size, &end)
      && (size < SNIFF_SIZE || (const guint8 *) end < data + size - 3))
    return FALSE;
  for (const guint8 *p = data; p < (const guint8 *) end; p++)
    if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\f')
      return FALSE;

  return TRUE;
}

/* What a file that no loader took is, from its first bytes: a text file, an image of a
 * format without a loader here, or something else. */
static void
set_unknown_type_error (GBytes     *bytes,
                        const char *subject,
                        GError    **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree char *type = g_content_type_guess (NULL, data, MIN (size, SNIFF_SIZE), NULL);
  g_autofree char *mime = g_content_type_get_mime_type (type);
  g_autofree char *kind = g_content_type_get_description (type);

  size = MIN (size, SNIFF_SIZE);
  if (g_content_type_is_a (type, "text/plain") && looks_like_text (data, size))
    g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE,
                 _("%s is not an image (it is a text file)"), subject);
  else if (g_content_type_is_unknown (type) || mime == NULL
           || g_content_type_equals (type, "text/plain"))
    g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE,
                 _("%s is not an image, or one in a format this computer cannot read"), subject);
  else if (g_str_has_prefix (mime, "image/"))
    g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE,
                 /* Translators: the second %s is a kind of file, as in "Photoshop image". */
                 _("%s is in a format this computer cannot read (%s); convert it to PNG or "
                   "JPEG"), subject, kind);
  else
    g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE,
                 /* Translators: the second %s is a kind of file, as in "PDF document". */
                 _("%s is not an image (it is a file of the type “%s”)"), subject, kind);
}

/* Says what the decoder found, and keeps gdk-pixbuf's own detail; format is the loader's
 * name for the format it recognised, or NULL. */
static void
set_decode_error (const GError *pixbuf_error,
                  GBytes       *bytes,
                  const char   *format,
                  const char   *subject,
                  GError      **error)
{
  g_autofree char *name = format != NULL ? g_ascii_strup (format, -1) : NULL;

  if (g_error_matches (pixbuf_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
    set_unknown_type_error (bytes, subject, error);
  /* gdk-pixbuf's loaders say this whenever they cannot make a frame, which for an image within
   * our size limits mostly means a frame of zero or negative size in a damaged file. */
  else if (g_error_matches (pixbuf_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY))
    g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE,
                 _("%s could not be read: the image is damaged, or too large for the memory "
                   "available (%s)"), subject, pixbuf_error->message);
  else if (name != NULL && pixbuf_error != NULL)
    g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE,
                 /* Translators: the file, a format (PNG, JPEG), the decoder's words. */
                 _("%s is damaged: it is a %s image, but its contents cannot be decoded (%s)"),
                 subject, name, pixbuf_error->message);
  else if (name != NULL)
    g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE,
                 /* Translators: the second %s is a format (PNG, JPEG). */
                 _("%s is damaged: it is a %s image, but its contents cannot be decoded"),
                 subject, name);
  else if (pixbuf_error != NULL)
    g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE,
                 _("%s could not be read: the image is damaged or incomplete (%s)"),
                 subject, pixbuf_error->message);
  else
    g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE,
                 _("%s could not be read: the image is damaged or incomplete"), subject);
}

/* Stops feeding as soon as the size is refused, so that loaders which ignore the 0x0 request
 * and allocate anyway decode no further. Returns FALSE with pixbuf_error set (when the loader
 * gave a reason) on a decode failure. */
static gboolean
feed_loader (GdkPixbufLoader *loader,
             GBytes          *bytes,
             const LoadState *state,
             GError         **pixbuf_error)
{
  const guint8 *data;
  gsize size;

  data = g_bytes_get_data (bytes, &size);
  for (gsize offset = 0; offset < size && !state->too_large; offset += LOAD_CHUNK_SIZE)
    {
      gsize count = MIN (LOAD_CHUNK_SIZE, size - offset);

      if (!gdk_pixbuf_loader_write (loader, data + offset, count, pixbuf_error))
        {
          /* A failed write has already closed the loader; this is a no-op kept so that every
           * path closes it explicitly. */
          gdk_pixbuf_loader_close (loader, NULL);
          return FALSE;
        }
    }

  if (state->too_large)
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return TRUE;
    }

  /* Closing may fail without a reason: the caller reports a generic one then. */
  return gdk_pixbuf_loader_close (loader, pixbuf_error);
}

/* gdk-pixbuf's PNG, PNM, BMP and ICO loaders hand back a pixbuf without an error when the
 * file ends early, its missing rows never written (gdk_pixbuf_new() leaves memory as malloc
 * gave it). Every row a decoder writes is announced, in whatever order it writes them, so a
 * row never announced means a cut file. JPEG's loader fills the rest itself (grey, as viewers
 * do), and a GIF's first frame may legitimately cover only part of the canvas, which its
 * loader clears. */
static gboolean
is_incomplete (GdkPixbufLoader *loader,
               const LoadState *state)
{
  GdkPixbufFormat *format = gdk_pixbuf_loader_get_format (loader);
  g_autofree char *name = format != NULL ? gdk_pixbuf_format_get_name (format) : NULL;

  return g_strcmp0 (name, "gif") != 0 && state->n_rows_done < state->n_rows;
}

static guint8
over_white (guint8 value,
            guint8 alpha)
{
  return (value * alpha + 255 * (255 - alpha) + 127) / 255;
}

/* gdk-pixbuf hands out 8-bit RGB or RGBA (non-premultiplied) whatever the file held:
 * grayscale, 16-bit and CMYK are converted by its loaders. */
static ImpastoImage *
image_from_pixbuf (GdkPixbuf *pixbuf)
{
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  ImpastoImage *image;

  g_assert (gdk_pixbuf_get_colorspace (pixbuf) == GDK_COLORSPACE_RGB);
  g_assert (gdk_pixbuf_get_bits_per_sample (pixbuf) == 8);
  g_assert (n_channels == (has_alpha ? 4 : 3));

  image = impasto_image_new (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf));
  for (guint y = 0; y < image->height; y++)
    {
      const guint8 *src = pixels + (gsize) y * rowstride;
      guint8 *dest = image->pixels + (gsize) y * image->width * 3;

      for (guint x = 0; x < image->width; x++, src += n_channels, dest += 3)
        for (guint c = 0; c < 3; c++)
          dest[c] = has_alpha ? over_white (src[c], src[3]) : src[c];
    }

  return image;
}

/* Matches a GdkPixbufModulePattern as gdk-pixbuf documents them: the mask says per byte
 * whether it must equal the prefix's (' '), differ from it ('!'), be zero ('z'), not be zero
 * ('n') or be anything ('x'); a mask starting with '*' lets the prefix start anywhere. */
static gboolean
pattern_matches (const GdkPixbufModulePattern *pattern,
                 const guint8                 *data,
                 gsize                         size)
{
  const char *prefix = pattern->prefix;
  const char *mask = pattern->mask;
  gboolean anchored = mask == NULL || mask[0] != '*';

  if (!anchored)
    {
      prefix++;
      mask++;
    }
  for (gsize start = 0; start < size; start++)
    {
      gsize j;

      for (j = 0; prefix[j] != '\0' && start + j < size; j++)
        {
          char m = mask != NULL ? mask[j] : ' ';
          guint8 byte = data[start + j];

          if ((m == ' ' && byte != (guint8) prefix[j]) || (m == '!' && byte == (guint8) prefix[j])
              || (m == 'z' && byte != 0) || (m == 'n' && byte == 0))
            break;
        }
      if (prefix[j] == '\0')
        return TRUE;
      if (anchored)
        break;
    }

  return FALSE;
}

/* gdk-pixbuf tells formats through the MIME database (shared-mime-info), which a session
 * whose XDG_DATA_DIRS leaves it out does not have: every image is then of an unknown type.
 * Each loader also declares the first bytes of its format; the most relevant match names the
 * loader to use instead, or NULL. */
static char *
sniff_format (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GSList *formats = gdk_pixbuf_get_formats ();
  char *name = NULL;
  int best = 0;

  size = MIN (size, SNIFF_SIZE);
  for (GSList *l = formats; l != NULL; l = l->next)
    {
      GdkPixbufFormat *format = l->data;

      if (gdk_pixbuf_format_is_disabled (format) || format->signature == NULL)
        continue;
      for (const GdkPixbufModulePattern *p = format->signature; p->prefix != NULL; p++)
        if (p->relevance > best && pattern_matches (p, data, size))
          {
            best = p->relevance;
            g_free (name);
            name = gdk_pixbuf_format_get_name (format);
          }
    }
  g_slist_free (formats);

  return name;
}

/* A loader of the format type, or the one gdk-pixbuf picks when type is NULL. */
static GdkPixbufLoader *
new_loader (const char *type,
            LoadState  *state)
{
  GdkPixbufLoader *loader = type != NULL ? gdk_pixbuf_loader_new_with_type (type, NULL)
                                         : gdk_pixbuf_loader_new ();

  if (loader == NULL)
    return NULL;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), state);
  g_signal_connect (loader, "area-prepared", G_CALLBACK (on_area_prepared), state);
  g_signal_connect (loader, "area-updated", G_CALLBACK (on_area_updated), state);
  return loader;
}

/* Feeds bytes to a loader of the format gdk-pixbuf picks, or to the one their first bytes
 * name when it knows none; *loader is the one that decoded (or failed). */
static gboolean
decode (GBytes           *bytes,
        GdkPixbufLoader **loader,
        LoadState        *state,
        GError          **pixbuf_error)
{
  g_autofree char *type = NULL;
  gboolean reducible;

  *loader = new_loader (NULL, state);
  if (feed_loader (*loader, bytes, state, pixbuf_error))
    return TRUE;
  if (!g_error_matches (*pixbuf_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE)
      || (type = sniff_format (bytes)) == NULL)
    return FALSE;

  g_clear_object (loader);
  g_clear_error (pixbuf_error);
  load_state_clear (state);
  reducible = state->reducible;
  *state = (LoadState) { .reducible = reducible, };
  *loader = new_loader (type, state);
  if (*loader == NULL)
    return FALSE;

  return feed_loader (*loader, bytes, state, pixbuf_error);
}

/* What a result says of how it was made: a PNG's text chunk, or a JPEG's comments. */
static char *
find_recipe (GdkPixbufLoader *loader,
             GdkPixbuf       *pixbuf,
             GBytes          *bytes)
{
  GdkPixbufFormat *format = gdk_pixbuf_loader_get_format (loader);
  const char *text = gdk_pixbuf_get_option (pixbuf, IMPASTO_PNG_RECIPE_OPTION);
  g_autofree char *name = format != NULL ? gdk_pixbuf_format_get_name (format) : NULL;

  if (text != NULL)
    return g_strdup (text);
  if (g_strcmp0 (name, "jpeg") == 0)
    /* A recipe is refused past its limit anyway; one byte more tells that it is past. */
    return impasto_jpeg_find_recipe (bytes, IMPASTO_RECIPE_MAX_SIZE + 1);

  return NULL;
}

/* subject names the image at the start of a sentence: “photo.jpg” or "The image". */
static ImpastoImage *
load_bytes (GBytes     *bytes,
            const char *subject,
            char      **recipe,
            GError    **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) pixbuf_error = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_auto(LoadState) state = { 0, };
  GdkPixbuf *pixbuf;
  gboolean fed;
  int width;
  int height;

  if (g_bytes_get_size (bytes) == 0)
    {
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE,
                   _("%s is empty: there is no image in it"), subject);
      return NULL;
    }

  state.reducible = impasto_jpeg_is_sequential (bytes);
  fed = decode (bytes, &loader, &state, &pixbuf_error);

  if (state.too_large)
    {
      set_too_large_error (state.width, state.height,
                           state.reducible && loader != NULL && loader_is_jpeg (loader),
                           subject, error);
      return NULL;
    }

  /* For an animation this is its first frame. */
  pixbuf = loader != NULL ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
  if (!fed || pixbuf == NULL)
    {
      GdkPixbufFormat *format = loader != NULL ? gdk_pixbuf_loader_get_format (loader) : NULL;
      g_autofree char *name = format != NULL ? gdk_pixbuf_format_get_name (format) : NULL;

      set_decode_error (pixbuf_error, bytes, name, subject, error);
      return NULL;
    }
  if (is_incomplete (loader, &state))
    {
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_DECODE,
                   _("%s could not be read: the file ends before the image does (only %d of "
                     "its %d rows are there); it may not have been copied or downloaded "
                     "completely"), subject, state.n_rows_done, state.n_rows);
      return NULL;
    }

  /* A loader may hand back another size than it announced (an icon picks one of several). */
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  if (!impasto_image_size_within_limits (width, height))
    {
      set_too_large_error (width, height, FALSE, subject, error);
      return NULL;
    }

  if (recipe != NULL)
    *recipe = find_recipe (loader, pixbuf, bytes);
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  return image_from_pixbuf (oriented);
}

ImpastoImage *
impasto_image_load_bytes (GBytes  *bytes,
                          GError **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_bytes (bytes, _("The image"), NULL, error);
}

ImpastoImage *
impasto_image_load_bytes_with_recipe (GBytes  *bytes,
                                      char   **recipe,
                                      GError **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_bytes (bytes, _("The image"), recipe, error);
}

static void
set_read_error (const char *subject,
                int         errsv,
                GError    **error)
{
  g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_READ,
               _("%s could not be read: %s"), subject, g_strerror (errsv));
}

/* Refuses what is not a regular file of a sane size before reading a byte of it. */
static gboolean
check_file (int          fd,
            const char  *subject,
            gsize       *size,
            GError     **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    {
      set_read_error (subject, errno, error);
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_READ,
                   _("%s is a folder, not an image"), subject);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_READ,
                   _("%s is not a regular file"), subject);
      return FALSE;
    }
  if ((guint64) st.st_size > MAX_FILE_SIZE)
    {
      g_autofree char *actual = g_format_size (st.st_size);
      g_autofree char *limit = g_format_size (MAX_FILE_SIZE);

      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_TOO_LARGE,
                   _("%s is %s; Impasto reads image files of at most %s"),
                   subject, actual, limit);
      return FALSE;
    }

  *size = st.st_size;
  return TRUE;
}

/* A file that shrinks while it is read yields what was there; one that grows is read up to the
 * size it had when it was checked. */
static GBytes *
read_fd (int          fd,
         gsize        size,
         const char  *subject,
         GError     **error)
{
  g_autofree guint8 *data = g_try_malloc (MAX (size, 1));
  gsize done = 0;

  if (data == NULL)
    {
      set_read_error (subject, ENOMEM, error);
      return NULL;
    }

  while (done < size)
    {
      gssize n = read (fd, data + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_read_error (subject, errno, error);
          return NULL;
        }
      if (n == 0)
        break;
      done += n;
    }

  return g_bytes_new_take (g_steal_pointer (&data), done);
}

static GBytes *
read_file (const char  *path,
           const char  *subject,
           GError     **error)
{
  GBytes *bytes;
  gsize size;
  int fd;

  /* O_NONBLOCK so that a FIFO cannot hang the open; it is refused just after. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    {
      set_read_error (subject, errno, error);
      return NULL;
    }

  bytes = check_file (fd, subject, &size, error) ? read_fd (fd, size, subject, error) : NULL;
  g_close (fd, NULL);

  return bytes;
}

ImpastoImage *
impasto_image_load_full (const char  *path,
                         char       **sha256,
                         char       **recipe,
                         GError     **error)
{
  g_autofree char *subject = NULL;
  g_autoptr(GBytes) bytes = NULL;
  ImpastoImage *image;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  subject = impasto_image_quote_path (path);
  bytes = read_file (path, subject, error);
  if (bytes == NULL)
    return NULL;

  image = load_bytes (bytes, subject, recipe, error);
  if (image != NULL && sha256 != NULL)
    *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  return image;
}

ImpastoImage *
impasto_image_load (const char  *path,
                    GError     **error)
{
  return impasto_image_load_full (path, NULL, NULL, error);
}

/* Resizing */

ImpastoImage *
impasto_image_resize (const ImpastoImage *image,
                      guint               width,
                      guint               height)
{
  g_autoptr(GdkPixbuf) src = NULL;
  g_autoptr(GdkPixbuf) dest = NULL;
  g_autoptr(ImpastoImage) resized = NULL;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (impasto_image_size_within_limits (image->width, image->height), NULL);
  g_return_val_if_fail (impasto_image_size_within_limits (width, height), NULL);

  if (image->width == width && image->height == height)
    return impasto_image_copy (image);

  resized = impasto_image_new (width, height);
  src = impasto_image_wrap_pixbuf (image);
  dest = impasto_image_wrap_pixbuf (resized);
  /* Bilinear for enlarging; for shrinking gdk-pixbuf integrates over each destination pixel's
   * area (a box filter), so no source pixel is skipped. */
  gdk_pixbuf_scale (src, dest, 0, 0, width, height, 0.0, 0.0,
                    (double) width / image->width, (double) height / image->height,
                    GDK_INTERP_BILINEAR);

  return g_steal_pointer (&resized);
}
