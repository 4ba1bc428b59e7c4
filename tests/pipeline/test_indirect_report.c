/* The shrink report names each indirect transfer, the successors it was
 * given and what is live after it; --no-indirect-targets drops the
 * address-taken assumption. */
#include <criterion/criterion.h>
#include "helpers.h"

#include "indirect_table.h"

static void shrink_report(const char *dir, const char *extra, char *out, size_t n) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd,
           "cat > %s/t.asm <<'X'\n%sX\n"
           "%s shrink %s/t.asm --check true --budget 0 %s --results %s/res --work %s/work"
           " --out %s/out.asm 2>&1",
           dir, indirect_table_prog, superopt_bin(), dir, extra, dir, dir, dir);
  cr_assert_eq(sh(cmd, out, n), 0, "%s", out);
}

Test(indirect_report, assumption_line_and_option, .timeout = 120) {
  char dir[64], want[512];
  static char out[1 << 16];
  snprintf(dir, sizeof dir, "/tmp/pipeline-indirectXXXXXX");
  cr_assert(mkdtemp(dir));
  shrink_report(dir, "", out, sizeof out);
  snprintf(want, sizeof want,
           "indirect: %s/t.asm:3 jmp word [bx] -> 2 address-taken code labels (assumed): a b; "
           "live after it: cx dx mem\n", dir);
  cr_expect(strstr(out, want), "want '%s' in:\n%s", want, out);
  shrink_report(dir, "--no-indirect-targets", out, sizeof out);
  snprintf(want, sizeof want,
           "indirect: %s/t.asm:3 jmp word [bx] -> anywhere (the address-taken assumption is off); "
           "live after it: everything\n", dir);
  cr_expect(strstr(out, want), "want '%s' in:\n%s", want, out);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  sh(cmd, NULL, 0);
}
