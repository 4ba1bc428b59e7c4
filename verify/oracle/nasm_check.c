/* Checks the encoder against nasm: every sampled instance is printed with
 * isa_print, assembled by nasm (bits 16, many instructions per call), and
 * nasm's bytes must equal isa_encode's.  The instance is also round-tripped
 * through the model (decode of the encoding prints the same text, up to
 * xchg's operand order, xchg r,r = nop and [r*2] = [r+r]).
 *
 * Mapping back: each line gets a label, and a table of the labels' offsets
 * (dd) follows the code, so each instruction's bytes are found exactly even
 * when a length differs.  Lines nasm rejects are reported by line number,
 * dropped, and the file is assembled again. */
#include "oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  int form;
  char text[96];
  uint8_t enc[ISA_MAX_LEN];
  int enc_len;
  bool dropped;
} asm_item;

/* "xchg a, b" and "xchg b, a" are one instruction (nasm's 90+r form puts
 * the accumulator either side). */
static bool xchg_swapped(const char *p, const char *q) {
  const char *c = strchr(p, ','), *sp = strchr(p, ' ');
  if (!c || !sp || c < sp) return false;
  char swapped[128];
  snprintf(swapped, sizeof swapped, "%.*s%s, %.*s", (int)(sp - p + 1), p, c + 2, (int)(c - sp - 1), sp + 1);
  return !strcmp(swapped, q);
}

/* "[r*2+d]" and "[r+r+d]" are one address (nasm writes the first as the
 * second; the model then prints what the bytes say). */
static void unsplit(const char *in, char *out, size_t n) {
  size_t k = 0;
  for (const char *p = in; *p && k + 8 < n; p++) {
    if (p[0] == '*' && p[1] == '2') {
      const char *r = p;
      while (r > in && r[-1] >= 'a' && r[-1] <= 'z') r--;
      int len = (int)(p - r);
      k += (size_t)snprintf(out + k, n - k, "+%.*s", len, r);
      p++;
      continue;
    }
    out[k++] = *p;
  }
  out[k] = 0;
}

static int assemble(asm_item *it, int n, const char *dir, oracle_run *r) {
  char src[512], bin[512], log[512], cmd[2048];
  snprintf(src, sizeof src, "%s/batch.asm", dir);
  snprintf(bin, sizeof bin, "%s/batch.bin", dir);
  snprintf(log, sizeof log, "%s/batch.log", dir);
  for (int attempt = 0; attempt < 64; attempt++) {
    FILE *f = fopen(src, "w");
    if (!f) { fprintf(stderr, "%s: cannot write\n", src); return 3; }
    fprintf(f, "bits 16\n");
    for (int i = 0; i < n; i++)                 /* line i+2 holds item i */
      fprintf(f, it[i].dropped ? "L%d:\n" : "L%d: %s\n", i, it[i].text);
    fprintf(f, "Lend:\n");
    for (int i = 0; i < n; i++) fprintf(f, "dd L%d\n", i);
    fprintf(f, "dd Lend\n");
    fclose(f);
    snprintf(cmd, sizeof cmd, "nasm -f bin -o %s %s 2>%s", bin, src, log);
    int rc = system(cmd);
    if (rc == 0) break;
    FILE *lf = fopen(log, "r");
    char line[1024];
    int bad = 0;
    while (lf && fgets(line, sizeof line, lf)) {
      char *p = strstr(line, "batch.asm:");
      int ln;
      if (!p || sscanf(p + 10, "%d", &ln) != 1 || !strstr(line, "error")) continue;
      int i = ln - 2;
      if (i >= 0 && i < n && !it[i].dropped) {
        it[i].dropped = true;
        bad++;
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        report_mismatch(r, O_NASM, r->forms.f[it[i].form].name, "nasm rejects \"%s\": %s", it[i].text, p);
      }
    }
    if (lf) fclose(lf);
    if (!bad) { fprintf(stderr, "nasm failed without a line error (see %s)\n", log); return 3; }
  }
  FILE *f = fopen(bin, "rb");
  if (!f) return 3;
  static uint8_t buf[1 << 20];
  size_t sz = fread(buf, 1, sizeof buf, f);
  fclose(f);
  size_t table = sz - 4 * (size_t)(n + 1);
  for (int i = 0; i < n; i++) {
    if (it[i].dropped) continue;
    uint32_t a, e;
    memcpy(&a, buf + table + 4 * (size_t)i, 4);
    memcpy(&e, buf + table + 4 * (size_t)(i + 1), 4);
    r->t[O_NASM].tests++;
    int len = (int)(e - a);
    if (len != it[i].enc_len || memcmp(buf + a, it[i].enc, (size_t)len)) {
      char hn[64], hm[64];
      hexstr(buf + a, len, hn, sizeof hn);
      hexstr(it[i].enc, it[i].enc_len, hm, sizeof hm);
      report_mismatch(r, O_NASM, r->forms.f[it[i].form].name, "\"%s\": nasm %s, isa_encode %s", it[i].text, hn, hm);
    }
  }
  return 0;
}

int run_nasm(oracle_run *r) {
  char dir[] = "/tmp/oracle-nasm-XXXXXX";
  if (!mkdtemp(dir)) { fprintf(stderr, "nasm check: cannot make a temporary directory\n"); return 3; }
  int cap = r->forms.n * r->opt.asm_samples + 1;
  asm_item *it = calloc((size_t)cap, sizeof *it);
  int n = 0, rc = 0;
  rng g = { r->opt.seed ^ 0xa5a5ull };
  for (int fi = 0; fi < r->forms.n; fi++) {
    const oform *f = &r->forms.f[fi];
    if (!form_selected(r, f->name)) continue;
    int took = 0, nunc = 0;
    char why[200] = "";
    for (int k = 0; k < r->opt.asm_samples; k++) {
      uint8_t b[16];
      insn in, back;
      char err[128] = "", bx[40];
      int nb;
      if (form_decoded(f, &g, true, b, &nb, bx, &in, &nunc, why) < 0) continue;
      asm_item *x = &it[n];
      x->form = fi;
      isa_print(&in, x->text, sizeof x->text);
      x->enc_len = isa_encode(&in, x->enc);
      if (x->enc_len <= 0) {
        report_mismatch(r, O_NASM, f->name, "%s (\"%s\"): isa_encode fails on a decoded instruction", bx, x->text);
        continue;
      }
      if (r->opt.corrupt) x->enc[x->enc_len - 1] ^= 1;   /* self-test: a wrong encoding */
      char again[96];
      uint8_t clean[ISA_MAX_LEN];
      memcpy(clean, x->enc, (size_t)x->enc_len);
      if (r->opt.corrupt) clean[x->enc_len - 1] ^= 1;
      if (isa_decode(clean, (size_t)x->enc_len, &back, err, sizeof err) != x->enc_len) {
        report_mismatch(r, O_NASM, f->name, "\"%s\": the model's own encoding does not decode: %s", x->text, err);
        continue;
      }
      isa_print(&back, again, sizeof again);
      bool self_xchg = in.op == OP_XCHG && in.nops == 2 && in.o[0].kind == K_REG && in.o[1].kind == K_REG &&
                       in.o[0].reg == in.o[1].reg && in.o[0].size == in.o[1].size;
      char u1[128], u2[128];
      unsplit(again, u1, sizeof u1);
      unsplit(x->text, u2, sizeof u2);
      if (strcmp(u1, u2) && !(in.op == OP_XCHG && xchg_swapped(again, x->text)) &&
          !(self_xchg && back.op == OP_NOP)) {   /* xchg ax, ax is nasm's 90, nop */
        report_mismatch(r, O_NASM, f->name, "\"%s\" encodes, decodes and prints as \"%s\"", x->text, again);
        continue;
      }
      n++;
      took++;
    }
    if (took) r->t[O_NASM].forms++;
    if (nunc) {
      report_note(O_NASM, "form %s: %d of %d instances not covered by the model (first: %s)", f->name,
                  nunc, r->opt.asm_samples, why);
      r->t[O_NASM].uncovered++;
    }
    if (n > 2000 || fi == r->forms.n - 1) {   /* offsets must stay within 64 KiB */
      if (n) rc = assemble(it, n, dir, r);
      if (rc) break;
      n = 0;
      memset(it, 0, (size_t)cap * sizeof *it);
    }
  }
  if (n && !rc) rc = assemble(it, n, dir, r);
  free(it);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "nasm check: could not remove %s\n", dir);
  return rc;
}
