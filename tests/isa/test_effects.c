/* Read/write/undefined sets, which come from running the semantic
 * description with a location-collecting instantiation. */
#include <criterion/criterion.h>
#include "isa/isa.h"
#include "isa/isa_sem.h"
#include "run.h"
#include "sample.h"

#define STATUS (LOC_CF | LOC_PF | LOC_AF | LOC_ZF | LOC_SF | LOC_OF)

static isa_effects effects(const char *hex) {
  insn in[2];
  cr_assert_eq(run_decode(hex, in, 2), 1);
  isa_effects e;
  isa_effects_of(&in[0], &e);
  return e;
}

static void expect(const char *hex, locset reads, locset writes, locset undef) {
  isa_effects e = effects(hex);
  char got[200], want[200];
  isa_loc_print(e.reads, got, sizeof got);
  isa_loc_print(reads, want, sizeof want);
  cr_expect_eq(e.reads, reads, "%s reads [%s], expected [%s]", hex, got, want);
  isa_loc_print(e.writes, got, sizeof got);
  isa_loc_print(writes, want, sizeof want);
  cr_expect_eq(e.writes, writes, "%s writes [%s], expected [%s]", hex, got, want);
  cr_expect_eq(e.undef, undef, "%s undef", hex);
}

Test(effects, registers_flags_and_memory) {
  expect("00 d8", LOC_LO(R_AX) | LOC_LO(R_BX), LOC_LO(R_AX) | STATUS, 0);   /* add al, bl */
  expect("89 d8", LOC_R16(R_BX), LOC_R16(R_AX), 0);                          /* mov ax, bx */
  expect("88 fc", LOC_HI(R_BX), LOC_HI(R_AX), 0);                            /* mov ah, bh */
  expect("40", LOC_R16(R_AX), LOC_R16(R_AX) | (STATUS & ~LOC_CF), 0);        /* inc ax */
  expect("20 d8", LOC_LO(R_AX) | LOC_LO(R_BX), LOC_LO(R_AX) | STATUS, LOC_AF);   /* and al, bl */
  expect("14 01", LOC_LO(R_AX) | LOC_CF, LOC_LO(R_AX) | STATUS, 0);         /* adc al, 1 */
  expect("8b 00", LOC_R16(R_BX) | LOC_R16(R_SI) | LOC_SEG(S_DS) | LOC_MEM, LOC_R16(R_AX), 0);
  expect("89 46 02", LOC_R16(R_AX) | LOC_R16(R_BP) | LOC_SEG(S_SS), LOC_MEM, 0);
  expect("50", LOC_R16(R_AX) | LOC_R16(R_SP) | LOC_SEG(S_SS), LOC_R16(R_SP) | LOC_MEM, 0);
  expect("1f", LOC_R16(R_SP) | LOC_SEG(S_SS) | LOC_MEM, LOC_R16(R_SP) | LOC_SEG(S_DS), 0);
  expect("f6 e3", LOC_LO(R_AX) | LOC_LO(R_BX), LOC_R16(R_AX) | STATUS,
         LOC_SF | LOC_ZF | LOC_AF | LOC_PF);                                /* mul bl */
  expect("c1 e0 03", LOC_R16(R_AX), LOC_R16(R_AX) | STATUS, LOC_AF | LOC_OF);   /* shl ax, 3 */
  /* by cl the count may be 0, leaving the flags as they were: they are read */
  expect("d3 e0", LOC_R16(R_AX) | LOC_LO(R_CX) | STATUS, LOC_R16(R_AX) | STATUS,
         LOC_CF | LOC_AF | LOC_OF);
  expect("0f 94 c0", LOC_ZF, LOC_LO(R_AX), 0);                               /* sete al */
  expect("fc", 0, LOC_DF, 0);                                                /* cld */
}

Test(effects, branches_and_searchability) {
  /* a conditional branch may close a window: evaluated, "taken" is LOC_BR */
  isa_effects e = effects("74 00");                  /* jz */
  cr_expect(e.branch && e.searchable);
  cr_expect_eq(e.reads, LOC_ZF);
  cr_expect_eq(e.writes, LOC_BR);
  cr_expect_eq(e.must_writes, LOC_BR);
  e = effects("e2 fe");                              /* loop */
  cr_expect(e.branch && (e.reads & LOC_R16(R_CX)) && (e.writes & LOC_R16(R_CX)));
  cr_expect_eq(e.writes, LOC_R16(R_CX) | LOC_BR);
  e = effects("e3 fe");                              /* jcxz: reads cx, writes nothing else */
  cr_expect(e.branch && e.searchable && e.reads == LOC_R16(R_CX) && e.writes == LOC_BR);
  e = effects("eb fe");                              /* jmp short: not evaluated */
  cr_expect(e.branch && !e.searchable);
  /* (a jmp to a label closes a window: its operand has the label's slot) */
  e = effects("ff e3");                              /* jmp bx: where it goes, LOC_IP */
  cr_expect(e.branch && e.searchable);
  cr_expect_eq(e.reads, LOC_R16(R_BX));
  cr_expect_eq(e.writes, LOC_BR | LOC_IP);
  e = effects("ff 15");                              /* call word [di]: pushes */
  cr_expect(e.branch && e.searchable);
  cr_expect_eq(e.writes, LOC_R16(R_SP) | LOC_MEM | LOC_BR | LOC_IP);
  e = effects("c2 02 00");                           /* ret 2 */
  cr_expect(e.branch && e.searchable && (e.reads & LOC_MEM));
  cr_expect_eq(e.writes, LOC_R16(R_SP) | LOC_BR | LOC_IP);
  e = effects("cb");                                 /* retf: not evaluated */
  cr_expect(e.branch && !e.searchable);
  e = effects("cd 10");
  cr_expect(e.branch && e.reads == LOC_ALL);
  e = effects("01 d8");
  cr_expect(!e.branch && e.searchable);
  e = effects("f3 a4");                              /* rep movsb */
  cr_expect(!e.searchable && !e.branch && (e.reads & LOC_R16(R_CX)));
  e = effects("0f a3 07");                           /* bt [bx], ax: bit string */
  cr_expect(!e.searchable);
  e = effects("0f ba 27 03");                        /* bt word [bx], 3 */
  cr_expect(e.searchable);
}

Test(effects, locset_names_round_trip) {
  static const char *const names[] = {"ax", "al", "ah", "eax", "ds", "cf", "mem", "di", "df"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    locset s;
    char buf[64];
    cr_assert(isa_loc_parse(names[i], &s), "%s", names[i]);
    isa_loc_print(s, buf, sizeof buf);
    cr_expect_str_eq(buf, names[i]);
  }
  locset s;
  cr_expect(!isa_loc_parse("xyz", &s));
}

/* The evaluator saves the state only for instructions that can fault; its
 * table of such operations must agree with the description. */
Test(effects, fault_table_covers_every_faulting_form) {
  sample_rng r = {99};
  static insn buf[200];
  for (int op = 0; op < OP_COUNT; op++) {
    int n = sample_op((isa_op)op, &r, buf, 200);
    for (int i = 0; i < n; i++) {
      bool mem = false;
      for (int k = 0; k < 3; k++) mem |= buf[i].o[k].kind == K_MEM;
      if (mem || buf[i].prefix) continue;
      char t[128];
      isa_print(&buf[i], t, sizeof t);
      cr_expect(!isa_sem_may_fault(&buf[i]) || isa_op_may_fault[op], "%s may fault", t);
    }
  }
}

/* Must-writes: what an instruction overwrites whenever it completes, told
 * from what it may write (a conditional flag update, a rep count of 0, an
 * undefined destination that may keep its value). */
Test(effects, must_writes_are_the_unconditional_writes) {
  isa_effects e = effects("89 d8");                  /* mov ax, bx */
  cr_expect_eq(e.must_writes, LOC_R16(R_AX));
  e = effects("c1 e0 03");                           /* shl ax, 3 */
  cr_expect_eq(e.must_writes, LOC_R16(R_AX) | STATUS);
  e = effects("d3 e0");                              /* shl ax, cl: the count may be 0 */
  cr_expect_eq(e.must_writes, LOC_R16(R_AX));
  cr_expect_eq(e.writes & STATUS, STATUS);
  e = effects("f3 a4");                              /* rep movsb: cx may be 0 */
  cr_expect_eq(e.must_writes, 0);
  cr_expect(e.writes & LOC_R16(R_CX));
  e = effects("0f bc c3");                           /* bsf ax, bx: 0 leaves ax undefined */
  cr_expect_eq(e.must_writes & LOC_ALLREGS, 0);
  cr_expect(e.must_writes & LOC_ZF);
  e = effects("89 07");                              /* mov [bx], ax: memory is never a must */
  cr_expect_eq(e.must_writes, 0);
  cr_expect_eq(e.writes, LOC_MEM);
  e = effects("c9");                                 /* leave */
  cr_expect_eq(e.must_writes, LOC_R16(R_SP) | LOC_R16(R_BP));
}
