/* model-server.h: an HTTP server on 127.0.0.1, in the test process, that serves a model file
 * well or in one of the ways real servers fail
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum
{
  MODEL_SERVER_WHOLE,           /* 200 or 206 with an ETag, as a good server does */
  MODEL_SERVER_CLOSE_MIDWAY,    /* the connection closes after close_after bytes of the body */
  MODEL_SERVER_STALL_HEADERS,   /* never answers */
  MODEL_SERVER_STALL_BODY,      /* sends close_after bytes of the body, then nothing */
  MODEL_SERVER_NOT_FOUND,
  MODEL_SERVER_HTML,            /* an error page with a 200 */
  MODEL_SERVER_CHUNKED,         /* no length, the body sent as chunks (body_repeat times) */
} ModelServerMode;

typedef struct
{
  SoupServer      *server;
  GBytes          *body;
  char            *url;
  char            *etag;
  ModelServerMode  mode;         /* for the next request; then back to MODEL_SERVER_WHOLE */
  gsize            close_after;
  guint            body_repeat;
  guint            requests;     /* how many have arrived */
  goffset          last_start;   /* the first byte the last request asked for */
  gboolean         last_if_range;
  gboolean         waiting;      /* a request is held unanswered */

  /* model_server_new_in_thread()'s */
  GThread         *thread;
  GMainLoop       *loop;
  GMutex           lock;
  GCond            started;
} ModelServer;

/* Serves from the calling thread's main context */
ModelServer *model_server_new           (GBytes      *body);
/* Serves from a thread of its own, for a test that blocks on a child process */
ModelServer *model_server_new_in_thread (GBytes      *body);
void         model_server_free          (ModelServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ModelServer, model_server_free)

G_END_DECLS
