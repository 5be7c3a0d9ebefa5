/* model-server.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "model-server.h"

#define MODEL_PATH "/imagenet-vgg-verydeep-19.mat"

/* The body from byte start on */
static GBytes *
body_from (ModelServer *self,
           goffset      start)
{
  return g_bytes_new_from_bytes (self->body, start, g_bytes_get_size (self->body) - start);
}

/* The client sees the body end early: the writing half of the connection is shut. */
static void
on_wrote_chunk (SoupServerMessage *msg,
                gpointer           data)
{
  g_socket_shutdown (soup_server_message_get_socket (msg), FALSE, TRUE, NULL);
}

/* Where a request for the model starts, honouring Range only with a matching If-Range. */
static goffset
requested_start (ModelServer       *self,
                 SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *if_range = soup_message_headers_get_one (headers, "If-Range");
  gsize size = g_bytes_get_size (self->body);
  SoupRange *ranges = NULL;
  int n = 0;
  goffset start = 0;

  self->last_if_range = if_range != NULL;
  if (!soup_message_headers_get_ranges (headers, size, &ranges, &n))
    return 0;
  if (n == 1 && ranges[0].end == (goffset) size - 1
      && (if_range == NULL || g_strcmp0 (if_range, self->etag) == 0))
    start = ranges[0].start;
  soup_message_headers_free_ranges (headers, ranges);

  return start;
}

static void
serve_partial_body (ModelServer       *self,
                    SoupServerMessage *msg,
                    goffset            start,
                    gboolean           then_close)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize size = g_bytes_get_size (self->body);
  g_autoptr(GBytes) part = g_bytes_new_from_bytes (self->body, start, self->close_after);

  soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg),
                                           size - start);
  soup_message_body_append_bytes (body, part);
  if (then_close)
    g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk), NULL);
}

static void
serve_chunked (ModelServer       *self,
               SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  for (guint i = 0; i < MAX (self->body_repeat, 1); i++)
    soup_message_body_append_bytes (body, self->body);
  soup_message_body_complete (body);
}

static void
serve_model (ModelServer       *self,
             SoupServerMessage *msg,
             ModelServerMode    mode)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  goffset start = requested_start (self, msg);
  gsize size = g_bytes_get_size (self->body);

  self->last_start = start;
  soup_message_headers_replace (headers, "ETag", self->etag);
  soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
  soup_server_message_set_status (msg, start > 0 ? SOUP_STATUS_PARTIAL_CONTENT : SOUP_STATUS_OK,
                                  NULL);
  if (start > 0)
    soup_message_headers_set_content_range (headers, start, size - 1, size);

  if (mode == MODEL_SERVER_CLOSE_MIDWAY || mode == MODEL_SERVER_STALL_BODY)
    serve_partial_body (self, msg, start, mode == MODEL_SERVER_CLOSE_MIDWAY);
  else if (mode == MODEL_SERVER_CHUNKED)
    serve_chunked (self, msg);
  else
    {
      g_autoptr(GBytes) rest = body_from (self, start);

      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), rest);
    }
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           data)
{
  ModelServer *self = data;
  ModelServerMode mode = self->mode;
  static const char page[] = "<html><body>Not here any more</body></html>";

  self->requests++;
  self->mode = MODEL_SERVER_WHOLE;
  if (g_strcmp0 (path, MODEL_PATH) != 0 || mode == MODEL_SERVER_NOT_FOUND)
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  else if (mode == MODEL_SERVER_HTML)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page,
                                        sizeof page - 1);
    }
  else if (mode == MODEL_SERVER_STALL_HEADERS)
    {
      self->waiting = TRUE;
      soup_server_message_pause (msg);
    }
  else
    serve_model (self, msg, mode);
}

static void
start (ModelServer *self)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, handle, self, NULL);
  g_assert_true (soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  self->url = g_strdup_printf ("http://127.0.0.1:%d" MODEL_PATH, g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
stop (ModelServer *self)
{
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  /* The connections it closed are let go of from idles. */
  while (g_main_context_iteration (g_main_context_get_thread_default (), FALSE))
    ;
}

static ModelServer *
model_server_alloc (GBytes *body)
{
  ModelServer *self = g_new0 (ModelServer, 1);
  g_autofree char *md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, body);

  self->body = g_bytes_ref (body);
  self->etag = g_strdup_printf ("\"%s\"", md5);
  g_mutex_init (&self->lock);
  g_cond_init (&self->started);

  return self;
}

ModelServer *
model_server_new (GBytes *body)
{
  ModelServer *self = model_server_alloc (body);

  start (self);
  return self;
}

static gpointer
serve (gpointer data)
{
  ModelServer *self = data;
  GMainContext *context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  start (self);
  g_mutex_lock (&self->lock);
  self->loop = g_main_loop_new (context, FALSE);
  g_cond_signal (&self->started);
  g_mutex_unlock (&self->lock);

  g_main_loop_run (self->loop);
  stop (self);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);

  return NULL;
}

ModelServer *
model_server_new_in_thread (GBytes *body)
{
  ModelServer *self = model_server_alloc (body);

  self->thread = g_thread_new ("model-server", serve, self);
  g_mutex_lock (&self->lock);
  while (self->loop == NULL)
    g_cond_wait (&self->started, &self->lock);
  g_mutex_unlock (&self->lock);

  return self;
}

static gboolean
quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
model_server_free (ModelServer *self)
{
  if (self->thread != NULL)
    {
      g_main_context_invoke (g_main_loop_get_context (self->loop), quit, self->loop);
      g_thread_join (self->thread);
      g_main_loop_unref (self->loop);
    }
  else
    stop (self);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->started);
  g_bytes_unref (self->body);
  g_free (self->url);
  g_free (self->etag);
  g_free (self);
}
