/* fuzz-download-seeds.c: answers a good server, a resuming one and the usual bad ones give
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-download.h"
#include "fuzz-seeds.h"

#define KEPT_INFO "[download]\nurl=@URL@\nsize=4096\netag=\"v1\"\n"

/* info (may be NULL), then the head, then body[start, end) */
static void
add (GPtrArray  *seeds,
     const char *name,
     const char *info,
     const char *head,
     GBytes     *body,
     gsize       start,
     gsize       end)
{
  GByteArray *bytes = g_byte_array_new ();
  gsize info_size = info != NULL ? strlen (info) : 0;
  guint8 length[2] = { info_size & 0xff, info_size >> 8 };

  g_byte_array_append (bytes, length, 2);
  g_byte_array_append (bytes, (const guint8 *) info, info_size);
  g_byte_array_append (bytes, (const guint8 *) head, strlen (head));
  if (body != NULL)
    g_byte_array_append (bytes, (const guint8 *) g_bytes_get_data (body, NULL) + start,
                         end - start);
  fuzz_seeds_add (seeds, name, g_byte_array_free_to_bytes (bytes));
}

GPtrArray *
fuzz_seeds_make (void)
{
  GPtrArray *seeds = fuzz_seeds_new ();
  g_autoptr(GBytes) body = fuzz_download_body ();
  g_autoptr(GBytes) other = g_bytes_new_from_bytes (body, 1, FUZZ_DOWNLOAD_SIZE - 1);
  g_autoptr(GByteArray) triple = g_byte_array_new ();
  g_autoptr(GBytes) long_body = NULL;
  g_autofree char *range = g_strdup_printf ("HTTP/1.1 206 Partial Content\r\n"
                                            "Content-Range: bytes %d-%d/%d\r\n"
                                            "Content-Length: %d\r\nETag: \"v1\"\r\n\r\n",
                                            FUZZ_DOWNLOAD_KEPT, FUZZ_DOWNLOAD_SIZE - 1,
                                            FUZZ_DOWNLOAD_SIZE,
                                            FUZZ_DOWNLOAD_SIZE - FUZZ_DOWNLOAD_KEPT);
  const char *whole = "HTTP/1.1 200 OK\r\nContent-Length: 4096\r\nETag: \"v1\"\r\n"
                      "Content-Type: application/octet-stream\r\n\r\n";

  add (seeds, "whole", NULL, whole, body, 0, FUZZ_DOWNLOAD_SIZE);
  add (seeds, "chunked", NULL,
       "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n", body, 0,
       FUZZ_DOWNLOAD_SIZE);
  add (seeds, "until-close", NULL, "HTTP/1.0 200 OK\r\n\r\n", body, 0, FUZZ_DOWNLOAD_SIZE);
  add (seeds, "resumed", KEPT_INFO, range, body, FUZZ_DOWNLOAD_KEPT, FUZZ_DOWNLOAD_SIZE);
  add (seeds, "resume-refused", KEPT_INFO, whole, body, 0, FUZZ_DOWNLOAD_SIZE);
  add (seeds, "resume-wrong-range", KEPT_INFO,
       "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-4095/4096\r\n"
       "Content-Length: 4096\r\n\r\n", body, 0, FUZZ_DOWNLOAD_SIZE);
  add (seeds, "past-the-end", KEPT_INFO,
       "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */4096\r\n"
       "Content-Length: 0\r\n\r\n", NULL, 0, 0);
  add (seeds, "info-other-url", "[download]\nurl=http://elsewhere/\nsize=4096\n", whole, body,
       0, FUZZ_DOWNLOAD_SIZE);
  add (seeds, "info-garbage", "\x01[download\nsize=-3\n=", whole, body, 0, FUZZ_DOWNLOAD_SIZE);
  add (seeds, "short", NULL, whole, body, 0, FUZZ_DOWNLOAD_SIZE / 2);
  /* No length, and more than the file can be. */
  g_byte_array_append (triple, g_bytes_get_data (body, NULL), FUZZ_DOWNLOAD_SIZE);
  g_byte_array_append (triple, g_bytes_get_data (body, NULL), FUZZ_DOWNLOAD_SIZE);
  g_byte_array_append (triple, g_bytes_get_data (body, NULL), FUZZ_DOWNLOAD_SIZE);
  long_body = g_byte_array_free_to_bytes (g_steal_pointer (&triple));
  add (seeds, "over-long", NULL, "HTTP/1.0 200 OK\r\n\r\n", long_body, 0,
       g_bytes_get_size (long_body));
  add (seeds, "wrong-file", NULL,
       "HTTP/1.1 200 OK\r\nContent-Length: 4095\r\n\r\n", other, 0, FUZZ_DOWNLOAD_SIZE - 1);
  add (seeds, "too-large", NULL, "HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n",
       body, 0, 100);
  add (seeds, "not-found", NULL,
       "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found", NULL, 0, 0);
  add (seeds, "html", NULL,
       "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n"
       "<html></html>", NULL, 0, 0);
  add (seeds, "redirect-loop", NULL,
       "HTTP/1.1 302 Found\r\nLocation: " FUZZ_DOWNLOAD_PATH "\r\nContent-Length: 0\r\n\r\n",
       NULL, 0, 0);
  add (seeds, "no-headers-end", NULL, "HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n", NULL, 0,
       0);
  add (seeds, "nothing", NULL, "", NULL, 0, 0);
  add (seeds, "not-http", NULL, "\x16\x03\x01\x02\x01\xfc\x03\x03", NULL, 0, 0);

  return seeds;
}
