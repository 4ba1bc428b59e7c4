/* Running nasm: flat binary plus listing, errors passed through verbatim
 * (nasm already names file:line). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "program/listing.h"

int listing_assemble(const char *src, const char *incdir, const char *bin,
                     const char *lst, char *err, size_t errn) {
  int pfd[2];
  if (pipe(pfd) != 0) {
    snprintf(err, errn, "pipe: %s", strerror(errno));
    return 3;
  }
  char inc[1100];
  snprintf(inc, sizeof inc, "-I%s/", incdir && *incdir ? incdir : ".");
  const char *argv[12];
  int a = 0;
  argv[a++] = "nasm";
  argv[a++] = "-f";
  argv[a++] = "bin";
  argv[a++] = inc;
  if (lst) {
    argv[a++] = "-l";
    argv[a++] = lst;
  }
  argv[a++] = "-o";
  argv[a++] = bin;
  argv[a++] = src;
  argv[a] = NULL;
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(err, errn, "fork: %s", strerror(errno));
    return 3;
  }
  if (pid == 0) {
    close(pfd[0]);
    dup2(pfd[1], 2);
    dup2(pfd[1], 1);
    execvp("nasm", (char **)argv);
    _exit(127);
  }
  close(pfd[1]);
  char out[4096];
  size_t got = 0;
  ssize_t r;
  while ((r = read(pfd[0], out + got, sizeof out - 1 - got)) > 0) {
    got += (size_t)r;
    if (got >= sizeof out - 1) {   /* drain the rest */
      char sink[512];
      while (read(pfd[0], sink, sizeof sink) > 0) {}
      break;
    }
  }
  out[got] = 0;
  close(pfd[0]);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
  if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
    snprintf(err, errn, "nasm not found (install nasm)");
    return 3;
  }
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    /* first error line is the useful one */
    char *line = strstr(out, "error");
    char *start = out;
    if (line) {
      while (line > out && line[-1] != '\n') line--;
      start = line;
    }
    char *nl = strchr(start, '\n');
    if (nl) *nl = 0;
    snprintf(err, errn, "%s", *start ? start : "nasm failed");
    return 2;
  }
  return 0;
}
