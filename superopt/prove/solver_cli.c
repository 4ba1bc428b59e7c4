#include "prove/solver_cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

bool solver_cli_run(const char *const argv[], unsigned timeout_s, char *out, size_t n) {
  int fd[2];
  out[0] = 0;
  if (pipe(fd) < 0) return false;
  pid_t pid = fork();
  if (pid < 0) { close(fd[0]); close(fd[1]); return false; }
  if (pid == 0) {
    dup2(fd[1], 1);
    dup2(fd[1], 2);
    close(fd[0]);
    close(fd[1]);
    alarm(timeout_s);   /* a hung solver dies with SIGALRM */
    execvp(argv[0], (char *const *)argv);
    _exit(127);
  }
  close(fd[1]);
  char buf[4096];
  size_t got = 0;
  ssize_t k;
  while ((k = read(fd[0], buf + got, sizeof buf - 1 - got)) > 0 || (k < 0 && errno == EINTR))
    if (k > 0) got += (size_t)k;
  close(fd[0]);
  buf[got] = 0;
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return false;
  snprintf(out, n, "%.*s", (int)strcspn(buf, "\r\n"), buf);
  return WIFEXITED(status) && WEXITSTATUS(status) != 127;
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
