/* A label's address as a symbolic constant: `superopt shrink` rewrites
 * windows that hold one, proves them for every address the label may get,
 * prints the label by name, and refuses a shorter form that is right only
 * for the label's current address. */
#include <criterion/criterion.h>
#include "helpers.h"

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  cr_assert(f, "cannot write %s", path);
  fputs(text, f);
  fclose(f);
}

/* Run shrink on text (as dir/NAME.asm); the report in out. */
static void shrink(const char *dir, const char *name, const char *text, char *out, size_t n) {
  char path[256], cmd[2048];
  snprintf(path, sizeof path, "%s/%s.asm", dir, name);
  write_file(path, text);
  snprintf(cmd, sizeof cmd,
           "%s shrink %s --check true --window 6 --window-time 2 --budget 120"
           " --results %s/res --work %s/work --out %s/out.asm 2>&1",
           superopt_bin(), path, dir, dir, dir);
  cr_assert_eq(sh(cmd, out, n), 0, "%s", out);
}

/* mov si, msg; inc si -> mov si, msg+1, and the code before msg shrinks,
 * so msg moves: the new bytes hold msg's new address plus one. */
Test(labels, label_operand_shrinks_for_every_address, .timeout = 600) {
  char dir[64], cmd[2048];
  static char out[1 << 16];
  snprintf(dir, sizeof dir, "/tmp/pipeline-labelsXXXXXX");
  cr_assert(mkdtemp(dir));
  shrink(dir, "greet",
         "bits 16\n"
         "org 0x7c00\n"
         "start:  mov si, msg         ; the greeting\n"
         "        inc si\n"
         "        mov di, msg\n"
         "        mov ah, 0x0e\n"
         "        cmp cx, cx              ; the flags int leaves to the next\n"
         "        int 0x10\n"
         "        lodsb\n"
         "        int 0x10\n"
         "        hlt\n"
         "msg:    db \"hi\", 0\n"
         "        times 510-($-$$) db 0\n"
         "        dw 0xaa55\n",
         out, sizeof out);
  cr_assert(strstr(out, "splices accepted 1") || strstr(out, "splices accepted 2"), "%s", out);
  /* the spliced source names the label, never its number */
  snprintf(cmd, sizeof cmd, "grep -c 'mov si, msg+1' %s/out.asm; grep -v '^org' %s/out.asm | grep -ci '0x7c' || true",
           dir, dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  int named = -1, numbers = -1;
  sscanf(out, "%d %d", &named, &numbers);
  cr_expect_eq(named, 1, "mov si, msg+1 in the spliced source: %s", out);
  cr_expect_eq(numbers, 0, "no address written as a number: %s", out);
  snprintf(cmd, sizeof cmd, "grep -c 'mov di, msg' %s/out.asm", dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "the unchanged line keeps its label: %s", out);
  /* reassembled: the immediate is msg's new address + 1 */
  snprintf(cmd, sizeof cmd,
           "set -e; cd %s; nasm -f bin -l out.lst out.asm -o out.img;"
           " m=$(awk '/msg:/ {print $2}' out.lst); o=$(grep 'mov si, msg+1' out.lst | awk '{print $2}');"
           " echo $((0x$m + 0x7c00 + 1)) $(od -An -tu2 -j$((0x$o + 1)) -N2 out.img)",
           dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  int want = -1, got = -2;
  sscanf(out, "%d %d", &want, &got);
  cr_expect_eq(got, want, "mov si holds msg+1 at msg's new address: %s", out);
  cr_expect_lt(want, 0x7c00 + 20 + 1, "msg moved down: %s", out);
  /* the proof says so and re-checks */
  snprintf(cmd, sizeof cmd, "grep -l '^; symbolic: sym0=msg(0x7c' %s/res/proofs/*.smt2 | wc -l", dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  cr_expect_geq(atoi(out), 1, "a proof names the symbolic constant: %s", out);
  snprintf(cmd, sizeof cmd, "%s audit --results %s/res --base %s/greet.asm 2>&1", superopt_bin(), dir, dir);
  cr_expect_eq(sh(cmd, out, sizeof out), 0, "audit: %s", out);
  /* a proof that fixes the label's address is still unsat, but says less
     than its header: the audit refuses it */
  snprintf(cmd, sizeof cmd,
           "set -e; cp -r %s/res %s/pinned; f=$(grep -l '^; symbolic:' %s/pinned/proofs/*.smt2 | head -1);"
           " sed -i 's/^(check-sat)/(assert (= in_sym0 (_ bv31761 16)))\\n(check-sat)/' $f;"
           " z3 $f; %s audit --results %s/pinned 2>&1 || true",
           dir, dir, dir, superopt_bin(), dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  cr_expect(strstr(out, "unsat") != NULL, "still unsat: %s", out);
  cr_expect(strstr(out, "fixes in_sym0 to a number") != NULL, "the audit refuses it: %s", out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  sh(cmd, NULL, 0);
}

/* msg sits at 0x7d00: `mov bx, msg; mov bl, 0` equals `mov bx, msg` only
 * because msg's low byte is 0 now.  The same window with the number
 * 0x7d00 is shrunk (the search finds the form), the one with the label is
 * not: the proof must hold for every address msg may get. */
Test(labels, shortcut_right_only_for_the_current_address_is_refused, .timeout = 600) {
  char dir[64], cmd[2048];
  static char out[1 << 16];
  snprintf(dir, sizeof dir, "/tmp/pipeline-labelsXXXXXX");
  cr_assert(mkdtemp(dir));
  shrink(dir, "page",
         "bits 16\n"
         "org 0x7c00\n"
         "start:  mov bx, msg\n"                      /* 3 */
         "        mov bl, 0\n"                        /* 4 */
         "        int 0x10\n"
         "        mov bx, 0x7d00\n"                   /* 6 */
         "        mov bl, 0\n"                        /* 7 */
         "        int 0x10\n"
         "        hlt\n"
         "        times 256-($-$$) db 0\n"
         "msg:    db \"x\"\n"
         "        times 510-($-$$) db 0\n"
         "        dw 0xaa55\n",
         out, sizeof out);
  cr_expect(strstr(out, "accepted 6-7 (-2)") != NULL, "the number's window shrinks: %s", out);
  cr_expect(strstr(out, "accepted 3-") == NULL, "the label's window does not: %s", out);
  snprintf(cmd, sizeof cmd, "sed -n 3,4p %s/out.asm", dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  cr_expect(strstr(out, "mov bx, msg") && strstr(out, "mov bl, 0"), "lines 3-4 unchanged: %s", out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  sh(cmd, NULL, 0);
}
