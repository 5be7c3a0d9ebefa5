/* impasto-style-list.h: the style images of a blend, each with its weight, in order
 *
 * One picker, as there always was, until "Add Style" adds another, up to
 * IMPASTO_MAX_STYLES; with more than one, each shows its weight and its share of the blend and
 * can be moved or removed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "impasto-image-picker.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_STYLE_LIST (impasto_style_list_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoStyleList, impasto_style_list, IMPASTO, STYLE_LIST, GtkWidget)

guint               impasto_style_list_get_n_styles (ImpastoStyleList *self);
ImpastoImagePicker *impasto_style_list_get_picker   (ImpastoStyleList *self,
                                                     guint             i);
double              impasto_style_list_get_weight   (ImpastoStyleList *self,
                                                     guint             i);
void                impasto_style_list_set_weight   (ImpastoStyleList *self,
                                                     guint             i,
                                                     double            weight);
/* The new, empty picker at the end; NULL when there are IMPASTO_MAX_STYLES already. */
ImpastoImagePicker *impasto_style_list_add          (ImpastoStyleList *self);
void                impasto_style_list_remove       (ImpastoStyleList *self,
                                                     guint             i);
void                impasto_style_list_move         (ImpastoStyleList *self,
                                                     guint             from,
                                                     guint             to);
/* n pickers (at least one): the first ones kept, the rest empty, weights of 1 for the new. */
void                impasto_style_list_set_n_styles (ImpastoStyleList *self,
                                                     guint             n);
/* Some picker is still loading its image. */
gboolean            impasto_style_list_get_loading  (ImpastoStyleList *self);
/* Whether picker is one of the list's. */
gboolean            impasto_style_list_has_picker   (ImpastoStyleList   *self,
                                                     ImpastoImagePicker *picker);

G_END_DECLS
