/* CPU levels: the lowest processor that runs an instruction with the
 * meaning the model gives it, and which forms are undocumented.
 *
 * The level is read off the bytes the encoder emits (prefixes, opcode,
 * ModRM), so every operand shape the encoder accepts gets a level without a
 * second list of forms.  Two 8086 forms count as 186/286 because the model
 * describes the later CPUs: shifts and rotates by cl mask the count to 5
 * bits only from the 80186 on, and the 8086 pushes sp's decremented value
 * for `push sp` (the 286 pushes the old one). */
#include "isa/isa.h"

#include <string.h>

static int max_cpu(int a, int b) { return a > b ? a : b; }

/* The 0x0F page: 286 system forms, else 386 except bswap and cmovcc. */
static int two_byte_level(uint8_t op) {
  if (op == 0x00 || op == 0x01 || op == 0x06) return CPU_286;   /* sldt.., lgdt.., clts */
  if (op >= 0xC8 && op <= 0xCF) return CPU_486;                  /* bswap */
  if (op == 0xB0 || op == 0xB1 || op == 0xC0 || op == 0xC1) return CPU_486; /* cmpxchg, xadd */
  if (op >= 0x40 && op <= 0x4F) return CPU_686;                  /* cmovcc */
  return CPU_386;
}

static int one_byte_level(uint8_t op, const uint8_t *rest, int nrest) {
  switch (op) {
  case 0x60: case 0x61:             /* pusha, popa */
  case 0x62:                        /* bound */
  case 0x68: case 0x6A:             /* push imm */
  case 0x69: case 0x6B:             /* imul r, rm, imm */
  case 0x6C: case 0x6D: case 0x6E: case 0x6F:   /* ins, outs */
  case 0xC0: case 0xC1:             /* shifts by imm8 */
  case 0xC8: case 0xC9:             /* enter, leave */
    return CPU_186;
  case 0xD2: case 0xD3:             /* shifts by cl: the count is masked from the 186 on */
    return CPU_186;
  case 0x8C: case 0x8E:             /* mov to/from fs, gs */
    return nrest > 0 && ((rest[0] >> 3) & 7) >= S_FS ? CPU_386 : CPU_8086;
  default:
    return CPU_8086;
  }
}

int isa_cpu_level(const insn *in) {
  insn t = *in;
  uint8_t code[ISA_MAX_LEN];
  int n = isa_encode(&t, code);
  if (n <= 0) {
    /* no encoding (a form only the lenient decoder gives): judge by size */
    return in->size == 4 ? CPU_386 : CPU_8086;
  }
  int level = CPU_8086;
  int i = 0;
  for (; i < n; i++) {
    uint8_t b = code[i];
    if (b == 0x66 || b == 0x67 || b == 0x64 || b == 0x65) level = max_cpu(level, CPU_386);
    else if (b != 0xF0 && b != 0xF2 && b != 0xF3 && b != 0x26 && b != 0x2E && b != 0x36 &&
             b != 0x3E)
      break;
  }
  if (i >= n) return level;
  if (code[i] == 0x0F) return max_cpu(level, i + 1 < n ? two_byte_level(code[i + 1]) : CPU_386);
  level = max_cpu(level, one_byte_level(code[i], code + i + 1, n - i - 1));
  if (in->op == OP_PUSH && in->nops == 1 && in->o[0].kind == K_REG && in->o[0].size == 2 &&
      in->o[0].reg == R_SP)
    level = max_cpu(level, CPU_286);
  return level;
}

bool isa_undocumented(const insn *in) {
  if (in->op == OP_SALC) return true;
  if ((in->op == OP_AAM || in->op == OP_AAD) && in->nops == 1 && in->o[0].kind == K_IMM)
    return (in->o[0].disp & 0xff) != 10;
  return false;
}

static const char *const cpu_names[] = {"8086", "186", "286", "386", "486", "686"};

const char *isa_cpu_name(int cpu) {
  return cpu >= CPU_8086 && cpu <= CPU_686 ? cpu_names[cpu] : "?";
}

/* "8086", "186", "80186", "286", "i386", "386", "486", "686", "p6" (nasm's
 * `cpu` names and the plain numbers), case-insensitively. */
bool isa_cpu_parse(const char *text, int *cpu) {
  char low[16];
  size_t n = 0;
  for (; text[n] && n + 1 < sizeof low; n++)
    low[n] = (char)(text[n] >= 'A' && text[n] <= 'Z' ? text[n] - 'A' + 'a' : text[n]);
  if (text[n]) return false;
  low[n] = 0;
  const char *p = low;
  if (!strncmp(p, "80", 2) && strlen(p) == 5) p += 2;     /* 80186, 80286, 80386 */
  else if (p[0] == 'i' && strlen(p) == 4) p += 1;         /* i386, i486, i686 */
  static const struct { const char *name; int cpu; } names[] = {
    {"8086", CPU_8086}, {"8088", CPU_8086}, {"186", CPU_186}, {"286", CPU_286},
    {"386", CPU_386}, {"486", CPU_486}, {"586", CPU_486}, {"pentium", CPU_486},
    {"686", CPU_686}, {"p6", CPU_686}, {"ppro", CPU_686}, {"pentiumpro", CPU_686},
  };
  for (size_t k = 0; k < sizeof names / sizeof *names; k++)
    if (!strcmp(p, names[k].name)) {
      *cpu = names[k].cpu;
      return true;
    }
  return false;
}
