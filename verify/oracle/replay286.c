/* Replays the recorded 80286 tests (SingleStepTests/80286 subset, see the
 * README next to the data) through the model's decoder and evaluator.
 *
 * Compared: every register, every modelled flag the manual defines for the
 * test's instruction and state (sdm_undef.c; the recording's own metadata
 * marks whole forms, and marks sar's CF, which the manual defines), memory
 * at every address
 * the test lists, the instruction length (for ip), and the fault kind of
 * tests that raised an exception.  Cases where a 286 and a 386 differ by
 * design are documented exceptions, counted and printed (EXCEPTIONS.md). */
#include "oracle.h"

#include <cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Documented 286-versus-386 differences (EXCEPTIONS.md, section "80286"). */
enum { X_LOCK_UD, X_LOCK_MODEL, X_MOVSREG45, X_IDIV286, X_LEN10, X_COUNT };
static const char *const x_names[X_COUNT] = {
  "R1a LOCK prefix on a non-lockable instruction: 286 ignores it, 386 raises #UD"
  " (replayed without the prefix)",
  "R1b LOCK prefix on a lockable memory read-modify-write the model does not"
  " decode with LOCK (semantics identical; replayed without the prefix)",
  "R2 8C /4, 8C /5: 286 #UD (no FS/GS), 386 stores FS/GS",
  "R3 idiv with a quotient outside the signed range that this 286 does not fault on:"
  " 386 raises #DE (quotient overflow checked independently)",
  "R4 instruction longer than 10 bytes (prefixes included): 286 #GP (exception 13),"
  " 386 runs up to 15 bytes",
};

typedef struct {
  char name[16];
  uint32_t undef;      /* metadata undefined bits */
} form_meta;

typedef struct {
  form_meta m[300];
  int n;
} meta_table;

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
  if (buf) buf[n] = 0;
  fclose(f);
  if (len) *len = (size_t)n;
  return buf;
}

static int load_meta(const char *dir, meta_table *t) {
  char path[1024];
  snprintf(path, sizeof path, "%s/index.json", dir);
  char *txt = slurp(path, NULL);
  if (!txt) { fprintf(stderr, "%s: cannot read\n", path); return -1; }
  cJSON *root = cJSON_Parse(txt);
  free(txt);
  cJSON *forms = root ? cJSON_GetObjectItem(root, "forms") : NULL;
  if (!cJSON_IsArray(forms)) {
    fprintf(stderr, "%s:1: no \"forms\" array\n", path);
    cJSON_Delete(root);
    return -1;
  }
  t->n = 0;
  cJSON *it;
  cJSON_ArrayForEach(it, forms) {
    cJSON *nm = cJSON_GetObjectItem(it, "form"), *u = cJSON_GetObjectItem(it, "undefined_flags_bits");
    if (!cJSON_IsString(nm) || !cJSON_IsNumber(u) || t->n >= 300) continue;
    snprintf(t->m[t->n].name, sizeof t->m[0].name, "%s", nm->valuestring);
    t->m[t->n].undef = (uint32_t)u->valuedouble;
    t->n++;
  }
  cJSON_Delete(root);
  return 0;
}

/* The instructions a 386 accepts LOCK on (memory destination only). */
static bool lockable(const insn *in) {
  switch (in->op) {
  case OP_ADD: case OP_ADC: case OP_SUB: case OP_SBB: case OP_AND: case OP_OR:
  case OP_XOR: case OP_NOT: case OP_NEG: case OP_INC: case OP_DEC: case OP_XCHG:
  case OP_BTS: case OP_BTR: case OP_BTC:
    return in->nops > 0 && in->o[0].kind == K_MEM;
  default:
    return false;
  }
}

/* True when the exact quotient of a signed division does not fit the
 * destination (Intel: #DE), computed here from the initial state, not by the
 * model. */
static bool idiv_overflows(const isa_state *st, const insn *in) {
  const operand *o = &in->o[0];
  int64_t divisor;
  if (o->kind == K_REG) {
    uint32_t v = o->size == 1 ? (o->reg < 4 ? st->r[o->reg] : st->r[o->reg - 4] >> 8) : st->r[o->reg];
    divisor = o->size == 1 ? (int8_t)v : o->size == 2 ? (int16_t)v : (int32_t)v;
  } else if (o->kind == K_MEM) {
    uint32_t a = operand_linear(st, o), v = 0;
    for (int i = 0; i < o->size; i++) v |= (uint32_t)isa_mem_read(st, a + (uint32_t)i) << (8 * i);
    divisor = o->size == 1 ? (int8_t)v : o->size == 2 ? (int16_t)v : (int32_t)v;
  } else return false;
  if (divisor == 0) return false;
  int64_t dividend = in->size == 1 ? (int16_t)st->r[R_AX]
                   : (int32_t)((st->r[R_DX] & 0xffff) << 16 | (st->r[R_AX] & 0xffff));
  int64_t q = dividend / divisor, lim = in->size == 1 ? 128 : 32768;
  return q < -lim || q >= lim;
}

/* The recording's registers, keyed by the model's names: the eight 16-bit
 * registers (i < 8, encoding order), then the 286's segment registers es,
 * cs, ss, ds (S_ES..S_DS). */
#define REC_REGS (8 + 4)
static const char *rec_reg_name(int i) { return i < 8 ? isa_reg_name(2, i) : isa_sreg_name(i - 8); }

typedef struct {
  uint32_t r[8];
  uint16_t s[6];
  uint32_t flags;
} regfile;

static bool read_regs(cJSON *regs, regfile *rf) {
  for (int i = 0; i < REC_REGS; i++) {
    cJSON *v = cJSON_GetObjectItem(regs, rec_reg_name(i));
    if (!v) continue;
    if (!cJSON_IsNumber(v)) return false;
    if (i < 8) rf->r[i] = (uint32_t)v->valuedouble;
    else rf->s[i - 8] = (uint16_t)v->valuedouble;
  }
  cJSON *f = cJSON_GetObjectItem(regs, "flags");
  if (f) rf->flags = (uint32_t)f->valuedouble;
  return true;
}

static uint8_t fault_of_vector(int v) {
  return v == 0 ? ISA_FAULT_DE : v == 13 ? ISA_FAULT_GP : ISA_FAULT_UD;
}

typedef struct {
  uint64_t tests, uncovered, excepted[X_COUNT];
  char uncovered_why[160];
  skip_count skip;
  uint64_t meta_narrower;   /* tests where the manual leaves a flag undefined
                               that the recording's metadata does not */
} form_stats;

/* One test line.  Returns false if the line could not be parsed. */
static bool replay_one(oracle_run *r, const char *form, const char *where,
                       const char *line, uint32_t meta_undef, form_stats *fs) {
  cJSON *t = cJSON_Parse(line);
  if (!t) { fprintf(stderr, "%s: not JSON\n", where); return false; }
  cJSON *bytes = cJSON_GetObjectItem(t, "bytes"), *jinit = cJSON_GetObjectItem(t, "initial"),
        *fin = cJSON_GetObjectItem(t, "final"), *exc = cJSON_GetObjectItem(t, "exception"),
        *excn = cJSON_GetObjectItem(t, "exception_number"), *nm = cJSON_GetObjectItem(t, "name");
  cJSON *iregs = jinit ? cJSON_GetObjectItem(jinit, "regs") : NULL;
  cJSON *iram = jinit ? cJSON_GetObjectItem(jinit, "ram") : NULL;
  cJSON *fregs = fin ? cJSON_GetObjectItem(fin, "regs") : NULL;
  cJSON *fram = fin ? cJSON_GetObjectItem(fin, "ram") : NULL;
  if (!cJSON_IsString(bytes) || !iregs || !iram || !fregs || !fram) {
    fprintf(stderr, "%s: missing keys\n", where);
    cJSON_Delete(t);
    return false;
  }
  const char *tname = cJSON_IsString(nm) ? nm->valuestring : "?";
  uint8_t b[ISA_MAX_LEN + 8];
  int blen = hex_to_bytes(bytes->valuestring, b, (int)sizeof b);
  regfile in = { 0 }, out;
  if (blen <= 0 || !read_regs(iregs, &in)) {
    fprintf(stderr, "%s: bad bytes or registers\n", where);
    cJSON_Delete(t);
    return false;
  }
  out = in;
  in.flags &= 0x0fff;
  out.flags = in.flags;
  read_regs(fregs, &out);
  bool expect_fault = cJSON_IsTrue(exc);
  int vector = cJSON_IsNumber(excn) ? (int)excn->valuedouble : -1;

  fs->tests++;
  r->t[O_REPLAY].tests++;

  int orig_len = blen;
  /* Decode; a LOCK prefix the model rejects is replayed without it (R1a/R1b). */
  insn ins;
  char err[128] = "";
  int len = isa_decode_lenient(b, (size_t)blen, &ins, err, sizeof err);
  bool stripped = false;
  if (len < 0) {
    uint8_t nb[sizeof b];
    int k = 0, i = 0;
    bool had_lock = false;
    for (; i < blen && (b[i] == 0xf0 || b[i] == 0x26 || b[i] == 0x2e || b[i] == 0x36 || b[i] == 0x3e); i++) {
      if (b[i] == 0xf0) had_lock = true;
      else nb[k++] = b[i];
    }
    for (; i < blen; i++) nb[k++] = b[i];
    if (had_lock && isa_decode_lenient(nb, (size_t)k, &ins, NULL, 0) == k) {
      memcpy(b, nb, (size_t)k);
      blen = k;
      len = k;
      stripped = true;
    }
  }
  char bx[64];
  hexstr(b, blen, bx, sizeof bx);

  if (len < 0) {
    if (expect_fault && vector == 6) goto done;      /* #UD: decoder rejects */
    fs->uncovered++;
    r->t[O_REPLAY].uncovered++;
    r->t[O_REPLAY].tests--;          /* counted as not covered, not as compared */
    if (!fs->uncovered_why[0])
      snprintf(fs->uncovered_why, sizeof fs->uncovered_why, "decode %s (%s): %s", bx, tname, err);
    goto done;
  }
  if (len != blen) {
    report_mismatch(r, O_REPLAY, form, "%s (%s): decoded length %d, test length %d", bx, tname, len, blen);
    goto done;
  }
  if (stripped) {
    fs->excepted[lockable(&ins) ? X_LOCK_MODEL : X_LOCK_UD]++;
    r->t[O_REPLAY].excepted++;
  }

  isa_state st;
  memset(&st, 0, sizeof st);
  for (int i = 0; i < 8; i++) st.r[i] = in.r[i];
  for (int i = 0; i < 4; i++) st.s[i] = in.s[i];
  st.flags = in.flags & F_MODELLED;
  st.mem_seed = 0x286;
  cJSON *e;
  cJSON_ArrayForEach(e, iram) {
    cJSON *a = cJSON_GetArrayItem(e, 0), *v = cJSON_GetArrayItem(e, 1);
    if (!cJSON_IsNumber(a) || !cJSON_IsNumber(v)) { fprintf(stderr, "%s: bad ram entry\n", where); goto done; }
    if (!isa_mem_set_initial(&st, (uint32_t)a->valuedouble, (uint8_t)v->valuedouble)) {
      report_mismatch(r, O_REPLAY, form, "%s: more initial bytes than ISA_MEMINIT=%d", tname, ISA_MEMINIT);
      goto done;
    }
  }
  isa_state init = st;
  isa_exec(&st, &ins);
  repro_ctx rc;
  memset(&rc, 0, sizeof rc);
  memcpy(rc.bytes, b, (size_t)(blen < 16 ? blen : 16));
  rc.n = blen < 16 ? blen : 16;
  rc.init = init;
  snprintf(rc.where, sizeof rc.where, "%s", where);
  r->cur = &rc;

  if (expect_fault) {
    uint8_t want = fault_of_vector(vector);
    if (st.fault == want) goto done;
    int op = 0;
    while (op < blen - 1 && (b[op] == 0x26 || b[op] == 0x2e || b[op] == 0x36 || b[op] == 0x3e)) op++;
    unsigned reg = (b[op + 1] >> 3) & 7;
    if (vector == 6 && b[op] == 0x8c && reg >= 4 && reg <= 5 && !st.fault) {
      fs->excepted[X_MOVSREG45]++;
      r->t[O_REPLAY].excepted++;
      goto done;
    }
    if (vector == 13 && orig_len > 10 && !st.fault) {
      fs->excepted[X_LEN10]++;
      r->t[O_REPLAY].excepted++;
      goto done;
    }
    report_mismatch(r, O_REPLAY, form, "%s (%s): 80286 raised #%d, model fault %u", bx, tname, vector, st.fault);
    goto done;
  }
  if (st.fault == ISA_FAULT_DE && ins.op == OP_IDIV && idiv_overflows(&init, &ins)) {
    fs->excepted[X_IDIV286]++;
    r->t[O_REPLAY].excepted++;
    goto done;
  }
  if (st.fault == ISA_FAULT_UD) {   /* decoded but not evaluated */
    fs->uncovered++;
    r->t[O_REPLAY].uncovered++;
    r->t[O_REPLAY].tests--;          /* counted as not covered, not as compared */
    if (!fs->uncovered_why[0])
      snprintf(fs->uncovered_why, sizeof fs->uncovered_why, "exec %s (%s): not evaluated", bx, tname);
    goto done;
  }

  char msg[512] = "";
  size_t k = 0;
#define OUT(...) do { if (k < sizeof msg) k += (size_t)snprintf(msg + k, sizeof msg - k, __VA_ARGS__); } while (0)
  if (st.fault) OUT("model fault %u, 80286 none; ", st.fault);
  else {
    for (int i = 0; i < REC_REGS; i++) {
      uint32_t got = i < 8 ? st.r[i] : st.s[i - 8];
      uint32_t want = i < 8 ? out.r[i] : out.s[i - 8];
      if (got != want) OUT("%s model=%04x 286=%04x; ", rec_reg_name(i), got, want);
    }
    sdm_undef manual = sdm_undef_at(&ins, &init);
    skip_add(&fs->skip, &manual);
    if (manual.flags & ~meta_undef & F_STATUS) fs->meta_narrower++;
    compare_flags(&st, out.flags, &manual, "286", msg, sizeof msg, &k);
    if (st.poisoned) OUT("model poisoned; ");
    cJSON_ArrayForEach(e, fram) {
      uint32_t a = (uint32_t)cJSON_GetArrayItem(e, 0)->valuedouble;
      uint8_t v = (uint8_t)cJSON_GetArrayItem(e, 1)->valuedouble;
      uint8_t got = isa_mem_read(&st, a);
      if (got != v) OUT("mem[%06x] model=%02x 286=%02x; ", a, got, v);
    }
    cJSON_ArrayForEach(e, iram) {
      uint32_t a = (uint32_t)cJSON_GetArrayItem(e, 0)->valuedouble;
      bool written = false;
      cJSON *f;
      cJSON_ArrayForEach(f, fram) if ((uint32_t)cJSON_GetArrayItem(f, 0)->valuedouble == a) written = true;
      if (written) continue;
      uint8_t v = (uint8_t)cJSON_GetArrayItem(e, 1)->valuedouble;
      uint8_t got = isa_mem_read(&st, a);
      if (got != v) OUT("mem[%06x] model=%02x 286=%02x (unchanged); ", a, got, v);
    }
  }
#undef OUT
  if (msg[0]) {
    char s[300];
    state_str(&init, s, sizeof s);
    report_mismatch(r, O_REPLAY, form, "%s (%s) from %s: %s", bx, tname, s, msg);
  }
done:
  r->cur = NULL;
  cJSON_Delete(t);
  return true;
}

int replay286_rerun(oracle_run *r, const char *form, const repro_ctx *c) {
  const char *colon = strrchr(c->where, ':');
  if (!colon) return -1;
  int want = atoi(colon + 1);
  char path[1100];
  snprintf(path, sizeof path, "%.*s", (int)(colon - c->where), c->where);
  /* the metadata lives beside the recording */
  char dir[1100];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash) *slash = 0; else snprintf(dir, sizeof dir, ".");
  meta_table *meta = calloc(1, sizeof *meta);
  gzFile gz = NULL;
  char *line = malloc(1 << 16);
  int rc = -1;
  if (meta && line && load_meta(dir, meta) == 0 && (gz = gzopen(path, "rb"))) {
    uint32_t mu = 0;
    for (int j = 0; j < meta->n; j++)
      if (!strcmp(meta->m[j].name, form)) mu = meta->m[j].undef;
    for (int n = 1; gzgets(gz, line, 1 << 16); n++) {
      if (n < want) continue;
      form_stats fs;
      memset(&fs, 0, sizeof fs);
      if (replay_one(r, form, c->where, line, mu, &fs)) rc = 0;
      break;
    }
  }
  if (gz) gzclose(gz);
  free(line);
  free(meta);
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int run_replay(oracle_run *r) {
  const char *dir = r->opt.oracle_dir;
  meta_table *meta = calloc(1, sizeof *meta);
  if (!meta || load_meta(dir, meta) < 0) { free(meta); return 2; }
  DIR *d = opendir(dir);
  if (!d) { fprintf(stderr, "%s: cannot open directory\n", dir); free(meta); return 2; }
  char *files[400];
  int nf = 0;
  struct dirent *de;
  while ((de = readdir(d)) && nf < 400) {
    size_t l = strlen(de->d_name);
    if (l > 9 && !strcmp(de->d_name + l - 9, ".jsonl.gz")) files[nf++] = strdup(de->d_name);
  }
  closedir(d);
  qsort(files, (size_t)nf, sizeof files[0], cmp_str);
  uint64_t xtotal[X_COUNT] = { 0 };
  int uncovered_forms = 0, rc = 0;
  char *line = malloc(1 << 16);
  for (int i = 0; i < nf && !run_should_stop(r); i++) {
    char form[32];
    snprintf(form, sizeof form, "%.*s", (int)(strlen(files[i]) - 9), files[i]);
    if (!form_selected(r, form)) continue;
    uint32_t mu = 0;
    bool found = false;
    for (int j = 0; j < meta->n; j++)
      if (!strcmp(meta->m[j].name, form)) { mu = meta->m[j].undef; found = true; }
    if (!found) { fprintf(stderr, "%s/index.json: no entry for form %s\n", dir, form); rc = 2; continue; }
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    gzFile gz = gzopen(path, "rb");
    if (!gz) { fprintf(stderr, "%s: cannot open\n", path); rc = 2; continue; }
    form_stats fs = { 0 };
    int lineno = 0;
    while (gzgets(gz, line, 1 << 16)) {
      lineno++;
      if (r->opt.replay_limit && lineno > r->opt.replay_limit) break;
      char where[1100];
      snprintf(where, sizeof where, "%s:%d", path, lineno);
      if (!replay_one(r, form, where, line, mu, &fs)) rc = 2;
      if (run_should_stop(r)) break;
    }
    gzclose(gz);
    if (fs.tests) r->t[O_REPLAY].forms++;
    report_skipped(r, O_REPLAY, form, &fs.skip);
    if (fs.meta_narrower)
      report_note(O_REPLAY, "form %s: in %llu tests the manual leaves undefined a flag index.json does not",
                  form, (unsigned long long)fs.meta_narrower);
    for (int x = 0; x < X_COUNT; x++) xtotal[x] += fs.excepted[x];
    if (fs.uncovered) {
      uncovered_forms++;
      report_note(O_REPLAY, "form %s not covered by the model in %llu of %llu tests (first: %s)", form,
                  (unsigned long long)fs.uncovered, (unsigned long long)fs.tests, fs.uncovered_why);
    }
  }
  free(line);
  for (int i = 0; i < nf; i++) free(files[i]);
  free(meta);
  for (int x = 0; x < X_COUNT; x++)
    report_note(O_REPLAY, "documented exception %s: %llu tests", x_names[x], (unsigned long long)xtotal[x]);
  report_note(O_REPLAY, "%d forms with tests outside the model", uncovered_forms);
  return rc;
}
