/* The form table itself: its order, that every row is reached by the
 * encoder and decoder, the CPU level and undocumented facts, and the forms
 * added for boot sectors (text as nasm writes it, effects, block ends). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "isa/isa.h"
#include "run.h"
#include "sample.h"

Test(forms, rows_are_in_operation_order_and_well_formed) {
  cr_assert(isa_form_count() > 500, "only %zu rows", isa_form_count());
  for (size_t i = 0; i < isa_form_count(); i++) {
    const isa_form *f = isa_form_at(i);
    if (i) cr_expect(isa_form_at(i - 1)->op <= f->op, "row %zu (%s) out of ISA_OPS order", i, f->mnem);
    cr_expect(f->nopc >= 1 && f->nopc <= 2, "row %zu", i);
    cr_expect(f->mnem && f->mnem[0], "row %zu has no mnemonic", i);
    cr_expect(f->cpu <= CPU_686, "row %zu", i);
    cr_expect(f->digit >= ISA_NO_MODRM && f->digit <= 7, "row %zu", i);
    cr_expect(f->nops <= 3, "row %zu", i);
  }
  cr_expect_null(isa_form_at(isa_form_count()));
  for (int op = 0; op < OP_COUNT; op++) {
    bool any = false;
    for (size_t i = 0; i < isa_form_count(); i++) any |= isa_form_at(i)->op == op;
    cr_expect(any, "%s has no row", isa_op_name((isa_op)op));
  }
}

/* the same encoding: operation, size, opcode bytes and digit */
static bool same_encoding(const isa_form *a, const isa_form *b) {
  return a && b && a->op == b->op && a->size == b->size && a->nopc == b->nopc &&
         !memcmp(a->opc, b->opc, a->nopc) && a->digit == b->digit;
}

/* Every row the encoder may use is the encoder's choice for some sampled
 * instruction, and that instruction decodes back to a row of the same
 * encoding: no row is dead or shadowed. */
Test(forms, every_row_is_reached_by_encode_and_decode) {
  static bool hit[4096];
  cr_assert(isa_form_count() < 4096);
  sample_rng r = {4242};
  static insn buf[400];
  for (int op = 0; op < OP_COUNT; op++) {
    int n = sample_op((isa_op)op, &r, buf, 400);
    for (int i = 0; i < n; i++) {
      const isa_form *f = isa_form_of(&buf[i]);
      cr_assert_not_null(f);
      uint8_t b[ISA_MAX_LEN];
      int len = isa_encode(&buf[i], b);
      insn back;
      cr_assert_eq(isa_decode(b, (size_t)len, &back, NULL, 0), len);
      /* an operand swap (xchg, test) decodes to the row of the other order */
      cr_expect(same_encoding(isa_form_of(&back), f), "%s: decoded to another encoding", f->mnem);
      hit[f - isa_form_at(0)] = true;
    }
  }
  for (size_t i = 0; i < isa_form_count(); i++) {
    const isa_form *f = isa_form_at(i);
    if (f->flags & (ISA_F_ALIAS | ISA_F_SWAP)) continue;
    cr_expect(hit[i], "row %zu (%s, opcode %02X) never chosen", i, f->mnem, f->opc[f->nopc - 1]);
  }
}

static insn one(const char *hex) {
  insn in[2];
  cr_assert_eq(run_decode(hex, in, 2), 1, "%s", hex);
  return in[0];
}

Test(forms, cpu_level_from_the_row_and_the_prefixes) {
  static const struct { const char *hex; int cpu; } cases[] = {
    {"01 d8", CPU_8086},       /* add ax, bx */
    {"66 01 d8", CPU_386},     /* add eax, ebx: 0x66 */
    {"8b 07", CPU_8086},       /* mov ax, [bx] */
    {"67 8b 00", CPU_386},     /* mov ax, [eax]: 0x67 */
    {"64 8b 07", CPU_386},     /* mov ax, [fs:bx] */
    {"6a 01", CPU_186},        /* push word 1 */
    {"6b c3 03", CPU_186},     /* imul ax, bx, 3 */
    {"c1 e0 03", CPU_186},     /* shl ax, 3 */
    {"d1 e0", CPU_8086},       /* shl ax, 1 */
    {"60", CPU_186},           /* pusha */
    {"c8 08 00 00", CPU_186},  /* enter 8, 0 */
    {"c9", CPU_186},           /* leave */
    {"0f 01 17", CPU_286},     /* lgdt [bx] */
    {"0f b6 c3", CPU_386},     /* movzx ax, bl */
    {"0f 94 c0", CPU_386},     /* sete al */
    {"0f a0", CPU_386},        /* push fs */
    {"66 0f c8", CPU_486},     /* bswap eax */
    {"0f 44 c3", CPU_686},     /* cmove ax, bx */
    {"d6", CPU_8086},          /* salc */
    {"9c", CPU_8086},          /* pushf */
    {"66 9c", CPU_386},        /* pushfd */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    insn in = one(cases[i].hex);
    cr_expect_eq(isa_cpu_level(&in), cases[i].cpu, "%s: level %d, expected %d", cases[i].hex,
                 isa_cpu_level(&in), cases[i].cpu);
  }
  insn bad = {.op = OP_BSWAP, .size = 2, .nops = 1};
  cr_expect_eq(isa_cpu_level(&bad), -1, "no row encodes bswap of a 16-bit register");
}

Test(forms, undocumented_forms) {
  static const struct { const char *hex; bool undoc; } cases[] = {
    {"d6", true},      /* salc */
    {"d4 0a", false},  /* aam */
    {"d4 10", true},   /* aam 16 */
    {"d5 0a", false},  /* aad */
    {"d5 07", true},   /* aad 7 */
    {"01 d8", false},
    {"cc", false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    insn in = one(cases[i].hex);
    cr_expect_eq(isa_undocumented(&in), cases[i].undoc, "%s", cases[i].hex);
  }
}

/* What real boot sectors use and the decoder once refused: the text is what
 * nasm 2.16 reads back to the same bytes (checked below). */
static const struct { const char *hex; const char *text; bool branch, searchable; } added[] = {
  {"9c", "pushf", false, false},
  {"66 9c", "pushfd", false, false},
  {"9d", "popf", false, false},
  {"cf", "iret", true, false},
  {"cc", "int3", true, false},
  {"ce", "into", true, false},
  {"ea 00 7c 00 00", "jmp 0x0:0x7c00", true, false},
  {"9a 34 12 00 f0", "call 0xf000:0x1234", true, false},
  {"ff 2f", "jmp far [bx]", true, false},
  {"ff 1e 34 12", "call far [0x1234]", true, false},
  {"cb", "retf", true, false},
  {"ca 04 00", "retf 0x4", true, false},
  /* near transfers through a register or memory may close a window */
  {"ff e3", "jmp bx", true, true},
  {"ff d6", "call si", true, true},
  {"ff 15", "call word [di]", true, true},
  {"ff 67 02", "jmp word [bx+0x2]", true, true},
  {"c8 08 00 00", "enter 0x8, 0x0", false, true},
  {"c8 08 00 01", "enter 0x8, 0x1", false, false},
  {"c9", "leave", false, true},
};

Test(forms, added_forms_decode_print_and_end_blocks) {
  for (size_t i = 0; i < sizeof added / sizeof *added; i++) {
    uint8_t b[16];
    size_t n = run_bytes(added[i].hex, b, sizeof b);
    insn in;
    char err[128], text[128];
    cr_assert_eq(isa_decode(b, n, &in, err, sizeof err), (int)n, "%s: %s", added[i].hex, err);
    isa_print(&in, text, sizeof text);
    cr_expect_str_eq(text, added[i].text, "%s printed '%s'", added[i].hex, text);
    isa_effects e;
    isa_effects_of(&in, &e);
    cr_expect_eq(e.branch, added[i].branch, "%s branch", added[i].text);
    cr_expect_eq(e.searchable, added[i].searchable, "%s searchable", added[i].text);
  }
}

Test(forms, added_forms_text_assembles_to_the_same_bytes) {
  char dir[] = "/tmp/isa-forms-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char asmf[64], binf[64], cmd[256];
  snprintf(asmf, sizeof asmf, "%s/t.asm", dir);
  snprintf(binf, sizeof binf, "%s/t.bin", dir);
  FILE *f = fopen(asmf, "w");
  cr_assert_not_null(f);
  fprintf(f, "bits 16\n");
  uint8_t want[512];
  size_t nwant = 0;
  for (size_t i = 0; i < sizeof added / sizeof *added; i++) {
    fprintf(f, "%s\n", added[i].text);
    nwant += run_bytes(added[i].hex, want + nwant, sizeof want - nwant);
  }
  fclose(f);
  snprintf(cmd, sizeof cmd, "nasm -f bin -o %s %s", binf, asmf);
  cr_assert_eq(system(cmd), 0, "nasm refused %s", asmf);
  uint8_t got[512];
  f = fopen(binf, "rb");
  cr_assert_not_null(f);
  size_t ngot = fread(got, 1, sizeof got, f);
  fclose(f);
  cr_expect_eq(ngot, nwant);
  cr_expect(!memcmp(got, want, nwant), "nasm's bytes differ");
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  (void)!system(cmd);
}

/* The block-ending forms keep the operations the CFG knows: far and
 * indirect jumps are JMP without a relative target (successor unknown),
 * far calls are CALL (a return site follows), retf is RET. */
Test(forms, far_and_indirect_control_flow_use_the_cfg_operations) {
  insn in = one("ea 00 7c 00 00");
  cr_expect(in.op == OP_JMP && in.cc == ISA_FAR && in.o[0].kind == K_FAR);
  in = one("cf");
  cr_expect(in.op == OP_JMP && in.cc == ISA_IRET);
  in = one("9a 34 12 00 f0");
  cr_expect(in.op == OP_CALL && in.cc == ISA_FAR);
  in = one("cb");
  cr_expect(in.op == OP_RET && in.cc == ISA_FAR);
  in = one("ff e3");
  cr_expect(in.op == OP_JMP && in.cc == ISA_NEAR && in.o[0].kind == K_REG);
  isa_effects e;
  isa_effects_of(&in, &e);
  cr_expect(e.reads & LOC_R16(R_BX), "jmp bx reads bx");
  in = one("ff 15");                       /* call word [di] */
  isa_effects_of(&in, &e);
  cr_expect((e.reads & LOC_R16(R_DI)) && (e.reads & LOC_MEM) && (e.writes & LOC_R16(R_SP)));
  in = one("9d");                          /* popf writes every modelled flag */
  isa_effects_of(&in, &e);
  cr_expect_eq(e.writes & LOC_FLAGS, LOC_FLAGS);
  in = one("cf");                          /* iret: ip, cs, flags from the stack */
  isa_effects_of(&in, &e);
  cr_expect((e.writes & LOC_SEG(S_CS)) && (e.writes & LOC_FLAGS) == LOC_FLAGS);
}
