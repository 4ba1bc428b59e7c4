/* The public face of the instruction model: operations, operands, the form
 * table, encode, decode, print, read/write sets, and the concrete evaluator.
 * The Z3 instantiation of the same semantics is in isa_z3.h.
 *
 * Everything above this layer (program/, search/, prove/, verify/) uses only
 * this header and isa_z3.h; the rows are read through isa_form_at. */
#ifndef SUPEROPT_ISA_H
#define SUPEROPT_ISA_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* ---- registers, in x86 encoding order ---- */
enum { R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI };   /* 16/32-bit */
/* 8-bit registers use the same numbers in encoding order:
 * 0 al, 1 cl, 2 dl, 3 bl, 4 ah, 5 ch, 6 dh, 7 bh */
enum { S_ES, S_CS, S_SS, S_DS, S_FS, S_GS, S_NONE = 7 };

/* ---- flags, at their EFLAGS bit positions ---- */
#define F_CF (1u << 0)
#define F_PF (1u << 2)
#define F_AF (1u << 4)
#define F_ZF (1u << 6)
#define F_SF (1u << 7)
#define F_DF (1u << 10)
#define F_OF (1u << 11)
#define F_STATUS (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)
#define F_MODELLED (F_STATUS | F_DF)

/* flag indices (the order of isa_z3_state.flag[]) and their bits, locations
 * and names: the one table of flags */
enum { FL_CF, FL_PF, FL_AF, FL_ZF, FL_SF, FL_OF, FL_DF, FL_COUNT };
extern const uint32_t isa_flag_bit[FL_COUNT];   /* FL_x -> F_x */

/* ---- locations: what liveness, live-out sets and read/write sets speak of.
 * Each general register is three parts: bits 0-7, bits 8-15, bits 16-31. */
typedef uint64_t locset;
#define LOC_LO(r)   (1ull << ((r) * 3))
#define LOC_HI(r)   (1ull << ((r) * 3 + 1))
#define LOC_UP(r)   (1ull << ((r) * 3 + 2))
#define LOC_R8(n)   ((n) < 4 ? LOC_LO(n) : LOC_HI((n) - 4))
#define LOC_R16(r)  (LOC_LO(r) | LOC_HI(r))
#define LOC_R32(r)  (LOC_R16(r) | LOC_UP(r))
#define LOC_SEG(s)  (1ull << (24 + (s)))          /* s in S_ES..S_GS */
#define LOC_CF      (1ull << 30)
#define LOC_PF      (1ull << 31)
#define LOC_AF      (1ull << 32)
#define LOC_ZF      (1ull << 33)
#define LOC_SF      (1ull << 34)
#define LOC_OF      (1ull << 35)
#define LOC_DF      (1ull << 36)
#define LOC_MEM     (1ull << 37)                  /* all of memory */
/* whether a window's closing conditional branch is taken (isa_state.taken):
   live only for a window that ends in one, so not part of LOC_ALL */
#define LOC_BR      (1ull << 38)
/* where a window's closing near transfer goes (isa_state.target): compared
   only when the transfer is taken on both sides; not part of LOC_ALL */
#define LOC_IP      (1ull << 39)
#define LOC_FLAGS   (LOC_CF | LOC_PF | LOC_AF | LOC_ZF | LOC_SF | LOC_OF | LOC_DF)
#define LOC_ALLREGS ((1ull << 24) - 1)
#define LOC_ALLSEGS (0x3full << 24)
#define LOC_ALL     (LOC_ALLREGS | LOC_ALLSEGS | LOC_FLAGS | LOC_MEM)

/* Parse "ax", "al", "eax", "ds", "cf", "mem"... into a locset.
 * Returns false for an unknown name. */
bool isa_loc_parse(const char *name, locset *out);
/* Print a locset as space-separated names ("ax dl cf mem"), widest first. */
int isa_loc_print(locset s, char *buf, size_t n);

/* ---- operations (one per mnemonic family; the encoder picks the form) ---- */
#define ISA_OPS(X) \
  X(MOV) X(XCHG) X(PUSH) X(POP) X(PUSHA) X(POPA) X(LEA) X(MOVZX) X(MOVSX) \
  X(CBW) X(CWD) \
  X(ADD) X(ADC) X(SUB) X(SBB) X(INC) X(DEC) X(NEG) X(CMP) \
  X(MUL) X(IMUL) X(DIV) X(IDIV) \
  X(AND) X(OR) X(XOR) X(NOT) X(TEST) \
  X(SHL) X(SHR) X(SAR) X(ROL) X(ROR) X(RCL) X(RCR) X(SHLD) X(SHRD) \
  X(BT) X(BTS) X(BTR) X(BTC) X(BSF) X(BSR) \
  X(SETCC) X(CMOVCC) X(BSWAP) \
  X(CLC) X(STC) X(CMC) X(CLD) X(STD) X(LAHF) X(SAHF) X(SALC) \
  X(AAM) X(AAD) X(XLAT) \
  X(LODS) X(STOS) X(MOVS) X(SCAS) X(CMPS) \
  X(NOP) \
  /* not searched; decoded, printed, and (where it makes sense) evaluated */ \
  /* (jcc, loop*, jcxz evaluate to "taken", LOC_BR: a window's last;      \
     near jmp, call, ret also to where they go, LOC_IP) */              \
  X(JCC) X(JMP) X(CALL) X(RET) X(LOOP) X(LOOPE) X(LOOPNE) X(JCXZ) \
  X(INT) X(HLT) X(CLI) X(STI) X(IN) X(OUT) \
  /* added: system and I/O string forms a boot sector uses, decoded and   \
     printed only (mov crN: o[0] or o[1] is K_IMM N, the other a 32-bit   \
     register; lgdt: o[0] memory; ins/outs: as stos/lods) */             \
  X(MOVCR) X(LGDT) X(INS) X(OUTS) \
  /* added: far-pointer loads (reg, mem: offset then segment), modelled */ \
  X(LES) X(LDS) \
  /* added: BCD adjustments, modelled */ \
  X(DAA) X(DAS) X(AAA) X(AAS) \
  /* added: forms boot sectors use; enter (level 0) and leave are modelled, \
     the others decoded, printed and given effects (pushf/popf would move \
     IF, TF and reserved bits the state does not hold); rep is a lone      \
     F2/F3 prefix not followed by a string instruction (see isa_decode) */ \
  X(PUSHF) X(POPF) X(INT3) X(INTO) X(ENTER) X(LEAVE) X(REP)

typedef enum {
#define ISA_ENUM(name) OP_##name,
  ISA_OPS(ISA_ENUM)
#undef ISA_ENUM
  OP_COUNT
} isa_op;

/* condition codes, in x86 encoding order (jo=0 ... jg=15) */
enum { CC_O, CC_NO, CC_B, CC_AE, CC_E, CC_NE, CC_BE, CC_A,
       CC_S, CC_NS, CC_P, CC_NP, CC_L, CC_GE, CC_LE, CC_G };

typedef enum { K_NONE, K_REG, K_SREG, K_IMM, K_MEM, K_REL,
               K_FAR /* ptr16:16: disp is segment << 16 | offset */ } operand_kind;

typedef struct {
  uint8_t kind;     /* operand_kind */
  uint8_t size;     /* bytes: 1, 2 or 4 (K_MEM: access size; K_IMM: as written) */
  uint8_t reg;      /* K_REG: encoding number for that size; K_SREG: S_* */
  /* K_MEM */
  uint8_t seg;      /* effective segment (S_*), defaults already applied */
  uint8_t seg_explicit; /* 1 when an override prefix must be encoded */
  uint8_t addr32;   /* 0: 16-bit addressing; 1: 32-bit (0x67) */
  int8_t base;      /* register number or -1 */
  int8_t index;     /* register number or -1 */
  uint8_t scale;    /* 32-bit addressing only: 1, 2, 4, 8 */
  uint8_t sym;      /* 0, or k+1: a label's address (symbolic constant k of
                       the state, sym[k]) is added to disp; only in a 16-bit
                       K_IMM of a full-width immediate and a 16-bit-address
                       K_MEM (always encoded with a 16-bit field); in the
                       K_REL of a closing transfer, the target label (where
                       it goes, LOC_IP; disp stays the displacement) */
  int32_t disp;     /* K_MEM displacement; K_IMM value; K_REL target offset
                       relative to the end of the instruction */
} operand;

#define ISA_NSYM 4     /* symbolic constants (label addresses) of a window */

#define PFX_REP   1u   /* F3 */
#define PFX_REPNE 2u   /* F2 */

/* JMP, CALL, RET: the form in `cc` (control leaves to a place the CFG
 * cannot know for the far forms and iret) */
enum { ISA_NEAR, ISA_FAR, ISA_IRET /* JMP only: pops ip, cs, flags */ };

typedef struct {
  uint8_t op;       /* isa_op */
  uint8_t size;     /* operand size in bytes: 1, 2 or 4 (0 when meaningless) */
  uint8_t cc;       /* JCC/SETCC/CMOVCC: CC_*; JMP/CALL/RET: ISA_NEAR/FAR/IRET */
  uint8_t nops;
  uint8_t prefix;   /* PFX_* */
  uint8_t len;      /* encoded length, filled by decode and encode */
  operand o[3];     /* Intel order: destination first */
} insn;

/* ---- the form table: one row per encoding (isa_forms.c) ----
 * Encoder, decoder and printer are generic code over these rows; the oracle
 * forms, the test samples and the search pool are generated from them. */
enum isa_cpu { CPU_8086, CPU_186, CPU_286, CPU_386, CPU_486, CPU_686 };

typedef enum {
  SH_NONE,
  SH_R,       /* general register in the ModRM reg field */
  SH_RM,      /* register or memory in ModRM r/m */
  SH_M,       /* memory in ModRM r/m, accessed at the operand's size */
  SH_MP,      /* memory in ModRM r/m without a size (lea, les/lds, lgdt, far) */
  SH_RR,      /* register in ModRM r/m only (mov crN) */
  SH_OR,      /* register in the low three bits of the opcode (+r) */
  SH_ACC,     /* al / ax / eax */
  SH_CL,      /* the count register cl */
  SH_DX,      /* the port register dx */
  SH_ONE,     /* the constant 1 (shift by one) */
  SH_SR,      /* segment register in the ModRM reg field */
  SH_SRW,     /* ... one that may be loaded (not cs) */
  SH_SFIX,    /* the segment register the row names (fix) */
  SH_CR,      /* control register number in the ModRM reg field (K_IMM 0, 2-4) */
  SH_IMM,     /* immediate of the operand's size */
  SH_IMM8S,   /* imm8 sign-extended to the operand's size */
  SH_IMM8,    /* imm8 0..255: counts, bit offsets, vectors, ports, nesting */
  SH_IMM16,   /* imm16 (ret n, enter) */
  SH_MOFFS,   /* direct address without ModRM (moffs16/32) */
  SH_REL8, SH_REL16,
  SH_FAR,     /* ptr16:16 */
  SH_STRSRC,  /* string source ds:si: in o[0] so an override has a place */
  SH_STRDST,  /* string destination es:di: in o[0] only with 0x67 */
  SH_XLAT,    /* xlat's table ds:bx */
} isa_shape;

enum {
  ISA_F_UNDOC   = 1u << 0,  /* undocumented (salc, aliases) */
  ISA_F_ALIAS   = 1u << 1,  /* decoded only by isa_decode_lenient; never encoded */
  ISA_F_ANYSIZE = 1u << 2,  /* the encoder ignores insn.size */
  ISA_F_NO66    = 1u << 3,  /* a 0x66 prefix makes another instruction */
  ISA_F_NO67    = 1u << 4,  /* a 0x67 prefix makes another instruction */
  ISA_F_REP     = 1u << 5,  /* takes rep/repne (insn.prefix) */
  ISA_F_BRANCH  = 1u << 6,  /* ends a basic block */
  ISA_F_SIZEKW  = 1u << 7,  /* the immediate is printed with word/dword */
  ISA_F_DISTKW  = 1u << 8,  /* the target is printed with short/near */
  ISA_F_LOOSE   = 1u << 9,  /* lenient decoding ignores the ModRM digit */
  ISA_F_CC      = 1u << 10, /* insn.cc must equal the row's cc */
  ISA_F_NOT0    = 1u << 11, /* decoding: +r register 0 is another row (90 is
                               nop; nasm writes xchg ax, ax as 90 as well) */
  ISA_F_SWAP    = 1u << 12, /* the row of the same opcode with the operands
                               swapped: same bytes, for the encoder only */
  ISA_F_NO64    = 1u << 13, /* not an instruction in 64-bit mode */
};

#define ISA_MODRM_R  (-1)   /* digit: the ModRM reg field holds an operand */
#define ISA_NO_MODRM (-2)

typedef struct isa_form {
  uint8_t op;          /* isa_op */
  uint8_t cc;          /* ISA_F_CC rows: the condition or JMP/CALL/RET form */
  uint8_t size;        /* operation size 0, 1, 2, 4 (4: emitted with 0x66) */
  uint8_t nops;
  uint8_t shape[3];    /* isa_shape of o[0..2] */
  uint8_t osize[3];    /* operand size where it is not `size` (movzx source) */
  uint8_t nopc;
  uint8_t opc[2];      /* opcode bytes; +r adds to the last */
  int8_t digit;        /* ModRM /digit 0-7, ISA_MODRM_R or ISA_NO_MODRM */
  uint8_t cpu;         /* enum isa_cpu that introduced it */
  uint8_t fix;         /* SH_SFIX: the segment register; REP: the PFX_* */
  uint16_t flags;      /* ISA_F_* */
  const char *mnem;    /* NASM mnemonic */
} isa_form;

size_t isa_form_count(void);
const isa_form *isa_form_at(size_t i);
/* The row isa_encode uses for the instruction, or NULL when none accepts it. */
const isa_form *isa_form_of(const insn *in);
/* An instruction of the row with its fixed operands in place (acc, cl, dx,
 * 1, the named segment register) and every other operand given its kind and
 * size, register 0, no displacement, immediate 0: the caller picks
 * registers, addresses and values, then isa_encode checks them. */
void isa_form_insn(const isa_form *f, insn *out);
/* Lowest CPU that runs the instruction: its row's level, raised to the 386
 * by 0x66/0x67 or an fs/gs operand.  -1 when no row encodes it. */
int isa_cpu_level(const insn *in);
/* Undocumented: salc, aam/aad with an immediate other than 10. */
bool isa_undocumented(const insn *in);

/* ---- location names: the one table of register, segment and flag names ---- */
extern const locset isa_flag_loc[FL_COUNT];     /* FL_x -> LOC_x */
const char *isa_flag_name(int fl);           /* FL_x -> "cf" ... */
const char *isa_reg_name(int size, int n);   /* size 1, 2, 4; n in encoding order */
const char *isa_sreg_name(int s);            /* S_ES..S_GS; "?" otherwise */
const char *isa_cc_name(int cc);             /* "o", "no", "b" ... "g" */

/* ---- encode / decode / print ---- */
#define ISA_MAX_LEN 15

/* Shortest encoding nasm would pick.  Returns the length, or -1 when no form
 * of the operation accepts these operands (the enumerator relies on this to
 * discard impossible combinations cheaply).  Sets in->len. */
int isa_encode(insn *in, uint8_t out[ISA_MAX_LEN]);

/* Decode one instruction at buf (n bytes available).  Returns the length, or
 * -1 for bytes that are not a modelled form (err, if non-NULL, says why).
 * An F2/F3 prefix that starts the bytes and is not followed by a string
 * instruction is an instruction of its own (OP_REP, length 1): nasm writes
 * `rep` alone on a line that way, and a window splitter must keep it in
 * front of what follows. */
int isa_decode(const uint8_t *buf, size_t n, insn *out, char *err, size_t errn);

/* Added: like isa_decode, but accepts every encoding a CPU gives the same
 * meaning even where nasm would write other bytes (repeated or ineffective
 * prefixes, d=1 register forms, longer immediates and displacements, the
 * undocumented sal /6 and test /1 aliases).  The result has the bytes'
 * meaning; isa_encode of it gives nasm's bytes, which may differ.  For
 * replaying foreign code (oracle tests), not for splicing. */
int isa_decode_lenient(const uint8_t *buf, size_t n, insn *out, char *err, size_t errn);

/* Give each symbolic constant its value: operand sym k+1 becomes the plain
 * number vals[k] + disp (the bytes nasm would make for that value). */
void isa_bind_syms(insn *seq, int n, const uint16_t vals[ISA_NSYM]);

/* NASM syntax, e.g. "add ax, word [bx+si+0x4]"; a symbolic constant as
 * `sym0+0x4`.  Returns chars written. */
int isa_print(const insn *in, char *buf, size_t n);

/* ---- what an instruction touches ---- */
typedef struct {
  locset reads;      /* registers/flags/memory whose value it uses */
  locset writes;     /* ... it may change */
  locset must_writes;/* ... it changes whenever it completes (never mem) */
  locset undef;      /* flags it may leave undefined */
  bool searchable;   /* may appear in a candidate */
  bool branch;       /* ends a basic block (jcc, jmp, call, ret, loop, int, hlt) */
} isa_effects;
void isa_effects_of(const insn *in, isa_effects *out);

/* ---- concrete machine state ---- */
#define ISA_MEMLOG 64   /* distinct bytes a window may write */
#define ISA_MEMINIT 64  /* initial bytes a state may fix explicitly */

typedef struct {
  uint32_t r[8];         /* eax..edi */
  uint16_t s[6];         /* es cs ss ds fs gs */
  uint32_t flags;        /* F_* bits */
  uint32_t undef;        /* F_* bits whose value is undefined (poison) */
  uint8_t  taken;        /* a conditional branch (jcc, jcxz, loop*) ran and
                            its condition held, or a near jmp, call or ret
                            ran; compared under LOC_BR */
  uint16_t target;       /* where the closing transfer goes (LOC_IP): a
                            label's symbolic constant, the value read, the
                            popped word */
  uint16_t next_ip;      /* the address right after the window, what a
                            closing call pushes (an input, never written:
                            the code after a window moves with a shrink) */
  uint16_t sym[ISA_NSYM];/* the values of the symbolic constants (inputs only) */
  uint64_t mem_seed;     /* initial byte at linear a: the overlay below if it
                            names a, else isa_mem_initial(mem_seed, a) */
  uint32_t ninit;
  uint32_t iaddr[ISA_MEMINIT]; /* initial-memory overlay (oracle tests,
                                  counterexamples) */
  uint8_t  ival[ISA_MEMINIT];
  uint32_t nwrites;
  uint32_t waddr[ISA_MEMLOG];  /* linear addresses written, in first-write order */
  uint8_t  wval[ISA_MEMLOG];
  uint8_t  fault;        /* ISA_FAULT_* of the first fault, 0 if none */
  uint8_t  poisoned;     /* an undefined flag was read: result undefined */
} isa_state;

enum { ISA_FAULT_NONE, ISA_FAULT_DE /* #DE: divide error */,
       ISA_FAULT_GP /* #GP/#SS: access crossing offset 0xFFFF */,
       ISA_FAULT_UD /* not evaluable (control flow, I/O, unsupported) */,
       ISA_FAULT_MEMLOG /* more than ISA_MEMLOG bytes written */ };

/* Linear address = (segment << 4) + offset, 21+ bits, no wrap at 1 MiB. */
uint8_t isa_mem_initial(uint64_t seed, uint32_t linear);
uint8_t isa_mem_read(const isa_state *st, uint32_t linear);
/* Fix an initial byte (before any instruction runs). false when full. */
bool isa_mem_set_initial(isa_state *st, uint32_t linear, uint8_t v);
/* The value of one location: a register part (LOC_LO/HI/UP), a 16- or
 * 32-bit register, a segment register or a flag (0/1); 0 for anything
 * else.  isa_loc_set writes one, leaving the rest of the state alone. */
uint32_t isa_loc_get(const isa_state *st, locset l);
void isa_loc_set(isa_state *st, locset l, uint32_t v);

/* Execute one instruction.  On a fault the state is left as it was before the
 * instruction and st->fault is set; later calls do nothing.  */
void isa_exec(isa_state *st, const insn *in);
/* Execute a sequence; stops at the first fault. */
void isa_exec_seq(isa_state *st, const insn *seq, int n);

/* Compare two final states on a live-out set, by the rule of
 * isa_compare.def: a flag undefined in `want` is not compared; a flag
 * undefined in `got` but defined in `want` differs; poisoned or
 * differently-faulting states differ; two states that faulted alike are
 * equal when they agree on `live` (the state before the faulting
 * instruction).  Memory compares every byte either side wrote.  The
 * search's variants over precomputed masks are in isa_compare.h. */
bool isa_state_equal(const isa_state *want, const isa_state *got, locset live);

/* The semantics version: a hash of the semantic description's source, so
 * results made with another semantics can be told apart. */
const char *isa_sem_version(void);

const char *isa_op_name(isa_op op);

/* ---- CPU names (isa_cpu.c); the levels are the form table's ---- */
/* "8086" ... "686" */
const char *isa_cpu_name(int cpu);
/* nasm's names (8086, 186, 286, 386, 486, 586/pentium as 486, 686/p6) and
 * 80186.., i386..; false for anything else. */
bool isa_cpu_parse(const char *text, int *cpu);

#endif
