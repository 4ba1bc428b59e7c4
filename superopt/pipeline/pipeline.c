/* The pipeline's driver: read the program, then search, splice, report
 * (see pipeline.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pipeline/pipeline_int.h"
#include "prove/proof_file.h"
#include "sys/run.h"

void pipeline_defaults(pipeline_opts *o) {
  memset(o, 0, sizeof *o);
  o->results_dir = "results";
  o->work_dir = "build/superopt-work";
  o->budget_s = 1800;
  o->window = 6;
  o->seed = 1;
  o->window_time = 2.0;
  o->check_timeout = 1800;
  o->name = "shrink";
  o->cpu = -1;
}

void bytes_hex(const uint8_t *b, int n, char *out, size_t on) {
  size_t k = 0;
  out[0] = 0;
  for (int i = 0; i < n && k + 3 < on; i++) k += (size_t)snprintf(out + k, on - k, "%02x", b[i]);
}

int insns_from_hex(const char *hex, insn *out, int max) {
  uint8_t buf[SNIPPET_MAX_INSNS * ISA_MAX_LEN];
  int nb = 0;
  for (const char *s = hex; isxdigit((unsigned char)s[0]) && isxdigit((unsigned char)s[1]) &&
                            nb < (int)sizeof buf; s += 2) {
    char two[3] = {s[0], s[1], 0};
    buf[nb++] = (uint8_t)strtoul(two, NULL, 16);
  }
  int n = 0, off = 0;
  while (off < nb && n < max) {
    int l = isa_decode(buf + off, (size_t)(nb - off), &out[n], NULL, 0);
    if (l <= 0) return -1;
    off += l;
    n++;
  }
  return off == nb ? n : -1;
}

int insns_from_store(const char *hex, const snippet *s, insn *out, int max) {
  int n = insns_from_hex(hex, out, max);
  const char *t = strstr(hex, " sym");
  if (n < 0 || !t) return n;
  for (t += 4; *t == ' ';) {
    int i, o, k, used = 0;
    if (sscanf(t, " %d.%d=%d%n", &i, &o, &k, &used) != 3 || used <= 0) return -1;
    if (i < 0 || i >= n || o < 0 || o >= out[i].nops || k < 0 || k >= s->nsym) return -1;
    operand *op = &out[i].o[o];
    if (op->kind != K_IMM && op->kind != K_MEM && op->kind != K_REL) return -1;
    /* a closing transfer's label: the bytes are its displacement */
    if (op->kind != K_REL) op->disp = (int16_t)(uint16_t)((uint32_t)op->disp - s->sym_value[k]);
    op->sym = (uint8_t)(k + 1);
    t += used;
  }
  if (*t) return -1;
  /* the operands must be ones a label may hold */
  for (int i = 0; i < n; i++) {
    uint8_t b[ISA_MAX_LEN];
    insn c = out[i];
    if (isa_encode(&c, b) < 0) return -1;
  }
  return n;
}

int store_hex_of(const insn *code, int n, const snippet *s, char *out, size_t on) {
  uint8_t buf[SNIPPET_MAX_INSNS * ISA_MAX_LEN];
  insn bound[SNIPPET_MAX_INSNS];
  int nb = 0;
  if (n > SNIPPET_MAX_INSNS) n = SNIPPET_MAX_INSNS;
  memcpy(bound, code, sizeof *bound * (size_t)n);
  isa_bind_syms(bound, n, s->sym_value);
  for (int i = 0; i < n; i++) {
    int l = isa_encode(&bound[i], buf + nb);
    if (l > 0) nb += l;
  }
  bytes_hex(buf, nb, out, on);
  size_t k = strlen(out);
  bool any = false;
  for (int i = 0; i < n; i++)
    for (int o = 0; o < code[i].nops; o++)
      if (code[i].o[o].sym && k + 16 < on) {
        k += (size_t)snprintf(out + k, on - k, "%s %d.%d=%d", any ? "" : " sym", i, o, code[i].o[o].sym - 1);
        any = true;
      }
  return seq_bytes(code, n);
}

/* The first row with a word in text (case-insensitive) names its block. */
static const char *block_of(const pipeline_block_table *t, const char *text) {
  char low[256];
  size_t k = 0;
  for (; text[k] && k + 1 < sizeof low; k++)
    low[k] = (char)(text[k] >= 'A' && text[k] <= 'Z' ? text[k] + 32 : text[k]);
  low[k] = 0;
  for (size_t b = 0; b < t->n; b++)
    for (int w = 0; t->rows[b].words[w]; w++)
      if (strstr(low, t->rows[b].words[w])) return t->rows[b].block;
  return NULL;
}

/* Walk back from the item's line over labels and full-line comments up to
 * the nearest top-level label; the first that names a block decides. */
const char *pipeline_block(const pipeline *pl, const program *p, int i) {
  const char *label = program_owner_label(p, i);
  const pipeline_block_table *t = pl->o->blocks;
  if (!t) return label[0] ? label : "(start)";
  for (int ln = p->it[i].line; ln >= 1; ln--) {
    const char *s = p->src[ln - 1];
    while (*s == ' ' || *s == '\t') s++;
    char word[128];
    size_t k = 0;
    while (s[k] && s[k] != ':' && s[k] != ' ' && s[k] != '\t' && k + 1 < sizeof word) {
      word[k] = s[k];
      k++;
    }
    word[k] = 0;
    bool is_label = s[k] == ':' && k > 0;
    bool top = is_label && s[0] != '.';
    const char *hit = NULL;
    if (*s == ';') hit = block_of(t, s);
    else if (is_label) hit = block_of(t, word);
    if (hit) return hit;
    if (top) return "other";
  }
  return t->before_labels;
}

static void list_windows(pipeline *pl) {
  for (int k = 0; k < pl->nwin; k++) {
    const window *w = &pl->win[k];
    snippet s;
    pipeline_window_snippet(pl, w, &s);
    if (!pipeline_in_shard(pl, w, &s, NULL)) continue;
    char live[256], text[160];
    isa_loc_print(s.live_out, live, sizeof live);
    printf("%s:%d-%d [%s] %d bytes | live-out: %s | assume:", pl->o->program, pl->p.it[w->a].line,
           pl->p.it[w->b].line, pipeline_block(pl, &pl->p, w->a), w->bytes, live);
    for (int i = 0; i < s.nassume; i++) {
      char name[64];
      isa_loc_print(s.assume[i].loc, name, sizeof name);
      printf(" %s%s0x%x", name, s.assume[i].kind == ASSUME_EQ ? "=" : "<", s.assume[i].value);
    }
    printf(" |");
    for (int i = 0; i < s.n; i++) {
      isa_print(&s.code[i], text, sizeof text);
      printf("%s %s", i ? ";" : "", text);
    }
    printf("\n");
  }
}

int pipeline_run(const pipeline_opts *o) {
  int rc_list = 0;
  pipeline pl;
  memset(&pl, 0, sizeof pl);
  pl.o = o;
  char err[512];
  bool missing = false;
  if (!program_read(o->program, &pl.p, err, sizeof err, &missing)) {
    fprintf(stderr, "superopt %s: %s\n", o->name, err);
    return missing ? 3 : 2;
  }
  size_t srclen = 0;
  char *src = read_whole_file(o->program, &srclen);
  store_hash_text(src ? src : "", srclen, pl.source_hash);
  free(src);
  cfg_build_with(&pl.p, !o->no_indirect_targets, &pl.g);
  liveness_compute(&pl.p, &pl.g, &pl.lv);
  layout_find(&pl.p, &pl.lay);
  pl.nwin = window_list(&pl.p, &pl.g, o->window, &pl.win, &pl.stats);
  pl.res = calloc((size_t)pl.nwin + 1, sizeof *pl.res);
  snprintf(pl.proofs, sizeof pl.proofs, "%s/proofs", o->results_dir);
  snprintf(pl.patches, sizeof pl.patches, "%s/patches", o->results_dir);
  if (o->out_asm) {
    char outdir[1024];
    snprintf(outdir, sizeof outdir, "%s", o->out_asm);
    char *slash = strrchr(outdir, '/');
    if (slash) {
      *slash = 0;
      make_dirs(outdir);
    }
  }
  if (!make_dirs(pl.proofs) || !make_dirs(pl.patches) || !make_dirs(o->work_dir)) {
    fprintf(stderr, "superopt %s: cannot create %s/{proofs,patches} or %s\n", o->name,
            o->results_dir, o->work_dir);
    return 3;
  }
  char dbpath[1100];
  snprintf(dbpath, sizeof dbpath, "%s/store.sqlite", o->results_dir);
  pl.st = store_open(o->store ? o->store : dbpath, err, sizeof err);
  if (!pl.st) {
    fprintf(stderr, "superopt %s: %s\n", o->name, err);
    return 3;
  }
  pl.bytes_before = (int)program_bytes(&pl.p);
  if (o->list_windows) {
    list_windows(&pl);
    rc_list = 0;
    goto done;
  }
  pipeline_search(&pl);
  /* a shard searches only: one run splices the merged answers */
  if (o->phase == PHASE_SEARCH || (o->nshards && o->phase == PHASE_ALL)) {
    rc_list = pl.unrecorded ? 3 : 0;   /* the scheduler reruns a shard that lost answers */
    goto done;
  }
  rc_list = pipeline_splice(&pl);
  pipeline_report(&pl);
done:
  store_close(pl.st);
  if (pl.have_after) program_free(&pl.after);
  liveness_free(&pl.lv);
  cfg_free(&pl.g);
  program_free(&pl.p);
  free(pl.win);
  free(pl.res);
  return rc_list;
}
