/* The pipeline's report: per-block bytes before/after, what was searched,
 * and every reason code was left out, counted. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pipeline/pipeline_int.h"

typedef struct {
  char name[64];
  int before, after, windows, searched, shorter;
} block_row;

static block_row *row_for(block_row *rows, int *n, const char *name) {
  for (int i = 0; i < *n; i++)
    if (!strcmp(rows[i].name, name)) return &rows[i];
  block_row *r = &rows[(*n)++];
  memset(r, 0, sizeof *r);
  snprintf(r->name, sizeof r->name, "%s", name);
  return r;
}

void pipeline_note(pipeline *pl, const char *fmt, ...) {
  char line[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  size_t k = strlen(line);
  char *grown = realloc(pl->notes, pl->notes_n + k + 2);
  if (!grown) return;
  pl->notes = grown;
  memcpy(pl->notes + pl->notes_n, line, k);
  pl->notes[pl->notes_n + k] = '\n';
  pl->notes_n += k + 1;
  pl->notes[pl->notes_n] = 0;
}

/* Why each kind of item is not searched, as the report explains it. */
static const char *exclusion_why(exclusion e) {
  switch (e) {
  case EX_DATA: return "bytes the program defines as data, not instructions";
  case EX_KEEP: return "the author asked for them to be kept (; superopt: keep)";
  case EX_UNSUPPORTED: return "the instruction model does not decode them yet; they end windows";
  case EX_CODE_AS_DATA: return "the program also reads these instructions as data";
  case EX_MACRO: return "made by a macro or %include: no source line of their own to rewrite";
  case EX_ADDRESS: return "a relocated operand that is not a label plus a constant (an expression, a macro's label, a 32-bit address): its value moves when code shrinks";
  case EX_CONTROL: return "control transfers that close no window, by why below";
  case EX_NOT_SEARCHABLE: return "decoded, but no candidate may contain them (I/O, flags of the CPU); they end windows";
  default: return "";
  }
}

/* Why a control transfer closes no window (window.h, CTL_*). */
static const char *control_name(int c) {
  static const char *const names[CTL_COUNT] = {"interrupt call", "far transfer", "hlt",
                                               "short transfer alone", "other transfer"};
  return names[c];
}
static const char *control_why(int c) {
  switch (c) {
  case CTL_INT: return "int n, int3, into: the handler is outside the program; no other form reaches vector n";
  case CTL_FAR: return "far jmp/call/retf, iret: the model follows no change of cs";
  case CTL_HLT: return "the CPU stops there";
  case CTL_ALONE: return "a 1- or 2-byte branch, jmp, call or ret with nothing searchable before it in its block (a label, an int, a rep string instruction, another transfer): no closing form is shorter";
  case CTL_OTHER: return "a target the CFG does not know or that has no label, a branch to the next line or into its own window";
  default: return "";
  }
}

void pipeline_report(pipeline *pl) {
  const pipeline_opts *o = pl->o;
  int cap = pl->p.n + (pl->have_after ? pl->after.n : 0) + 8;
  block_row *rows = calloc((size_t)cap, sizeof *rows);
  int nr = 0;
  for (int i = 0; i < pl->p.n; i++)
    row_for(rows, &nr, pl->p.it[i].padding ? "(padding)" : pipeline_block(pl, &pl->p, i))->before +=
        pl->p.it[i].len;
  if (pl->have_after)
    for (int i = 0; i < pl->after.n; i++)
      row_for(rows, &nr, pl->after.it[i].padding ? "(padding)" : pipeline_block(pl, &pl->after, i))
          ->after += pl->after.it[i].len;
  for (int k = 0; k < pl->nwin; k++) {
    block_row *r = row_for(rows, &nr, pipeline_block(pl, &pl->p, pl->win[k].a));
    r->windows++;
    if (pl->res[k].status >= 0) r->searched++;
    if (pl->res[k].status == OPT_SHORTER) r->shorter++;
  }
  printf("\n%s: %s\n", o->name, o->program);
  printf("%-22s %8s %8s %8s %9s %8s\n", "block", "before", "after", "windows", "searched", "proven");
  for (int i = 0; i < nr; i++)
    printf("%-22s %8d %8d %8d %9d %8d\n", rows[i].name, rows[i].before,
           pl->have_after ? rows[i].after : rows[i].before, rows[i].windows, rows[i].searched,
           rows[i].shorter);
  printf("%-22s %8zu %8zu\n", "image (with padding)", pl->p.size,
         pl->have_after ? pl->after.size : pl->p.size);
  printf("bytes freed: %d (program bytes: %d -> %d, image %zu -> %zu); splices accepted %d, "
         "rejected %d\n", pl->saved, pl->bytes_before, pl->bytes_after, pl->p.size,
         pl->have_after ? pl->after.size : pl->p.size, pl->accepted, pl->rejected);
  const layout *l = &pl->lay;
  for (int k = 0; k < l->nfixed; k++)
    printf("fixed position: %s at offset 0x%x (line %d), %d byte%s\n", l->fixed[k].why,
           (unsigned)l->fixed[k].off, l->fixed[k].line, l->fixed[k].len, l->fixed[k].len == 1 ? "" : "s");
  if (pl->fill_inserted)
    printf("fill inserted before line %d: %s (the program had none)\n", l->fill_before_line,
           l->fill_text + 8);
  printf("windows: %d (max %d instructions): searched now %d, from the store %d, "
         "not reached in the budget %d, search errors %d, proven shorter %d\n",
         pl->nwin, o->window, pl->searched, pl->cached, pl->not_reached, pl->errors, pl->shorter);
  const window_stats *s = &pl->stats;
  printf("code bytes searched: %d of %d (%.1f%%); data bytes %d\n", s->searched_bytes,
         s->code_bytes, s->code_bytes ? 100.0 * s->searched_bytes / s->code_bytes : 0.0,
         s->data_bytes);
  if (s->tail_items)
    printf("conditional branches that close a window: %d items, %d bytes\n", s->tail_items, s->tail_bytes);
  if (s->transfer_items)
    printf("transfers that close a window: %d items, %d bytes\n", s->transfer_items, s->transfer_bytes);
  /* indirect transfers: the successors the CFG gave them, and what that
   * leaves live before them */
  for (int i = 0; i < pl->p.n; i++) {
    char succ[512], live[256], code[160];
    cfg_indirect_text(&pl->p, &pl->g, i, succ, sizeof succ);
    if (!succ[0]) continue;
    isa_print(&pl->p.it[i].in, code, sizeof code);
    if (pl->lv.live_out[i] == LOC_ALL) snprintf(live, sizeof live, "everything");
    else isa_loc_print(pl->lv.live_out[i], live, sizeof live);
    printf("indirect: %s:%d %s %s; live after it: %s\n", o->program, pl->p.it[i].line, code, succ,
           live);
  }
  /* rets: matched with their own calls (program/cfg_returns.h), and how
   * many are live after them everything */
  int nret = 0, nall = 0;
  for (int i = 0; i < pl->p.n; i++)
    if (pl->p.it[i].decoded && pl->p.it[i].in.op == OP_RET) {
      nret++;
      nall += pl->lv.live_out[i] == LOC_ALL;
    }
  if (nret)
    printf("returns: %d ret%s, %d matched with the calls of their own function; "
           "everything live after %d\n", nret, nret == 1 ? "" : "s", pl->g.nret_matched, nall);
  printf("left out of windows (items, bytes):\n");
  for (int e = 1; e < EX_COUNT; e++)
    if (s->items[e])
    {
      printf("  %-45s %5d %6d  (%s)\n", exclusion_name((exclusion)e), s->items[e], s->bytes[e],
             exclusion_why((exclusion)e));
      for (int c = 0; e == EX_CONTROL && c < CTL_COUNT; c++)
        if (s->ctl_items[c])
          printf("    %-43s %5d %6d  (%s)\n", control_name(c), s->ctl_items[c], s->ctl_bytes[c],
                 control_why(c));
    }
  /* the unsupported ones by name, so the instruction model can grow */
  int shown = 0;
  for (int i = 0; i < pl->p.n && shown < 25; i++) {
    const prog_item *it = &pl->p.it[i];
    if (it->why != EX_UNSUPPORTED) continue;
    const char *t = it->level == 0 ? pl->p.src[it->line - 1] : it->text;
    while (*t == ' ' || *t == '\t') t++;
    printf("  unsupported %s:%d: %s (%s)\n", o->program, it->line, t, it->err);
    shown++;
  }
  int errs = 0;
  for (int k = 0; k < pl->nwin && errs < 10; k++)
    if (pl->res[k].status == OPT_ERROR) {
      printf("  search error %s:%d: %s\n", o->program, pl->p.it[pl->win[k].a].line, pl->res[k].why);
      errs++;
    }
  if (pl->notes) printf("splices (lines of %s before -> after):\n%s", o->program, pl->notes);
  if (pl->accepted) printf("spliced source: %s\n", pl->final_path);
  fflush(stdout);
  free(rows);
  free(pl->notes);
  pl->notes = NULL;
}
