/* Target CPU levels: the level of each kind of form, the names, the
 * snippet directive, and that the pool and opt keep to the level. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "program_text.h"
#include "program/cpu_directive.h"
#include "program/snippet.h"
#include "search/opt.h"
#include "search/pool.h"
#include "prove/checker.h"

static int level_of(const char *hex) {
  uint8_t b[ISA_MAX_LEN];
  int n = 0;
  for (const char *p = hex; p[0] && p[1]; p += 2) {
    unsigned v;
    cr_assert(sscanf(p, "%2x", &v) == 1);
    b[n++] = (uint8_t)v;
  }
  insn in;
  char why[128];
  cr_assert_eq(isa_decode(b, (size_t)n, &in, why, sizeof why), n, "%s: %s", hex, why);
  return isa_cpu_level(&in);
}

/* the bytes are nasm's for each line */
Test(cpu, levels_of_forms) {
  cr_expect_eq(level_of("01d8"), CPU_8086);       /* add ax, bx */
  cr_expect_eq(level_of("d1e0"), CPU_8086);       /* shl ax, 1 */
  cr_expect_eq(level_of("c1e003"), CPU_186);      /* shl ax, 3 */
  cr_expect_eq(level_of("d3e0"), CPU_186);        /* shl ax, cl: count masked from the 186 on */
  cr_expect_eq(level_of("6a05"), CPU_186);        /* push 5 */
  cr_expect_eq(level_of("6bc303"), CPU_186);      /* imul ax, bx, 3 */
  cr_expect_eq(level_of("60"), CPU_186);          /* pusha */
  cr_expect_eq(level_of("54"), CPU_286);          /* push sp: the 8086 pushes the new sp */
  cr_expect_eq(level_of("0fb6c3"), CPU_386);      /* movzx ax, bl */
  cr_expect_eq(level_of("0f94c0"), CPU_386);      /* sete al */
  cr_expect_eq(level_of("6601d8"), CPU_386);      /* add eax, ebx */
  cr_expect_eq(level_of("678a03"), CPU_386);      /* mov al, [ebx] */
  cr_expect_eq(level_of("648a07"), CPU_386);      /* mov al, fs:[bx] */
  cr_expect_eq(level_of("8ee0"), CPU_386);        /* mov fs, ax */
  cr_expect_eq(level_of("8ed8"), CPU_8086);       /* mov ds, ax */
  cr_expect_eq(level_of("6699"), CPU_386);        /* cdq */
  cr_expect_eq(level_of("660fc8"), CPU_486);      /* bswap eax */
  cr_expect_eq(level_of("0f42c3"), CPU_686);      /* cmovb ax, bx */
  cr_expect_eq(level_of("d7"), CPU_8086);         /* xlat */
  cr_expect_eq(level_of("d40a"), CPU_8086);       /* aam */
}

Test(cpu, undocumented_forms) {
  insn in;
  cr_assert_eq(isa_decode((const uint8_t *)"\xd6", 1, &in, NULL, 0), 1);
  cr_expect(isa_undocumented(&in));               /* salc */
  cr_assert_eq(isa_decode((const uint8_t *)"\xd4\x10", 2, &in, NULL, 0), 2);
  cr_expect(isa_undocumented(&in));               /* aam 16 */
  cr_assert_eq(isa_decode((const uint8_t *)"\xd5\x0a", 2, &in, NULL, 0), 2);
  cr_expect(!isa_undocumented(&in));              /* aad */
}

Test(cpu, names_and_nasm_directive) {
  int c = -1;
  cr_expect(isa_cpu_parse("8086", &c) && c == CPU_8086);
  cr_expect(isa_cpu_parse("80186", &c) && c == CPU_186);
  cr_expect(isa_cpu_parse("i386", &c) && c == CPU_386);
  cr_expect(isa_cpu_parse("P6", &c) && c == CPU_686);
  cr_expect(!isa_cpu_parse("9000", &c));
  cr_expect(nasm_cpu_directive("  [CPU 286]", &c) && c == CPU_286);
  cr_expect(nasm_cpu_directive("cpu 8086 ; the target", &c) && c == CPU_8086);
  cr_expect(!nasm_cpu_directive("cpuid", &c));
  char *src[] = {"org 0x100", "cpu 386", "cpu 186"};
  int line = 0;
  cr_expect_eq(program_cpu_level(src, 3, &line), CPU_186);
  cr_expect_eq(line, 3);
  cr_expect_eq(program_cpu_level(src, 1, NULL), -1);
}

static snippet *snippet_text(const char *text, char *err, size_t errn, bool *ok) {
  snippet *s = snippet_from_text(text, err, errn);
  *ok = s != NULL;
  return s;
}

Test(cpu, snippet_directive_and_its_errors) {
  char err[256];
  bool ok;
  snippet *s = snippet_text("; live-out: ax\nmov ax, bx\n", err, sizeof err, &ok);
  cr_assert(ok, "%s", err);
  cr_expect_eq(snippet_cpu(s), CPU_386);          /* the default */
  free(s);
  s = snippet_text("; cpu: 686\n; cpu: 186\nmov ax, bx\n", err, sizeof err, &ok);
  cr_assert(ok, "%s", err);
  cr_expect_eq(snippet_cpu(s), CPU_186);          /* the lowest given */
  snippet_limit_cpu(s, CPU_686);
  cr_expect_eq(snippet_cpu(s), CPU_186);
  free(s);
  s = snippet_text("cpu 8086\nmov ax, bx\n", err, sizeof err, &ok);
  cr_assert(ok, "%s", err);
  cr_expect_eq(snippet_cpu(s), CPU_8086);         /* nasm's own directive */
  free(s);
  s = snippet_text("mov ax, bx\n; cpu: 9000\n", err, sizeof err, &ok);
  cr_expect(!ok);
  cr_expect(strstr(err, ".asm:2: cpu: unknown CPU '9000'"), "%s", err);
  free(s);
}

/* Every pool instruction runs on the target; the higher level adds forms. */
Test(cpu, pool_keeps_to_the_level) {
  char err[256];
  bool ok;
  const char *text = "; live-out: ax bx\nsub bx, ax\ncmc\nsbb cx, cx\nand cx, bx\nadd ax, cx\n"
                     "shl bx, 1\nmov al, [si]\n";
  int size[CPU_686 + 1];
  for (int cpu = CPU_8086; cpu <= CPU_686; cpu++) {
    snippet *s = snippet_text(text, err, sizeof err, &ok);
    cr_assert(ok, "%s", err);
    snippet_limit_cpu(s, cpu);
    pool p;
    cr_assert(pool_build(&p, s));
    int above = 0, undoc = 0;
    for (int i = 0; i < p.n; i++) {
      above += isa_cpu_level(&p.v[i].in) > cpu;
      undoc += isa_undocumented(&p.v[i].in);
    }
    cr_expect_eq(above, 0, "cpu %s: %d pool entries above the level", isa_cpu_name(cpu), above);
    size[cpu] = p.n;
    pool_free(&p);
    s->no_undocumented = true;
    cr_assert(pool_build(&p, s));
    for (int i = 0; i < p.n; i++) cr_expect(!isa_undocumented(&p.v[i].in));
    cr_expect(p.n < size[cpu] || undoc == 0);
    pool_free(&p);
    free(s);
  }
  for (int cpu = CPU_186; cpu <= CPU_686; cpu++)
    cr_expect(size[cpu] >= size[cpu - 1], "pool %s %d < %s %d", isa_cpu_name(cpu), size[cpu],
              isa_cpu_name(cpu - 1), size[cpu - 1]);
  cr_expect(size[CPU_386] > size[CPU_8086]);
  cr_expect(size[CPU_686] > size[CPU_386]);       /* cmov */
}

/* An original above the target (a shift by cl at 8086) is not searched. */
Test(cpu, original_above_the_target_is_refused) {
  char err[256];
  bool ok;
  snippet *s = snippet_text("; live-out: ax\n; cpu: 8086\nshl ax, cl\nmov bx, ax\n", err, sizeof err, &ok);
  cr_assert(ok, "%s", err);
  opt_params prm;
  opt_params_default(&prm);
  search_checker chk = prove_checker(NULL);
  prm.checker = &chk;
  prm.time_s = 2;
  prm.proof_dir = "build/tests/search/proofs";
  opt_result *r = calloc(1, sizeof *r);
  cr_expect(!opt_snippet(s, &prm, r));
  cr_expect_eq(r->status, OPT_ERROR);
  cr_expect(strstr(r->why, "line 3: 'shl ax, cl' is modelled as on a 186"), "%s", r->why);
  free(r);
  free(s);
}

/* The pool comes from the form table: every row of an everyday operation
 * at the target level, given ax/al wherever it takes a register and 1 where
 * it takes an immediate (register forms only), is in the pool when it encodes to an instruction
 * that changes something (xchg ax, ax is nop). */
Test(cpu, pool_holds_every_row_at_the_level) {
  static const int everyday[] = {OP_MOV, OP_ADD, OP_ADC, OP_SUB, OP_SBB, OP_AND, OP_OR, OP_XOR,
                                 OP_CMP, OP_TEST, OP_XCHG, OP_INC, OP_DEC, OP_NEG, OP_NOT,
                                 OP_SHL, OP_SHR, OP_SAR, OP_ROL, OP_ROR, OP_RCL, OP_RCR,
                                 OP_SETCC, OP_MOVZX, OP_MOVSX, OP_CBW, OP_CWD, OP_CLC, OP_STC,
                                 OP_CMC, OP_CLD, OP_STD, OP_LAHF, OP_SAHF, OP_SALC};
  char err[256];
  bool ok;
  for (int cpu = CPU_8086; cpu <= CPU_686; cpu++) {
    snippet *s = snippet_text("; live-out: ax bx\nadd ax, bx\nshl ax, 1\n", err, sizeof err, &ok);
    cr_assert(ok, "%s", err);
    snippet_limit_cpu(s, cpu);
    pool p;
    cr_assert(pool_build(&p, s));
    int checked = 0;
    for (size_t r = 0; r < isa_form_count(); r++) {
      const isa_form *f = isa_form_at(r);
      bool wanted = false;
      for (size_t k = 0; k < sizeof everyday / sizeof *everyday; k++) wanted = wanted || f->op == everyday[k];
      if (!wanted || (f->flags & (ISA_F_SWAP | ISA_F_ALIAS)) || f->size == 4) continue;
      insn in;
      isa_form_insn(f, &in);
      bool regs_only = true;   /* a direct address (moffs) is a memory form */
      for (int k = 0; k < in.nops; k++) {
        if (in.o[k].kind == K_IMM && f->shape[k] != SH_ONE) in.o[k].disp = 1;
        regs_only = regs_only && (in.o[k].kind == K_REG || in.o[k].kind == K_IMM);
      }
      if (!regs_only) continue;
      uint8_t want[ISA_MAX_LEN], got[ISA_MAX_LEN];
      int len = isa_encode(&in, want);
      insn dec;
      if (len <= 0 || isa_decode(want, (size_t)len, &dec, NULL, 0) != len || dec.op != f->op ||
          !pool_target_allows(s, &dec))   /* a shift by cl is a 186 form */
        continue;
      bool found = false;
      for (int i = 0; i < p.n && !found; i++) {
        insn t = p.v[i].in;
        found = p.v[i].len == len && isa_encode(&t, got) == len && !memcmp(got, want, (size_t)len);
      }
      char txt[96];
      isa_print(&dec, txt, sizeof txt);
      cr_expect(found, "cpu %s: row '%s' (%s) not in the pool", isa_cpu_name(cpu), f->mnem, txt);
      checked++;
    }
    cr_expect_gt(checked, 40, "cpu %s: only %d rows checked", isa_cpu_name(cpu), checked);
    pool_free(&p);
    free(s);
  }
}
