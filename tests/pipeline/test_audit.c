/* The audit's outside checks: Capstone against proof text, and an
 * exhaustion proof re-run on Unicorn (a true one passes, a false one is
 * caught). */
#include <criterion/criterion.h>
#include "cli/audit.h"
#include "helpers.h"
#include "prove/exhaust.h"

Test(audit, capstone_reads_what_the_text_says) {
  char why[256];
  cr_expect(audit_capstone_matches("31c099", "xor ax, ax; cwd", why, sizeof why), "%s", why);
  cr_expect(audit_capstone_matches("ac", "lodsb", why, sizeof why), "%s", why);
  cr_expect(audit_capstone_matches("8b4704", "mov ax, word [bx+0x4]", why, sizeof why), "%s", why);
  cr_expect(!audit_capstone_matches("31c0", "xor bx, bx", why, sizeof why));
  cr_expect(!audit_capstone_matches("31c099", "xor ax, ax", why, sizeof why), "count differs");
}

static void seq(const uint8_t *b, int n, insn *out, int *k) {
  int off = 0;
  *k = 0;
  while (off < n) {
    int l = isa_decode(b + off, (size_t)(n - off), &out[*k], NULL, 0);
    cr_assert_gt(l, 0);
    off += l;
    (*k)++;
  }
}

static bool write_and_rerun(const uint8_t *cand, int cn, char *why, size_t whyn) {
  snippet s;
  memset(&s, 0, sizeof s);
  const uint8_t orig[] = {0xb8, 0x00, 0x00};   /* mov ax, 0 */
  seq(orig, sizeof orig, s.code, &s.n);
  s.bytes = 3;
  s.live_out = LOC_R16(R_AX);
  insn c[4];
  int n;
  seq(cand, cn, c, &n);
  char dir[] = "/tmp/pipeline-exhXXXXXX";
  cr_assert(mkdtemp(dir));
  char path[512], w[256];
  cr_assert(exhaust_write(dir, &s, c, n, 1, path, sizeof path, w, sizeof w), "%s", w);
  proof_info h;
  cr_assert(proof_read(path, &h, w, sizeof w), "%s", w);
  cr_expect_str_eq(h.kind, "exhaustive");
  bool sampled;
  unsigned long long ran;
  bool ok = audit_exhaust_unicorn(&h, 1ull << 20, &sampled, &ran, why, whyn);
  cr_expect(!sampled);
  if (ok) cr_expect_eq(ran, 1ull << h.bits, "every input ran");
  unlink(path);
  rmdir(dir);
  return ok;
}

Test(audit, exhaustion_rerun_on_unicorn) {
  char why[256];
  const uint8_t xor_ax[] = {0x31, 0xc0};          /* xor ax, ax: equal on ax */
  cr_expect(write_and_rerun(xor_ax, 2, why, sizeof why), "%s", why);
  const uint8_t dec_ax[] = {0x31, 0xc0, 0x48};    /* xor ax, ax; dec ax: ax = 0xffff */
  cr_expect(!write_and_rerun(dec_ax, 3, why, sizeof why), "a false exhaustion proof is caught");
  cr_expect(strstr(why, "input") != NULL, "%s", why);
}
