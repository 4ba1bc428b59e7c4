/* Default segments of addresses, from the Intel manual: ss only when the
 * base is bp/ebp/esp; a SIB address without a base uses ds, whatever its
 * index (found by the Unicorn oracle: [ebp*1+disp32] was read through ss). */
#include <criterion/criterion.h>
#include <string.h>
#include "run.h"

Test(segments, sib_without_base_uses_ds_even_with_index_ebp) {
  /* mov ecx, [ebp*1+0x75ae]: SIB base=101 with mod=00, index ebp */
  const uint8_t b[] = {0x66, 0x67, 0x8b, 0x0c, 0x2d, 0xae, 0x75, 0x00, 0x00};
  insn in;
  char err[160];
  cr_assert_eq(isa_decode(b, sizeof b, &in, err, sizeof err), -1,
               "nasm writes this address with ebp as a base: not canonical");
  cr_assert_eq(isa_decode_lenient(b, sizeof b, &in, err, sizeof err), (int)sizeof b, "%s", err);
  cr_assert_eq(in.o[1].kind, K_MEM);
  cr_expect_eq(in.o[1].seg, S_DS);

  isa_state st;
  memset(&st, 0, sizeof st);
  st.s[S_DS] = 0x1000;
  st.s[S_SS] = 0x2000;
  st.r[R_BP] = 0x10;
  uint32_t lin = 0x10000u + 0x10u + 0x75aeu;
  for (int i = 0; i < 4; i++) cr_assert(isa_mem_set_initial(&st, lin + (uint32_t)i, (uint8_t)(0x11 * (i + 1))));
  isa_exec(&st, &in);
  cr_assert_eq(st.fault, 0);
  cr_expect_eq(st.r[R_CX], 0x44332211u, "read through ds:ebp+disp");
}

Test(segments, bp_based_16_bit_addresses_use_ss) {
  insn seq[2];
  run_decode("8b 46 02", seq, 2);      /* mov ax, [bp+2] */
  cr_expect_eq(seq[0].o[1].seg, S_SS);
  run_decode("8b 02", seq, 2);         /* mov ax, [bp+si] */
  cr_expect_eq(seq[0].o[1].seg, S_SS);
  run_decode("8b 00", seq, 2);         /* mov ax, [bx+si] */
  cr_expect_eq(seq[0].o[1].seg, S_DS);
}
