/* The form table: every encoding the model knows, one row each, in ISA_OPS
 * order (the encoder finds an operation's rows by binary search; a test
 * checks the order).  Within an operation, rows of equal length are tried
 * in table order, which is how nasm's choices (83 before 05, 01 before 03)
 * are stated. */
#include <string.h>
#include "isa/isa.h"

#define O1(a) .nopc = 1, .opc = {a}
#define O2(a, b) .nopc = 2, .opc = {a, b}
#define S0 .nops = 0
#define S1(a) .nops = 1, .shape = {a}
#define S2(a, b) .nops = 2, .shape = {a, b}
#define S3(a, b, c) .nops = 3, .shape = {a, b, c}
#define MR .digit = ISA_MODRM_R
#define NM .digit = ISA_NO_MODRM
#define D(n) .digit = (n)
#define C86 .cpu = CPU_8086
#define C186 .cpu = CPU_186
#define C286 .cpu = CPU_286
#define C386 .cpu = CPU_386
#define C486 .cpu = CPU_486
#define C686 .cpu = CPU_686
#define F(x) .flags = (x)

/* a 16-bit row and its 32-bit twin (0x66, a 386 instruction) */
#define V(cpu16, ...) {__VA_ARGS__, .size = 2, .cpu = cpu16}, \
                      {__VA_ARGS__, .size = 4, .cpu = CPU_386}
#define B(...) {__VA_ARGS__, .size = 1}

#define ALU(OP, n, m) \
  B(.op = OP, O1((n) * 8), MR, S2(SH_RM, SH_R), C86, .mnem = m), \
  V(CPU_8086, .op = OP, O1((n) * 8 + 1), MR, S2(SH_RM, SH_R), .mnem = m), \
  B(.op = OP, O1((n) * 8 + 2), MR, S2(SH_R, SH_RM), C86, .mnem = m), \
  V(CPU_8086, .op = OP, O1((n) * 8 + 3), MR, S2(SH_R, SH_RM), .mnem = m), \
  V(CPU_8086, .op = OP, O1(0x83), D(n), S2(SH_RM, SH_IMM8S), .mnem = m), \
  B(.op = OP, O1((n) * 8 + 4), NM, S2(SH_ACC, SH_IMM), C86, .mnem = m), \
  V(CPU_8086, .op = OP, O1((n) * 8 + 5), NM, S2(SH_ACC, SH_IMM), .mnem = m), \
  B(.op = OP, O1(0x80), D(n), S2(SH_RM, SH_IMM), C86, .mnem = m), \
  V(CPU_8086, .op = OP, O1(0x81), D(n), S2(SH_RM, SH_IMM), .mnem = m)

#define SHIFT(OP, n, m, fl) \
  B(.op = OP, O1(0xD0), D(n), S2(SH_RM, SH_ONE), C86, F(fl), .mnem = m), \
  V(CPU_8086, .op = OP, O1(0xD1), D(n), S2(SH_RM, SH_ONE), F(fl), .mnem = m), \
  B(.op = OP, O1(0xD2), D(n), S2(SH_RM, SH_CL), C86, F(fl), .mnem = m), \
  V(CPU_8086, .op = OP, O1(0xD3), D(n), S2(SH_RM, SH_CL), F(fl), .mnem = m), \
  B(.op = OP, O1(0xC0), D(n), S2(SH_RM, SH_IMM8), C186, F(fl), .mnem = m), \
  V(CPU_186, .op = OP, O1(0xC1), D(n), S2(SH_RM, SH_IMM8), F(fl), .mnem = m)

#define UNARY(OP, n, m) \
  B(.op = OP, O1(0xF6), D(n), S1(SH_RM), C86, .mnem = m), \
  V(CPU_8086, .op = OP, O1(0xF7), D(n), S1(SH_RM), .mnem = m)

#define ONE(OP, b, m, cpu, fl) {.op = OP, O1(b), NM, S0, cpu, F(ISA_F_ANYSIZE | (fl)), .mnem = m}

#define CC16(X) X(0, "o") X(1, "no") X(2, "b") X(3, "ae") X(4, "e") X(5, "ne") \
  X(6, "be") X(7, "a") X(8, "s") X(9, "ns") X(10, "p") X(11, "np") X(12, "l") \
  X(13, "ge") X(14, "le") X(15, "g")
#define SETCC_ROW(c, n) B(.op = OP_SETCC, .cc = c, O2(0x0F, 0x90 + (c)), D(0), S1(SH_RM), C386, \
                          F(ISA_F_CC | ISA_F_LOOSE), .mnem = "set" n),
#define CMOV_ROW(c, n) V(CPU_686, .op = OP_CMOVCC, .cc = c, O2(0x0F, 0x40 + (c)), MR, \
                         S2(SH_R, SH_RM), F(ISA_F_CC), .mnem = "cmov" n),
#define JCC_ROW(c, n) \
  {.op = OP_JCC, .cc = c, O1(0x70 + (c)), NM, S1(SH_REL8), C86, \
   F(ISA_F_CC | ISA_F_ANYSIZE | ISA_F_BRANCH | ISA_F_DISTKW), .mnem = "j" n}, \
  {.op = OP_JCC, .cc = c, O2(0x0F, 0x80 + (c)), NM, S1(SH_REL16), C386, \
   F(ISA_F_CC | ISA_F_ANYSIZE | ISA_F_BRANCH | ISA_F_DISTKW | ISA_F_NO66), .mnem = "j" n},

#define STRING(OP, b, m, sh) \
  B(.op = OP, O1(b), NM, S1(sh), C86, F(ISA_F_REP), .mnem = m "b"), \
  {.op = OP, O1((b) + 1), NM, S1(sh), C86, F(ISA_F_REP), .size = 2, .mnem = m "w"}, \
  {.op = OP, O1((b) + 1), NM, S1(sh), C386, F(ISA_F_REP), .size = 4, .mnem = m "d"}

#define BRANCH_ROW(OP, b, sh, m, cpu, fl) \
  {.op = OP, O1(b), NM, S1(sh), cpu, F(ISA_F_ANYSIZE | ISA_F_BRANCH | (fl)), .mnem = m}

const isa_form isa_forms[] = {
  /* mov */
  B(.op = OP_MOV, O1(0x88), MR, S2(SH_RM, SH_R), C86, .mnem = "mov"),
  V(CPU_8086, .op = OP_MOV, O1(0x89), MR, S2(SH_RM, SH_R), .mnem = "mov"),
  B(.op = OP_MOV, O1(0x8A), MR, S2(SH_R, SH_RM), C86, .mnem = "mov"),
  V(CPU_8086, .op = OP_MOV, O1(0x8B), MR, S2(SH_R, SH_RM), .mnem = "mov"),
  {.op = OP_MOV, O1(0x8C), MR, S2(SH_RM, SH_SR), C86, .size = 2, F(ISA_F_NO64), .mnem = "mov"},
  {.op = OP_MOV, O1(0x8E), MR, S2(SH_SRW, SH_RM), C86, .size = 2, F(ISA_F_NO64), .mnem = "mov"},
  B(.op = OP_MOV, O1(0xB0), NM, S2(SH_OR, SH_IMM), C86, .mnem = "mov"),
  V(CPU_8086, .op = OP_MOV, O1(0xB8), NM, S2(SH_OR, SH_IMM), .mnem = "mov"),
  B(.op = OP_MOV, O1(0xC6), D(0), S2(SH_RM, SH_IMM), C86, .mnem = "mov"),
  V(CPU_8086, .op = OP_MOV, O1(0xC7), D(0), S2(SH_RM, SH_IMM), .mnem = "mov"),
  B(.op = OP_MOV, O1(0xA0), NM, S2(SH_ACC, SH_MOFFS), C86, F(ISA_F_NO64), .mnem = "mov"),
  V(CPU_8086, .op = OP_MOV, O1(0xA1), NM, S2(SH_ACC, SH_MOFFS), F(ISA_F_NO64), .mnem = "mov"),
  B(.op = OP_MOV, O1(0xA2), NM, S2(SH_MOFFS, SH_ACC), C86, F(ISA_F_NO64), .mnem = "mov"),
  V(CPU_8086, .op = OP_MOV, O1(0xA3), NM, S2(SH_MOFFS, SH_ACC), F(ISA_F_NO64), .mnem = "mov"),
  /* xchg: nasm puts a register first operand in the reg field */
  {.op = OP_XCHG, O1(0x90), NM, S2(SH_OR, SH_ACC), C86, .size = 2, F(ISA_F_NOT0), .mnem = "xchg"},
  {.op = OP_XCHG, O1(0x90), NM, S2(SH_ACC, SH_OR), C86, .size = 2, F(ISA_F_NOT0 | ISA_F_SWAP),
   .mnem = "xchg"},
  {.op = OP_XCHG, O1(0x90), NM, S2(SH_OR, SH_ACC), C386, .size = 4, .mnem = "xchg"},
  {.op = OP_XCHG, O1(0x90), NM, S2(SH_ACC, SH_OR), C386, .size = 4, F(ISA_F_SWAP), .mnem = "xchg"},
  B(.op = OP_XCHG, O1(0x86), MR, S2(SH_M, SH_R), C86, .mnem = "xchg"),
  V(CPU_8086, .op = OP_XCHG, O1(0x87), MR, S2(SH_M, SH_R), .mnem = "xchg"),
  B(.op = OP_XCHG, O1(0x86), MR, S2(SH_R, SH_RM), C86, .mnem = "xchg"),
  V(CPU_8086, .op = OP_XCHG, O1(0x87), MR, S2(SH_R, SH_RM), .mnem = "xchg"),
  /* push / pop */
  V(CPU_8086, .op = OP_PUSH, O1(0x50), NM, S1(SH_OR), .mnem = "push"),
  V(CPU_8086, .op = OP_PUSH, O1(0xFF), D(6), S1(SH_RM), .mnem = "push"),
  V(CPU_186, .op = OP_PUSH, O1(0x6A), NM, S1(SH_IMM8S), F(ISA_F_SIZEKW), .mnem = "push"),
  V(CPU_186, .op = OP_PUSH, O1(0x68), NM, S1(SH_IMM), F(ISA_F_SIZEKW), .mnem = "push"),
  {.op = OP_PUSH, O1(0x06), NM, S1(SH_SFIX), .fix = S_ES, C86, .size = 2, F(ISA_F_NO64), .mnem = "push"},
  {.op = OP_PUSH, O1(0x0E), NM, S1(SH_SFIX), .fix = S_CS, C86, .size = 2, F(ISA_F_NO64), .mnem = "push"},
  {.op = OP_PUSH, O1(0x16), NM, S1(SH_SFIX), .fix = S_SS, C86, .size = 2, F(ISA_F_NO64), .mnem = "push"},
  {.op = OP_PUSH, O1(0x1E), NM, S1(SH_SFIX), .fix = S_DS, C86, .size = 2, F(ISA_F_NO64), .mnem = "push"},
  {.op = OP_PUSH, O2(0x0F, 0xA0), NM, S1(SH_SFIX), .fix = S_FS, C386, .size = 2, .mnem = "push"},
  {.op = OP_PUSH, O2(0x0F, 0xA8), NM, S1(SH_SFIX), .fix = S_GS, C386, .size = 2, .mnem = "push"},
  V(CPU_8086, .op = OP_POP, O1(0x58), NM, S1(SH_OR), .mnem = "pop"),
  V(CPU_8086, .op = OP_POP, O1(0x8F), D(0), S1(SH_RM), .mnem = "pop"),
  {.op = OP_POP, O1(0x07), NM, S1(SH_SFIX), .fix = S_ES, C86, .size = 2, F(ISA_F_NO64), .mnem = "pop"},
  {.op = OP_POP, O1(0x17), NM, S1(SH_SFIX), .fix = S_SS, C86, .size = 2, F(ISA_F_NO64), .mnem = "pop"},
  {.op = OP_POP, O1(0x1F), NM, S1(SH_SFIX), .fix = S_DS, C86, .size = 2, F(ISA_F_NO64), .mnem = "pop"},
  {.op = OP_POP, O2(0x0F, 0xA1), NM, S1(SH_SFIX), .fix = S_FS, C386, .size = 2, .mnem = "pop"},
  {.op = OP_POP, O2(0x0F, 0xA9), NM, S1(SH_SFIX), .fix = S_GS, C386, .size = 2, .mnem = "pop"},
  {.op = OP_PUSHA, O1(0x60), NM, S0, C186, .size = 2, F(ISA_F_NO64), .mnem = "pusha"},
  {.op = OP_PUSHA, O1(0x60), NM, S0, C386, .size = 4, F(ISA_F_NO64), .mnem = "pushad"},
  {.op = OP_POPA, O1(0x61), NM, S0, C186, .size = 2, F(ISA_F_NO64), .mnem = "popa"},
  {.op = OP_POPA, O1(0x61), NM, S0, C386, .size = 4, F(ISA_F_NO64), .mnem = "popad"},
  V(CPU_8086, .op = OP_LEA, O1(0x8D), MR, S2(SH_R, SH_MP), .mnem = "lea"),
  /* movzx / movsx (the same-size forms only as foreign bytes) */
  V(CPU_386, .op = OP_MOVZX, O2(0x0F, 0xB6), MR, S2(SH_R, SH_RM), .osize = {0, 1}, .mnem = "movzx"),
  {.op = OP_MOVZX, O2(0x0F, 0xB7), MR, S2(SH_R, SH_RM), .osize = {0, 2}, C386, .size = 4, .mnem = "movzx"},
  {.op = OP_MOVZX, O2(0x0F, 0xB7), MR, S2(SH_R, SH_RM), .osize = {0, 2}, C386, .size = 2,
   F(ISA_F_ALIAS), .mnem = "movzx"},
  V(CPU_386, .op = OP_MOVSX, O2(0x0F, 0xBE), MR, S2(SH_R, SH_RM), .osize = {0, 1}, .mnem = "movsx"),
  {.op = OP_MOVSX, O2(0x0F, 0xBF), MR, S2(SH_R, SH_RM), .osize = {0, 2}, C386, .size = 4, .mnem = "movsx"},
  {.op = OP_MOVSX, O2(0x0F, 0xBF), MR, S2(SH_R, SH_RM), .osize = {0, 2}, C386, .size = 2,
   F(ISA_F_ALIAS), .mnem = "movsx"},
  {.op = OP_CBW, O1(0x98), NM, S0, C86, .size = 2, .mnem = "cbw"},
  {.op = OP_CBW, O1(0x98), NM, S0, C386, .size = 4, .mnem = "cwde"},
  {.op = OP_CWD, O1(0x99), NM, S0, C86, .size = 2, .mnem = "cwd"},
  {.op = OP_CWD, O1(0x99), NM, S0, C386, .size = 4, .mnem = "cdq"},
  /* arithmetic */
  ALU(OP_ADD, 0, "add"),
  ALU(OP_ADC, 2, "adc"),
  ALU(OP_SUB, 5, "sub"),
  ALU(OP_SBB, 3, "sbb"),
  V(CPU_8086, .op = OP_INC, O1(0x40), NM, S1(SH_OR), F(ISA_F_NO64), .mnem = "inc"),
  B(.op = OP_INC, O1(0xFE), D(0), S1(SH_RM), C86, .mnem = "inc"),
  V(CPU_8086, .op = OP_INC, O1(0xFF), D(0), S1(SH_RM), .mnem = "inc"),
  V(CPU_8086, .op = OP_DEC, O1(0x48), NM, S1(SH_OR), F(ISA_F_NO64), .mnem = "dec"),
  B(.op = OP_DEC, O1(0xFE), D(1), S1(SH_RM), C86, .mnem = "dec"),
  V(CPU_8086, .op = OP_DEC, O1(0xFF), D(1), S1(SH_RM), .mnem = "dec"),
  UNARY(OP_NEG, 3, "neg"),
  ALU(OP_CMP, 7, "cmp"),
  UNARY(OP_MUL, 4, "mul"),
  UNARY(OP_IMUL, 5, "imul"),
  V(CPU_386, .op = OP_IMUL, O2(0x0F, 0xAF), MR, S2(SH_R, SH_RM), .mnem = "imul"),
  V(CPU_186, .op = OP_IMUL, O1(0x6B), MR, S3(SH_R, SH_RM, SH_IMM8S), .mnem = "imul"),
  V(CPU_186, .op = OP_IMUL, O1(0x69), MR, S3(SH_R, SH_RM, SH_IMM), .mnem = "imul"),
  UNARY(OP_DIV, 6, "div"),
  UNARY(OP_IDIV, 7, "idiv"),
  /* logic */
  ALU(OP_AND, 4, "and"),
  ALU(OP_OR, 1, "or"),
  ALU(OP_XOR, 6, "xor"),
  UNARY(OP_NOT, 2, "not"),
  B(.op = OP_TEST, O1(0x84), MR, S2(SH_RM, SH_R), C86, .mnem = "test"),
  V(CPU_8086, .op = OP_TEST, O1(0x85), MR, S2(SH_RM, SH_R), .mnem = "test"),
  B(.op = OP_TEST, O1(0x84), MR, S2(SH_R, SH_M), C86, F(ISA_F_SWAP), .mnem = "test"),
  V(CPU_8086, .op = OP_TEST, O1(0x85), MR, S2(SH_R, SH_M), F(ISA_F_SWAP), .mnem = "test"),
  B(.op = OP_TEST, O1(0xA8), NM, S2(SH_ACC, SH_IMM), C86, .mnem = "test"),
  V(CPU_8086, .op = OP_TEST, O1(0xA9), NM, S2(SH_ACC, SH_IMM), .mnem = "test"),
  B(.op = OP_TEST, O1(0xF6), D(0), S2(SH_RM, SH_IMM), C86, .mnem = "test"),
  V(CPU_8086, .op = OP_TEST, O1(0xF7), D(0), S2(SH_RM, SH_IMM), .mnem = "test"),
  B(.op = OP_TEST, O1(0xF6), D(1), S2(SH_RM, SH_IMM), C86, F(ISA_F_ALIAS | ISA_F_UNDOC), .mnem = "test"),
  V(CPU_8086, .op = OP_TEST, O1(0xF7), D(1), S2(SH_RM, SH_IMM), F(ISA_F_ALIAS | ISA_F_UNDOC),
    .mnem = "test"),
  /* shifts and rotates (/6 is the undocumented alias of shl) */
  SHIFT(OP_SHL, 4, "shl", 0),
  SHIFT(OP_SHL, 6, "shl", ISA_F_ALIAS | ISA_F_UNDOC),
  SHIFT(OP_SHR, 5, "shr", 0),
  SHIFT(OP_SAR, 7, "sar", 0),
  SHIFT(OP_ROL, 0, "rol", 0),
  SHIFT(OP_ROR, 1, "ror", 0),
  SHIFT(OP_RCL, 2, "rcl", 0),
  SHIFT(OP_RCR, 3, "rcr", 0),
  V(CPU_386, .op = OP_SHLD, O2(0x0F, 0xA4), MR, S3(SH_RM, SH_R, SH_IMM8), .mnem = "shld"),
  V(CPU_386, .op = OP_SHLD, O2(0x0F, 0xA5), MR, S3(SH_RM, SH_R, SH_CL), .mnem = "shld"),
  V(CPU_386, .op = OP_SHRD, O2(0x0F, 0xAC), MR, S3(SH_RM, SH_R, SH_IMM8), .mnem = "shrd"),
  V(CPU_386, .op = OP_SHRD, O2(0x0F, 0xAD), MR, S3(SH_RM, SH_R, SH_CL), .mnem = "shrd"),
  /* bits */
  V(CPU_386, .op = OP_BT, O2(0x0F, 0xA3), MR, S2(SH_RM, SH_R), .mnem = "bt"),
  V(CPU_386, .op = OP_BT, O2(0x0F, 0xBA), D(4), S2(SH_RM, SH_IMM8), .mnem = "bt"),
  V(CPU_386, .op = OP_BTS, O2(0x0F, 0xAB), MR, S2(SH_RM, SH_R), .mnem = "bts"),
  V(CPU_386, .op = OP_BTS, O2(0x0F, 0xBA), D(5), S2(SH_RM, SH_IMM8), .mnem = "bts"),
  V(CPU_386, .op = OP_BTR, O2(0x0F, 0xB3), MR, S2(SH_RM, SH_R), .mnem = "btr"),
  V(CPU_386, .op = OP_BTR, O2(0x0F, 0xBA), D(6), S2(SH_RM, SH_IMM8), .mnem = "btr"),
  V(CPU_386, .op = OP_BTC, O2(0x0F, 0xBB), MR, S2(SH_RM, SH_R), .mnem = "btc"),
  V(CPU_386, .op = OP_BTC, O2(0x0F, 0xBA), D(7), S2(SH_RM, SH_IMM8), .mnem = "btc"),
  V(CPU_386, .op = OP_BSF, O2(0x0F, 0xBC), MR, S2(SH_R, SH_RM), .mnem = "bsf"),
  V(CPU_386, .op = OP_BSR, O2(0x0F, 0xBD), MR, S2(SH_R, SH_RM), .mnem = "bsr"),
  CC16(SETCC_ROW)
  CC16(CMOV_ROW)
  {.op = OP_BSWAP, O2(0x0F, 0xC8), NM, S1(SH_OR), C486, .size = 4, .mnem = "bswap"},
  /* flags */
  ONE(OP_CLC, 0xF8, "clc", C86, 0),
  ONE(OP_STC, 0xF9, "stc", C86, 0),
  ONE(OP_CMC, 0xF5, "cmc", C86, 0),
  ONE(OP_CLD, 0xFC, "cld", C86, 0),
  ONE(OP_STD, 0xFD, "std", C86, 0),
  ONE(OP_LAHF, 0x9F, "lahf", C86, 0),
  ONE(OP_SAHF, 0x9E, "sahf", C86, 0),
  ONE(OP_SALC, 0xD6, "salc", C86, ISA_F_UNDOC | ISA_F_NO64),
  {.op = OP_AAM, O1(0xD4), NM, S1(SH_IMM8), C86, F(ISA_F_ANYSIZE | ISA_F_NO64), .mnem = "aam"},
  {.op = OP_AAD, O1(0xD5), NM, S1(SH_IMM8), C86, F(ISA_F_ANYSIZE | ISA_F_NO64), .mnem = "aad"},
  {.op = OP_XLAT, O1(0xD7), NM, S1(SH_XLAT), C86, .size = 1, F(ISA_F_ANYSIZE | ISA_F_NO67),
   .mnem = "xlatb"},
  /* string instructions */
  STRING(OP_LODS, 0xAC, "lods", SH_STRSRC),
  STRING(OP_STOS, 0xAA, "stos", SH_STRDST),
  STRING(OP_MOVS, 0xA4, "movs", SH_STRSRC),
  STRING(OP_SCAS, 0xAE, "scas", SH_STRDST),
  STRING(OP_CMPS, 0xA6, "cmps", SH_STRSRC),
  ONE(OP_NOP, 0x90, "nop", C86, 0),
  /* control flow */
  CC16(JCC_ROW)
  BRANCH_ROW(OP_JMP, 0xEB, SH_REL8, "jmp", C86, ISA_F_DISTKW | ISA_F_CC),
  BRANCH_ROW(OP_JMP, 0xE9, SH_REL16, "jmp", C86, ISA_F_DISTKW | ISA_F_CC),
  {.op = OP_JMP, O1(0xFF), D(4), S1(SH_RM), C86, .size = 2, F(ISA_F_BRANCH | ISA_F_CC), .mnem = "jmp"},
  {.op = OP_JMP, .cc = ISA_FAR, O1(0xEA), NM, S1(SH_FAR), C86,
   F(ISA_F_CC | ISA_F_ANYSIZE | ISA_F_BRANCH | ISA_F_NO66 | ISA_F_NO64), .mnem = "jmp"},
  {.op = OP_JMP, .cc = ISA_FAR, O1(0xFF), D(5), S1(SH_MP), C86,
   F(ISA_F_CC | ISA_F_ANYSIZE | ISA_F_BRANCH | ISA_F_NO66), .mnem = "jmp far"},
  {.op = OP_JMP, .cc = ISA_IRET, O1(0xCF), NM, S0, C86,
   F(ISA_F_CC | ISA_F_ANYSIZE | ISA_F_BRANCH | ISA_F_NO66), .mnem = "iret"},
  BRANCH_ROW(OP_CALL, 0xE8, SH_REL16, "call", C86, ISA_F_CC),
  {.op = OP_CALL, O1(0xFF), D(2), S1(SH_RM), C86, .size = 2, F(ISA_F_BRANCH | ISA_F_CC),
   .mnem = "call"},
  {.op = OP_CALL, .cc = ISA_FAR, O1(0x9A), NM, S1(SH_FAR), C86,
   F(ISA_F_CC | ISA_F_ANYSIZE | ISA_F_BRANCH | ISA_F_NO66 | ISA_F_NO64), .mnem = "call"},
  {.op = OP_CALL, .cc = ISA_FAR, O1(0xFF), D(3), S1(SH_MP), C86,
   F(ISA_F_CC | ISA_F_ANYSIZE | ISA_F_BRANCH | ISA_F_NO66), .mnem = "call far"},
  {.op = OP_RET, O1(0xC3), NM, S0, C86, F(ISA_F_CC | ISA_F_ANYSIZE | ISA_F_BRANCH), .mnem = "ret"},
  {.op = OP_RET, O1(0xC2), NM, S1(SH_IMM16), C86, F(ISA_F_CC | ISA_F_ANYSIZE | ISA_F_BRANCH),
   .mnem = "ret"},
  {.op = OP_RET, .cc = ISA_FAR, O1(0xCB), NM, S0, C86,
   F(ISA_F_CC | ISA_F_ANYSIZE | ISA_F_BRANCH | ISA_F_NO66), .mnem = "retf"},
  {.op = OP_RET, .cc = ISA_FAR, O1(0xCA), NM, S1(SH_IMM16), C86,
   F(ISA_F_CC | ISA_F_ANYSIZE | ISA_F_BRANCH | ISA_F_NO66), .mnem = "retf"},
  BRANCH_ROW(OP_LOOP, 0xE2, SH_REL8, "loop", C86, ISA_F_NO67),
  BRANCH_ROW(OP_LOOPE, 0xE1, SH_REL8, "loope", C86, ISA_F_NO67),
  BRANCH_ROW(OP_LOOPNE, 0xE0, SH_REL8, "loopne", C86, ISA_F_NO67),
  BRANCH_ROW(OP_JCXZ, 0xE3, SH_REL8, "jcxz", C86, ISA_F_NO67),
  BRANCH_ROW(OP_INT, 0xCD, SH_IMM8, "int", C86, 0),
  ONE(OP_HLT, 0xF4, "hlt", C86, ISA_F_BRANCH),
  ONE(OP_CLI, 0xFA, "cli", C86, 0),
  ONE(OP_STI, 0xFB, "sti", C86, 0),
  B(.op = OP_IN, O1(0xE4), NM, S2(SH_ACC, SH_IMM8), C86, .mnem = "in"),
  V(CPU_8086, .op = OP_IN, O1(0xE5), NM, S2(SH_ACC, SH_IMM8), .mnem = "in"),
  B(.op = OP_IN, O1(0xEC), NM, S2(SH_ACC, SH_DX), C86, .mnem = "in"),
  V(CPU_8086, .op = OP_IN, O1(0xED), NM, S2(SH_ACC, SH_DX), .mnem = "in"),
  B(.op = OP_OUT, O1(0xE6), NM, S2(SH_IMM8, SH_ACC), C86, .mnem = "out"),
  V(CPU_8086, .op = OP_OUT, O1(0xE7), NM, S2(SH_IMM8, SH_ACC), .mnem = "out"),
  B(.op = OP_OUT, O1(0xEE), NM, S2(SH_DX, SH_ACC), C86, .mnem = "out"),
  V(CPU_8086, .op = OP_OUT, O1(0xEF), NM, S2(SH_DX, SH_ACC), .mnem = "out"),
  /* system */
  {.op = OP_MOVCR, O2(0x0F, 0x22), MR, S2(SH_CR, SH_RR), C386, .size = 4,
   F(ISA_F_ANYSIZE | ISA_F_NO66), .mnem = "mov"},
  {.op = OP_MOVCR, O2(0x0F, 0x20), MR, S2(SH_RR, SH_CR), C386, .size = 4,
   F(ISA_F_ANYSIZE | ISA_F_NO66), .mnem = "mov"},
  {.op = OP_LGDT, O2(0x0F, 0x01), D(2), S1(SH_MP), .osize = {2}, C286, F(ISA_F_ANYSIZE | ISA_F_NO66), .mnem = "lgdt"},
  B(.op = OP_INS, O1(0x6C), NM, S1(SH_STRDST), C186, F(ISA_F_REP), .mnem = "insb"),
  {.op = OP_INS, O1(0x6D), NM, S1(SH_STRDST), C186, .size = 2, F(ISA_F_REP), .mnem = "insw"},
  {.op = OP_INS, O1(0x6D), NM, S1(SH_STRDST), C386, .size = 4, F(ISA_F_REP), .mnem = "insd"},
  B(.op = OP_OUTS, O1(0x6E), NM, S1(SH_STRSRC), C186, F(ISA_F_REP), .mnem = "outsb"),
  {.op = OP_OUTS, O1(0x6F), NM, S1(SH_STRSRC), C186, .size = 2, F(ISA_F_REP), .mnem = "outsw"},
  {.op = OP_OUTS, O1(0x6F), NM, S1(SH_STRSRC), C386, .size = 4, F(ISA_F_REP), .mnem = "outsd"},
  V(CPU_8086, .op = OP_LES, O1(0xC4), MR, S2(SH_R, SH_MP), F(ISA_F_NO64), .mnem = "les"),
  V(CPU_8086, .op = OP_LDS, O1(0xC5), MR, S2(SH_R, SH_MP), F(ISA_F_NO64), .mnem = "lds"),
  ONE(OP_DAA, 0x27, "daa", C86, ISA_F_NO64),
  ONE(OP_DAS, 0x2F, "das", C86, ISA_F_NO64),
  ONE(OP_AAA, 0x37, "aaa", C86, ISA_F_NO64),
  ONE(OP_AAS, 0x3F, "aas", C86, ISA_F_NO64),
  /* added for boot sectors */
  {.op = OP_PUSHF, O1(0x9C), NM, S0, C86, .size = 2, .mnem = "pushf"},
  {.op = OP_PUSHF, O1(0x9C), NM, S0, C386, .size = 4, .mnem = "pushfd"},
  {.op = OP_POPF, O1(0x9D), NM, S0, C86, .size = 2, .mnem = "popf"},
  {.op = OP_POPF, O1(0x9D), NM, S0, C386, .size = 4, .mnem = "popfd"},
  ONE(OP_INT3, 0xCC, "int3", C86, ISA_F_BRANCH),
  ONE(OP_INTO, 0xCE, "into", C86, ISA_F_BRANCH | ISA_F_NO64),
  {.op = OP_ENTER, O1(0xC8), NM, S2(SH_IMM16, SH_IMM8), C186, .size = 2, .mnem = "enter"},
  {.op = OP_LEAVE, O1(0xC9), NM, S0, C186, .size = 2, .mnem = "leave"},
  {.op = OP_REP, O1(0xF3), NM, S0, C86, .fix = PFX_REP, F(ISA_F_ANYSIZE), .mnem = "rep"},
  {.op = OP_REP, O1(0xF2), NM, S0, C86, .fix = PFX_REPNE, F(ISA_F_ANYSIZE), .mnem = "repne"},
};

const size_t isa_nforms = sizeof isa_forms / sizeof *isa_forms;

size_t isa_form_count(void) { return isa_nforms; }

const isa_form *isa_form_at(size_t i) { return i < isa_nforms ? &isa_forms[i] : NULL; }

void isa_form_insn(const isa_form *f, insn *out) {
  memset(out, 0, sizeof *out);
  out->op = f->op;
  out->cc = f->cc;
  out->size = f->size;
  out->nops = f->nops;
  if (f->op == OP_REP) out->prefix = f->fix;
  for (int i = 0; i < f->nops; i++) {
    operand *o = &out->o[i];
    int sz = f->osize[i] ? f->osize[i] : f->size;
    o->size = (uint8_t)sz;
    o->base = o->index = -1;
    o->scale = 1;
    switch (f->shape[i]) {
    case SH_R: case SH_RM: case SH_RR: case SH_OR: case SH_ACC: o->kind = K_REG; break;
    case SH_CL: o->kind = K_REG; o->size = 1; o->reg = 1; break;
    case SH_DX: o->kind = K_REG; o->size = 2; o->reg = R_DX; break;
    case SH_ONE: o->kind = K_IMM; o->size = 1; o->disp = 1; break;
    case SH_SR: case SH_SRW: o->kind = K_SREG; o->size = 2; o->reg = S_ES; break;
    case SH_SFIX: o->kind = K_SREG; o->size = 2; o->reg = f->fix; break;
    case SH_CR: case SH_IMM: case SH_IMM8S: o->kind = K_IMM; break;
    case SH_IMM8: o->kind = K_IMM; o->size = 1; break;
    case SH_IMM16: o->kind = K_IMM; o->size = 2; break;
    case SH_REL8: case SH_REL16: o->kind = K_REL; o->size = f->shape[i] == SH_REL8 ? 1 : 2; break;
    case SH_FAR: o->kind = K_FAR; o->size = 4; break;
    case SH_M: case SH_MP: case SH_MOFFS:
      o->kind = K_MEM; o->seg = S_DS; break;
    case SH_STRSRC: case SH_XLAT:
      o->kind = K_MEM; o->seg = S_DS; o->base = f->shape[i] == SH_XLAT ? R_BX : R_SI; break;
    case SH_STRDST:   /* only with 32-bit addressing: left out */
      out->nops = (uint8_t)i;
      return;
    default: break;
    }
  }
}

int isa_cpu_level(const insn *in) {
  const isa_form *f = isa_form_of(in);
  if (!f) return -1;
  int level = f->cpu;
  if (f->size == 4 && !(f->flags & ISA_F_NO66) && level < CPU_386) level = CPU_386;
  for (int i = 0; i < in->nops; i++) {
    const operand *o = &in->o[i];
    if (o->kind == K_MEM && (o->addr32 || o->seg == S_FS || o->seg == S_GS) && level < CPU_386)
      level = CPU_386;
    if (o->kind == K_SREG && (o->reg == S_FS || o->reg == S_GS) && level < CPU_386)
      level = CPU_386;   /* mov to/from fs, gs share 8C/8E with the 8086 forms */
  }
  /* Two 8086 forms mean what the model says only from later CPUs on: a
     shift or rotate by cl masks its count to 5 bits from the 80186, and
     `push sp` pushes the old sp from the 80286 (the 8086 pushes the new). */
  if (f->shape[1] == SH_CL && in->op >= OP_SHL && in->op <= OP_RCR && level < CPU_186)
    level = CPU_186;
  if (in->op == OP_PUSH && in->nops == 1 && in->o[0].kind == K_REG && in->o[0].size == 2 &&
      in->o[0].reg == R_SP && level < CPU_286)
    level = CPU_286;
  return level;
}

bool isa_undocumented(const insn *in) {
  const isa_form *f = isa_form_of(in);
  if (!f) return false;
  if (f->flags & ISA_F_UNDOC) return true;
  return (in->op == OP_AAM || in->op == OP_AAD) && in->nops == 1 && in->o[0].disp != 10;
}
