/* Fixed-position bytes of an image (see layout.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "splice/layout.h"

static void add_fixed(layout *l, const program *p, int item, const char *why) {
  const prog_item *it = &p->it[item];
  for (int k = 0; k < l->nfixed; k++)
    if (l->fixed[k].off == it->off) return;
  if (l->nfixed == LAYOUT_MAX_FIXED) {
    l->truncated = true;
    return;
  }
  int k = l->nfixed++;
  while (k > 0 && l->fixed[k - 1].off > it->off) {
    l->fixed[k] = l->fixed[k - 1];
    k--;
  }
  l->fixed[k] = (layout_fixed){it->off, it->len, it->line, why};
}

static bool relocated_value(const prog_item *it, uint32_t org, uint32_t v) {
  for (int r = 0; r < it->nrval; r++)
    if ((it->rval[r] & 0xffff) == v || ((it->rval[r] + org) & 0xffff) == v) return true;
  return false;
}

/* Plain numbers in code that are addresses inside the image: the bytes
 * there are read or jumped to at that address, so they may not move.  A
 * number that equals one of the item's relocated values (which nasm shows
 * as offsets in the section) is taken to be the label nasm relocated. */
static void constant_addresses(const program *p, layout *l) {
  uint32_t org = p->org;
  for (int i = 0; i < p->n; i++) {
    const prog_item *it = &p->it[i];
    if (!it->decoded) continue;
    for (int o = 0; o < it->in.nops; o++) {
      const operand *op = &it->in.o[o];
      bool plain_mem = op->kind == K_MEM && op->base < 0 && op->index < 0;
      if (!plain_mem && !(op->kind == K_IMM && op->size >= 2)) continue;
      uint32_t v = (uint32_t)op->disp & 0xffff;
      if (v < org || v >= org + p->size) continue;
      if (it->reloc && relocated_value(it, org, v)) continue;
      int t = program_item_containing(p, v - org);
      if (t >= 0) add_fixed(l, p, t, "address used as a constant");
    }
  }
}

/* Is source line `line` a `times ...$...` fill? */
static bool fill_line(const program *p, int line) {
  const char *s = p->src[line - 1];
  const char *c = nasm_comment(s);
  while (s < c && isspace((unsigned char)*s)) s++;
  if ((size_t)(c - s) < 6 || strncasecmp(s, "times", 5) || !isspace((unsigned char)s[5])) return false;
  return memchr(s, '$', (size_t)(c - s)) != NULL;
}

void layout_find(const program *p, layout *l) {
  memset(l, 0, sizeof *l);
  l->boot = p->size == 512 && p->image[510] == 0x55 && p->image[511] == 0xaa;
  if (l->boot) {
    int s = program_item_containing(p, 510);
    if (s >= 0) add_fixed(l, p, s, "boot signature");
  }
  constant_addresses(p, l);
  /* bytes at offset 0 never move; the fill goes before the first that can.
   * It absorbs shrinks only when nothing but it lies between that item and
   * the bytes before it (a fill of 0 bytes has no item, so the source lines
   * between are read) */
  int k = 0;
  while (k < l->nfixed && l->fixed[k].off == 0) k++;
  l->first_movable = k;
  if (k == l->nfixed) return;
  int first = program_item_containing(p, l->fixed[k].off);
  int from = first > 0 ? p->it[first - 1].line : 1;
  for (int ln = from; ln <= p->it[first].line && ln <= p->nsrc; ln++)
    if (fill_line(p, ln)) l->has_fill = true;
  if (first > 0 && p->it[first - 1].padding) l->has_fill = true;
  if (!l->has_fill && first > 0) {
    l->fill_before_line = p->it[first].line;
    snprintf(l->fill_text, sizeof l->fill_text, "        times %u-($-$$) db 0", (unsigned)p->it[first].off);
  }
}

bool layout_check(const layout *l, const program *orig, const program *after, char *why,
                  size_t whyn) {
  if (l->truncated) {
    snprintf(why, whyn, "more than %d fixed-position items: no splice is checked against them all",
             LAYOUT_MAX_FIXED);
    return false;
  }
  if (l->boot && after->size != 512) {
    snprintf(why, whyn, "the boot sector would be %zu bytes, not 512", after->size);
    return false;
  }
  for (int k = 0; k < l->nfixed; k++) {
    const layout_fixed *f = &l->fixed[k];
    if (f->off + (uint32_t)f->len > after->size ||
        memcmp(orig->image + f->off, after->image + f->off, (size_t)f->len) != 0 ||
        program_item_at(after, f->off) < 0) {
      snprintf(why, whyn, "moves the %s at offset 0x%x (line %d)", f->why, (unsigned)f->off, f->line);
      return false;
    }
  }
  return true;
}
