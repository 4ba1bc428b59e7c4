/* The Capstone cross-check of a proof header's bytes and text. */
#include <capstone/capstone.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/audit.h"
#include "sys/run.h"

/* One SMT-LIB term at s (an atom or a balanced list): its end. */
static const char *term_end(const char *s) {
  if (*s != '(') {
    while (*s && *s != ' ' && *s != ')' && *s != '(' && *s != '\n') s++;
    return s;
  }
  int depth = 0;
  for (; *s; s++) {
    if (*s == '(') depth++;
    else if (*s == ')' && --depth == 0) return s + 1;
  }
  return s;
}

static bool is_numeral(const char *s, const char *e) {
  return (e > s && s[0] == '#') || (e - s > 5 && !strncmp(s, "(_ bv", 5));
}

/* Does the text equate `var` with a numeral, (= var N) or (= N var)? */
static bool pins(const char *text, const char *var) {
  size_t vl = strlen(var);
  for (const char *q = strstr(text, "(= "); q; q = strstr(q + 1, "(= ")) {
    const char *a = q + 3, *ae = term_end(a);
    const char *b = ae;
    while (*b == ' ' || *b == '\n') b++;
    const char *be = term_end(b);
    bool av = (size_t)(ae - a) == vl && !strncmp(a, var, vl);
    bool bv = (size_t)(be - b) == vl && !strncmp(b, var, vl);
    if ((av && is_numeral(b, be)) || (bv && is_numeral(a, ae))) return true;
  }
  return false;
}

bool audit_symbolic_free(const char *path, const proof_info *h, char *why, size_t whyn) {
  if (!h->symbolic[0]) return true;
  if (strcmp(h->kind, "smt")) {
    snprintf(why, whyn, "%s: a %s proof cannot cover the label addresses it names", path, h->kind);
    return false;
  }
  size_t n = 0;
  char *text = read_whole_file(path, &n);
  if (!text) {
    snprintf(why, whyn, "cannot read %s", path);
    return false;
  }
  bool ok = true;
  for (const char *s = strstr(h->symbolic, "sym"); s && ok; s = strstr(s + 3, "sym")) {
    int k;
    if (sscanf(s, "sym%d=", &k) != 1) continue;
    char decl[64], var[16];
    snprintf(decl, sizeof decl, "(declare-fun in_sym%d () (_ BitVec 16))", k);
    snprintf(var, sizeof var, "in_sym%d", k);
    if (!strstr(text, decl)) {
      snprintf(why, whyn, "%s: names sym%d but the query does not declare %s", path, k, var);
      ok = false;
    } else if (pins(text, var)) {
      snprintf(why, whyn, "%s: the query fixes %s to a number", path, var);
      ok = false;
    }
  }
  free(text);
  return ok;
}

/* ---- spelling-insensitive comparison of instruction text ---- */

static const char *const cc_alias[][2] = {
  {"z", "e"}, {"nz", "ne"}, {"c", "b"}, {"nae", "b"}, {"nc", "ae"}, {"nb", "ae"},
  {"na", "be"}, {"nbe", "a"}, {"pe", "p"}, {"po", "np"}, {"nge", "l"}, {"nl", "ge"},
  {"ng", "le"}, {"nle", "g"},
};

static void canon_mnemonic(char *m) {
  static const char *const pre[] = {"set", "cmov", "j"};
  if (!strcmp(m, "sal")) strcpy(m, "shl");
  if (!strcmp(m, "xlatb")) strcpy(m, "xlat");
  if (!strcmp(m, "repe") || !strcmp(m, "repz")) strcpy(m, "rep");
  if (!strcmp(m, "repnz")) strcpy(m, "repne");
  for (size_t p = 0; p < 3; p++) {
    size_t k = strlen(pre[p]);
    if (strncmp(m, pre[p], k)) continue;
    for (size_t a = 0; a < sizeof cc_alias / sizeof *cc_alias; a++)
      if (!strcmp(m + k, cc_alias[a][0])) {
        strcpy(m + k, cc_alias[a][1]);
        return;
      }
  }
}

static bool is_string_op(const char *m) {
  static const char *const ops[] = {"lods", "stos", "movs", "scas", "cmps", "xlat", NULL};
  for (int i = 0; ops[i]; i++)
    if (!strncmp(m, ops[i], strlen(ops[i])) && strlen(m) <= strlen(ops[i]) + 1) return true;
  return false;
}

typedef struct {
  char word[16][32];   /* mnemonic words (prefixes + mnemonic) */
  int nw;
  char ops[3][96];     /* operands, spelled canonically */
  int nops;
} norm_insn;

/* operand: lower case, no size words, no spaces, segment inside [], numbers
 * in decimal modulo 2^32 */
static void canon_operand(const char *in, char *out, size_t n) {
  char t[256];
  size_t k = 0;
  for (const char *s = in; *s && k + 1 < sizeof t; s++) t[k++] = (char)tolower((unsigned char)*s);
  t[k] = 0;
  static const char *const drop[] = {"ptr", "byte", "dword", "qword", "word", "short", "near", "far"};
  for (size_t d = 0; d < sizeof drop / sizeof *drop; d++) {
    char *p;
    size_t l = strlen(drop[d]);
    while ((p = strstr(t, drop[d])) != NULL) {
      bool left = p == t || !isalnum((unsigned char)p[-1]);
      bool right = !isalnum((unsigned char)p[l]);
      if (!left || !right) break;
      memmove(p, p + l, strlen(p + l) + 1);
    }
  }
  char u[256];
  k = 0;
  for (const char *s = t; *s && k + 1 < sizeof u; s++)
    if (!isspace((unsigned char)*s)) u[k++] = *s;
  u[k] = 0;
  /* es:[di] -> [es:di] */
  if (strlen(u) > 3 && u[2] == ':' && u[3] == '[') {
    char v[256];
    snprintf(v, sizeof v, "[%.2s:%s", u, u + 4);
    snprintf(u, sizeof u, "%s", v);
  }
  /* numbers */
  k = 0;
  for (const char *s = u; *s && k + 24 < n;) {
    if (isdigit((unsigned char)*s) && (s == u || !isalnum((unsigned char)s[-1]))) {
      char *end;
      unsigned long long v = strtoull(s, &end, 0);
      if (*end == 'h') {
        v = strtoull(s, NULL, 16);
        end++;
      }
      k += (size_t)snprintf(out + k, n - k, "%llu", v & 0xffffffffull);
      s = end;
    } else {
      out[k++] = *s++;
    }
  }
  out[k] = 0;
}

static void normalize(const char *text, norm_insn *ni) {
  memset(ni, 0, sizeof *ni);
  const char *s = text;
  /* words up to the first operand */
  for (;;) {
    while (*s == ' ') s++;
    const char *e = s;
    while (*e && *e != ' ' && *e != ',') e++;
    if (e == s) break;
    char w[32];
    snprintf(w, sizeof w, "%.*s", (int)(e - s), s);
    for (char *c = w; *c; c++) *c = (char)tolower((unsigned char)*c);
    bool prefix = !strcmp(w, "rep") || !strcmp(w, "repe") || !strcmp(w, "repz") ||
                  !strcmp(w, "repne") || !strcmp(w, "repnz") || !strcmp(w, "lock");
    bool sizepfx = !strcmp(w, "a32") || !strcmp(w, "o32") || !strcmp(w, "a16") || !strcmp(w, "o16");
    if (!sizepfx) {
      canon_mnemonic(w);
      if (ni->nw < 16) snprintf(ni->word[ni->nw++], 32, "%s", w);
    }
    s = e;
    if (!prefix && !sizepfx) break;
  }
  if (ni->nw && is_string_op(ni->word[ni->nw - 1])) return;   /* operands implied */
  while (*s && ni->nops < 3) {
    while (*s == ' ' || *s == ',') s++;
    if (!*s) break;
    const char *e = s;
    int depth = 0;
    while (*e && (depth || *e != ',')) {
      if (*e == '[') depth++;
      if (*e == ']') depth--;
      e++;
    }
    char op[128];
    snprintf(op, sizeof op, "%.*s", (int)(e - s), s);
    canon_operand(op, ni->ops[ni->nops++], sizeof ni->ops[0]);
    s = e;
  }
  /* xchg is symmetric */
  if (ni->nw && !strcmp(ni->word[ni->nw - 1], "xchg") && ni->nops == 2 &&
      strcmp(ni->ops[0], ni->ops[1]) > 0) {
    char t[96];
    memcpy(t, ni->ops[0], sizeof t);
    memcpy(ni->ops[0], ni->ops[1], sizeof t);
    memcpy(ni->ops[1], t, sizeof t);
  }
}

/* numbers equal as 8, 16 or 32-bit values (one side may write -1, the other 0xffff) */
static bool operand_equal(const char *a, const char *b) {
  if (!strcmp(a, b)) return true;
  char *ea, *eb;
  long long va = strtoll(a, &ea, 10), vb = strtoll(b, &eb, 10);
  if (*ea || *eb || ea == a || eb == b) return false;
  for (int bits = 8; bits <= 32; bits *= 2) {
    unsigned long long m = (1ull << bits) - 1;
    if (((unsigned long long)va & m) == ((unsigned long long)vb & m)) return true;
  }
  return false;
}

static bool insn_equal(const norm_insn *a, const norm_insn *b) {
  if (a->nw != b->nw || a->nops != b->nops) return false;
  for (int i = 0; i < a->nw; i++)
    if (strcmp(a->word[i], b->word[i])) return false;
  for (int i = 0; i < a->nops; i++)
    if (!operand_equal(a->ops[i], b->ops[i])) return false;
  return true;
}

/* The printer writes a branch target relative to the instruction
 * ("jne short $-0x3"), Capstone as an address (decoded from 0x100, within
 * the 64 KiB segment): the proof's text in Capstone's terms. */
static void branch_absolute(const char *text, uint64_t addr, char *out, size_t n) {
  const char *d = strstr(text, "$");
  if (!d || (d[1] != '+' && d[1] != '-')) {
    snprintf(out, n, "%s", text);
    return;
  }
  long long off = strtoll(d + 2, NULL, 0);
  if (d[1] == '-') off = -off;
  size_t m = strcspn(text, " ");
  snprintf(out, n, "%.*s 0x%llx", (int)m, text, (unsigned long long)((addr + (uint64_t)off) & 0xffff));
}

bool audit_capstone_matches(const char *hex, const char *text, char *why, size_t whyn) {
  uint8_t buf[512];
  size_t nb = 0;
  for (const char *s = hex; s[0] && s[1] && nb < sizeof buf; s += 2) {
    char two[3] = {s[0], s[1], 0};
    buf[nb++] = (uint8_t)strtoul(two, NULL, 16);
  }
  /* the text's instructions, "; "-separated; "(empty)" is none */
  char texts[64][256];
  int nt = 0;
  if (strcmp(text, "(empty)")) {
    const char *s = text;
    while (*s && nt < 64) {
      const char *e = strstr(s, "; ");
      size_t l = e ? (size_t)(e - s) : strlen(s);
      snprintf(texts[nt++], sizeof texts[0], "%.*s", (int)l, s);
      s += l + (e ? 2 : 0);
    }
  }
  csh cs;
  if (cs_open(CS_ARCH_X86, CS_MODE_16, &cs) != CS_ERR_OK) {
    snprintf(why, whyn, "capstone cannot open 16-bit x86");
    return false;
  }
  cs_insn *ins = NULL;
  size_t n = nb ? cs_disasm(cs, buf, nb, 0x100, 0, &ins) : 0;
  size_t covered = 0;
  for (size_t i = 0; i < n; i++) covered += ins[i].size;
  bool ok = true;
  if (covered != nb) {
    snprintf(why, whyn, "capstone decodes only %zu of %zu bytes of %s", covered, nb, hex);
    ok = false;
  } else if ((int)n != nt) {
    snprintf(why, whyn, "capstone sees %zu instructions in %s, the text names %d (%s)", n, hex, nt, text);
    ok = false;
  }
  for (size_t i = 0; ok && i < n; i++) {
    char cstext[256];
    snprintf(cstext, sizeof cstext, "%s %s", ins[i].mnemonic, ins[i].op_str);
    /* Capstone 4 names 99/98 cdq/cwde in 16-bit mode whatever the operand
     * size; without a 0x66 prefix they are cwd/cbw */
    bool o32 = false;
    for (int k = 0; k + 1 < ins[i].size; k++)
      if (ins[i].bytes[k] == 0x66) o32 = true;
    if (!o32 && !strcmp(ins[i].mnemonic, "cdq")) snprintf(cstext, sizeof cstext, "cwd");
    if (!o32 && !strcmp(ins[i].mnemonic, "cwde")) snprintf(cstext, sizeof cstext, "cbw");
    char proof_text[256];
    branch_absolute(texts[i], ins[i].address, proof_text, sizeof proof_text);
    norm_insn a, b;
    normalize(cstext, &a);
    normalize(proof_text, &b);
    if (!insn_equal(&a, &b)) {
      snprintf(why, whyn, "capstone reads '%s' where the proof says '%s'", cstext, texts[i]);
      ok = false;
    }
  }
  if (ins) cs_free(ins, n);
  cs_close(&cs);
  return ok;
}
