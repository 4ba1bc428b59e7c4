/* superopt exec --hex BYTES [--state FILE.json]: run instruction bytes on a
 * state with the concrete evaluator and print the final state as JSON, so
 * anyone can ask the model what an instruction does. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>
#include "cli/commands.h"
#include "isa/isa.h"

#define MAX_INSNS 256

static void exec_usage(FILE *f) {
  fprintf(f,
    "usage: superopt exec --hex BYTES [--state FILE.json]\n"
    "  Decodes BYTES (hex, spaces allowed: \"04 01\" or 0401), runs the\n"
    "  instructions in order on the state and prints the final state as JSON.\n"
    "  State keys (all optional, default 0): eax..edi, ax..di, al..bh,\n"
    "  es cs ss ds fs gs, flags (EFLAGS bits as a number, or an object\n"
    "  {\"cf\":1,...}), mem [[linear, byte], ...], mem_seed.\n"
    "  Output: regs, segs, flags, undefined (flags without a defined value),\n"
    "  mem_written, fault (none/DE/GP/UD/MEMLOG), poisoned (an undefined flag\n"
    "  was read), and the decoded instructions.\n"
    "  Exit status: 0 ran (a fault is a result, not an error), 2 bad input.\n");
}

static int parse_hex(const char *s, uint8_t *out, size_t cap, size_t *n) {
  *n = 0;
  int half = -1;
  for (const char *p = s; *p; p++) {
    if (isspace((unsigned char)*p) || *p == ',') continue;
    if (!isxdigit((unsigned char)*p)) {
      fprintf(stderr, "superopt exec: --hex: '%c' at position %zu is not a hex digit\n", *p, (size_t)(p - s));
      return -1;
    }
    int v = isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10);
    if (half < 0) { half = v; continue; }
    if (*n == cap) { fprintf(stderr, "superopt exec: --hex: more than %zu bytes\n", cap); return -1; }
    out[(*n)++] = (uint8_t)(half << 4 | v);
    half = -1;
  }
  if (half >= 0) { fprintf(stderr, "superopt exec: --hex: odd number of hex digits\n"); return -1; }
  return 0;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  for (size_t k; buf && (k = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
    n += k;
    if (n + 1 == cap) { char *b = realloc(buf, cap *= 2); if (!b) { free(buf); buf = NULL; } else buf = b; }
  }
  fclose(f);
  if (buf) buf[n] = 0;
  *len = n;
  return buf;
}

static int line_of(const char *text, const char *at) {
  int line = 1;
  for (const char *p = text; p < at && *p; p++) line += *p == '\n';
  return line;
}

static const char *const faultn[] = {"none", "DE", "GP", "UD", "MEMLOG"};

/* The largest value a state key may give: a register (eax, ax, al) or a
 * segment register; 0 when the name is none of those. */
static double reg_key_max(const char *name, locset *l) {
  if (!isa_loc_parse(name, l)) return 0;
  for (int r = 0; r < 8; r++) {
    if (*l == LOC_R32(r)) return 4294967295.0;
    if (*l == LOC_R16(r)) return 65535;
    if (*l == LOC_R8(r)) return 255;
  }
  for (int s = 0; s < 6; s++)
    if (*l == LOC_SEG(s)) return 65535;
  return 0;
}

/* One flag's name ("cf"...): its location. */
static bool flag_key(const char *name, locset *l) {
  for (int f = 0; f < FL_COUNT; f++)
    if (!strcmp(name, isa_flag_name(f))) { *l = isa_flag_loc[f]; return true; }
  return false;
}

static bool number(const cJSON *v, double lo, double hi, uint64_t *out) {
  if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi ||
      v->valuedouble != (double)(uint64_t)v->valuedouble)
    return false;
  *out = (uint64_t)v->valuedouble;
  return true;
}

/* fill *st from the JSON text; returns false after printing file:line: cause */
static bool load_state(const char *path, const char *text, isa_state *st) {
  cJSON *root = cJSON_Parse(text);
  if (!root) {
    const char *at = cJSON_GetErrorPtr();
    fprintf(stderr, "%s:%d: malformed JSON\n", path, at ? line_of(text, at) : 1);
    return false;
  }
  bool ok = cJSON_IsObject(root);
  if (!ok) fprintf(stderr, "%s:1: the state must be a JSON object\n", path);
  for (cJSON *it = ok ? root->child : NULL; it && ok; it = it->next) {
    const char *k = it->string;
    uint64_t v = 0;
    bool known = false;
    locset l;
    double max = reg_key_max(k, &l);
    if (max > 0) {
      known = true;
      ok = number(it, 0, max, &v);
      if (ok) isa_loc_set(st, l, (uint32_t)v);
    }
    if (!known && !strcmp(k, "flags")) {
      known = true;
      if (cJSON_IsObject(it)) {
        for (cJSON *f = it->child; f && ok; f = f->next) {
          ok = flag_key(f->string, &l) && number(f, 0, 1, &v);
          if (ok && v) isa_loc_set(st, l, 1);
        }
      } else if ((ok = number(it, 0, 4294967295.0, &v))) {
        st->flags = (uint32_t)v & F_MODELLED;
      }
    }
    if (!known && !strcmp(k, "mem_seed")) {
      known = true;
      ok = number(it, 0, 9007199254740991.0, &v);
      if (ok) st->mem_seed = v;
    }
    if (!known && !strcmp(k, "mem")) {
      known = true;
      ok = cJSON_IsArray(it);
      for (cJSON *e = ok ? it->child : NULL; e && ok; e = e->next) {
        uint64_t a, b;
        ok = cJSON_IsArray(e) && cJSON_GetArraySize(e) == 2 &&
             number(cJSON_GetArrayItem(e, 0), 0, 4294967295.0, &a) &&
             number(cJSON_GetArrayItem(e, 1), 0, 255, &b);
        if (ok && !isa_mem_set_initial(st, (uint32_t)a, (uint8_t)b)) {
          fprintf(stderr, "%s:%d: more than %d initial memory bytes\n", path,
                  line_of(text, strstr(text, "\"mem\"")), ISA_MEMINIT);
          cJSON_Delete(root);
          return false;
        }
      }
    }
    if (!known) {
      fprintf(stderr, "%s:%d: unknown state key '%s'\n", path, line_of(text, strstr(text, k)), k);
      cJSON_Delete(root);
      return false;
    }
    if (!ok) {
      char quoted[80];
      snprintf(quoted, sizeof quoted, "\"%s\"", k);
      const char *at = strstr(text, quoted);
      fprintf(stderr, "%s:%d: bad value for '%s'\n", path, at ? line_of(text, at) : 1, k);
    }
  }
  cJSON_Delete(root);
  return ok;
}

static cJSON *state_json(const isa_state *st, const insn *seq, int n) {
  cJSON *o = cJSON_CreateObject();
  cJSON *insns = cJSON_AddArrayToObject(o, "insns");
  for (int i = 0; i < n; i++) {
    char t[128];
    isa_print(&seq[i], t, sizeof t);
    cJSON_AddItemToArray(insns, cJSON_CreateString(t));
  }
  cJSON *regs = cJSON_AddObjectToObject(o, "regs");
  for (int r = 0; r < 8; r++) cJSON_AddNumberToObject(regs, isa_reg_name(4, r), st->r[r]);
  cJSON *segs = cJSON_AddObjectToObject(o, "segs");
  for (int s = 0; s < 6; s++) cJSON_AddNumberToObject(segs, isa_sreg_name(s), st->s[s]);
  cJSON *flags = cJSON_AddObjectToObject(o, "flags");
  cJSON *undef = cJSON_AddArrayToObject(o, "undefined");
  for (int f = 0; f < FL_COUNT; f++) {
    if (st->undef & isa_flag_bit[f]) cJSON_AddItemToArray(undef, cJSON_CreateString(isa_flag_name(f)));
    else cJSON_AddNumberToObject(flags, isa_flag_name(f), (st->flags & isa_flag_bit[f]) != 0);
  }
  cJSON *mem = cJSON_AddArrayToObject(o, "mem_written");
  for (uint32_t i = 0; i < st->nwrites; i++) {
    cJSON *pair = cJSON_CreateArray();
    cJSON_AddItemToArray(pair, cJSON_CreateNumber(st->waddr[i]));
    cJSON_AddItemToArray(pair, cJSON_CreateNumber(st->wval[i]));
    cJSON_AddItemToArray(mem, pair);
  }
  cJSON_AddStringToObject(o, "fault", st->fault < sizeof faultn / sizeof *faultn ? faultn[st->fault] : "?");
  cJSON_AddBoolToObject(o, "poisoned", st->poisoned);
  cJSON_AddStringToObject(o, "semantics", isa_sem_version());
  return o;
}

int cmd_exec(int argc, char **argv) {
  const char *hex = NULL, *state_path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { exec_usage(stdout); return 0; }
    if (!strcmp(argv[i], "--hex") && i + 1 < argc) hex = argv[++i];
    else if (!strcmp(argv[i], "--state") && i + 1 < argc) state_path = argv[++i];
    else {
      fprintf(stderr, "superopt exec: unexpected argument '%s'\n", argv[i]);
      exec_usage(stderr);
      return 2;
    }
  }
  if (!hex) { exec_usage(stderr); return 2; }
  uint8_t bytes[4096];
  size_t nbytes;
  if (parse_hex(hex, bytes, sizeof bytes, &nbytes)) return 2;

  static insn seq[MAX_INSNS];
  int n = 0;
  for (size_t pos = 0; pos < nbytes;) {
    char err[160];
    if (n == MAX_INSNS) { fprintf(stderr, "superopt exec: more than %d instructions\n", MAX_INSNS); return 2; }
    int len = isa_decode(bytes + pos, nbytes - pos, &seq[n], err, sizeof err);
    if (len < 0) { fprintf(stderr, "superopt exec: --hex: byte offset %zu: %s\n", pos, err); return 2; }
    pos += (size_t)len;
    n++;
  }

  static isa_state st;
  memset(&st, 0, sizeof st);
  if (state_path) {
    size_t len;
    char *text = read_file(state_path, &len);
    if (!text) { fprintf(stderr, "superopt exec: %s: %s\n", state_path, strerror(errno)); return 2; }
    bool ok = load_state(state_path, text, &st);
    free(text);
    if (!ok) return 2;
  }
  isa_exec_seq(&st, seq, n);
  cJSON *o = state_json(&st, seq, n);
  char *s = cJSON_Print(o);
  if (!s) { cJSON_Delete(o); fprintf(stderr, "superopt exec: out of memory\n"); return 3; }
  printf("%s\n", s);
  free(s);
  cJSON_Delete(o);
  return 0;
}
