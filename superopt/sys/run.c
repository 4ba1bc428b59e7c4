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

static void on_child(int sig) { (void)sig; }

/* The child becomes a process group with a watchdog at its head: the
 * watchdog runs the command and waits; if this process dies (even by
 * SIGKILL) the pipe it holds closes and the watchdog kills the whole group,
 * so no check (QEMU...) outlives a killed run.  The worker's end (SIGCHLD)
 * interrupts the watchdog's wait at once: a quick tool costs no poll period. */
static _Noreturn void watchdog(int alive_fd, const char *const argv[], const char *cwd,
                               const char *const env[], const char *out_path,
                               const char *err_path, int capture_fd, bool err_too) {
  sigset_t chld, orig;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &orig);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_child;
  sigaction(SIGCHLD, &sa, NULL);
  pid_t worker = fork();
  if (worker < 0) _exit(126);
  if (worker == 0) {
    sigprocmask(SIG_SETMASK, &orig, NULL);
    close(alive_fd);
    if (cwd && chdir(cwd) != 0) _exit(126);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) {
      dup2(devnull, 0);
      close(devnull);
    }
    if (capture_fd >= 0) {
      dup2(capture_fd, 1);
      if (err_too) dup2(capture_fd, 2);
      else redirect(NULL, 2);
      close(capture_fd);
    } else {
      redirect(out_path, 1);
      if (err_path && out_path && !strcmp(err_path, out_path) && strcmp(err_path, "-")) dup2(1, 2);
      else redirect(err_path, 2);
    }
    for (int i = 0; env && env[i]; i++) putenv((char *)env[i]);
    execvp(argv[0], (char *const *)argv);
    _exit(127);
  }
  if (capture_fd >= 0) close(capture_fd);
  for (;;) {
    int st;
    pid_t r = waitpid(worker, &st, WNOHANG);
    if (r == worker) _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    struct pollfd pf = {alive_fd, POLLIN, 0};
    if (ppoll(&pf, 1, NULL, &orig) > 0) {
      char c;
      if (read(alive_fd, &c, 1) <= 0) {   /* the parent is gone */
        kill(0, SIGKILL);
        _exit(137);
      }
    }
  }
}

typedef struct {
  char *buf;
  size_t n, cap;
} output;

/* Append what is ready on fd to o; false at end of file (or out of memory:
 * the rest is read and dropped). */
static bool drain(int fd, output *o) {
  char buf[4096];
  ssize_t k = read(fd, buf, sizeof buf);
  if (k < 0) return errno == EINTR || errno == EAGAIN;
  if (k == 0) return false;
  if (o->n + (size_t)k + 1 > o->cap) {
    size_t cap = o->cap ? o->cap * 2 : 8192;
    while (cap < o->n + (size_t)k + 1) cap *= 2;
    char *g = realloc(o->buf, cap);
    if (!g) return true;
    o->buf = g;
    o->cap = cap;
  }
  memcpy(o->buf + o->n, buf, (size_t)k);
  o->n += (size_t)k;
  o->buf[o->n] = 0;
  return true;
}

/* run_process and run_output: with cap set, stdout (and with err_too
 * stderr) goes to it. */
static int run_group(const char *const argv[], const char *cwd, const char *const env[],
                     const char *out_path, const char *err_path, unsigned timeout_s, output *cap,
                     bool err_too) {
  /* done: only the watchdog holds its write end (close-on-exec keeps it
     from the command), so it reads as closed the moment the watchdog ends */
  int alive[2], done[2], out[2] = {-1, -1};
  if (pipe2(alive, O_CLOEXEC) != 0) return -1;
  if (pipe2(done, O_CLOEXEC) != 0) {
    close(alive[0]);
    close(alive[1]);
    return -1;
  }
  if (cap && pipe2(out, O_CLOEXEC) != 0) {
    close(alive[0]), close(alive[1]), close(done[0]), close(done[1]);
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(alive[0]), close(alive[1]), close(done[0]), close(done[1]);
    if (cap) close(out[0]), close(out[1]);
    return -1;
  }
  if (pid == 0) {
    setpgid(0, 0);
    close(alive[1]);
    close(done[0]);
    if (cap) {
      close(out[0]);
      int keep = dup(out[1]);   /* without O_CLOEXEC: the worker's stdout */
      close(out[1]);
      out[1] = keep;
    }
    watchdog(alive[0], argv, cwd, env, out_path, err_path, cap ? out[1] : -1, err_too);
  }
  close(alive[0]);
  close(done[1]);
  if (cap) close(out[1]);
  setpgid(pid, pid);
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  bool open_out = cap != NULL, running = true, timed_out = false;
  while (running || open_out) {
    int wait_ms = -1;
    if (running && timeout_s) {
      struct timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      long long left = (long long)timeout_s * 1000 - ((now.tv_sec - start.tv_sec) * 1000LL +
                                                     (now.tv_nsec - start.tv_nsec) / 1000000);
      if (left <= 0) {
        kill(-pid, SIGKILL);
        timed_out = true;
        break;
      }
      wait_ms = left > 1000 ? 1000 : (int)left;
    }
    struct pollfd pf[2] = {{running ? done[0] : -1, POLLIN, 0}, {open_out ? out[0] : -1, POLLIN, 0}};
    if (poll(pf, 2, wait_ms) < 0 && errno != EINTR) break;
    if (pf[0].revents) running = false;   /* the watchdog is gone */
    if (pf[1].revents) open_out = drain(out[0], cap);
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
  close(alive[1]);
  close(done[0]);
  if (cap) close(out[0]);
  if (timed_out) return 124;
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

int run_process(const char *const argv[], const char *cwd, const char *const env[],
                const char *out_path, const char *err_path, unsigned timeout_s) {
  return run_group(argv, cwd, env, out_path, err_path, timeout_s, NULL, false);
}

int run_output(const char *const argv[], const char *cwd, unsigned timeout_s, bool with_stderr,
               char **out, size_t *n) {
  output o = {calloc(1, 1), 0, 1};
  if (!o.buf) return -1;
  int rc = run_group(argv, cwd, NULL, NULL, NULL, timeout_s, &o, with_stderr);
  *out = o.buf;
  if (n) *n = o.n;
  return rc;
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
