/* impasto-mat-check.c: a MAT5 file's array headers, checked before matio allocates from them
 *
 * An array element (miMATRIX) holds tagged sub-elements: its flags (and class), its dimensions,
 * its name, then its data; for a cell array the data is one array element per cell, for a
 * struct the field names and then one array element per field of each element. Every element
 * takes 8 bytes at least, so a cell array or struct claiming more elements than its bytes can
 * hold is damaged, whatever matio would make of it. Data is skipped, never read.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <matio.h>
#include <zlib.h>

#include "impasto-mat-check.h"

/* A model nests layers{i}.weights{j}: four levels. Far more is damage, and matio recurses
 * once per level. */
#define MAX_DEPTH 32
/* zlib cannot expand data by more than this. */
#define MAX_DEFLATE_RATIO 1032
#define CHUNK (64 * 1024)

/* Bytes of one top-level element, plain or inflated, read in order. */
typedef struct
{
  FILE     *stream;
  gboolean  big_endian;
  gboolean  compressed;
  guint64   file_left;     /* bytes of the element still in the file */
  z_stream  z;
  guint8    in[CHUNK];
  char     *problem;
} Reader;

static gboolean
damaged (Reader     *r,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
damaged (Reader     *r,
         const char *format,
         ...)
{
  va_list args;

  if (r->problem == NULL)
    {
      va_start (args, format);
      r->problem = g_strdup_vprintf (format, args);
      va_end (args);
    }

  return FALSE;
}

static gboolean
read_plain (Reader *r,
            guint8 *dst,
            gsize   n)
{
  if (n > r->file_left || fread (dst, 1, n, r->stream) != n)
    return damaged (r, "an array runs past the end of its variable");

  r->file_left -= n;
  return TRUE;
}

static gboolean
read_inflated (Reader *r,
               guint8 *dst,
               gsize   n)
{
  r->z.next_out = dst;
  r->z.avail_out = n;
  while (r->z.avail_out > 0)
    {
      int status;

      if (r->z.avail_in == 0)
        {
          gsize count = MIN ((guint64) CHUNK, r->file_left);

          if (count == 0 || fread (r->in, 1, count, r->stream) != count)
            return damaged (r, "an array runs past the end of its compressed variable");
          r->file_left -= count;
          r->z.next_in = r->in;
          r->z.avail_in = count;
        }
      status = inflate (&r->z, Z_NO_FLUSH);
      if (status == Z_STREAM_END && r->z.avail_out > 0)
        return damaged (r, "an array runs past the end of its compressed variable");
      if (status != Z_OK && status != Z_STREAM_END)
        return damaged (r, "its compressed data is damaged");
    }

  return TRUE;
}

/* dst NULL: skip. */
static gboolean
read_bytes (Reader  *r,
            guint8  *dst,
            guint64  n)
{
  guint8 scratch[CHUNK];

  if (dst != NULL)
    return r->compressed ? read_inflated (r, dst, n) : read_plain (r, dst, n);

  if (!r->compressed)
    {
      if (n > r->file_left || fseeko (r->stream, n, SEEK_CUR) != 0)
        return damaged (r, "an array runs past the end of its variable");
      r->file_left -= n;
      return TRUE;
    }

  for (guint64 done = 0; done < n;)
    {
      gsize count = MIN ((guint64) CHUNK, n - done);

      if (!read_inflated (r, scratch, count))
        return FALSE;
      done += count;
    }

  return TRUE;
}

static guint32
to_host (Reader       *r,
         const guint8 *bytes)
{
  guint32 value;

  memcpy (&value, bytes, sizeof value);
  return r->big_endian ? GUINT32_FROM_BE (value) : GUINT32_FROM_LE (value);
}

/* A sub-element: its type and its bytes, with the four of a small one (whose size sits in the
 * tag's upper half) in small; *left drops by what it takes in the element, padding included. */
typedef struct
{
  guint32 type;
  guint32 n_bytes;
  gboolean is_small;
  guint8  small[4];
} Tag;

static gboolean
read_tag (Reader  *r,
          guint64 *left,
          Tag     *tag)
{
  guint8 bytes[8];

  if (*left < 8)
    return damaged (r, "an array ends in the middle of its header");
  if (!read_bytes (r, bytes, 8))
    return FALSE;
  *left -= 8;

  tag->type = to_host (r, bytes);
  tag->is_small = (tag->type >> 16) != 0;
  if (tag->is_small)
    {
      tag->n_bytes = tag->type >> 16;
      tag->type &= 0xffff;
      memcpy (tag->small, bytes + 4, 4);
      if (tag->n_bytes > 4)
        return damaged (r, "a small data element claims %u bytes", tag->n_bytes);
      return TRUE;
    }

  tag->n_bytes = to_host (r, bytes + 4);
  return TRUE;
}

/* The bytes of a sub-element whose tag was just read, padded to 8, into dst (NULL: skipped). */
static gboolean
read_body (Reader    *r,
           guint64   *left,
           const Tag *tag,
           guint8    *dst)
{
  guint64 padded = ((guint64) tag->n_bytes + 7) / 8 * 8;

  if (tag->is_small)
    {
      /* read_tag() keeps n_bytes within small; the MIN says so to gcc's -Warray-bounds. */
      if (dst != NULL)
        memcpy (dst, tag->small, MIN (tag->n_bytes, sizeof tag->small));
      return TRUE;
    }
  if (padded > *left)
    return damaged (r, "an array's data runs past the end of the array");
  *left -= padded;

  return read_bytes (r, dst, tag->n_bytes) && read_bytes (r, NULL, padded - tag->n_bytes);
}

static gboolean check_array (Reader  *r,
                             guint64  size,
                             guint    depth);

/* n arrays, each an miMATRIX element, within the *left bytes that remain. */
static gboolean
check_children (Reader  *r,
                guint64 *left,
                guint64  n,
                guint    depth)
{
  /* 8 bytes of tag at least for each: the claim is checked before anything is walked. */
  if (n > *left / 8)
    {
      g_autofree char *room = g_format_size (*left);

      return damaged (r, "a cell array claims %" G_GUINT64_FORMAT " elements in %s", n, room);
    }

  for (guint64 i = 0; i < n; i++)
    {
      Tag tag = { 0 };

      if (!read_tag (r, left, &tag))
        return FALSE;
      if (tag.is_small || tag.type != MAT_T_MATRIX || tag.n_bytes > *left)
        return damaged (r, "an element of a cell array or struct is not an array");
      *left -= tag.n_bytes;
      if (!check_array (r, tag.n_bytes, depth + 1))
        return FALSE;
    }

  return TRUE;
}

/* The number of elements the dimensions multiply to, or G_MAXUINT64 on overflow. */
static gboolean
read_dimensions (Reader  *r,
                 guint64 *left,
                 guint64 *n_elements)
{
  Tag tag = { 0 };
  guint8 dims[4 * 64];
  guint rank;

  if (!read_tag (r, left, &tag))
    return FALSE;
  rank = tag.n_bytes / 4;
  if (tag.type != MAT_T_INT32 || tag.n_bytes % 4 != 0 || rank < 2 || rank > 64)
    return damaged (r, "an array's dimensions are unreadable");
  if (!read_body (r, left, &tag, dims))
    return FALSE;

  *n_elements = 1;
  for (guint i = 0; i < rank; i++)
    {
      gint32 d = (gint32) to_host (r, dims + 4 * i);

      if (d < 0)
        return damaged (r, "an array has a negative dimension");
      if (d != 0 && *n_elements > G_MAXUINT64 / (guint64) d)
        return damaged (r, "an array's dimensions overflow");
      *n_elements *= (guint64) d;
    }

  return TRUE;
}

/* A struct's field names: a length per name, then the names; returns how many fields. */
static gboolean
read_field_count (Reader  *r,
                  guint64 *left,
                  guint64 *n_fields)
{
  Tag tag = { 0 };
  guint8 length_bytes[4];
  guint32 length;

  if (!read_tag (r, left, &tag))
    return FALSE;
  if (tag.type != MAT_T_INT32 || tag.n_bytes != 4 || !read_body (r, left, &tag, length_bytes))
    return damaged (r, "a struct's field name length is unreadable");
  length = to_host (r, length_bytes);

  if (!read_tag (r, left, &tag))
    return FALSE;
  if (tag.type != MAT_T_INT8 || (length == 0 && tag.n_bytes > 0)
      || (length > 0 && tag.n_bytes % length != 0))
    return damaged (r, "a struct's field names are unreadable");
  *n_fields = length > 0 ? tag.n_bytes / length : 0;

  return read_body (r, left, &tag, NULL);
}

static gboolean
check_array (Reader  *r,
             guint64  size,
             guint    depth)
{
  guint64 left = size, n_elements = 0, n_fields = 0;
  guint8 flags[8];
  Tag tag = { 0 };

  if (depth > MAX_DEPTH)
    return damaged (r, "arrays nest more than %d deep", MAX_DEPTH);
  /* An empty element is an empty array. */
  if (size == 0)
    return TRUE;

  if (!read_tag (r, &left, &tag))
    return FALSE;
  if (tag.type != MAT_T_UINT32 || tag.n_bytes != 8 || !read_body (r, &left, &tag, flags))
    return damaged (r, "an array's flags are unreadable");
  if (!read_dimensions (r, &left, &n_elements)
      || !read_tag (r, &left, &tag) || !read_body (r, &left, &tag, NULL))
    return FALSE;

  switch (to_host (r, flags) & 0xff)
    {
    case MAT_C_CELL:
      if (!check_children (r, &left, n_elements, depth))
        return FALSE;
      break;
    case MAT_C_STRUCT:
      if (!read_field_count (r, &left, &n_fields))
        return FALSE;
      if (n_fields > 0 && n_elements > (left / 8) / n_fields)
        {
          g_autofree char *room = g_format_size (left);

          return damaged (r, "a struct claims %" G_GUINT64_FORMAT " elements of %"
                          G_GUINT64_FORMAT " fields in %s", n_elements, n_fields, room);
        }
      if (!check_children (r, &left, n_elements * n_fields, depth))
        return FALSE;
      break;
    case MAT_C_OBJECT:
      return damaged (r, "it holds a MATLAB object, which a model never does");
    default:
      /* Numbers, text and sparse matrices: matio sizes their buffers from the tags of their
       * data sub-elements, so each must fit in what is left of the array. */
      while (left > 0)
        if (!read_tag (r, &left, &tag) || !read_body (r, &left, &tag, NULL))
          return FALSE;
      return TRUE;
    }

  return read_bytes (r, NULL, left);
}

static gboolean
check_compressed (Reader  *r,
                  guint32  size)
{
  guint64 left = G_MAXUINT64;
  Tag tag = { 0 };
  gboolean ok;

  if (inflateInit (&r->z) != Z_OK)
    return damaged (r, "its compressed data cannot be read");
  r->compressed = TRUE;

  ok = read_tag (r, &left, &tag);
  if (ok && (tag.is_small || tag.type != MAT_T_MATRIX))
    ok = damaged (r, "its compressed data does not hold an array");
  if (ok && tag.n_bytes > (guint64) size * MAX_DEFLATE_RATIO)
    ok = damaged (r, "its compressed data claims %u bytes, more than %u can hold",
                  tag.n_bytes, size);
  ok = ok && check_array (r, tag.n_bytes, 0);

  inflateEnd (&r->z);
  return ok;
}

gboolean
impasto_mat_check_element (FILE     *stream,
                           goffset   offset,
                           guint32   type,
                           guint32   size,
                           gboolean  big_endian,
                           char    **problem)
{
  g_autofree Reader *r = g_new0 (Reader, 1);
  gboolean ok;

  g_return_val_if_fail (problem != NULL && *problem == NULL, FALSE);

  r->stream = stream;
  r->big_endian = big_endian;
  r->file_left = size;
  if (fseeko (stream, offset + 8, SEEK_SET) != 0)
    ok = damaged (r, "it cannot be read");
  else if (type == MAT_T_COMPRESSED)
    ok = check_compressed (r, size);
  else
    ok = check_array (r, size, 0);

  *problem = g_steal_pointer (&r->problem);
  return ok;
}
