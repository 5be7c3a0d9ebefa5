/* impasto-image-recipe.c: the recipe a result carries inside its file
 *
 * PNG keeps it in a text chunk, which gdk-pixbuf writes and reads itself. gdk-pixbuf's JPEG
 * writer takes no comment, so the recipe goes into COM segments spliced in after the JFIF
 * header, each at most 64 kB and starting with a tag, and is found again by walking the
 * segments before the image data.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "impasto-image-io-private.h"

#define COM_TAG      "impasto-recipe\n"
#define COM_TAG_SIZE (sizeof COM_TAG - 1)
#define SEGMENT_MAX  65533   /* a segment's length field counts itself, 2 bytes */

static void
append_segment (GByteArray   *out,
                guint8        marker,
                const guint8 *payload,
                gsize         size)
{
  guint8 header[4] = { 0xff, marker, (size + 2) >> 8, (size + 2) & 0xff };

  g_byte_array_append (out, header, sizeof header);
  g_byte_array_append (out, payload, size);
}

GBytes *
impasto_jpeg_add_recipe (GBytes     *jpeg,
                         const char *recipe)
{
  gsize size, length = strlen (recipe), at = 2;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  g_autoptr(GByteArray) out = g_byte_array_sized_new (size + length + 64);

  g_return_val_if_fail (size >= 4 && data[0] == 0xff && data[1] == 0xd8, NULL);

  /* JFIF wants its APP0 right after the start of the image. */
  if (data[2] == 0xff && data[3] == 0xe0 && size >= 6)
    at = MIN (size, 4 + (gsize) ((data[4] << 8) | data[5]));
  g_byte_array_append (out, data, at);

  for (gsize done = 0; done < length;)
    {
      gsize chunk = MIN (length - done, SEGMENT_MAX - COM_TAG_SIZE);
      g_autofree guint8 *payload = g_malloc (COM_TAG_SIZE + chunk);

      memcpy (payload, COM_TAG, COM_TAG_SIZE);
      memcpy (payload + COM_TAG_SIZE, recipe + done, chunk);
      append_segment (out, 0xfe, payload, COM_TAG_SIZE + chunk);
      done += chunk;
    }

  g_byte_array_append (out, data + at, size - at);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Steps over the segment at *at, up to the image data: FALSE there, at the end, or at a
 * damaged header, which ends the walk rather than the load (the decoder judges that). */
static gboolean
next_segment (const guint8  *data,
              gsize          size,
              gsize         *at,
              guint8        *marker,
              const guint8 **payload,
              gsize         *length)
{
  while (*at + 4 <= size && data[*at] == 0xff)
    {
      gsize field;

      *marker = data[*at + 1];
      if (*marker == 0xff)   /* fill byte */
        {
          (*at)++;
          continue;
        }
      if (*marker == 0xd9 || *marker == 0xda)   /* the end, or the image data */
        return FALSE;
      if (*marker == 0x01 || (*marker >= 0xd0 && *marker <= 0xd7))   /* no length */
        {
          *at += 2;
          continue;
        }
      field = (data[*at + 2] << 8) | data[*at + 3];
      if (field < 2 || *at + 2 + field > size)
        return FALSE;
      *payload = data + *at + 4;
      *length = field - 2;
      *at += 2 + field;
      return TRUE;
    }

  return FALSE;
}

static gboolean
is_jpeg (const guint8 *data,
         gsize         size)
{
  return size >= 2 && data[0] == 0xff && data[1] == 0xd8;
}

/* At most max_size bytes of recipe are gathered. */
char *
impasto_jpeg_find_recipe (GBytes *jpeg,
                          gsize   max_size)
{
  gsize size, at = 2, length;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  const guint8 *payload;
  g_autoptr(GString) recipe = NULL;
  guint8 marker;

  if (!is_jpeg (data, size))
    return NULL;

  while (next_segment (data, size, &at, &marker, &payload, &length))
    if (marker == 0xfe && length >= COM_TAG_SIZE && memcmp (payload, COM_TAG, COM_TAG_SIZE) == 0)
      {
        gsize chunk = length - COM_TAG_SIZE;

        if (recipe == NULL)
          recipe = g_string_new (NULL);
        if (recipe->len + chunk > max_size)
          return NULL;
        g_string_append_len (recipe, (const char *) payload + COM_TAG_SIZE, chunk);
      }

  return recipe != NULL ? g_string_free (g_steal_pointer (&recipe), FALSE) : NULL;
}

/* Whether the frame is sequential (baseline, extended or arithmetic): libjpeg then holds a few
 * rows at a time, at the reduced size it is asked for. A progressive frame keeps every
 * coefficient of the whole image, at its full size; anything else is not decoded at all. */
gboolean
impasto_jpeg_is_sequential (GBytes *jpeg)
{
  gsize size, at = 2, length;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  const guint8 *payload;
  guint8 marker;

  if (!is_jpeg (data, size))
    return FALSE;

  while (next_segment (data, size, &at, &marker, &payload, &length))
    /* The start-of-frame markers are C0 to CF, but for DHT (C4), JPG (C8) and DAC (CC). */
    if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
      return marker == 0xc0 || marker == 0xc1 || marker == 0xc9;

  return FALSE;
}
