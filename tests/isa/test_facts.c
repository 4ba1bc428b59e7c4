/* Evaluator facts taken from the Intel SDM (vol. 2 instruction pages and
 * vol. 1 ch. 3 on real-mode addressing), one behaviour per test.  The
 * expected values are worked out by hand from the manual's pseudocode. */
#include <criterion/criterion.h>
#include <string.h>
#include "isa/isa.h"
#include "run.h"

static isa_state st;
static void fresh(void) { memset(&st, 0, sizeof st); }

Test(facts, add_al_1_at_ff_carries_into_every_flag) {
  fresh();
  st.r[R_AX] = 0xff;
  run_hex(&st, "04 01");                       /* add al, 1 */
  cr_expect_eq(AL(&st), 0);
  cr_expect(FL(&st, F_CF) && FL(&st, F_ZF) && FL(&st, F_AF) && FL(&st, F_PF));
  cr_expect(!FL(&st, F_OF) && !FL(&st, F_SF));
  cr_expect_eq(st.undef, 0);
}

Test(facts, add_signed_overflow_and_sub_borrow) {
  fresh();
  st.r[R_AX] = 0x7fff;
  run_hex(&st, "83 c0 01");                    /* add ax, 1 */
  cr_expect_eq(AX(&st), 0x8000);
  cr_expect(FL(&st, F_OF) && FL(&st, F_SF) && !FL(&st, F_CF));
  run_hex(&st, "2d 01 80");                    /* sub ax, 0x8001 */
  cr_expect_eq(AX(&st), 0xffff);
  cr_expect(FL(&st, F_CF), "0x8000 - 0x8001 borrows");
  cr_expect(!FL(&st, F_OF));
  cr_expect(FL(&st, F_AF), "borrow out of bit 3");
}

Test(facts, af_is_the_carry_out_of_bit_3) {
  fresh();
  st.r[R_AX] = 0x08;
  run_hex(&st, "04 08");                       /* add al, 8: 0x08 + 0x08 = 0x10 */
  cr_expect(FL(&st, F_AF));
  run_hex(&st, "04 10");                       /* 0x10 + 0x10: carry out of bit 4 only */
  cr_expect(!FL(&st, F_AF));
}

Test(facts, inc_and_dec_keep_cf) {
  fresh();
  st.r[R_AX] = 0xffff;
  run_hex(&st, "f9 40");                       /* stc; inc ax */
  cr_expect_eq(AX(&st), 0);
  cr_expect(FL(&st, F_CF) && FL(&st, F_ZF) && FL(&st, F_AF));
  run_hex(&st, "f8 48");                       /* clc; dec ax */
  cr_expect_eq(AX(&st), 0xffff);
  cr_expect(!FL(&st, F_CF), "dec does not borrow into CF");
  run_hex(&st, "f8 40");                       /* clc; inc ax: wraps to 0 */
  cr_expect(!FL(&st, F_CF), "inc does not carry into CF");
}

Test(facts, shl_by_1_of_is_msb_xor_cf_multi_bit_of_undefined) {
  fresh();
  st.r[R_AX] = 0x4000;
  run_hex(&st, "d1 e0");                       /* shl ax, 1 */
  cr_expect_eq(AX(&st), 0x8000);
  cr_expect(!FL(&st, F_CF) && FL(&st, F_OF) && !UNDEF(&st, F_OF));
  cr_expect(UNDEF(&st, F_AF));
  st.r[R_AX] = 0xc000;
  run_hex(&st, "d1 e0");
  cr_expect(FL(&st, F_CF) && !FL(&st, F_OF));
  run_hex(&st, "c1 e0 02");                    /* shl ax, 2 */
  cr_expect(UNDEF(&st, F_OF));
}

Test(facts, shift_by_masked_zero_changes_no_flag_nor_definedness) {
  fresh();
  st.r[R_AX] = 0x1234;
  st.r[R_CX] = 0x20;                           /* masks to 0 */
  run_hex(&st, "25 ff 00 f9 d3 e0");           /* and ax, 0xff; stc; shl ax, cl */
  cr_expect_eq(AX(&st), 0x34);
  cr_expect(FL(&st, F_CF));
  cr_expect(UNDEF(&st, F_AF), "AF stays undefined from the and");
  cr_expect(!UNDEF(&st, F_OF) && !FL(&st, F_OF));
}

Test(facts, shl_count_at_least_width_leaves_cf_undefined) {
  fresh();
  st.r[R_AX] = 0xff;
  st.r[R_CX] = 8;
  run_hex(&st, "d2 e0");                       /* shl al, cl */
  cr_expect_eq(AL(&st), 0);
  cr_expect(UNDEF(&st, F_CF));
  cr_expect(FL(&st, F_ZF) && !UNDEF(&st, F_ZF));
}

Test(facts, sar_fills_with_the_sign) {
  fresh();
  st.r[R_AX] = 0x80;
  run_hex(&st, "c0 f8 07");                    /* sar al, 7 */
  cr_expect_eq(AL(&st), 0xff);
  cr_expect(!FL(&st, F_CF));
  cr_expect(FL(&st, F_SF));
}

/* SDM SAL/SAR/SHL/SHR, Flags Affected: CF is undefined at counts >= the
 * width for SHL and SHR only; for SAR it is the last bit shifted out, which
 * from then on is the sign. */
Test(facts, sar_count_at_least_width_keeps_cf_the_sign) {
  fresh();
  st.r[R_AX] = 0x02;
  run_hex(&st, "f9 c0 f8 08");                 /* stc; sar al, 8 */
  cr_expect_eq(AL(&st), 0x00);
  cr_expect(!UNDEF(&st, F_CF) && !FL(&st, F_CF), "CF = sign of 0x02 = 0");
  st.r[R_AX] = 0x8000;
  st.r[R_CX] = 0x1f;
  run_hex(&st, "f8 d3 f8");                    /* clc; sar ax, cl (31) */
  cr_expect_eq(AX(&st), 0xffff);
  cr_expect(!UNDEF(&st, F_CF) && FL(&st, F_CF), "CF = sign of 0x8000 = 1");
  cr_expect(UNDEF(&st, F_OF) && UNDEF(&st, F_AF));
}

Test(facts, rcl_count_is_masked_then_taken_mod_9) {
  fresh();
  st.r[R_AX] = 0x81;
  st.r[R_CX] = 9;                              /* mod 9: rotate by nothing */
  run_hex(&st, "f8 d2 d0");                    /* clc; rcl al, cl */
  cr_expect_eq(AL(&st), 0x81);
  cr_expect(!FL(&st, F_CF));
  cr_expect(UNDEF(&st, F_OF), "count 9 is not 1");
  st.r[R_CX] = 0x21;                           /* masks to 1 */
  run_hex(&st, "f9 d2 d0");                    /* stc; rcl al, cl */
  cr_expect_eq(AL(&st), 0x03, "old CF enters bit 0");
  cr_expect(FL(&st, F_CF), "bit 7 leaves into CF");
  cr_expect(FL(&st, F_OF) == 1, "OF = MSB(result) xor CF = 0 xor 1");
}

Test(facts, rcr_by_1_of_uses_old_msb_and_cf) {
  fresh();
  st.r[R_AX] = 0x01;
  run_hex(&st, "f9 d0 d8");                    /* stc; rcr al, 1 */
  cr_expect_eq(AL(&st), 0x80);
  cr_expect(FL(&st, F_CF));
  cr_expect(FL(&st, F_OF), "OF = MSB(dest) xor CF before = 0 xor 1");
}

Test(facts, rol_32_count_masked_to_5_bits) {
  fresh();
  st.r[R_AX] = 0x80000001u;
  run_hex(&st, "66 c1 c0 21");                 /* rol eax, 0x21: by 1 */
  cr_expect_eq(st.r[R_AX], 0x00000003u);
  cr_expect(FL(&st, F_CF));
  st.r[R_AX] = 1;
  run_hex(&st, "66 c1 c0 11");                 /* rol eax, 17 */
  cr_expect_eq(st.r[R_AX], 0x00020000u);
  fresh();
  st.r[R_AX] = 0x1234;
  run_hex(&st, "c1 c0 10");                    /* rol ax, 16: ax unchanged, CF = bit 0 */
  cr_expect_eq(AX(&st), 0x1234);
  cr_expect(!FL(&st, F_CF) && !UNDEF(&st, F_CF));
}

Test(facts, divide_by_zero_and_overflow_fault_without_changing_state) {
  fresh();
  st.r[R_AX] = 0x1234;
  run_hex(&st, "f6 f3");                       /* div bl, bl = 0 */
  cr_expect_eq(st.fault, ISA_FAULT_DE);
  cr_expect_eq(AX(&st), 0x1234);
  fresh();
  st.r[R_AX] = 0x1000;
  st.r[R_BX] = 0x10;
  run_hex(&st, "f6 f3");                       /* 0x1000 / 0x10 = 0x100 does not fit al */
  cr_expect_eq(st.fault, ISA_FAULT_DE);
  fresh();
  st.r[R_AX] = 0x0ff0;
  st.r[R_BX] = 0x10;
  run_hex(&st, "f6 f3");
  cr_expect_eq(st.fault, ISA_FAULT_NONE);
  cr_expect_eq(AX(&st), 0x00ff);
  cr_expect(UNDEF(&st, F_CF) && UNDEF(&st, F_ZF));
  fresh();
  st.r[R_DX] = 1;                              /* dx:ax = 0x10000 */
  st.r[R_BX] = 3;
  run_hex(&st, "f7 f3");                       /* div bx */
  cr_expect_eq(AX(&st), 0x5555);
  cr_expect_eq(st.r[R_DX], 1, "remainder of the whole dx:ax");
}

Test(facts, idiv_remainder_has_the_dividends_sign) {
  fresh();
  st.r[R_AX] = 0xfff9;                         /* -7 */
  st.r[R_BX] = 2;
  run_hex(&st, "f6 fb");                       /* idiv bl */
  cr_expect_eq(AL(&st), 0xfd, "quotient -3 (truncated)");
  cr_expect_eq((AX(&st) >> 8), 0xff, "remainder -1");
  fresh();
  st.r[R_AX] = 0xff80;                         /* -128 / 1 fits */
  st.r[R_BX] = 1;
  run_hex(&st, "f6 fb");
  cr_expect_eq(st.fault, 0);
  fresh();
  st.r[R_AX] = 0x0080;                         /* 128 / 1 does not */
  st.r[R_BX] = 1;
  run_hex(&st, "f6 fb");
  cr_expect_eq(st.fault, ISA_FAULT_DE);
}

Test(facts, mul_and_imul_set_cf_of_from_the_high_half) {
  fresh();
  st.r[R_AX] = 0x10;
  st.r[R_BX] = 0x10;
  run_hex(&st, "f6 e3");                       /* mul bl */
  cr_expect_eq(AX(&st), 0x100);
  cr_expect(FL(&st, F_CF) && FL(&st, F_OF));
  cr_expect(UNDEF(&st, F_SF) && UNDEF(&st, F_ZF) && UNDEF(&st, F_AF) && UNDEF(&st, F_PF));
  fresh();
  st.r[R_AX] = 0xff;                           /* -1 * -1 = 1: fits */
  st.r[R_BX] = 0xff;
  run_hex(&st, "f6 eb");                       /* imul bl */
  cr_expect_eq(AX(&st), 1);
  cr_expect(!FL(&st, F_CF) && !FL(&st, F_OF));
  fresh();
  st.r[R_BX] = 0x100;
  run_hex(&st, "69 c3 00 01");                 /* imul ax, bx, 0x100 */
  cr_expect_eq(AX(&st), 0, "0x10000 truncated to 16 bits");
  cr_expect(FL(&st, F_CF) && FL(&st, F_OF));
}

Test(facts, aam_and_aad_use_their_base) {
  fresh();
  st.r[R_AX] = 0x35;
  run_hex(&st, "d4 10");                       /* aam 0x10 */
  cr_expect_eq(AX(&st), 0x0305);
  cr_expect(UNDEF(&st, F_CF) && UNDEF(&st, F_OF) && UNDEF(&st, F_AF));
  run_hex(&st, "d5 10");                       /* aad 0x10 */
  cr_expect_eq(AX(&st), 0x0035);
  run_hex(&st, "d4 00");                       /* aam 0 */
  cr_expect_eq(st.fault, ISA_FAULT_DE);
}

Test(facts, sign_extensions) {
  fresh();
  st.r[R_AX] = 0x80;
  run_hex(&st, "98");                          /* cbw */
  cr_expect_eq(AX(&st), 0xff80);
  run_hex(&st, "99");                          /* cwd */
  cr_expect_eq(st.r[R_DX] & 0xffff, 0xffff);
  run_hex(&st, "66 98");                       /* cwde */
  cr_expect_eq(st.r[R_AX], 0xffffff80u);
  fresh();
  st.r[R_BX] = 0x80;
  run_hex(&st, "0f be c3 0f b6 cb");           /* movsx ax, bl; movzx cx, bl */
  cr_expect_eq(AX(&st), 0xff80);
  cr_expect_eq(st.r[R_CX] & 0xffff, 0x0080);
}

Test(facts, neg_sets_cf_unless_zero_and_sbb_borrows) {
  fresh();
  run_hex(&st, "f7 d8");                       /* neg ax, ax = 0 */
  cr_expect(!FL(&st, F_CF));
  st.r[R_AX] = 5;
  run_hex(&st, "f7 d8");
  cr_expect_eq(AX(&st), 0xfffb);
  cr_expect(FL(&st, F_CF));
  fresh();
  run_hex(&st, "f9 1c 00");                    /* stc; sbb al, 0 */
  cr_expect_eq(AL(&st), 0xff);
  cr_expect(FL(&st, F_CF));
  fresh();
  st.r[R_AX] = 0xff;
  run_hex(&st, "f9 14 00");                    /* stc; adc al, 0 */
  cr_expect_eq(AL(&st), 0);
  cr_expect(FL(&st, F_CF) && FL(&st, F_ZF));
}

Test(facts, parity_looks_at_the_low_byte_only) {
  fresh();
  st.r[R_AX] = 0x0100;
  run_hex(&st, "05 00 01");                    /* add ax, 0x100 -> 0x0200 */
  cr_expect_eq(AX(&st), 0x0200);
  cr_expect(FL(&st, F_PF), "low byte 0x00 has even parity");
  st.r[R_AX] = 0x0001;
  run_hex(&st, "05 00 01");                    /* 0x0101: low byte odd */
  cr_expect(!FL(&st, F_PF));
}

Test(facts, segments_bp_defaults_to_ss_override_wins) {
  fresh();
  st.s[S_SS] = 0x1000;
  st.s[S_DS] = 0x2000;
  st.s[S_ES] = 0x3000;
  st.r[R_BP] = 0x10;
  st.r[R_BX] = 0x10;
  cr_assert(isa_mem_set_initial(&st, 0x10010, 0x11));
  cr_assert(isa_mem_set_initial(&st, 0x20010, 0x22));
  cr_assert(isa_mem_set_initial(&st, 0x30010, 0x33));
  run_hex(&st, "8a 46 00");                    /* mov al, [bp] */
  cr_expect_eq(AL(&st), 0x11);
  run_hex(&st, "8a 07");                       /* mov al, [bx] */
  cr_expect_eq(AL(&st), 0x22);
  run_hex(&st, "26 8a 07");                    /* mov al, [es:bx] */
  cr_expect_eq(AL(&st), 0x33);
  run_hex(&st, "3e 8a 46 00");                 /* mov al, [ds:bp] */
  cr_expect_eq(AL(&st), 0x22);
}

Test(facts, effective_address_wraps_at_64k_and_linear_does_not_wrap_at_1m) {
  fresh();
  st.s[S_DS] = 0xffff;
  st.r[R_BX] = 0xffff;
  st.r[R_SI] = 0x0003;
  cr_assert(isa_mem_set_initial(&st, 0xffff0 + 2, 0x5a));
  run_hex(&st, "8a 00");                       /* mov al, [bx+si]: offset 2 */
  cr_expect_eq(AL(&st), 0x5a);
  st.r[R_BX] = 0x0010;                         /* ffff:0010 is linear 0x100000 */
  cr_assert(isa_mem_set_initial(&st, 0x100000, 0x6b));
  cr_assert(isa_mem_set_initial(&st, 0x000000, 0x7c));
  run_hex(&st, "8a 07");                       /* mov al, [bx] */
  cr_expect_eq(AL(&st), 0x6b, "A20 on: no wrap to 0");
}

Test(facts, word_access_at_offset_ffff_faults_byte_does_not) {
  fresh();
  st.r[R_BX] = 0xffff;
  run_hex(&st, "8a 07");                       /* mov al, [bx] */
  cr_expect_eq(st.fault, 0);
  run_hex(&st, "8b 07");                       /* mov ax, [bx] */
  cr_expect_eq(st.fault, ISA_FAULT_GP);
  fresh();
  st.r[R_BX] = 0xfffe;
  run_hex(&st, "89 07");                       /* mov [bx], ax: last word fits */
  cr_expect_eq(st.fault, 0);
  cr_expect_eq(st.nwrites, 2);
}

Test(facts, push_pop_wrap_sp_in_16_bits) {
  fresh();
  st.s[S_SS] = 0x100;
  st.r[R_AX] = 0xbeef;
  st.r[R_SP] = 0;
  run_hex(&st, "50");                          /* push ax */
  cr_expect_eq(st.r[R_SP], 0xfffe);
  cr_expect_eq(isa_mem_read(&st, 0x1000 + 0xfffe), 0xef);
  cr_expect_eq(isa_mem_read(&st, 0x1000 + 0xffff), 0xbe);
  run_hex(&st, "5b");                          /* pop bx */
  cr_expect_eq(st.r[R_SP], 0);
  cr_expect_eq(st.r[R_BX], 0xbeef);
  st.r[R_SP] = 1;
  run_hex(&st, "50");                          /* would write at 0xffff: crosses */
  cr_expect_eq(st.fault, ISA_FAULT_GP);
  cr_expect_eq(st.r[R_SP], 1);
}

Test(facts, bsf_bsr_and_zero_source_poisons) {
  fresh();
  st.r[R_BX] = 0x0108;
  run_hex(&st, "0f bc c3 0f bd cb");           /* bsf ax, bx; bsr cx, bx */
  cr_expect_eq(AX(&st), 3);
  cr_expect_eq(st.r[R_CX] & 0xffff, 8);
  cr_expect(!FL(&st, F_ZF));
  cr_expect(!st.poisoned);
  st.r[R_BX] = 0;
  run_hex(&st, "0f bc c3");
  cr_expect(FL(&st, F_ZF));
  cr_expect(st.poisoned, "destination undefined");
}

Test(facts, setcc_and_cmovcc_conditions) {
  fresh();
  st.flags = F_SF;
  run_hex(&st, "0f 9c c0 0f 9f c4");           /* setl al; setg ah */
  cr_expect_eq(AX(&st), 0x0001);
  st.flags = F_SF | F_OF;
  run_hex(&st, "0f 9c c0");
  cr_expect_eq(AL(&st), 0);
  st.flags = F_CF;
  st.r[R_BX] = 0x4242;
  run_hex(&st, "0f 47 c3 0f 42 cb");           /* cmova ax, bx; cmovb cx, bx */
  cr_expect_eq(AX(&st), 0x0000);
  cr_expect_eq(st.r[R_CX] & 0xffff, 0x4242);
}

Test(facts, reading_an_undefined_flag_poisons) {
  fresh();
  run_hex(&st, "24 0f");                       /* and al, 0xf: AF undefined */
  cr_expect(!st.poisoned);
  run_hex(&st, "9f");                          /* lahf reads AF */
  cr_expect(st.poisoned);
  fresh();
  run_hex(&st, "f6 e3 14 00");                 /* mul bl; adc al, 0: CF is defined */
  cr_expect(!st.poisoned);
  run_hex(&st, "f6 e3 0f 94 c0");              /* mul bl; sete al: ZF undefined */
  cr_expect(st.poisoned);
}

Test(facts, xchg_swaps_and_string_ops_follow_df) {
  fresh();
  st.r[R_AX] = 1;
  st.r[R_BX] = 2;
  run_hex(&st, "93");                          /* xchg bx, ax */
  cr_expect_eq(st.r[R_AX], 2);
  cr_expect_eq(st.r[R_BX], 1);
  st.r[R_SI] = 0x10;
  run_hex(&st, "fd ac");                       /* std; lodsb */
  cr_expect_eq(st.r[R_SI], 0x0f);
  run_hex(&st, "fc ad");                       /* cld; lodsw */
  cr_expect_eq(st.r[R_SI], 0x11);
  run_hex(&st, "f3 a4");                       /* rep movsb: not modelled */
  cr_expect_eq(st.fault, ISA_FAULT_UD);
  cr_expect_eq(st.r[R_SI], 0x11);
}

Test(facts, execution_stops_at_the_first_fault) {
  fresh();
  run_hex(&st, "f6 f3 40");                    /* div bl (bl = 0); inc ax */
  cr_expect_eq(st.fault, ISA_FAULT_DE);
  cr_expect_eq(AX(&st), 0);
}

Test(facts, state_equal_ignores_flags_undefined_in_want) {
  isa_state a, b;
  memset(&a, 0, sizeof a);
  b = a;
  a.undef = F_AF;
  b.flags = F_AF;
  cr_expect(isa_state_equal(&a, &b, LOC_ALL));
  cr_expect(!isa_state_equal(&b, &a, LOC_ALL), "undefined in got, defined in want");
  b = a;
  b.r[R_AX] = 0x100;
  cr_expect(isa_state_equal(&a, &b, LOC_LO(R_AX)));
  cr_expect(!isa_state_equal(&a, &b, LOC_R16(R_AX)));
  b = a;
  b.poisoned = 1;
  cr_expect(!isa_state_equal(&a, &b, 0));
  cr_expect(isa_mem_set_initial(&b, 5, 9));
  b.poisoned = 0;
  b.waddr[0] = 7;
  b.wval[0] = isa_mem_read(&a, 7);
  b.nwrites = 1;
  cr_expect(isa_state_equal(&a, &b, LOC_MEM), "writing the same value is no change");
  b.wval[0] ^= 1;
  cr_expect(!isa_state_equal(&a, &b, LOC_MEM));
  cr_expect(isa_state_equal(&a, &b, LOC_ALL & ~LOC_MEM));
}

Test(facts, a32_string_ops_use_esi_edi_with_full_offsets) {
  fresh();
  st.r[R_SI] = 0x00100000u;                    /* unreal mode: above 64 KiB */
  st.r[R_DI] = 0x0001fffeu;
  for (int i = 0; i < 4; i++) cr_assert(isa_mem_set_initial(&st, 0x00100000u + (uint32_t)i, (uint8_t)(i + 1)));
  run_hex(&st, "66 67 ad 66 67 ab");           /* a32 lodsd; a32 stosd */
  cr_expect_eq(st.fault, 0);
  cr_expect_eq(st.r[R_AX], 0x04030201u);
  cr_expect_eq(st.r[R_SI], 0x00100004u);
  cr_expect_eq(st.r[R_DI], 0x00020002u, "no 16-bit wrap, no crossing fault");
  cr_expect_eq(isa_mem_read(&st, 0x0001ffffu), 0x02);
}

Test(facts, les_and_lds_load_offset_then_segment) {
  fresh();
  st.s[S_DS] = 0x100;
  st.r[R_BX] = 0x10;
  static const uint8_t ptr[4] = {0x34, 0x12, 0x00, 0xb8};
  for (int i = 0; i < 4; i++) cr_assert(isa_mem_set_initial(&st, 0x1010u + (uint32_t)i, ptr[i]));
  run_hex(&st, "c4 3f");                       /* les di, [bx] */
  cr_expect_eq(st.r[R_DI], 0x1234);
  cr_expect_eq(st.s[S_ES], 0xb800);
  run_hex(&st, "c5 37");                       /* lds si, [bx] */
  cr_expect_eq(st.s[S_DS], 0xb800);
  fresh();
  st.r[R_BX] = 0xfffe;                         /* offset fits, segment word crosses */
  run_hex(&st, "c4 3f");
  cr_expect_eq(st.fault, ISA_FAULT_GP);
}

Test(facts, bcd_adjustments) {
  fresh();
  st.r[R_AX] = 0x79;
  run_hex(&st, "04 35 27");                    /* add al, 0x35; daa: 79 + 35 = 114 */
  cr_expect_eq(AL(&st), 0x14);
  cr_expect(FL(&st, F_CF) && FL(&st, F_AF));
  cr_expect(UNDEF(&st, F_OF));
  fresh();
  st.r[R_AX] = 0x35;
  run_hex(&st, "2c 47 2f");                    /* sub al, 0x47; das: 35 - 47 = -12 -> 88, borrow */
  cr_expect_eq(AL(&st), 0x88);
  cr_expect(FL(&st, F_CF));
  fresh();
  st.r[R_AX] = 0x0008;
  run_hex(&st, "04 05 37");                    /* add al, 5; aaa: 8 + 5 = 13 -> ah 1, al 3 */
  cr_expect_eq(AX(&st), 0x0103);
  cr_expect(FL(&st, F_CF) && FL(&st, F_AF));
}

/* SDM "LEAVE": SP := BP; BP := Pop().  "ENTER n, 0": Push(BP);
 * FrameTemp := SP; BP := FrameTemp; SP := SP - n. */
Test(facts, leave_and_enter_level_0) {
  fresh();
  st.s[S_SS] = 0x100;
  st.r[R_BP] = 0x0200;
  st.r[R_SP] = 0x0150;
  isa_mem_set_initial(&st, 0x1000 + 0x200, 0x34);
  isa_mem_set_initial(&st, 0x1000 + 0x201, 0x12);
  run_hex(&st, "c9");                          /* leave */
  cr_expect_eq(st.r[R_SP], 0x0202);
  cr_expect_eq(st.r[R_BP], 0x1234);
  cr_expect_eq(st.fault, ISA_FAULT_NONE);
  run_hex(&st, "c8 08 00 00");                 /* enter 8, 0 */
  cr_expect_eq(st.r[R_BP], 0x0200);
  cr_expect_eq(st.r[R_SP], 0x01f8);
  cr_expect_eq(isa_mem_read(&st, 0x1000 + 0x200), 0x34, "old bp pushed at ss:0x200");
  cr_expect_eq(isa_mem_read(&st, 0x1000 + 0x201), 0x12);
}

Test(facts, leave_at_offset_ffff_faults_and_enter_with_levels_is_not_evaluated) {
  fresh();
  st.r[R_BP] = 0xffff;
  st.r[R_SP] = 0x1000;
  run_hex(&st, "c9");
  cr_expect_eq(st.fault, ISA_FAULT_GP, "the word at ss:0xffff crosses the offset limit");
  cr_expect_eq(st.r[R_SP], 0x1000, "a faulting instruction changes nothing");
  fresh();
  run_hex(&st, "c8 08 00 02");                 /* enter 8, 2 */
  cr_expect_eq(st.fault, ISA_FAULT_UD);
}

/* SDM vol. 2, Jcc / LOOP/LOOPcc / JCXZ: loop decrements cx without touching
 * the flags and jumps when the new cx is not 0 (loope also needs ZF=1,
 * loopne ZF=0); jcxz jumps when cx is 0 and changes nothing.  The outcome of
 * a closing branch is whether it is taken (isa_state.taken). */
Test(facts, loop_decrements_cx_first_and_keeps_the_flags) {
  fresh();
  st.r[R_CX] = 0x10001;
  st.flags = F_ZF | F_CF;
  run_hex(&st, "e2 fe");                       /* loop $: cx 1 -> 0 */
  cr_expect_eq(st.r[R_CX], 0x10000, "only cx, not ecx");
  cr_expect(!st.taken);
  cr_expect_eq(st.flags, F_ZF | F_CF);
  fresh();
  run_hex(&st, "e2 fe");                       /* cx 0 -> 0xffff: taken */
  cr_expect_eq(st.r[R_CX] & 0xffff, 0xffff);
  cr_expect(st.taken);
}

Test(facts, loope_and_loopne_also_test_zf) {
  fresh();
  st.r[R_CX] = 5;
  run_hex(&st, "e1 fe");                       /* loope, ZF=0 */
  cr_expect(!st.taken);
  cr_expect_eq(st.r[R_CX], 4);
  st.flags = F_ZF;
  run_hex(&st, "e1 fe");
  cr_expect(st.taken);
  run_hex(&st, "e0 fe");                       /* loopne, ZF=1 */
  cr_expect(!st.taken);
  cr_expect_eq(st.r[R_CX], 2);
  st.flags = 0;
  st.r[R_CX] = 1;
  run_hex(&st, "e0 fe");                       /* cx 1 -> 0 */
  cr_expect(!st.taken);
}

Test(facts, jcxz_and_jcc_conditions) {
  fresh();
  st.r[R_CX] = 0x10000;
  run_hex(&st, "e3 fe");                       /* jcxz: cx, not ecx */
  cr_expect(st.taken);
  st.r[R_CX] = 1;
  run_hex(&st, "e3 fe");
  cr_expect(!st.taken);
  cr_expect_eq(st.r[R_CX], 1);
  fresh();
  st.flags = F_CF;
  run_hex(&st, "76 00");                       /* jbe: CF=1 */
  cr_expect(st.taken);
  run_hex(&st, "77 00");                       /* ja */
  cr_expect(!st.taken);
  st.flags = F_SF;
  run_hex(&st, "0f 8c 00 00");                 /* jl near: SF != OF */
  cr_expect(st.taken);
  cr_expect(!st.fault);
  run_hex(&st, "24 0f 75 00");                 /* and al, 0xf; jnz */
  cr_expect(!st.poisoned, "ZF is defined after and");
  run_hex(&st, "f6 e3 74 00");                 /* mul bl; jz: ZF undefined */
  cr_expect(st.poisoned);
}

/* SDM vol. 2, JMP / CALL / RET (near): jmp goes to its target and changes
 * nothing else; call pushes the address of the instruction after it, then
 * goes; ret pops the return address, then (ret n) releases n more bytes.
 * A closing transfer's outcome is where it goes (isa_state.target): a
 * displacement's target is its label (symbolic constant), the return
 * address the window's next_ip. */
static insn decoded(const char *hex) {
  insn in[2];
  cr_assert_eq(run_decode(hex, in, 2), 1, "%s decodes to one instruction", hex);
  return in[0];
}

Test(facts, near_call_pushes_the_address_after_it_and_ret_n_releases_n) {
  fresh();
  st.r[R_SP] = 0x100;
  st.r[R_BX] = 0x4321;
  st.next_ip = 0x7c05;
  run_hex(&st, "ff d3");                       /* call bx */
  cr_expect(!st.fault && st.taken);
  cr_expect_eq(st.target, 0x4321);
  cr_expect_eq(st.r[R_SP], 0xfe);
  cr_expect_eq(isa_mem_read(&st, 0xfe), 0x05, "the return address, low byte");
  cr_expect_eq(isa_mem_read(&st, 0xff), 0x7c);
  fresh();
  st.r[R_SP] = 0xfe;
  isa_mem_set_initial(&st, 0xfe, 0x34);
  isa_mem_set_initial(&st, 0xff, 0x12);
  run_hex(&st, "c2 04 00");                    /* ret 4 */
  cr_expect(!st.fault && st.taken);
  cr_expect_eq(st.target, 0x1234);
  cr_expect_eq(st.r[R_SP], 0x104, "2 for the address, 4 released");
  fresh();
  st.r[R_SP] = 0xfe;
  run_hex(&st, "c3");                          /* ret */
  cr_expect_eq(st.r[R_SP], 0x100);
}

Test(facts, near_jmp_goes_to_its_label_or_the_word_it_reads) {
  fresh();
  insn j = decoded("e9 00 00");                /* jmp near: no label, not evaluated */
  isa_exec(&st, &j);
  cr_expect_eq(st.fault, ISA_FAULT_UD);
  fresh();
  j.o[0].sym = 2;                              /* ... to the label sym1 */
  st.sym[1] = 0x7c40;
  isa_exec(&st, &j);
  cr_expect(!st.fault && st.taken);
  cr_expect_eq(st.target, 0x7c40);
  fresh();
  st.r[R_BX] = 0x200;
  isa_mem_set_initial(&st, 0x202, 0xcd);
  isa_mem_set_initial(&st, 0x203, 0xab);
  run_hex(&st, "ff 67 02");                    /* jmp word [bx+2] */
  cr_expect(!st.fault && st.taken);
  cr_expect_eq(st.target, 0xabcd);
  cr_expect_eq(st.r[R_BX], 0x200);
  cr_expect_eq(st.nwrites, 0u);
  fresh();
  run_hex(&st, "ff 2f");                       /* jmp far [bx]: not evaluated */
  cr_expect_eq(st.fault, ISA_FAULT_UD);
}
