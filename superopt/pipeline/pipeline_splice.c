/* The splice phase: choose non-overlapping proven shrinks (greedy by bytes
 * saved), check each alone assembles to the proven bytes and shrinks the
 * program, boot the batch with the check command, bisect a failing batch
 * down to the splices at fault, then write one patch per accepted splice
 * (a series, each on top of the previous) and the spliced source. */
#include <ctype.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "splice/edit_text.h"
#include "splice/patch.h"
#include "pipeline/pipeline_int.h"
#include "sys/run.h"

static void trim_copy(const char *s, char *out, size_t n) {
  while (isspace((unsigned char)*s)) s++;
  snprintf(out, n, "%s", s);
  size_t k = strlen(out);
  while (k && isspace((unsigned char)out[k - 1])) out[--k] = 0;
}

static void prog_base(const char *path, char *out, size_t n) {
  char tmp[1024];
  snprintf(tmp, sizeof tmp, "%s", path);
  snprintf(out, n, "%s", basename(tmp));
}

char *pipeline_spliced(const pipeline *pl, splice_edit *const *edits, int n, size_t *len) {
  const layout *l = &pl->lay;
  return splice_apply_fill(&pl->p, edits, n, l->fill_before_line,
                           l->fill_before_line ? l->fill_text : NULL, len);
}

/* The check log's last line that says something (boot-script's reason). */
static void log_last_line(const char *log, char *out, size_t n) {
  out[0] = 0;
  char *text = read_whole_file(log, NULL);
  if (!text) return;
  char *end = text + strlen(text);
  while (end > text && (end[-1] == '\n' || end[-1] == ' ')) *--end = 0;
  char *start = strrchr(text, '\n');
  trim_copy(start ? start + 1 : text, out, n);
  free(text);
}

/* Assemble text as a copy of the program and (when run_check) run the check
 * command on it.  Returns 0 when it assembles, shrinks below max_bytes and
 * passes; else fills why. */
static int try_text(pipeline *pl, const char *text, size_t len, int max_bytes, bool run_check,
                    program *out_prog, char *why, size_t whyn) {
  const pipeline_opts *o = pl->o;
  char name[256], asmp[1400], img[1400];
  prog_base(o->program, name, sizeof name);
  snprintf(asmp, sizeof asmp, "%s/%s", o->work_dir, name);
  snprintf(img, sizeof img, "%s/%s.img", o->work_dir, name);
  if (!write_file_atomic(asmp, text, len)) {
    snprintf(why, whyn, "cannot write %s", asmp);
    return 3;
  }
  program q;
  char err[512];
  bool missing;
  if (!program_read_in(asmp, pl->p.incdir, &q, err, sizeof err, &missing)) {
    snprintf(why, whyn, "does not assemble: %s", err);
    return 2;
  }
  int bytes = (int)program_bytes(&q);
  if (max_bytes >= 0 && !layout_check(&pl->lay, &pl->p, &q, why, whyn)) {
    program_free(&q);
    return 1;
  }
  if (max_bytes >= 0 && bytes >= max_bytes) {
    snprintf(why, whyn, "program not smaller (%d bytes, was %d)", bytes, max_bytes);
    program_free(&q);
    return 1;
  }
  if (run_check && pl->check) {
    if (listing_assemble(asmp, pl->p.incdir, img, NULL, err, sizeof err) != 0) {
      snprintf(why, whyn, "does not assemble: %s", err);
      program_free(&q);
      return 2;
    }
    char e1[1500], e2[1500], e3[1100];
    snprintf(e1, sizeof e1, "SUPEROPT_IMAGE=%s", img);
    snprintf(e2, sizeof e2, "SUPEROPT_ASM=%s", asmp);
    snprintf(e3, sizeof e3, "SUPEROPT_INCDIR=%s", pl->p.incdir);
    const char *env[] = {e1, e2, e3, NULL};
    const char *argv[] = {"sh", "-c", pl->check, "superopt-check", img, asmp, NULL};
    char log[1400];
    snprintf(log, sizeof log, "%s/check.log", o->work_dir);
    int rc = run_process(argv, NULL, env, log, log, o->check_timeout);
    if (rc != 0) {
      if (rc == 124) snprintf(why, whyn, "check timed out after %u s", o->check_timeout);
      else {
        char last[300];
        log_last_line(log, last, sizeof last);
        snprintf(why, whyn, "check failed (exit %d, log %s)%s%s", rc, log, last[0] ? ": " : "", last);
      }
      program_free(&q);
      return rc == 3 ? 3 : 1;   /* 3: the check lacks a tool or input */
    }
  }
  if (out_prog) *out_prog = q;
  else program_free(&q);
  return 0;
}

typedef struct {
  pipeline *pl;
  splice_edit **acc;
  int nacc;
  int base_bytes;
} bisect_ctx;

static void reject(pipeline *pl, splice_edit *e, const char *why) {
  pl->rejected++;
  fprintf(stderr, "[%s] rejected %s:%d-%d (%s, -%d bytes) [key %.8s]: %s\n", pl->o->name,
          pl->o->program, pl->p.it[e->a].line, pl->p.it[e->b].line, e->block, e->saved, e->key, why);
  store_put_verdict(pl->st, e->key, pl->source_hash, pl->o->program, "rejected", why, NULL, e->saved);
  pipeline_note(pl, "  rejected %d-%d (-%d): %s -> %s: %s", pl->p.it[e->a].line, pl->p.it[e->b].line,
                e->saved, e->old_text, e->new_text[0] ? e->new_text : "(nothing)", why);
}

/* Accept as much of set[0..n) as passes on top of the accepted ones. */
static void bisect(bisect_ctx *c, splice_edit **set, int n) {
  if (n == 0) return;
  splice_edit **all = malloc(sizeof *all * (size_t)(c->nacc + n));
  memcpy(all, c->acc, sizeof *all * (size_t)c->nacc);
  memcpy(all + c->nacc, set, sizeof *all * (size_t)n);
  size_t len;
  char *text = pipeline_spliced(c->pl, all, c->nacc + n, &len);
  char why[4096];
  program q;
  int rc = try_text(c->pl, text, len, c->base_bytes, true, &q, why, sizeof why);
  free(text);
  /* labels move with every splice of the batch: each one's lines must still
     assemble to its proven instructions at the labels' new addresses */
  if (rc == 0) {
    for (int i = 0; i < c->nacc + n && rc == 0; i++)
      if (!splice_bytes_match(&q, all[i], why, sizeof why)) rc = 1;
    program_free(&q);
  }
  free(all);
  fprintf(stderr, "[%s] check of %d splice%s on top of %d: %s\n", c->pl->o->name, n,
          n == 1 ? "" : "s", c->nacc, rc == 0 ? "pass" : why);
  if (rc == 0) {
    memcpy(c->acc + c->nacc, set, sizeof *set * (size_t)n);
    c->nacc += n;
    return;
  }
  if (n == 1) {
    reject(c->pl, set[0], why);
    return;
  }
  bisect(c, set, n / 2);
  bisect(c, set + n / 2, n - n / 2);
}

static int by_saved(const void *x, const void *y) {
  const splice_edit *a = *(splice_edit *const *)x, *b = *(splice_edit *const *)y;
  if (a->saved != b->saved) return b->saved - a->saved;
  /* of two that save as much, the one that touches fewer lines reads better */
  if (a->b - a->a != b->b - b->a) return (a->b - a->a) - (b->b - b->a);
  return a->a - b->a;
}

static int by_position(const void *x, const void *y) {
  const splice_edit *a = *(splice_edit *const *)x, *b = *(splice_edit *const *)y;
  return a->a - b->a;
}

static void proof_stem(const char *path, char *out, size_t n) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  snprintf(out, n, "%.*s", (int)n - 1, b);
  char *dot = strrchr(out, '.');
  if (dot) *dot = 0;
}

static void write_patches(pipeline *pl, splice_edit **acc, int nacc) {
  const pipeline_opts *o = pl->o;
  char date[16], name[256];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(date, sizeof date, "%Y%m%d", &tm);
  prog_base(o->program, name, sizeof name);
  char *dot = strrchr(name, '.');
  if (dot) *dot = 0;
  /* the source as this run read it (the file may have moved on since) */
  size_t blen = 0;
  char *base = pipeline_spliced(pl, acc, 0, &blen);
  for (int k = 0; k < nacc; k++) {
    splice_edit *e = acc[k];
    size_t nlen;
    char *next = pipeline_spliced(pl, acc, k + 1, &nlen);
    char path[1400], subject[512], body[8192], why[256], prev[1400];
    snprintf(path, sizeof path, "%s/%s-%s-%.8s-%02d-L%d.patch", pl->patches, date, name,
             pl->source_hash, k + 1, pl->p.it[e->a].line);
    pipeline_note(pl, "  accepted %d-%d (-%d): %s -> %s", pl->p.it[e->a].line, pl->p.it[e->b].line,
                  e->saved, e->old_text, e->new_text[0] ? e->new_text : "(nothing)");
    /* accepted before on this very source (a resumed run): keep that file */
    if (store_get_patch(pl->st, e->key, pl->source_hash, prev, sizeof prev) &&
        access(prev, R_OK) == 0) {
      fprintf(stderr, "[%s] accepted %s:%d (%s, -%d bytes): %s (kept)\n", o->name, o->program,
              pl->p.it[e->a].line, e->block, e->saved, prev);
      free(base);
      base = next;
      blen = nlen;
      continue;
    }
    snprintf(subject, sizeof subject, "superopt: %s %s: -%d byte%s at line %d", name, e->block,
             e->saved, e->saved == 1 ? "" : "s", pl->p.it[e->a].line);
    char fill[256] = "";
    if (k == 0 && pl->lay.fill_before_line)
      snprintf(fill, sizeof fill, "Fill: inserted `%s` before line %d: the program had no fill, "
               "and its %s must stay at offset 0x%x\n", pl->lay.fill_text + 8, pl->lay.fill_before_line,
               pl->lay.fixed[pl->lay.first_movable].why,
               (unsigned)pl->lay.fixed[pl->lay.first_movable].off);
    char checked[1200];
    if (o->check_boot)
      snprintf(checked, sizeof checked, "%s%sverify/boot-script %s: screens, COM1 and disk as the original's",
               o->check ? o->check : "", o->check ? " and " : "", o->check_boot);
    else
      snprintf(checked, sizeof checked, "%s", o->check ? o->check : "(no check)");
    snprintf(body, sizeof body,
             "Block: %s\nLines: %d-%d of %s\nOld: %s\nNew: %s\nBytes saved: %d\n%sProof: %s\n"
             "Search key: %s\nSemantics: %s\nChecked: %s (exit 0, with the other splices of this series)\n",
             e->block, pl->p.it[e->a].line, pl->p.it[e->b].line, o->program, e->old_text,
             e->new_text[0] ? e->new_text : "(nothing)", e->saved, fill, e->proof, e->key,
             isa_sem_version(), checked);
    if (patch_write(o->program, base, blen, next, nlen, subject, body, path,
                    why, sizeof why)) {
      store_put_verdict(pl->st, e->key, pl->source_hash, o->program, "accepted", NULL, path, e->saved);
      fprintf(stderr, "[%s] accepted %s:%d (%s, -%d bytes): %s\n", o->name, o->program,
              pl->p.it[e->a].line, e->block, e->saved, path);
    } else {
      fprintf(stderr, "[%s] %s\n", o->name, why);
    }
    free(base);
    base = next;
    blen = nlen;
  }
  free(base);
}

static void ledger_append(pipeline *pl, int bytes) {
  const pipeline_opts *o = pl->o;
  size_t n = 0;
  char *old = read_whole_file(o->ledger, &n);
  const char *header = "date\tkernel_bytes\tchange\n";
  char date[16];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(date, sizeof date, "%Y-%m-%d", &tm);
  char row[512];
  snprintf(row, sizeof row,
           "%s\t%d\tsuperopt %s: %d proven shrink%s spliced into %s (%d bytes freed; "
           "image %zu -> %d)\n",
           date, bytes, o->name, pl->accepted, pl->accepted == 1 ? "" : "s",
           o->ledger_label ? o->ledger_label : o->program, pl->bytes_before - pl->bytes_after,
           pl->p.size, bytes);
  size_t hl = old && n ? 0 : strlen(header);
  char *text = malloc(n + hl + strlen(row) + 2);
  text[0] = 0;
  if (hl) strcat(text, header);
  if (old) {
    strcat(text, old);
    if (n && old[n - 1] != '\n') strcat(text, "\n");
  }
  strcat(text, row);
  if (!write_file_atomic(o->ledger, text, strlen(text)))
    fprintf(stderr, "[%s] cannot write %s\n", o->name, o->ledger);
  free(text);
  free(old);
}

int pipeline_splice(pipeline *pl) {
  const pipeline_opts *o = pl->o;
  splice_edit *cand = calloc((size_t)pl->nwin + 1, sizeof *cand);
  splice_edit **chosen = calloc((size_t)pl->nwin + 1, sizeof *chosen);
  int nc = 0, nchosen = 0;
  for (int k = 0; k < pl->nwin; k++) {
    const win_result *r = &pl->res[k];
    if (r->status != OPT_SHORTER || r->best >= r->orig) continue;
    if (!r->proof[0] || access(r->proof, R_OK) != 0) continue;   /* no proof, no splice */
    char verdict[32], reason[256];
    if (store_get_verdict(pl->st, r->key, pl->source_hash, verdict, sizeof verdict, reason,
                          sizeof reason) && !strcmp(verdict, "rejected")) {
      pl->rejected++;
      continue;
    }
    splice_edit *e = &cand[nc++];
    e->a = e->win_a = pl->win[k].a;
    e->b = e->win_b = pl->win[k].b;
    e->n = r->n;
    memcpy(e->code, r->code, sizeof e->code[0] * (size_t)r->n);
    snippet s;
    pipeline_window_snippet(pl, &pl->win[k], &s);
    e->nsym = s.nsym;
    memcpy(e->sym_label, s.sym_label, sizeof e->sym_label);
    memcpy(e->sym_name, s.sym_name, sizeof e->sym_name);
    e->saved = r->orig - r->best;
    memcpy(e->key, r->key, sizeof e->key);
    snprintf(e->proof, sizeof e->proof, "%s", r->proof);
    proof_stem(r->proof, e->tag, sizeof e->tag);
    text_trim_unchanged(&pl->p, e);
    snprintf(e->block, sizeof e->block, "%s", pipeline_block(pl, &pl->p, e->a));
    size_t ko = 0;
    for (int i = e->a; i <= e->b; i++) {
      char t[256], cleaned[512];
      const char *c;
      const char *src = pl->p.src[pl->p.it[i].line - 1];
      snprintf(t, sizeof t, "%s", src + (i == e->a ? text_label_prefix(src) : 0));
      c = strchr(t, ';');
      if (c) *(char *)c = 0;
      trim_copy(t, cleaned, sizeof cleaned);
      ko += (size_t)snprintf(e->old_text + ko, sizeof e->old_text - ko, "%s%s", ko ? "; " : "", cleaned);
      if (ko >= sizeof e->old_text) ko = sizeof e->old_text - 1;
    }
    text_new_lines(&pl->p, e, e->new_text, sizeof e->new_text);
  }
  splice_edit **order = malloc(sizeof *order * ((size_t)nc + 1));
  for (int i = 0; i < nc; i++) order[i] = &cand[i];
  qsort(order, (size_t)nc, sizeof *order, by_saved);
  bool *used = calloc((size_t)pl->p.n + 1, 1);
  for (int i = 0; i < nc; i++) {
    splice_edit *e = order[i];
    bool free_ = true;
    /* windows, not the lines they change: two proofs over one item do not compose */
    for (int k = e->win_a; k <= e->win_b; k++) free_ = free_ && !used[k];
    if (!free_) continue;
    /* alone: the new lines must assemble to the proven bytes */
    splice_edit *one[1] = {e};
    size_t len;
    char *text = pipeline_spliced(pl, one, 1, &len);
    program q;
    char why[4096];
    int rc = try_text(pl, text, len, pl->bytes_before, false, &q, why, sizeof why);
    free(text);
    if (rc == 0) {
      bool match = splice_bytes_match(&q, e, why, sizeof why);
      program_free(&q);
      if (!match) rc = 1;
    }
    if (rc != 0) {
      reject(pl, e, why);
      continue;
    }
    for (int k = e->win_a; k <= e->win_b; k++) used[k] = true;
    chosen[nchosen++] = e;
  }
  free(used);
  int status = 0;
  splice_edit **acc = calloc((size_t)nchosen + 1, sizeof *acc);
  bisect_ctx bc = {pl, acc, 0, pl->bytes_before};
  pl->check = o->check;
  if (nchosen > 0 && o->check_boot) {
    status = pipeline_boot_reference(pl);
    if (status != 0) nchosen = 0;
  }
  if (nchosen > 0 && pl->check) {
    /* the unmodified program must pass its own check first */
    size_t len;
    char *text = read_whole_file(o->program, &len);
    char why[4096];
    int rc = text ? try_text(pl, text, len, -1, true, NULL, why, sizeof why) : 3;
    free(text);
    if (rc != 0) {
      fprintf(stderr, "superopt %s: the unmodified %s fails its check: %s%s\n", o->name, o->program,
              why, rc == 3 ? " (a missing tool or input, e.g. MODEL_DIR)" : "");
      status = rc == 3 ? 3 : 1;
      nchosen = 0;
    }
  }
  qsort(chosen, (size_t)nchosen, sizeof *chosen, by_position);
  bisect(&bc, chosen, nchosen);
  qsort(acc, (size_t)bc.nacc, sizeof *acc, by_position);
  pl->accepted = bc.nacc;
  write_patches(pl, acc, bc.nacc);
  /* the final source */
  size_t len;
  char *text = pipeline_spliced(pl, acc, bc.nacc, &len);
  pl->fill_inserted = bc.nacc > 0 && pl->lay.fill_before_line > 0;
  char name[256];
  prog_base(o->program, name, sizeof name);
  if (o->out_asm) snprintf(pl->final_path, sizeof pl->final_path, "%s", o->out_asm);
  else snprintf(pl->final_path, sizeof pl->final_path, "%s/%s.spliced", o->work_dir, name);
  if (!write_file_atomic(pl->final_path, text, len)) {
    fprintf(stderr, "superopt %s: cannot write %s\n", o->name, pl->final_path);
    status = 3;
  }
  char err[512];
  bool missing;
  pl->have_after = program_read_in(pl->final_path, pl->p.incdir, &pl->after, err, sizeof err, &missing);
  pl->bytes_after = pl->have_after ? (int)program_bytes(&pl->after) : pl->bytes_before;
  pl->saved = pl->bytes_before - pl->bytes_after;
  if (o->apply && bc.nacc > 0) {
    /* never overwrite edits made to the program while this run worked */
    size_t cn = 0;
    char *cur = read_whole_file(o->program, &cn);
    char now_hash[33];
    store_hash_text(cur ? cur : "", cn, now_hash);
    free(cur);
    if (strcmp(now_hash, pl->source_hash)) {
      fprintf(stderr, "superopt %s: %s changed during the run; not rewriting it (the patches are in %s)\n",
              o->name, o->program, pl->patches);
      status = 1;
    } else if (!write_file_atomic(o->program, text, len)) {
      fprintf(stderr, "superopt %s: cannot rewrite %s\n", o->name, o->program);
      status = 3;
    } else if (o->ledger) {
      ledger_append(pl, pl->have_after ? (int)pl->after.size : (int)pl->p.size);
    }
  }
  free(text);
  free(acc);
  free(order);
  free(chosen);
  free(cand);
  return status;
}
