/* Reproducer files (repro.h): written with cJSON, one mismatch per line. */
#include "repro.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oracle.h"

bool repro_open(oracle_run *r, const char *path, int argc, char **argv) {
  r->repro = fopen(path, "w");
  if (!r->repro) {
    perror(path);
    return false;
  }
  r->repro_path = path;
  cJSON *h = cJSON_CreateObject();
  char seed[32];
  snprintf(seed, sizeof seed, "0x%llx", (unsigned long long)r->opt.seed);
  cJSON_AddStringToObject(h, "run", "oracle");
  cJSON_AddStringToObject(h, "seed", seed);
  cJSON_AddStringToObject(h, "semantics", isa_sem_version());
  cJSON *args = cJSON_AddArrayToObject(h, "args");
  for (int i = 0; i < argc; i++) cJSON_AddItemToArray(args, cJSON_CreateString(argv[i]));
  char *txt = cJSON_PrintUnformatted(h);
  fprintf(r->repro, "%s\n", txt);
  fflush(r->repro);
  free(txt);
  cJSON_Delete(h);
  return true;
}

void repro_close(oracle_run *r) {
  if (r->repro) fclose(r->repro);
  r->repro = NULL;
}

static cJSON *u32_array(const uint32_t *v, int n) {
  cJSON *a = cJSON_CreateArray();
  for (int i = 0; i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]));
  return a;
}

static cJSON *u16_array(const uint16_t *v, int n) {
  cJSON *a = cJSON_CreateArray();
  for (int i = 0; i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]));
  return a;
}

/* [[address, byte], ...] */
static cJSON *byte_pairs(const uint32_t *addr, const uint8_t *val, uint32_t n) {
  cJSON *a = cJSON_CreateArray();
  for (uint32_t i = 0; i < n; i++) {
    cJSON *p = cJSON_CreateArray();
    cJSON_AddItemToArray(p, cJSON_CreateNumber(addr[i]));
    cJSON_AddItemToArray(p, cJSON_CreateNumber(val[i]));
    cJSON_AddItemToArray(a, p);
  }
  return a;
}

static cJSON *state_json(const isa_state *st, bool initial) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "r", u32_array(st->r, 8));
  cJSON_AddItemToObject(o, "s", u16_array(st->s, 6));
  cJSON_AddNumberToObject(o, "flags", st->flags);
  if (initial) {
    char seed[32];
    snprintf(seed, sizeof seed, "0x%llx", (unsigned long long)st->mem_seed);
    cJSON_AddStringToObject(o, "mem_seed", seed);
    cJSON_AddItemToObject(o, "mem", byte_pairs(st->iaddr, st->ival, st->ninit));
  } else {
    cJSON_AddNumberToObject(o, "undef", st->undef);
    cJSON_AddNumberToObject(o, "fault", st->fault);
    cJSON_AddBoolToObject(o, "poisoned", st->poisoned);
    cJSON_AddItemToObject(o, "writes", byte_pairs(st->waddr, st->wval, st->nwrites));
  }
  return o;
}

void repro_write(oracle_run *r, int oracle, const char *form, const char *message) {
  if (!r->repro) return;
  const repro_ctx *c = r->cur;
  cJSON *o = cJSON_CreateObject();
  char seed[32];
  snprintf(seed, sizeof seed, "0x%llx", (unsigned long long)r->opt.seed);
  cJSON_AddStringToObject(o, "oracle", oracle_names[oracle]);
  cJSON_AddStringToObject(o, "form", form);
  cJSON_AddStringToObject(o, "seed", seed);
  cJSON_AddStringToObject(o, "message", message);
  if (c) {
    char hex[40];
    hexstr(c->bytes, c->n, hex, sizeof hex);
    cJSON_AddStringToObject(o, "bytes", hex);
    if (c->where[0]) cJSON_AddStringToObject(o, "where", c->where);
    cJSON_AddNumberToObject(o, "ip", c->ip);
    cJSON_AddItemToObject(o, "initial", state_json(&c->init, true));
    /* the model's output, recomputed from the recorded input */
    insn in;
    if (isa_decode_lenient(c->bytes, (size_t)c->n, &in, NULL, 0) == c->n) {
      isa_state st = c->init;
      isa_exec(&st, &in);
      cJSON_AddItemToObject(o, "model", state_json(&st, false));
    }
    if (c->has_observed) {
      cJSON *ob = cJSON_CreateObject();
      cJSON_AddItemToObject(ob, "r", u32_array(c->ob_r, 8));
      cJSON_AddItemToObject(ob, "s", u16_array(c->ob_s, 6));
      cJSON_AddNumberToObject(ob, "flags", c->ob_flags);
      cJSON_AddNumberToObject(ob, "fault", c->ob_fault);
      cJSON_AddItemToObject(o, "observed", ob);
    }
  }
  char *txt = cJSON_PrintUnformatted(o);
  fprintf(r->repro, "%s\n", txt);
  fflush(r->repro);
  free(txt);
  cJSON_Delete(o);
}

static bool read_u32s(cJSON *a, uint32_t *v, int n) {
  if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n) return false;
  for (int i = 0; i < n; i++) {
    cJSON *e = cJSON_GetArrayItem(a, i);
    if (!cJSON_IsNumber(e)) return false;
    v[i] = (uint32_t)e->valuedouble;
  }
  return true;
}

static bool read_state(cJSON *o, isa_state *st) {
  memset(st, 0, sizeof *st);
  uint32_t s[6];
  cJSON *fl = cJSON_GetObjectItem(o, "flags"), *ms = cJSON_GetObjectItem(o, "mem_seed");
  cJSON *mem = cJSON_GetObjectItem(o, "mem");
  if (!read_u32s(cJSON_GetObjectItem(o, "r"), st->r, 8) || !read_u32s(cJSON_GetObjectItem(o, "s"), s, 6) ||
      !cJSON_IsNumber(fl) || !cJSON_IsString(ms) || !cJSON_IsArray(mem))
    return false;
  for (int i = 0; i < 6; i++) st->s[i] = (uint16_t)s[i];
  st->flags = (uint32_t)fl->valuedouble;
  st->mem_seed = strtoull(ms->valuestring, NULL, 0);
  cJSON *e;
  cJSON_ArrayForEach(e, mem) {
    uint32_t p[2];
    if (!read_u32s(e, p, 2) || !isa_mem_set_initial(st, p[0], (uint8_t)p[1])) return false;
  }
  return true;
}

int repro_replay(oracle_run *r, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    return 2;
  }
  char *line = NULL;
  size_t cap = 0;
  int lineno = 0, rc = 0, tests = 0, repeated = 0;
  while (getline(&line, &cap, f) > 0) {
    lineno++;
    cJSON *o = cJSON_Parse(line);
    if (!o) {
      fprintf(stderr, "%s:%d: not JSON\n", path, lineno);
      rc = 2;
      continue;
    }
    cJSON *orc = cJSON_GetObjectItem(o, "oracle"), *form = cJSON_GetObjectItem(o, "form");
    if (lineno == 1 && cJSON_GetObjectItem(o, "run")) {   /* the header */
      cJSON *seed = cJSON_GetObjectItem(o, "seed");
      printf("replay: %s, from a run with seed %s\n", path, cJSON_IsString(seed) ? seed->valuestring : "?");
      cJSON_Delete(o);
      continue;
    }
    int which = -1;
    for (int i = 0; i < O_COUNT && cJSON_IsString(orc); i++)
      if (!strcmp(orc->valuestring, oracle_names[i])) which = i;
    cJSON *bytes = cJSON_GetObjectItem(o, "bytes"), *init = cJSON_GetObjectItem(o, "initial");
    cJSON *where = cJSON_GetObjectItem(o, "where"), *ip = cJSON_GetObjectItem(o, "ip");
    repro_ctx c;
    memset(&c, 0, sizeof c);
    bool ok = which >= 0 && cJSON_IsString(form) && cJSON_IsString(bytes) && init &&
              (c.n = hex_to_bytes(bytes->valuestring, c.bytes, (int)sizeof c.bytes)) > 0 &&
              read_state(init, &c.init);
    if (!ok) {
      fprintf(stderr, "%s:%d: not a reproducer of a test (oracle, form, bytes, initial state)\n", path, lineno);
      rc = 2;
      cJSON_Delete(o);
      continue;
    }
    c.ip = cJSON_IsNumber(ip) ? (uint16_t)ip->valuedouble : 0;
    if (cJSON_IsString(where)) snprintf(c.where, sizeof c.where, "%s", where->valuestring);
    uint64_t before = r->t[which].mismatches;
    int got;
    switch (which) {
    case O_HOST: got = host_rerun(r, form->valuestring, &c); break;
    case O_UNICORN: got = unicorn_rerun(r, form->valuestring, &c); break;
    case O_REPLAY: got = replay286_rerun(r, form->valuestring, &c); break;
    default: got = -1; break;
    }
    tests++;
    if (got < 0) {
      printf("replay %s:%d: %s tests cannot be rerun one by one (rerun the run: its args are on line 1)\n",
             path, lineno, oracle_names[which]);
      rc = rc ? rc : 2;
    } else {
      bool again = r->t[which].mismatches > before;
      repeated += again;
      printf("replay %s:%d: %s [%s] %s: %s\n", path, lineno, oracle_names[which], form->valuestring,
             bytes->valuestring, again ? "the mismatch repeats" : "no mismatch now");
    }
    cJSON_Delete(o);
  }
  free(line);
  fclose(f);
  printf("replay: %d tests, %d mismatches repeated\n", tests, repeated);
  if (rc == 2) return 2;
  return repeated ? 1 : 0;
}
