/* Reading a proof file's header back: the one reader of the format
 * proof_file.c and exhaust.c write (see proof_file.h), for the audit. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "prove/proof_file.h"

static void field(const char *line, const char *key, char *dst, size_t n) {
  size_t k = strlen(key);
  if (strncmp(line, key, k)) return;
  const char *v = line + k;
  while (*v == ' ') v++;
  snprintf(dst, n, "%s", v);
  size_t l = strlen(dst);
  while (l && (dst[l - 1] == '\n' || dst[l - 1] == '\r')) dst[--l] = 0;
}

/* "31c0 99 (3 bytes)" -> "31c099" */
static void bytes_only(char *s) {
  char *p = strchr(s, '(');
  if (p) *p = 0;
  size_t k = 0;
  for (char *q = s; *q; q++)
    if (isxdigit((unsigned char)*q)) s[k++] = *q;
  s[k] = 0;
}

/* "eax.hi16" names bits 16-31 of a register; anything else is a location. */
static bool parse_input(const char *name, locset *l) {
  const char *dot = strstr(name, ".hi16");
  if (dot) {
    for (int r = 0; r < 8; r++)
      if ((size_t)(dot - name) == 3 && !strncmp(name, isa_reg_name(4, r), 3)) {
        *l = LOC_UP(r);
        return true;
      }
    return false;
  }
  return isa_loc_parse(name, l);
}

/* The live-out, assumptions and inputs of an exhaustion proof. */
static bool parse_enumeration(const char *path, proof_info *h, char *why, size_t whyn) {
  char buf[512];
  snprintf(buf, sizeof buf, "%s", h->live);
  for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) {
    locset l;
    if (!isa_loc_parse(t, &l)) {
      snprintf(why, whyn, "%s: live-out name '%s' not understood", path, t);
      return false;
    }
    h->live_out |= l;
  }
  snprintf(buf, sizeof buf, "%s", h->assume);
  if (strcmp(buf, "(none)"))
    for (char *t = strtok(buf, " "); t && h->nfacts < SNIPPET_MAX_ASSUME; t = strtok(NULL, " ")) {
      char *op = strpbrk(t, "=<");
      if (!op) continue;
      char kind = *op;
      *op = 0;
      locset l;
      if (!isa_loc_parse(t, &l)) {
        snprintf(why, whyn, "%s: assumption '%s' not understood", path, t);
        return false;
      }
      assumption *a = &h->facts[h->nfacts++];
      a->kind = kind == '=' ? ASSUME_EQ : ASSUME_LT;
      a->loc = l;
      a->value = (uint32_t)strtoul(op + 1, NULL, 0);
    }
  snprintf(buf, sizeof buf, "%s", h->inputs_text);
  int bits = 0;
  for (char *t = strtok(buf, " "); t && h->ninputs < 40; t = strtok(NULL, " ")) {
    char *colon = strchr(t, ':');
    if (!colon) continue;
    *colon = 0;
    if (!parse_input(t, &h->input[h->ninputs])) {
      snprintf(why, whyn, "%s: input '%s' not understood", path, t);
      return false;
    }
    h->input_width[h->ninputs] = atoi(colon + 1);
    bits += h->input_width[h->ninputs++];
  }
  if (bits != h->bits || bits > 32) {
    snprintf(why, whyn, "%s: inputs add up to %d bits, header says %d", path, bits, h->bits);
    return false;
  }
  return true;
}

bool proof_read(const char *path, proof_info *h, char *why, size_t whyn) {
  memset(h, 0, sizeof *h);
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(why, whyn, "cannot read %s", path);
    return false;
  }
  char line[4096], tmp[256];
  while (fgets(line, sizeof line, f)) {
    if (line[0] != ';') break;
    field(line, "; kind:", h->kind, sizeof h->kind);
    field(line, "; original bytes:", h->obytes, sizeof h->obytes);
    field(line, "; original text:", h->otext, sizeof h->otext);
    field(line, "; candidate bytes:", h->cbytes, sizeof h->cbytes);
    field(line, "; candidate text:", h->ctext, sizeof h->ctext);
    field(line, "; live-out:", h->live, sizeof h->live);
    field(line, "; assume:", h->assume, sizeof h->assume);
    field(line, "; semantics version:", h->sem, sizeof h->sem);
    field(line, "; inputs:", h->inputs_text, sizeof h->inputs_text);
    field(line, "; symbolic:", h->symbolic, sizeof h->symbolic);
    tmp[0] = 0;
    field(line, "; input-bits:", tmp, sizeof tmp);
    if (tmp[0]) h->bits = atoi(tmp);
    tmp[0] = 0;
    field(line, "; base-mem-seed:", tmp, sizeof tmp);
    if (tmp[0]) h->mem_seed = strtoull(tmp, NULL, 0);
    tmp[0] = 0;
    field(line, "; evaluated:", tmp, sizeof tmp);
    if (tmp[0]) h->evaluated = strtoull(tmp, NULL, 10);
    if (!strncmp(line, "; base:", 7)) {
      for (int r = 0; r < 8; r++) {
        char key[8];
        snprintf(key, sizeof key, "%s=", isa_reg_name(4, r));
        const char *p = strstr(line, key);
        if (p) h->base_r[r] = (uint32_t)strtoul(p + 4, NULL, 16);
      }
    }
    if (!strncmp(line, "; base-segments:", 16)) {
      for (int s = 0; s < 6; s++) {
        char key[8];
        snprintf(key, sizeof key, "%s=", isa_sreg_name(s));
        const char *p = strstr(line, key);
        if (p) h->base_s[s] = (uint16_t)strtoul(p + 3, NULL, 16);
      }
      const char *p = strstr(line, "flags=");
      if (p) h->base_flags = (uint32_t)strtoul(p + 6, NULL, 16);
    }
  }
  fclose(f);
  bytes_only(h->obytes);
  bytes_only(h->cbytes);
  if (!h->kind[0] || !h->obytes[0] || !h->otext[0] || !h->sem[0]) {
    snprintf(why, whyn, "%s: header lacks kind, original bytes/text or semantics version", path);
    return false;
  }
  return strcmp(h->kind, "exhaustive") || parse_enumeration(path, h, why, whyn);
}
