/* impasto-file-id.h: whether two paths name the same file
 *
 * Strings cannot tell: "photo.png", "./photo.png", "../here/photo.png", a symbolic link and a
 * hard link all name the same photo. An existing file is known by its device and inode; one
 * not created yet by its folder's, and its name in it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sys/types.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean exists;
  dev_t    dev;       /* the file's, when it exists */
  ino_t    ino;
  gboolean has_dir;   /* FALSE when the folder cannot be found either */
  dev_t    dir_dev;   /* the folder's that holds the name */
  ino_t    dir_ino;
  char    *name;      /* its name in that folder */
} ImpastoFileId;

void     impasto_file_id_init      (ImpastoFileId       *id,
                                    const char          *path);
void     impasto_file_id_clear     (ImpastoFileId       *id);
gboolean impasto_file_id_equal     (const ImpastoFileId *a,
                                    const ImpastoFileId *b);
/* Whether file's name is in the folder that folder (an existing folder) is. */
gboolean impasto_file_id_is_in     (const ImpastoFileId *file,
                                    const ImpastoFileId *folder);
gboolean impasto_file_same         (const char          *a,
                                    const char          *b);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ImpastoFileId, impasto_file_id_clear)

G_END_DECLS
