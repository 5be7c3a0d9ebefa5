/* impasto-cli-files.c
 *
 * Everything about the files that can be known before the run is checked before the first
 * file is opened for writing: a refusal then costs nothing, while one found at the end of the
 * run loses all of its work, and an output that is one of the inputs loses the user's file.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "impasto-cli-files.h"
#include "impasto-file-id.h"
#include "impasto-image-io.h"

typedef struct
{
  const char *path;
  const char *role;     /* "the content image", "the log", … (translated) */
  gboolean    output;
} RunFile;

struct _ImpastoCliLog
{
  char *path;
  char *preamble;   /* comment lines before the header */
  FILE *file;       /* NULL until the first line */
};

/* Started with stdout or stderr closed, the first file opened would get descriptor 1 or 2,
 * and the progress lines or the error messages would go into it. */
void
impasto_cli_open_std_streams (void)
{
  for (int fd = 0; fd <= 2; fd++)
    if (fcntl (fd, F_GETFD) == -1 && errno == EBADF)
      {
        /* The lowest free descriptor, which is fd: the lower ones are open by now. */
        int null = open ("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);

        if (null >= 0 && null != fd)
          close (null);
      }
}

static gboolean
set_errno_error (GError    **error,
                 int         errsv,
                 const char *subject)
{
  /* Translators: the first %s names a file, as “out.png” or the log “run.csv”. */
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), _("Cannot write %s: %s"),
               subject, g_strerror (errsv));
  return FALSE;
}

/* A name too long for its file system is refused only when the file is created. */
static gboolean
check_name_length (const char *path,
                   const char *dir,
                   const char *subject,
                   gsize       extra,
                   GError    **error)
{
  g_autofree char *name = g_path_get_basename (path);
  long name_max = pathconf (dir, _PC_NAME_MAX);

  if (name_max < 0 || strlen (name) + extra <= (gsize) name_max)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG,
               _("Cannot write %s: its name is %lu bytes long, and names there can have at most "
                 "%ld; choose a shorter one"),
               subject, (unsigned long) strlen (name), name_max - (long) extra);
  return FALSE;
}

/* subject names the file in a message: “out.png” or the log “run.csv”. extra: bytes the name
 * must leave free for a temporary file beside it. in_place: written where it is (an existing
 * file needs only itself writable), not through a new file and a rename. */
static gboolean
check_output (const char *path,
              const char *subject,
              gsize       extra,
              gboolean    in_place,
              GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      /* Translators: the first %s names a file, as “out.png” or the log “run.csv”. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Cannot write %s: folder “%s” does not exist"), subject, dir);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      /* Translators: %s names a file, as “out.png” or the log “run.csv”. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("Cannot write %s: a folder of that name is in the way"), subject);
      return FALSE;
    }
  /* A file written in place needs only itself writable; a new one, or one replaced through a
   * temporary file, needs the folder. */
  if (access (in_place && g_file_test (path, G_FILE_TEST_EXISTS) ? path : dir, W_OK) != 0)
    return set_errno_error (error, errno, subject);

  return check_name_length (path, dir, subject, extra, error);
}

/* The names snapshots are saved under; none is ever another width. */
static gboolean
is_snapshot_name (const char *name)
{
  gsize len = strlen (name);
  g_autofree char *digits = NULL;
  g_autofree char *canonical = NULL;
  guint64 step;

  if (!g_str_has_prefix (name, "step-") || !g_str_has_suffix (name, ".png") || len < 10)
    return FALSE;

  digits = g_strndup (name + 5, len - 9);
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT, &step, NULL))
    return FALSE;
  canonical = g_strdup_printf ("step-%05u.png", (guint) step);

  return g_str_equal (canonical, name);
}

static gboolean
check_snapshots (const RunFile       *files,
                 const ImpastoFileId *ids,
                 guint                n_files,
                 const char          *snapshot_dir,
                 GError             **error)
{
  g_auto(ImpastoFileId) dir = { 0, };

  impasto_file_id_init (&dir, snapshot_dir);
  for (guint i = 0; i < n_files; i++)
    if (impasto_file_id_is_in (&ids[i], &dir) && is_snapshot_name (ids[i].name))
      {
        /* Translators: the second %s is a role, as “the content image”. */
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                     _("Cannot save snapshots in “%s”: one would replace %s “%s”; choose "
                       "another folder"), snapshot_dir, files[i].role, files[i].path);
        return FALSE;
      }

  return TRUE;
}

/* Refuses any output that is the same file as an input or another output, and snapshots
 * (step-NNNNN.png in snapshot_dir, when not NULL) that would replace one of files. */
static gboolean
check_distinct (const RunFile *files,
                guint          n_files,
                const char    *snapshot_dir,
                GError       **error)
{
  g_autofree ImpastoFileId *ids = g_new0 (ImpastoFileId, n_files);
  gboolean ok = TRUE;

  for (guint i = 0; i < n_files; i++)
    impasto_file_id_init (&ids[i], files[i].path);

  for (guint i = 0; i < n_files && ok; i++)
    for (guint j = 0; j < n_files && ok; j++)
      if (i != j && files[i].output && (j > i || !files[j].output)
          && impasto_file_id_equal (&ids[i], &ids[j]))
        {
          /* Translators: the first and third %s are roles, as “the result” and “the content
           * image”; the others are file names. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("Cannot write %s “%s”: it is %s “%s”; choose another name"),
                       files[i].role, files[i].path, files[j].role, files[j].path);
          ok = FALSE;
        }

  if (ok && snapshot_dir != NULL)
    ok = check_snapshots (files, ids, n_files, snapshot_dir, error);

  for (guint i = 0; i < n_files; i++)
    impasto_file_id_clear (&ids[i]);

  return ok;
}

static gboolean
check_result_name (const char *path,
                   GError    **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *subject = g_strdup_printf ("“%s”", path);

  /* Saved as a temporary ".NAME.XXXXXX" beside it, then renamed. */
  if (g_str_has_suffix (lower, ".png") || g_str_has_suffix (lower, ".jpg")
      || g_str_has_suffix (lower, ".jpeg"))
    return check_output (path, subject, strlen ("..XXXXXX"), FALSE, error);

  g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_FORMAT,
               _("Cannot write “%s”: the name must end in .png, .jpg or .jpeg"), path);
  return FALSE;
}

gboolean
impasto_cli_prepare_files (const ImpastoCliPaths *paths,
                           GError               **error)
{
  g_autofree char *log_subject = NULL;
  RunFile files[6] = {
    { paths->content, _("the content image"), FALSE },
    { paths->style, _("the style image"), FALSE },
    { paths->model, _("the model"), FALSE },
    { paths->output, _("the result"), TRUE },
  };
  guint n_files = 4;

  if (paths->start != NULL)
    files[n_files++] = (RunFile) { paths->start, _("the starting image"), FALSE };

  if (!check_result_name (paths->output, error))
    return FALSE;
  if (paths->log != NULL)
    {
      /* Translators: %s is a file name. */
      log_subject = g_strdup_printf (_("the log “%s”"), paths->log);
      if (!check_output (paths->log, log_subject, 0, TRUE, error))
        return FALSE;
      files[n_files++] = (RunFile) { paths->log, _("the log"), TRUE };
    }
  if (!check_distinct (files, n_files, paths->snapshot_dir, error))
    return FALSE;

  if (paths->snapshot_dir != NULL && g_mkdir_with_parents (paths->snapshot_dir, 0777) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the snapshot folder “%s”: %s"),
                   paths->snapshot_dir, g_strerror (saved));
      return FALSE;
    }
  /* An existing folder may still refuse them, which would only show as a warning later. */
  if (paths->snapshot_dir != NULL && access (paths->snapshot_dir, W_OK) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot save snapshots in “%s”: %s"), paths->snapshot_dir,
                   g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

/* The log */

ImpastoCliLog *
impasto_cli_log_new (const char *path,
                     const char *recipe)
{
  ImpastoCliLog *log = g_new0 (ImpastoCliLog, 1);
  g_auto(GStrv) lines = g_strsplit (recipe, "\n", -1);
  GString *preamble = g_string_new (NULL);

  /* CSV readers that know comments skip these; taking the first two bytes off each line
   * gives the recipe back. */
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' || lines[i + 1] != NULL)
      g_string_append_printf (preamble, "# %s\n", lines[i]);
  log->path = g_strdup (path);
  log->preamble = g_string_free (preamble, FALSE);

  return log;
}

static gboolean
set_log_error (ImpastoCliLog *log,
               int            errsv,
               GError       **error)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
               _("Cannot write the log “%s”: %s"), log->path, g_strerror (errsv));
  return FALSE;
}

/* Always with a decimal point, whatever the locale, so that the CSV parses everywhere. */
static char *
format_line (const ImpastoProgress *p)
{
  const double values[] = {
    p->total_loss, p->content_loss, p->style_loss, p->tv_loss, p->elapsed,
  };
  GString *line = g_string_new (NULL);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (line, "%u", p->step);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_string_append_printf (line, ",%s",
                            g_ascii_formatd (buffer, sizeof buffer, "%.9g", values[i]));
  g_string_append_printf (line, ",%u,%" G_GUINT64_FORMAT "\n", p->scale, p->evaluations);

  return g_string_free (line, FALSE);
}

/* Flushed line by line, so that a full disk is found at the step it fills up. */
gboolean
impasto_cli_log_write (ImpastoCliLog         *log,
                       const ImpastoProgress *progress,
                       GError               **error)
{
  g_autofree char *line = format_line (progress);

  if (log->file == NULL)
    {
      log->file = g_fopen (log->path, "we");
      if (log->file == NULL)
        return set_log_error (log, errno, error);
      if (fputs (log->preamble, log->file) == EOF
          || fputs ("step,total,content,style,tv,seconds,scale,evaluations\n", log->file) == EOF)
        return set_log_error (log, errno, error);
    }

  if (fputs (line, log->file) == EOF || fflush (log->file) != 0)
    return set_log_error (log, errno, error);

  return TRUE;
}

gboolean
impasto_cli_log_close (ImpastoCliLog *log,
                       GError       **error)
{
  FILE *file = g_steal_pointer (&log->file);

  if (file != NULL && fclose (file) != 0)
    return set_log_error (log, errno, error);

  return TRUE;
}

void
impasto_cli_log_free (ImpastoCliLog *log)
{
  if (log == NULL)
    return;

  g_free (log->preamble);
  if (log->file != NULL)
    fclose (log->file);
  g_free (log->path);
  g_free (log);
}

static gboolean
on_sigint (gpointer data)
{
  ImpastoCliSignals *watch = data;

  watch->stop (watch->data, SIGINT);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigterm (gpointer data)
{
  ImpastoCliSignals *watch = data;

  watch->stop (watch->data, SIGTERM);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sighup (gpointer data)
{
  ImpastoCliSignals *watch = data;

  watch->stop (watch->data, SIGHUP);
  return G_SOURCE_CONTINUE;
}

void
impasto_cli_watch_signals (ImpastoCliSignals  *watch,
                           ImpastoCliStopFunc  stop,
                           gpointer            data)
{
  watch->stop = stop;
  watch->data = data;
  watch->sources[0] = g_unix_signal_add (SIGINT, on_sigint, watch);
  watch->sources[1] = g_unix_signal_add (SIGTERM, on_sigterm, watch);
  watch->sources[2] = g_unix_signal_add (SIGHUP, on_sighup, watch);
}

void
impasto_cli_unwatch_signals (ImpastoCliSignals *watch)
{
  for (guint i = 0; i < G_N_ELEMENTS (watch->sources); i++)
    g_clear_handle_id (&watch->sources[i], g_source_remove);
}
