/* Modes from nasm itself (see nasm_mode.h).  nasm assembles a copy of the
 * file in which a probe, `%warning TAG L __?BITS?__`, stands before each
 * source line L, so nasm reports the mode it is in at that point after
 * evaluating every `bits`/`use32`/`[bits EXPR]` however it is written, from
 * a macro or an include.  A full assembly rather than `nasm -E`, because the
 * preprocessor alone cannot evaluate `%if` on assembler symbols, which real
 * programs use. */
#include "program/nasm_mode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sys/run.h"

#define PROBE_TAG "superopt-mode-probe"

int nasm_run(const char *const argv[], const char *errfile) {
  return run_process(argv, NULL, NULL, errfile, errfile, 0);
}

void nasm_first_line(const char *file, char *buf, size_t n) {
  buf[0] = 0;
  FILE *f = fopen(file, "r");
  if (!f) return;
  if (fgets(buf, (int)n, f)) buf[strcspn(buf, "\r\n")] = 0;
  fclose(f);
}

/* Copy path to probed with a probe before every line that does not continue
 * the one before it (a trailing backslash); *nlines gets the line count and
 * text the lines, for naming the directive that switched. */
static bool write_probed(const char *path, const char *probed, char ***text, int *nlines) {
  FILE *in = fopen(path, "r");
  if (!in) return false;
  FILE *out = fopen(probed, "w");
  if (!out) {
    fclose(in);
    return false;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int n = 0, room = 0;
  bool continued = false;
  char **lines = NULL;
  while ((len = getline(&line, &cap, in)) >= 0) {
    n++;
    if (n > room) {
      room = room ? room * 2 : 256;
      char **grown = realloc(lines, (size_t)room * sizeof *lines);
      if (!grown) break;
      lines = grown;
    }
    line[strcspn(line, "\r\n")] = 0;
    lines[n - 1] = strdup(line);
    if (!continued) fprintf(out, "%%warning " PROBE_TAG " %d __?BITS?__\n", n);
    fprintf(out, "%s\n", line);
    size_t k = strlen(line);
    continued = k && line[k - 1] == '\\';
  }
  free(line);
  bool ok = !ferror(in) && !ferror(out);
  fclose(in);
  ok = fclose(out) == 0 && ok;
  *text = lines;
  *nlines = n;
  return ok;
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

/* Read the probes' reports: the first report of line L is the mode there
 * (a probe inside a macro body reports again at each expansion). */
static int read_probes(const char *log, nasm_modes *m) {
  FILE *f = fopen(log, "r");
  if (!f) return -1;
  char buf[4096];
  int seen = 0;
  while (fgets(buf, sizeof buf, f)) {
    const char *p = strstr(buf, PROBE_TAG " ");
    int line, bits;
    if (!p || sscanf(p + strlen(PROBE_TAG), "%d %d", &line, &bits) != 2 || line <= 0) continue;
    if (!grow(m, line)) break;
    if (!m->bits[line]) m->bits[line] = bits;
    seen++;
  }
  fclose(f);
  return seen;
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
  char probed[300], bin[300], log[300], inc[1100];
  snprintf(probed, sizeof probed, "%s/probed.asm", dir);
  snprintf(bin, sizeof bin, "%s/probed.bin", dir);
  snprintf(log, sizeof log, "%s/nasm.err", dir);
  if (incdir && *incdir) snprintf(inc, sizeof inc, "-I%s/", incdir);
  else {
    const char *slash = strrchr(path, '/');
    if (slash) snprintf(inc, sizeof inc, "-I%.*s/", (int)(slash - path), path);
    else snprintf(inc, sizeof inc, "-I./");
  }
  char **text = NULL;
  int ntext = 0;
  bool ok = false;
  if (!write_probed(path, probed, &text, &ntext)) {
    snprintf(err, errn, "%s: cannot be read: %s", path, strerror(errno));
  } else {
    /* the probes are user warnings: make sure nasm prints them */
    const char *argv[] = { "nasm", "-f", "bin", "-w+user", inc, "-o", bin, probed, NULL };
    int rc = nasm_run(argv, log);
    if (rc == 127 || rc < 0) {
      snprintf(err, errn, "%s: cannot run nasm", path);
      if (tool_missing) *tool_missing = true;
    } else if (rc != 0) {
      /* name the program's own error, with its own line, when it has one */
      const char *plain[] = { "nasm", "-f", "bin", inc, "-o", bin, path, NULL };
      char first[512] = "";
      if (nasm_run(plain, log) != 0) nasm_first_line(log, first, sizeof first);
      if (first[0]) snprintf(err, errn, "%s", first);
      else snprintf(err, errn, "%s: nasm's mode cannot be read (the probed copy does not assemble)", path);
    } else if (read_probes(log, m) <= 0 && ntext > 0) {   /* an empty file has no mode to report */
      snprintf(err, errn, "%s: nasm did not report its mode (user warnings turned off?)", path);
    } else {
      ok = true;
    }
  }
  /* a line nasm did not report (inside %if 0, a continuation) has the mode
     of the line before it */
  if (ok && m->nlines) {
    if (!m->bits[1]) m->bits[1] = 16;
    for (int i = 2; i < m->nlines; i++)
      if (!m->bits[i]) m->bits[i] = m->bits[i - 1];
    /* the first line after which nasm is no longer in 16-bit mode */
    for (int i = 1; i + 1 < m->nlines && i <= ntext; i++)
      if (m->bits[i + 1] != 16) {
        m->first_line = i;
        m->first_bits = m->bits[i + 1];
        break;
      }
    if (m->first_line)
      snprintf(m->first_text, sizeof m->first_text, "%.80s", text[m->first_line - 1]);
  }
  for (int i = 0; i < ntext; i++) free(text[i]);
  free(text);
  unlink(probed);
  unlink(bin);
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
