/* Modes from nasm's preprocessor (see nasm_mode.h).  `nasm -E` writes every
 * mode directive as the primitive `[bits EXPR]` with macros expanded, and
 * `%line L+I FILE` markers that say which source line each output line
 * comes from; EXPR itself is evaluated by nasm (`dd (EXPR)`), so number
 * syntax such as 032, 20h or 0x10+0x10 is read exactly as nasm reads it. */
#include "program/nasm_mode.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

int nasm_run(const char *const argv[], const char *errfile) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) { dup2(fd, 2); dup2(fd, 1); close(fd); }
    execvp("nasm", (char *const *)argv);
    _exit(127);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void nasm_first_line(const char *file, char *buf, size_t n) {
  buf[0] = 0;
  FILE *f = fopen(file, "r");
  if (!f) return;
  if (fgets(buf, (int)n, f)) buf[strcspn(buf, "\r\n")] = 0;
  fclose(f);
}

/* The value nasm gives EXPR, or -1 when it cannot evaluate it. */
static int evaluate(const char *dir, const char *expr) {
  char src[300], bin[300], log[300];
  snprintf(src, sizeof src, "%s/expr.asm", dir);
  snprintf(bin, sizeof bin, "%s/expr.bin", dir);
  snprintf(log, sizeof log, "%s/expr.err", dir);
  FILE *f = fopen(src, "w");
  if (!f) return -1;
  fprintf(f, "dd (%s)\n", expr);
  fclose(f);
  const char *argv[] = { "nasm", "-f", "bin", "-o", bin, src, NULL };
  int v = -1;
  if (nasm_run(argv, log) == 0 && (f = fopen(bin, "rb"))) {
    unsigned char b[4];
    if (fread(b, 1, 4, f) == 4) v = (int)(b[0] | b[1] << 8 | b[2] << 16 | (unsigned)b[3] << 24);
    fclose(f);
  }
  unlink(src);
  unlink(bin);
  unlink(log);
  return v;
}

/* "[bits EXPR]" (any case, spaces allowed): copies EXPR. */
static bool bits_directive(const char *line, char *expr, size_t n) {
  while (isspace((unsigned char)*line)) line++;
  if (*line++ != '[') return false;
  while (isspace((unsigned char)*line)) line++;
  if (strncasecmp(line, "bits", 4) || !isspace((unsigned char)line[4])) return false;
  line += 4;
  const char *end = strrchr(line, ']');
  if (!end) return false;
  while (line < end && isspace((unsigned char)*line)) line++;
  size_t k = (size_t)(end - line);
  while (k && isspace((unsigned char)line[k - 1])) k--;
  if (!k || k >= n) return false;
  memcpy(expr, line, k);
  expr[k] = 0;
  return true;
}

static bool grow(nasm_modes *m, int line) {
  if (line < m->nlines) return true;
  int n = m->nlines ? m->nlines : 256;
  while (n <= line) n *= 2;
  int *b = realloc(m->bits, (size_t)n * sizeof *b);
  if (!b) return false;
  for (int i = m->nlines; i < n; i++) b[i] = 0;   /* 0: not reported */
  m->bits = b;
  m->nlines = n;
  return true;
}

/* Walk the preprocessed text: the mode at the start of each line of `path`,
 * and the first switch away from 16 bits. */
static bool scan(FILE *f, const char *path, const char *dir, nasm_modes *m) {
  char buf[4096], file[1024] = "", expr[256], last_expr[256] = "";
  int line = 0, inc = 1, mode = 16, last_value = 16;
  while (fgets(buf, sizeof buf, f)) {
    bool whole = strchr(buf, '\n') != NULL;
    int l, i;
    char name[1024];
    if (!strncmp(buf, "%line ", 6) && sscanf(buf + 6, "%d+%d %1023s", &l, &i, name) == 3) {
      line = l;
      inc = i;
      snprintf(file, sizeof file, "%s", name);
      continue;
    }
    bool ours = !strcmp(file, path);
    if (ours && line > 0) {
      if (!grow(m, line)) return false;
      if (!m->bits[line]) m->bits[line] = mode;
    }
    if (bits_directive(buf, expr, sizeof expr)) {
      if (strcmp(expr, last_expr)) {
        snprintf(last_expr, sizeof last_expr, "%s", expr);
        last_value = evaluate(dir, expr);
      }
      mode = last_value;
      if (mode != 16 && !m->first_line) {
        /* a directive from an include is charged to the line that included it */
        m->first_line = ours ? line : 0;
        m->first_bits = mode;
        buf[strcspn(buf, "\r\n")] = 0;
        snprintf(m->first_text, sizeof m->first_text, "%.80s", buf);
        if (!ours) m->first_line = -1;
      }
    }
    if (whole) line += inc;
  }
  return true;
}

bool nasm_modes_read(const char *path, const char *incdir, nasm_modes *m, char *err, size_t errn,
                     bool *tool_missing) {
  memset(m, 0, sizeof *m);
  if (tool_missing) *tool_missing = false;
  char dir[] = "/tmp/nasmmodeXXXXXX";
  if (!mkdtemp(dir)) {
    snprintf(err, errn, "%s: cannot create a temporary directory: %s", path, strerror(errno));
    return false;
  }
  char out[300], log[300], inc[1100];
  snprintf(out, sizeof out, "%s/pre.asm", dir);
  snprintf(log, sizeof log, "%s/nasm.err", dir);
  if (incdir && *incdir) snprintf(inc, sizeof inc, "-I%s/", incdir);
  else {
    const char *slash = strrchr(path, '/');
    if (slash) snprintf(inc, sizeof inc, "-I%.*s/", (int)(slash - path), path);
    else snprintf(inc, sizeof inc, "-I./");
  }
  const char *argv[] = { "nasm", "-E", inc, "-o", out, path, NULL };
  int rc = nasm_run(argv, log);
  bool ok = false;
  if (rc == 127 || rc < 0) {
    snprintf(err, errn, "%s: cannot run nasm", path);
    if (tool_missing) *tool_missing = true;
  } else if (rc != 0) {
    char first[512];
    nasm_first_line(log, first, sizeof first);
    snprintf(err, errn, "%s", first[0] ? first : "nasm failed");
  } else {
    FILE *f = fopen(out, "r");
    ok = f && scan(f, path, dir, m);
    if (f) fclose(f);
    if (!ok) snprintf(err, errn, "%s: cannot read nasm's preprocessed output", path);
  }
  /* a line nasm did not report (blank, comment, skipped) has the mode of
     the line before it */
  for (int i = 1; i < m->nlines; i++)
    if (!m->bits[i]) m->bits[i] = m->bits[i - 1] ? m->bits[i - 1] : 16;
  unlink(out);
  unlink(log);
  rmdir(dir);
  if (!ok) nasm_modes_free(m);
  return ok;
}

int nasm_mode_at(const nasm_modes *m, int line) {
  if (line <= 0 || !m->bits) return 16;
  if (line >= m->nlines) return m->nlines > 1 ? m->bits[m->nlines - 1] : 16;
  return m->bits[line];
}

void nasm_modes_free(nasm_modes *m) {
  free(m->bits);
  m->bits = NULL;
  m->nlines = 0;
}
