/* Encode, decode and print: round trips over sampled instructions of every
 * operation, nasm's bytes for the printed text, and refusals. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "isa/isa.h"
#include "run.h"
#include "sample.h"

#define PER_OP 80

static insn samples[OP_COUNT * PER_OP];
static int nsamples;

static void make_samples(void) {
  sample_rng r = {12345};
  nsamples = 0;
  for (int op = 0; op < OP_COUNT; op++)
    nsamples += sample_op((isa_op)op, &r, samples + nsamples, PER_OP);
}

Test(codec, every_operation_has_encodable_forms) {
  sample_rng r = {1};
  static insn buf[PER_OP];
  for (int op = 0; op < OP_COUNT; op++) {
    int n = sample_op((isa_op)op, &r, buf, PER_OP);
    cr_expect(n > 0, "no encodable sample for %s", isa_op_name((isa_op)op));
  }
}

Test(codec, decode_of_encode_is_identity) {
  make_samples();
  cr_assert(nsamples > 2000, "only %d samples", nsamples);
  for (int i = 0; i < nsamples; i++) {
    insn in = samples[i], back;
    uint8_t b[ISA_MAX_LEN], b2[ISA_MAX_LEN];
    char err[128], t1[128], t2[128];
    int n = isa_encode(&in, b);
    isa_print(&in, t1, sizeof t1);
    int m = isa_decode(b, (size_t)n, &back, err, sizeof err);
    cr_assert_eq(m, n, "%s: decode gave %d (%s), encode %d", t1, m, err, n);
    isa_print(&back, t2, sizeof t2);
    /* nasm, and so the encoder, writes [r*2] as [r+r]: same bytes, other text */
    bool split = false;
    for (int k = 0; k < in.nops; k++)
      split |= in.o[k].kind == K_MEM && in.o[k].addr32 && in.o[k].base < 0 && in.o[k].scale == 2;
    /* xchg and test read both operands alike; nasm takes either order */
    if (in.op == OP_XCHG || in.op == OP_TEST) {
      insn sw = in;
      sw.o[0] = in.o[1];
      sw.o[1] = in.o[0];
      char t3[128];
      isa_print(&sw, t3, sizeof t3);
      if (!strcmp(t3, t2)) split = true;
    }
    if (!split) cr_expect_str_eq(t2, t1, "printed differently after decode: [%s] vs [%s]", t2, t1);
    cr_assert_eq(isa_encode(&back, b2), n);
    cr_expect(!memcmp(b, b2, (size_t)n), "%s: re-encoding differs", t1);
  }
}

/* Print every sample (and every instruction found in random bytes), run
 * nasm on the text and compare its bytes with ours, instruction by
 * instruction. */
Test(codec, nasm_assembles_printed_text_to_the_same_bytes) {
  make_samples();
  static insn all[OP_COUNT * PER_OP + 20000];
  static uint8_t bytes[OP_COUNT * PER_OP + 20000][ISA_MAX_LEN];
  int n = 0;
  for (int i = 0; i < nsamples; i++) {
    all[n] = samples[i];
    isa_encode(&all[n], bytes[n]);
    n++;
  }
  sample_rng r = {777};
  int decoded_random = 0;
  for (int k = 0; k < 200000 && decoded_random < 20000; k++) {
    uint8_t buf[ISA_MAX_LEN];
    for (int i = 0; i < ISA_MAX_LEN; i++) buf[i] = (uint8_t)sample_next(&r);
    static const uint8_t pfx[] = {0x66, 0x67, 0x26, 0x0f, 0x66};
    if (sample_next(&r) % 3 == 0) buf[0] = pfx[sample_next(&r) % 5];
    insn in;
    int len = isa_decode(buf, sizeof buf, &in, NULL, 0);
    if (len < 0) continue;
    all[n] = in;
    memcpy(bytes[n], buf, (size_t)len);
    n++;
    decoded_random++;
  }
  cr_assert(decoded_random > 5000, "only %d random byte strings decoded", decoded_random);

  char dir[] = "/tmp/isa-nasm-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char asmf[64], binf[64], cmd[256];
  snprintf(asmf, sizeof asmf, "%s/t.asm", dir);
  snprintf(binf, sizeof binf, "%s/t.bin", dir);
  FILE *f = fopen(asmf, "w");
  cr_assert_not_null(f);
  fprintf(f, "bits 16\n");
  size_t total = 0;
  for (int i = 0; i < n; i++) {
    char t[128];
    isa_print(&all[i], t, sizeof t);
    fprintf(f, "%s\n", t);
    total += all[i].len;
  }
  fclose(f);
  snprintf(cmd, sizeof cmd, "nasm -f bin -o %s %s 2>%s/err", binf, asmf, dir);
  int rc = system(cmd);
  if (rc) {
    snprintf(cmd, sizeof cmd, "head -5 %s/err >&2", dir);
    (void)!system(cmd);
  }
  cr_assert_eq(rc, 0, "nasm refused the printed text (%s)", asmf);
  f = fopen(binf, "rb");
  cr_assert_not_null(f);
  static uint8_t got[(OP_COUNT * PER_OP + 20000) * ISA_MAX_LEN];
  size_t gn = fread(got, 1, sizeof got, f);
  fclose(f);
  size_t off = 0;
  int bad = 0;
  for (int i = 0; i < n && off < gn; i++) {
    if (memcmp(got + off, bytes[i], all[i].len)) {
      char t[128];
      isa_print(&all[i], t, sizeof t);
      if (bad++ < 20) {
        fprintf(stderr, "nasm disagrees on '%s': ours", t);
        for (int k = 0; k < all[i].len; k++) fprintf(stderr, " %02X", bytes[i][k]);
        fprintf(stderr, ", nasm");
        for (int k = 0; k < all[i].len && off + (size_t)k < gn; k++) fprintf(stderr, " %02X", got[off + (size_t)k]);
        fprintf(stderr, "\n");
      }
      break;   /* offsets after a length disagreement mean nothing */
    }
    off += all[i].len;
  }
  cr_expect_eq(bad, 0);
  cr_expect_eq(gn, total, "nasm wrote %zu bytes, we encode %zu", gn, total);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir); if (bad) cmd[0] = 0;
  (void)!system(cmd);
}

static void expect_refused(const char *hex, const char *why) {
  uint8_t b[16];
  size_t n = run_bytes(hex, b, sizeof b);
  insn in;
  char err[160];
  cr_expect_eq(isa_decode(b, n, &in, err, sizeof err), -1, "%s decoded", hex);
  cr_expect(strstr(err, why) != NULL, "%s: message '%s' lacks '%s'", hex, err, why);
}

Test(codec, unmodelled_and_noncanonical_bytes_are_refused_with_a_reason) {
  expect_refused("0F 01 00", "unmodelled opcode 0F 01");
  expect_refused("62 00", "unmodelled opcode 62");
  expect_refused("F0 01 D8", "lock");
  expect_refused("B8 34", "truncated");
  expect_refused("26 90", "segment prefix");
  expect_refused("03 C3", "non-canonical encoding (nasm writes 01 D8)");   /* d=1 */
  expect_refused("8B 40 00", "non-canonical");      /* [bx+si+0] with a disp8 */
  expect_refused("81 C3 01 00", "non-canonical");   /* add bx, 1 with imm16 */
  expect_refused("0F C8", "bswap");
  expect_refused("66 F3 01 D8", "rep prefix on a non-string instruction");
  expect_refused("0F C8", "needs an operand-size prefix");
}

Test(codec, nasm_choices_for_short_forms) {
  /* bytes from nasm 2.16's listing of the same text */
  static const struct { const char *text; const char *hex; } cases[] = {
    {"add ax, 0x1", "83C001"}, {"add al, 0x1", "0401"}, {"add ax, 0x1234", "053412"},
    {"xchg bx, ax", "93"}, {"push word 0xffff", "6AFF"}, {"mov ax, word [0x1234]", "A13412"},
    {"mov byte [bp], al", "884600"}, {"inc cx", "41"}, {"shl ax, 0x1", "D1E0"},
    {"imul ax, ax, 0x5", "6BC005"}, {"mov eax, dword [es:ebx]", "2666678B03"},
    {"test al, 0x1", "A801"}, {"lea ax, [bx]", "8D07"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    uint8_t want[16], got[ISA_MAX_LEN];
    size_t n = strlen(cases[i].hex) / 2;
    for (size_t k = 0; k < n; k++) {
      char t[3] = {cases[i].hex[2 * k], cases[i].hex[2 * k + 1], 0};
      want[k] = (uint8_t)strtoul(t, NULL, 16);
    }
    insn in;
    char err[128], text[128];
    cr_assert_eq(isa_decode(want, n, &in, err, sizeof err), (int)n, "%s: %s", cases[i].text, err);
    isa_print(&in, text, sizeof text);
    cr_expect_str_eq(text, cases[i].text);
    cr_expect_eq(isa_encode(&in, got), (int)n);
    cr_expect(!memcmp(got, want, n), "%s re-encoded differently", cases[i].text);
  }
}

Test(codec, lenient_decode_gives_the_cpu_meaning_of_foreign_bytes) {
  static const struct { const char *hex; const char *text; } cases[] = {
    {"26368b07", "mov ax, word [ss:bx]"},   /* last segment prefix wins */
    {"03c3", "add ax, bx"},                 /* d=1 register form */
    {"8b4000", "mov ax, word [bx+si]"},     /* zero disp8 */
    {"d1f0", "shl ax, 0x1"},                /* sal /6 alias */
    {"f6c805", "test al, 0x5"},             /* test /1 alias */
    {"2690", "nop"},                        /* ineffective prefix */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    uint8_t b[16];
    size_t n = strlen(cases[i].hex) / 2;
    for (size_t k = 0; k < n; k++) {
      char t[3] = {cases[i].hex[2 * k], cases[i].hex[2 * k + 1], 0};
      b[k] = (uint8_t)strtoul(t, NULL, 16);
    }
    insn in;
    char err[128], text[128];
    cr_expect_eq(isa_decode(b, n, &in, err, sizeof err), -1, "%s: strict decode accepted", cases[i].hex);
    cr_assert_eq(isa_decode_lenient(b, n, &in, err, sizeof err), (int)n, "%s: %s", cases[i].hex, err);
    isa_print(&in, text, sizeof text);
    cr_expect_str_eq(text, cases[i].text, "%s printed '%s'", cases[i].hex, text);
  }
}

/* nasm writes `rep` alone on a line as a lone F3: it decodes as an
 * instruction of its own, so a window splitter keeps it before the next */
Test(codec, a_lone_rep_prefix_is_an_instruction_of_length_one) {
  static const struct { const char *hex; int len; const char *text; } cases[] = {
    {"f301d8", 1, "rep"}, {"f20f0b", 1, "repne"}, {"f3c3", 1, "rep"},
    {"f3a4", 2, "rep movsb"}, {"f366a5", 3, "rep movsd"}, {"f2ae", 2, "repne scasb"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    uint8_t b[16];
    size_t n = run_bytes(cases[i].hex, b, sizeof b);
    insn in;
    char err[128], text[128];
    cr_assert_eq(isa_decode(b, n, &in, err, sizeof err), cases[i].len, "%s: %s", cases[i].hex, err);
    isa_print(&in, text, sizeof text);
    cr_expect_str_eq(text, cases[i].text, "%s printed '%s'", cases[i].hex, text);
    isa_effects e;
    isa_effects_of(&in, &e);
    cr_expect(!e.searchable, "%s is searchable", cases[i].hex);
  }
  /* the rest of the bytes decode on their own */
  uint8_t b[3] = {0xf3, 0x01, 0xd8};
  insn in;
  cr_assert_eq(isa_decode(b + 1, 2, &in, NULL, 0), 2);
  cr_expect_eq(in.op, OP_ADD);
}

/* bytes only the lenient decoder reads, which no row encodes, still print */
Test(codec, lenient_only_instructions_print_through_their_alias_row) {
  uint8_t b[3] = {0x0f, 0xb7, 0xc3};             /* movzx ax, bx (source as wide) */
  insn in;
  char text[64];
  cr_assert_eq(isa_decode(b, 3, &in, NULL, 0), -1);
  cr_assert_eq(isa_decode_lenient(b, 3, &in, NULL, 0), 3);
  uint8_t out[ISA_MAX_LEN];
  cr_expect_eq(isa_encode(&in, out), -1);
  isa_print(&in, text, sizeof text);
  cr_expect_str_eq(text, "movzx ax, bx");
}
