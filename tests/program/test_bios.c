/* Liveness before a BIOS call: the inputs of the service the facts name
 * (program/bios.h), everything when AH is not known or the service is not
 * in the table. */
#include <criterion/criterion.h>
#include "program/bios.h"
#include "program_text.h"

/* Live registers on entry to the int on source line 6 of
 *   start: mov cx, 5
 *          mov ah, <ah>       (or `mov ah, dl`: AH not known)
 *          mov al, 'A'
 *          int <vector>
 *          jmp $
 * (cx is never read after the int: only the service could read it). */
static locset live_at_int(const char *ah, const char *vector) {
  char src[512], err[256];
  snprintf(src, sizeof src,
           "bits 16\norg 0x7c00\nstart: mov cx, 5\n  mov ah, %s\n  mov al, 'A'\n  int %s\n  jmp $\n",
           ah, vector);
  program p;
  cr_assert(read_text(src, &p, err, sizeof err), "%s", err);
  cfg g;
  cfg_build(&p, &g);
  liveness lv;
  liveness_compute(&p, &g, &lv);
  int i = item_on_line(&p, 6);
  cr_assert_geq(i, 0);
  locset live = lv.live_in[i] & LOC_ALLREGS;
  liveness_free(&lv);
  cfg_free(&g);
  program_free(&p);
  return live;
}

static void expect_regs(locset got, locset want, const char *what) {
  char g[256], w[256];
  isa_loc_print(got, g, sizeof g);
  isa_loc_print(want, w, sizeof w);
  cr_expect_eq(got, want, "%s: got '%s', want '%s'", what, g, w);
}

Test(bios, teletype_reads_al_bx_and_ah) {
  expect_regs(live_at_int("0x0e", "0x10"),
              LOC_R16(R_AX) | LOC_R16(R_BX) | LOC_R16(R_SP), "int 10h ah=0eh");
}

Test(bios, read_key_reads_ah_alone) {
  expect_regs(live_at_int("0x00", "0x16"), LOC_HI(R_AX) | LOC_R16(R_SP), "int 16h ah=00h");
}

Test(bios, unknown_ah_or_service_reads_everything) {
  locset all = LOC_ALLREGS;
  expect_regs(live_at_int("dl", "0x10"), all, "ah not known");
  expect_regs(live_at_int("0x4f", "0x10"), all, "a service not in the table");
  expect_regs(live_at_int("0x0e", "0x21"), all, "a vector not in the table");
}

Test(bios, table_answers_only_int_with_known_ah) {
  insn in;
  uint8_t code[2] = {0xcd, 0x13};
  cr_assert_eq(isa_decode(code, 2, &in, NULL, 0), 2);
  prog_facts f = {0};
  locset r;
  cr_expect(!bios_reads(&in, &f, &r), "AH not known");
  f.known = LOC_HI(R_AX);
  f.r[R_AX] = 0x0201;
  cr_assert(bios_reads(&in, &f, &r));
  cr_expect(r & LOC_LO(R_AX) && r & LOC_R16(R_CX) && r & LOC_R16(R_DX) && r & LOC_R16(R_BX) &&
            r & LOC_SEG(S_ES) && r & LOC_MEM, "int 13h ah=02h: al cx dx es:bx and memory");
  cr_expect(!(r & LOC_R16(R_SI)) && !(r & LOC_R16(R_DI)) && !(r & LOC_R16(R_BP)));
}
