#include "prove/solver_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sys/run.h"

bool solver_cli_run(const char *const argv[], unsigned timeout_s, char *out, size_t n) {
  char *text = NULL;
  int rc = run_output(argv, NULL, timeout_s, true, &text, NULL);
  snprintf(out, n, "%.*s", text ? (int)strcspn(text, "\r\n") : 0, text ? text : "");
  free(text);
  return rc >= 0 && rc != 124 && rc != 127 && rc < 128;   /* ran, in time, to its end */
}

bool solver_cli_both_unsat(const char *path, unsigned timeout_s, char *why, size_t whyn) {
  char tl[32];
  snprintf(tl, sizeof tl, "--tlimit=%u", timeout_s * 1000);
  const char *z3[] = {"z3", "-smt2", path, NULL};
  const char *cvc5[] = {"cvc5", "--lang", "smt2", tl, path, NULL};
  const char *const *tools[] = {z3, cvc5};
  for (int i = 0; i < 2; i++) {
    char ans[256];
    bool ran = solver_cli_run(tools[i], timeout_s + 1, ans, sizeof ans);
    if (!ran || strcmp(ans, "unsat")) {
      snprintf(why, whyn, "%s answered '%s' on %s", tools[i][0], ran ? ans : "(did not run)", path);
      return false;
    }
  }
  return true;
}
