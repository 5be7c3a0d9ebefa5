/* impasto-model-download-response.c: what a server's answer must be for its body to be kept,
 * and what is kept about it so that a later request can resume
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "impasto-model-download-private.h"

#define INFO_GROUP "download"
/* Of a server's words quoted in a message */
#define MAX_QUOTED_CHARS 80

/* A server's words (a reason phrase, a content type) fit for a message: valid UTF-8, no
 * control characters, not too long. */
static char *
quote_server (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *quoted = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n++ == MAX_QUOTED_CHARS)
        {
          g_string_append (quoted, "…");
          break;
        }
      g_string_append_unichar (quoted, g_unichar_iscntrl (c) ? 0xfffd : c);
    }

  return g_string_free (quoted, FALSE);
}

static gboolean
save_info (ImpastoModelDownload  *self,
           SoupMessageHeaders    *headers,
           GError               **error)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  const char *etag = soup_message_headers_get_one (headers, "ETag");
  const char *modified = soup_message_headers_get_one (headers, "Last-Modified");

  g_key_file_set_string (info, INFO_GROUP, "url", self->url);
  g_key_file_set_uint64 (info, INFO_GROUP, "size", self->total);
  /* A weak ETag cannot validate a range (RFC 9110, 13.1.5). */
  if (etag != NULL && !g_str_has_prefix (etag, "W/"))
    g_key_file_set_string (info, INFO_GROUP, "etag", etag);
  if (modified != NULL)
    g_key_file_set_string (info, INFO_GROUP, "last-modified", modified);

  return g_key_file_save_to_file (info, self->info_path, error);
}

/* Makes the file ready for a body starting at offset. */
static gboolean
rewind_part (Run      *run,
             goffset   offset,
             GError  **error)
{
  if (ftruncate (run->fd, offset) == 0 && lseek (run->fd, offset, SEEK_SET) == offset)
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (errno), g_strerror (errno));
  return FALSE;
}

static gboolean
check_size (GTask   *task,
            guint64  size)
{
  ImpastoModelDownload *self = g_task_get_source_object (task);
  g_autofree char *offered = NULL;

  if (size >= self->expected->min_size && size <= self->expected->max_size)
    return TRUE;

  offered = g_format_size (size);
  impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_NOT_MODEL,
                               _("%s offers a file of %s, which cannot be %s; check the address"),
                               self->url, offered, _(self->expected->description));
  return FALSE;
}

/* A 206: the rest of the file that the .part holds the start of. */
static gboolean
accept_range (GTask              *task,
              SoupMessageHeaders *headers)
{
  ImpastoModelDownload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  goffset start = 0, end = 0, total = 0;
  GError *error = NULL;

  if (!soup_message_headers_get_content_range (headers, &start, &end, &total)
      || start != (goffset) self->received || total <= 0
      || (run->kept_total != 0 && (guint64) total != run->kept_total)
      || end != total - 1)
    {
      g_autofree char *server = impasto_model_download_describe_server (self);

      impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_HTTP,
                                   _("%s sent a different part of the file than was asked "
                                     "for; try again"), server);
      return FALSE;
    }
  if (!check_size (task, total))
    return FALSE;

  self->total = total;
  run->limit = total;
  if (!rewind_part (run, start, &error))
    {
      impasto_model_download_fail_write (task, error);
      return FALSE;
    }
  return TRUE;
}

/* A 200: the whole file, from the start, whatever the .part held. */
static gboolean
accept_whole (GTask              *task,
              SoupMessageHeaders *headers)
{
  ImpastoModelDownload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  self->received = 0;
  self->total = 0;
  run->limit = self->expected->max_size;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      goffset length = soup_message_headers_get_content_length (headers);

      if (!check_size (task, length))
        return FALSE;
      self->total = length;
      run->limit = length;
    }

  if (!rewind_part (run, 0, &error) || !save_info (self, headers, &error))
    {
      impasto_model_download_fail_write (task, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
impasto_model_download_accept_response (GTask *task)
{
  ImpastoModelDownload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (run->message);
  guint status = soup_message_get_status (run->message);
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_PARTIAL_CONTENT)
    {
      g_autofree char *reason = quote_server (soup_message_get_reason_phrase (run->message));

      impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_HTTP,
                                   _("%s answered “%u %s”; check the address, or try "
                                     "another mirror"),
                                   self->url, status, reason);
      return FALSE;
    }
  /* An error page or a captive portal's login, served with a success status. */
  if (type != NULL && g_str_has_prefix (type, "text/"))
    {
      g_autofree char *quoted = quote_server (type);

      impasto_model_download_fail (task, IMPASTO_MODEL_DOWNLOAD_ERROR_NOT_MODEL,
                                   _("%s sent a web page (%s) instead of the model; check "
                                     "the address, or sign in to the network first"),
                                   self->url, quoted);
      return FALSE;
    }

  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    return accept_range (task, headers);
  return accept_whole (task, headers);
}

/* What the .part.info says about the .part, when it belongs to this URL. */
void
impasto_model_download_load_info (ImpastoModelDownload *self,
           Run                  *run)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *url = NULL;

  if (!g_key_file_load_from_file (info, self->info_path, G_KEY_FILE_NONE, NULL))
    return;
  url = g_key_file_get_string (info, INFO_GROUP, "url", NULL);
  if (g_strcmp0 (url, self->url) != 0)
    return;

  run->etag = g_key_file_get_string (info, INFO_GROUP, "etag", NULL);
  run->modified = g_key_file_get_string (info, INFO_GROUP, "last-modified", NULL);
  run->kept_total = g_key_file_get_uint64 (info, INFO_GROUP, "size", NULL);
}
