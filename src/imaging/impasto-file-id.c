/* impasto-file-id.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>

#include "impasto-file-id.h"

/* stat() follows symbolic links, which is what makes a link and its target one file. */
void
impasto_file_id_init (ImpastoFileId *id,
                      const char    *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf st;

  g_return_if_fail (id != NULL && path != NULL);

  *id = (ImpastoFileId) { 0, };
  id->name = g_path_get_basename (path);
  if (g_stat (path, &st) == 0)
    {
      id->exists = TRUE;
      id->dev = st.st_dev;
      id->ino = st.st_ino;
    }
  if (g_stat (dir, &st) == 0)
    {
      id->has_dir = TRUE;
      id->dir_dev = st.st_dev;
      id->dir_ino = st.st_ino;
    }
}

void
impasto_file_id_clear (ImpastoFileId *id)
{
  g_clear_pointer (&id->name, g_free);
}

static gboolean
same_dir (const ImpastoFileId *a,
          const ImpastoFileId *b)
{
  return a->has_dir && b->has_dir && a->dir_dev == b->dir_dev && a->dir_ino == b->dir_ino;
}

/* Two names yet to be created are one file when they will be the same entry. */
gboolean
impasto_file_id_equal (const ImpastoFileId *a,
                       const ImpastoFileId *b)
{
  if (a->exists && b->exists)
    return a->dev == b->dev && a->ino == b->ino;
  if (a->exists || b->exists)
    return FALSE;

  return same_dir (a, b) && g_strcmp0 (a->name, b->name) == 0;
}

gboolean
impasto_file_id_is_in (const ImpastoFileId *file,
                       const ImpastoFileId *folder)
{
  return folder->exists && file->has_dir && file->dir_dev == folder->dev
         && file->dir_ino == folder->ino;
}

gboolean
impasto_file_same (const char *a,
                   const char *b)
{
  g_auto(ImpastoFileId) id_a = { 0, };
  g_auto(ImpastoFileId) id_b = { 0, };

  impasto_file_id_init (&id_a, a);
  impasto_file_id_init (&id_b, b);

  return impasto_file_id_equal (&id_a, &id_b);
}
