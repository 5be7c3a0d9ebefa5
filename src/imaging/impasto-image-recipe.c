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

/* The segments up to the image data; a damaged header ends the walk, not the load, which
 * the decoder judges. At most max_size bytes of recipe are gathered. */
char *
impasto_jpeg_find_recipe (GBytes *jpeg,
                          gsize   max_size)
{
  gsize size, at = 2;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  g_autoptr(GString) recipe = NULL;

  if (size < 2 || data[0] != 0xff || data[1] != 0xd8)
    return NULL;

  while (at + 4 <= size && data[at] == 0xff)
    {
      guint8 marker = data[at + 1];
      gsize length;

      if (marker == 0xff)   /* fill byte */
        {
          at++;
          continue;
        }
      if (marker == 0xd9 || marker == 0xda)   /* the end, or the image data */
        break;
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))   /* no length */
        {
          at += 2;
          continue;
        }
      length = (data[at + 2] << 8) | data[at + 3];
      if (length < 2 || at + 2 + length > size)
        break;
      if (marker == 0xfe && length - 2 >= COM_TAG_SIZE
          && memcmp (data + at + 4, COM_TAG, COM_TAG_SIZE) == 0)
        {
          gsize chunk = length - 2 - COM_TAG_SIZE;

          if (recipe == NULL)
            recipe = g_string_new (NULL);
          if (recipe->len + chunk > max_size)
            return NULL;
          g_string_append_len (recipe, (const char *) data + at + 4 + COM_TAG_SIZE, chunk);
        }
      at += 2 + length;
    }

  return recipe != NULL ? g_string_free (g_steal_pointer (&recipe), FALSE) : NULL;
}
