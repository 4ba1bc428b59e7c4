/* The one process runner (sys/run.h): output captured in order, the time
 * limit, a missing program, and files written atomically. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sys/run.h"

Test(run, output_captured_with_and_without_stderr) {
  const char *argv[] = {"sh", "-c", "echo one; echo two >&2; echo three; exit 4", NULL};
  char *out = NULL;
  size_t n = 0;
  cr_expect_eq(run_output(argv, NULL, 30, true, &out, &n), 4);
  cr_expect_str_eq(out, "one\ntwo\nthree\n");
  cr_expect_eq(n, strlen("one\ntwo\nthree\n"));
  free(out);
  cr_expect_eq(run_output(argv, NULL, 30, false, &out, NULL), 4);
  cr_expect_str_eq(out, "one\nthree\n");
  free(out);
}

Test(run, more_output_than_a_pipe_holds) {
  const char *argv[] = {"sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x", NULL};
  char *out = NULL;
  size_t n = 0;
  cr_expect_eq(run_output(argv, NULL, 30, false, &out, &n), 0);
  cr_expect_eq(n, 300000u);
  cr_expect_eq(strspn(out, "x"), 300000u);
  free(out);
}

Test(run, time_limit_and_missing_program) {
  const char *slow[] = {"sleep", "30", NULL};
  cr_expect_eq(run_process(slow, NULL, NULL, NULL, NULL, 1), 124);
  const char *missing[] = {"superopt-no-such-program", NULL};
  char *out = NULL;
  cr_expect_eq(run_output(missing, NULL, 5, true, &out, NULL), 127);
  free(out);
}

Test(run, one_file_for_stdout_and_stderr) {
  char dir[] = "/tmp/run-testXXXXXX";
  cr_assert(mkdtemp(dir));
  char log[600];
  snprintf(log, sizeof log, "%s/log", dir);
  const char *argv[] = {"sh", "-c", "echo a; echo b >&2; echo c", NULL};
  cr_expect_eq(run_process(argv, NULL, NULL, log, log, 30), 0);
  size_t n;
  char *text = read_whole_file(log, &n);
  cr_assert(text);
  cr_expect_str_eq(text, "a\nb\nc\n");
  free(text);
  cr_expect(write_file_atomic(log, "new", 3));
  text = read_whole_file(log, &n);
  cr_expect_str_eq(text, "new");
  free(text);
  unlink(log);
  rmdir(dir);
}
