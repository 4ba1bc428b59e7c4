/* Process and file helpers (see run.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sys/run.h"

static void redirect(const char *path, int fd) {
  if (path && !strcmp(path, "-")) return;
  int f = open(path ? path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (f >= 0) {
    dup2(f, fd);
    close(f);
  }
}

/* The child becomes a process group with a watchdog at its head: the
 * watchdog runs the command and waits; if this process dies (even by
 * SIGKILL) the pipe it holds closes and the watchdog kills the whole group,
 * so no check (QEMU...) outlives a killed run. */
static _Noreturn void watchdog(int alive_fd, const char *const argv[], const char *cwd,
                               const char *const env[], const char *out_path,
                               const char *err_path) {
  pid_t worker = fork();
  if (worker < 0) _exit(126);
  if (worker == 0) {
    close(alive_fd);
    if (cwd && chdir(cwd) != 0) _exit(126);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) {
      dup2(devnull, 0);
      close(devnull);
    }
    redirect(out_path, 1);
    redirect(err_path, 2);
    for (int i = 0; env && env[i]; i++) putenv((char *)env[i]);
    execvp(argv[0], (char *const *)argv);
    _exit(127);
  }
  for (;;) {
    int st;
    pid_t r = waitpid(worker, &st, WNOHANG);
    if (r == worker) _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    struct pollfd pf = {alive_fd, POLLIN, 0};
    if (poll(&pf, 1, 50) > 0) {
      char c;
      if (read(alive_fd, &c, 1) <= 0) {   /* the parent is gone */
        kill(0, SIGKILL);
        _exit(137);
      }
    }
  }
}

int run_process(const char *const argv[], const char *cwd, const char *const env[],
                const char *out_path, const char *err_path, unsigned timeout_s) {
  int alive[2];
  if (pipe2(alive, O_CLOEXEC) != 0) return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(alive[0]);
    close(alive[1]);
    return -1;
  }
  if (pid == 0) {
    setpgid(0, 0);
    close(alive[1]);
    watchdog(alive[0], argv, cwd, env, out_path, err_path);
  }
  close(alive[0]);
  setpgid(pid, pid);
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  int st = 0;
  for (;;) {
    pid_t r = waitpid(pid, &st, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {
      close(alive[1]);
      return -1;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (timeout_s && now.tv_sec - start.tv_sec >= (time_t)timeout_s) {
      kill(-pid, SIGKILL);
      waitpid(pid, &st, 0);
      close(alive[1]);
      return 124;
    }
    struct timespec nap = {0, 20 * 1000 * 1000};
    nanosleep(&nap, NULL);
  }
  close(alive[1]);
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

bool write_file_atomic(const char *path, const char *data, size_t n) {
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp%d", path, (int)getpid());
  FILE *f = fopen(tmp, "wb");
  if (!f) return false;
  bool ok = fwrite(data, 1, n, f) == n;
  ok = fflush(f) == 0 && ok;
  ok = fsync(fileno(f)) == 0 && ok;
  ok = fclose(f) == 0 && ok;
  if (ok) ok = rename(tmp, path) == 0;
  if (!ok) unlink(tmp);
  return ok;
}

char *read_whole_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, k = 0;
  char *buf = malloc(cap);
  size_t r;
  while ((r = fread(buf + k, 1, cap - k - 1, f)) > 0) {
    k += r;
    if (cap - k - 1 == 0) {
      cap *= 2;
      buf = realloc(buf, cap);
    }
  }
  fclose(f);
  buf[k] = 0;
  if (n) *n = k;
  return buf;
}

bool make_dirs(const char *path) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *s = buf + 1; *s; s++)
    if (*s == '/') {
      *s = 0;
      if (mkdir(buf, 0755) != 0 && errno != EEXIST) return false;
      *s = '/';
    }
  return mkdir(buf, 0755) == 0 || errno == EEXIST;
}
