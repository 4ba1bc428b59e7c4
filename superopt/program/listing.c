/* Reading a program: nasm's listing maps each image offset to the source
 * line that produced it.  Listing columns (nasm 2.x): line number in 0-5,
 * offset in 7-14, hex bytes from 16 ("-" at the end continues on the next
 * listing line, "[..]" marks a relocated value, "<rep N>" a repetition),
 * "<n>" macro/include level at 36-39, source text from 40. */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "program/listing.h"
#include "program/nasm_mode.h"

static const char *const exclusion_names[EX_COUNT] = {
  "searched", "data", "annotation (superopt: keep)", "unsupported instruction",
  "code also read as data", "macro or include", "address operand (moves when code shrinks)",
  "control transfer", "not searchable (I/O, interrupts, ...)",
};

const char *exclusion_name(exclusion e) {
  return e < EX_COUNT ? exclusion_names[e] : "?";
}

static bool read_lines(const char *path, char ***out, int *n, char *err, size_t errn) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errn, "%s: %s", path, strerror(errno));
    return false;
  }
  char **v = NULL;
  int cap = 0, k = 0;
  char *line = NULL;
  size_t lcap = 0;
  ssize_t len;
  while ((len = getline(&line, &lcap, f)) >= 0) {
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
    if (k == cap) {
      cap = cap ? cap * 2 : 256;
      v = realloc(v, sizeof *v * (size_t)cap);
    }
    v[k++] = strdup(line);
  }
  free(line);
  fclose(f);
  *out = v;
  *n = k;
  return true;
}

static bool is_hex(int c) { return isxdigit((unsigned char)c) != 0; }

/* Is this the first line of an item, and where does it start? (listing.h) */
bool listing_line(const char *s, int *lineno, uint32_t *off, const char **bytes, int *level,
                  const char **text) {
  size_t L = strlen(s);
  if (L < 15) return false;
  char num[8] = {0};
  memcpy(num, s, 6);
  *lineno = atoi(num);
  if (*lineno <= 0) return false;
  for (int i = 7; i < 15; i++)
    if (!is_hex(s[i])) return false;
  char hex[9] = {0};
  memcpy(hex, s + 7, 8);
  *off = (uint32_t)strtoul(hex, NULL, 16);
  *bytes = L > 16 ? s + 16 : "";
  *level = 0;
  if (L > 38 && s[36] == '<') *level = atoi(s + 37);
  *text = L > 40 ? s + 40 : "";
  return true;
}

/* "[0400]" groups: the value nasm will relocate, little-endian hex, as an
 * offset in the section (the image holds it plus org). */
static void collect_relocs(const char *bytes, prog_item *it) {
  for (const char *b = bytes; *b && b < bytes + 20; b++) {
    if (*b != '[') continue;
    const char *e = strchr(b, ']');
    if (!e || e - b - 1 < 2 || e - b - 1 > 8) return;
    uint32_t v = 0;
    int nb = (int)(e - b - 1) / 2;
    for (int k = nb - 1; k >= 0; k--) {
      char two[3] = {b[1 + 2 * k], b[2 + 2 * k], 0};
      v = (v << 8) | (uint32_t)strtoul(two, NULL, 16);
    }
    if (it->nrval < 4) it->rval[it->nrval++] = v;
    b = e;
  }
}

bool listing_parse(const char *lst, size_t image_size, program *p, char *err, size_t errn) {
  FILE *f = fopen(lst, "r");
  if (!f) {
    snprintf(err, errn, "%s: %s", lst, strerror(errno));
    return false;
  }
  char *line = NULL;
  size_t lcap = 0;
  ssize_t len;
  int cap = 0, top_line = 0, prev_lineno = -1, prev_level = -1;
  bool prev_continues = false, stopped = false;
  int level0_lineno = 0;
  while ((len = getline(&line, &lcap, f)) >= 0 && !stopped) {
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
    /* track the program file's own line for items made by expansions */
    if (len > 6) {
      char num[8] = {0};
      memcpy(num, line, 6);
      int ln = atoi(num);
      int lev = (len > 38 && line[36] == '<') ? atoi(line + 37) : 0;
      if (ln > 0 && lev == 0) {
        level0_lineno = ln;
        const char *t = len > 40 ? line + 40 : "";
        while (*t == ' ' || *t == '\t') t++;
        /* a second section: offsets restart, stop mapping there */
        if (p->n > 0 && (!strncasecmp(t, "section", 7) || !strncasecmp(t, "segment", 7) ||
                         !strncasecmp(t, "[section", 8) || !strncasecmp(t, "absolute", 8)))
          stopped = true;
      }
    }
    int lineno, level;
    uint32_t off;
    const char *bytes, *text;
    if (!listing_line(line, &lineno, &off, &bytes, &level, &text)) continue;
    top_line = level == 0 ? lineno : level0_lineno;
    bool cont = prev_continues && lineno == prev_lineno && level == prev_level;
    bool reloc = strchr(bytes, '[') && (strchr(bytes, '[') - bytes) < 20;
    const char *dash = NULL;
    for (const char *b = bytes; *b && b < bytes + 20; b++)
      if (*b == '-' && (b[1] == ' ' || b[1] == 0)) dash = b;
    prev_continues = dash != NULL;
    prev_lineno = lineno;
    prev_level = level;
    if (cont) {
      if (reloc) {
        p->it[p->n - 1].reloc = true;
        collect_relocs(bytes, &p->it[p->n - 1]);
      }
      continue;
    }
    if (p->n > 0 && off < p->it[p->n - 1].off) break;   /* another section */
    if (p->n == cap) {
      cap = cap ? cap * 2 : 512;
      p->it = realloc(p->it, sizeof *p->it * (size_t)cap);
    }
    prog_item *it = &p->it[p->n++];
    memset(it, 0, sizeof *it);
    it->off = off;
    it->line = top_line;
    it->level = level;
    it->reloc = reloc;
    it->text = strdup(text);
    if (reloc) collect_relocs(bytes, it);
  }
  free(line);
  fclose(f);
  /* lengths from the next offset; drop empty items */
  int k = 0;
  for (int i = 0; i < p->n; i++) {
    uint32_t end = i + 1 < p->n ? p->it[i + 1].off : (uint32_t)image_size;
    if (end > image_size) end = (uint32_t)image_size;
    if (end <= p->it[i].off) {
      free(p->it[i].text);
      continue;
    }
    p->it[i].len = (int)(end - p->it[i].off);
    p->it[k++] = p->it[i];
  }
  p->n = k;
  return true;
}

static bool read_file(const char *path, uint8_t **buf, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  fseek(f, 0, SEEK_END);
  long sz = ftell(f);
  fseek(f, 0, SEEK_SET);
  *buf = malloc(sz > 0 ? (size_t)sz : 1);
  *n = fread(*buf, 1, sz > 0 ? (size_t)sz : 0, f);
  fclose(f);
  return true;
}

/* Code nasm assembles under `bits 32` (or 64) is not the model's 16-bit
 * code: it stays out of every window and is not decoded.  The mode is
 * nasm's own (nasm_mode.h). */
static bool exclude_other_modes(program *p, char *err, size_t errn, bool *tool_missing) {
  nasm_modes m;
  if (!nasm_modes_read(p->path, p->incdir, &m, err, errn, tool_missing)) return false;
  for (int i = 0; i < p->n; i++) {
    prog_item *it = &p->it[i];
    int bits = nasm_mode_at(&m, it->line);
    if (!it->is_code || bits == 16) continue;
    it->decoded = false;
    it->why = EX_UNSUPPORTED;
    snprintf(it->err, sizeof it->err, "%d-bit code (nasm is in bits %d here)", bits, bits);
  }
  nasm_modes_free(&m);
  return true;
}

bool program_read(const char *path, program *p, char *err, size_t errn, bool *tool_missing) {
  return program_read_in(path, NULL, p, err, errn, tool_missing);
}

bool program_read_in(const char *path, const char *incdir, program *p, char *err,
                     size_t errn, bool *tool_missing) {
  memset(p, 0, sizeof *p);
  if (tool_missing) *tool_missing = false;
  snprintf(p->path, sizeof p->path, "%s", path);
  char tmp[1024];
  snprintf(tmp, sizeof tmp, "%s", path);
  snprintf(p->incdir, sizeof p->incdir, "%s", incdir ? incdir : dirname(tmp));
  if (!read_lines(path, &p->src, &p->nsrc, err, errn)) return false;
  char dir[] = "/tmp/superopt-readXXXXXX";
  if (!mkdtemp(dir)) {
    snprintf(err, errn, "mkdtemp: %s", strerror(errno));
    return false;
  }
  char bin[64], lst[64];
  snprintf(bin, sizeof bin, "%s/p.bin", dir);
  snprintf(lst, sizeof lst, "%s/p.lst", dir);
  int rc = listing_assemble(path, p->incdir, bin, lst, err, errn);
  bool ok = rc == 0;
  if (rc == 3 && tool_missing) *tool_missing = true;
  if (ok && !read_file(bin, &p->image, &p->size)) {
    snprintf(err, errn, "%s: nasm wrote no image", path);
    ok = false;
  }
  if (ok) ok = listing_parse(lst, p->size, p, err, errn);
  unlink(bin);
  unlink(lst);
  rmdir(dir);
  if (!ok) return false;
  listing_classify(p);
  return exclude_other_modes(p, err, errn, tool_missing);
}

void program_free(program *p) {
  for (int i = 0; i < p->nsrc; i++) free(p->src[i]);
  free(p->src);
  for (int i = 0; i < p->n; i++) free(p->it[i].text);
  free(p->it);
  free(p->labels);
  free(p->image);
  memset(p, 0, sizeof *p);
}

size_t program_bytes(const program *p) {
  return p->size - (size_t)p->padding_bytes;
}

int program_item_containing(const program *p, uint32_t off) {
  for (int i = 0; i < p->n; i++)
    if (off >= p->it[i].off && off < p->it[i].off + (uint32_t)p->it[i].len) return i;
  return -1;
}

int program_item_at(const program *p, uint32_t off) {
  int lo = 0, hi = p->n - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (p->it[mid].off == off) return mid;
    if (p->it[mid].off < off) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const char *program_owner_label(const program *p, int i) {
  const char *best = "";
  int best_line = -1;
  for (int k = 0; k < p->nlabels; k++) {
    const prog_label *l = &p->labels[k];
    if (l->local || l->item < 0) continue;
    if (l->item <= i && l->line > best_line) {
      best = l->name;
      best_line = l->line;
    }
  }
  return best;
}
