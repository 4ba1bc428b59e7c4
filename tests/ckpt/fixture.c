#include "fixture.h"

#include "ckpt.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *required_env(const char *var) {
  const char *v = getenv(var);
  cr_assert(v && *v, "%s is not set (make test sets it)", var);
  return v;
}

void model_file(const char *name, char out[PATH_MAX_LEN]) {
  snprintf(out, PATH_MAX_LEN, "%s/%s", required_env("MODEL_DIR"), name);
  cr_assert(file_exists(out), "%s: missing (run `make model`)", out);
}

void scratch_make(char out[PATH_MAX_LEN]) {
  const char *tmp = getenv("TMPDIR");
  snprintf(out, PATH_MAX_LEN, "%s/ckpt-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  cr_assert(mkdtemp(out), "mkdtemp %s failed", out);
}

void path_join(char out[PATH_MAX_LEN], const char *dir, const char *name) {
  int n = snprintf(out, PATH_MAX_LEN, "%s/%s", dir, name);
  cr_assert(n > 0 && n < PATH_MAX_LEN, "path too long: %s/%s", dir, name);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st; (void)flag; (void)ftw;
  return remove(path);
}

void scratch_remove(const char *dir) {
  nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int scratch_entries(const char *dir) {
  DIR *d = opendir(dir);
  cr_assert(d, "cannot list %s", dir);
  int n = 0;
  for (struct dirent *e; (e = readdir(d));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(d);
  return n;
}

unsigned char *file_read(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  cr_assert(f, "cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc((size_t)n + 1);
  cr_assert(buf && fread(buf, 1, (size_t)n, f) == (size_t)n, "cannot read %s", path);
  fclose(f);
  *len = (size_t)n;
  return buf;
}

void file_write(const char *path, const void *buf, size_t len) {
  FILE *f = fopen(path, "wb");
  cr_assert(f, "cannot create %s", path);
  cr_assert(fwrite(buf, 1, len, f) == len && fclose(f) == 0, "cannot write %s", path);
}

int file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

size_t tensor_offset(const char *name, size_t index) {
  const ckpt_config *c = &CKPT_STORIES260K;
  size_t d = (size_t)c->dim, h = (size_t)c->hidden_dim, L = (size_t)c->n_layers,
         V = (size_t)c->vocab_size, kv = d * (size_t)c->n_kv_heads / (size_t)c->n_heads;
  const struct { const char *name; size_t count; } order[] = {
    {"token_embedding", V * d}, {"rms_att", L * d}, {"wq", L * d * d}, {"wk", L * kv * d},
    {"wv", L * kv * d}, {"wo", L * d * d}, {"rms_ffn", L * d}, {"w1", L * h * d},
    {"w2", L * d * h}, {"w3", L * h * d}, {"rms_final", d},
  };
  size_t floats = 0;
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
    if (!strcmp(order[i].name, name)) {
      cr_assert(index < order[i].count, "%s has no element %zu", name, index);
      return 28 + 4 * (floats + index);
    }
    floats += order[i].count;
  }
  cr_assert_fail("unknown tensor %s", name);
  return 0;
}

enum {
  CKPT_TRUNCATED, CKPT_TRAILING, CKPT_EMPTY, CKPT_HEADS_NOT_DIVIDING, CKPT_NEGATIVE_DIM,
  CKPT_WRONG_SHAPE, CKPT_NAN, CKPT_INF, RANDOM_TRUNCATED, RANDOM_NAN, CKPT_MISSING, CKPT_DIRECTORY,
  TOK_FEWER_TOKENS, TOK_EXTRA_TOKEN, TOK_TRUNCATED, TOK_LENGTH_OUT_OF_RANGE, TOK_MISSING,
};

/* Indexed by the enum above. */
const corrupt_case CORRUPT_CASES[] = {
  [CKPT_TRUNCATED] = {"checkpoint truncated by 100 bytes", 0, "truncat"},
  [CKPT_TRAILING] = {"checkpoint with 4 trailing bytes", 0, "trailing"},
  [CKPT_EMPTY] = {"empty checkpoint", 0, "truncat"},
  [CKPT_HEADS_NOT_DIVIDING] = {"header with 7 heads for dim 64", 0, "n_heads"},
  [CKPT_NEGATIVE_DIM] = {"header with dim -64", 0, "dim"},
  [CKPT_WRONG_SHAPE] = {"valid checkpoint of another shape (dim 32)", 0, "shape"},
  [CKPT_NAN] = {"NaN in wq", 0, "nan|non-finite"},
  [CKPT_INF] = {"Inf in w2", 0, "inf|non-finite"},
  [RANDOM_TRUNCATED] = {"random checkpoint truncated by one float", 0, "truncat"},
  [RANDOM_NAN] = {"random checkpoint with NaN in token_embedding", 0, "nan|non-finite"},
  [CKPT_MISSING] = {"checkpoint missing", 0, "cannot open|no such file"},
  [CKPT_DIRECTORY] = {"checkpoint path is a directory", 0, "directory"},
  [TOK_FEWER_TOKENS] = {"tokenizer with 500 tokens", 1, "vocab"},
  [TOK_EXTRA_TOKEN] = {"tokenizer with 513 tokens", 1, "vocab"},
  [TOK_TRUNCATED] = {"tokenizer cut inside token 300", 1, "truncat"},
  [TOK_LENGTH_OUT_OF_RANGE] = {"tokenizer token 100 of length 1000", 1, "length"},
  [TOK_MISSING] = {"tokenizer missing", 1, "cannot open|no such file"},
};
const size_t N_CORRUPT_CASES = sizeof CORRUPT_CASES / sizeof CORRUPT_CASES[0];

/* Offset of token `index`'s record (score, len, bytes) in a tokenizer file. */
static size_t token_record(const unsigned char *tok, size_t len, int index) {
  size_t pos = 4;
  for (int i = 0; i < index; i++) {
    int32_t n;
    cr_assert(pos + 8 <= len, "tokenizer shorter than %d tokens", index);
    memcpy(&n, tok + pos + 4, 4);
    pos += 8 + (size_t)n;
  }
  return pos;
}

static void put_float(unsigned char *buf, size_t off, float v) { memcpy(buf + off, &v, 4); }
static void put_int(unsigned char *buf, size_t off, int32_t v) { memcpy(buf + off, &v, 4); }

void corrupt_make(const corrupt_case *c, const char *dir,
                  char ckpt_out[PATH_MAX_LEN], char tok_out[PATH_MAX_LEN]) {
  char real_ckpt[PATH_MAX_LEN], real_tok[PATH_MAX_LEN], err[512];
  model_file("stories260K.bin", real_ckpt);
  model_file("tok512.bin", real_tok);
  size_t ck_len, tok_len;
  unsigned char *ck = file_read(real_ckpt, &ck_len);
  unsigned char *tok = file_read(real_tok, &tok_len);
  unsigned char *grown = NULL;
  path_join(ckpt_out, dir, "model.bin");
  path_join(tok_out, dir, "tok.bin");

  switch ((int)(c - CORRUPT_CASES)) {
  case CKPT_TRUNCATED: ck_len -= 100; break;
  case CKPT_TRAILING:
    grown = calloc(ck_len + 4, 1);
    memcpy(grown, ck, ck_len);
    free(ck);
    ck = grown;
    ck_len += 4;
    break;
  case CKPT_EMPTY: ck_len = 0; break;
  case CKPT_HEADS_NOT_DIVIDING: put_int(ck, 12, 7); break;
  case CKPT_NEGATIVE_DIM: put_int(ck, 0, -64); break;
  case CKPT_WRONG_SHAPE: {
    ckpt_config small = CKPT_STORIES260K;
    small.dim = 32;
    small.hidden_dim = 86;
    small.n_heads = 4;
    small.n_kv_heads = 2;
    cr_assert(ckpt_write_random(ckpt_out, &small, 5, err, sizeof err) == 0, "%s", err);
    free(ck);
    ck = NULL;
    break;
  }
  case CKPT_NAN: put_float(ck, tensor_offset("wq", 1234), NAN); break;
  case CKPT_INF: put_float(ck, tensor_offset("w2", 77), INFINITY); break;
  case RANDOM_TRUNCATED:
  case RANDOM_NAN: {
    cr_assert(ckpt_write_random(ckpt_out, &CKPT_STORIES260K, 9, err, sizeof err) == 0, "%s", err);
    free(ck);
    ck = file_read(ckpt_out, &ck_len);
    if (c == &CORRUPT_CASES[RANDOM_TRUNCATED]) ck_len -= 4;
    else put_float(ck, tensor_offset("token_embedding", 4000), NAN);
    break;
  }
  case CKPT_MISSING: free(ck); ck = NULL; break;
  case CKPT_DIRECTORY:
    cr_assert(mkdir(ckpt_out, 0700) == 0, "mkdir %s failed", ckpt_out);
    free(ck);
    ck = NULL;
    break;
  case TOK_FEWER_TOKENS: tok_len = token_record(tok, tok_len, 500); break;
  case TOK_EXTRA_TOKEN: {
    const unsigned char extra[9] = {0, 0, 0, 0, 1, 0, 0, 0, 'x'};
    grown = malloc(tok_len + sizeof extra);
    memcpy(grown, tok, tok_len);
    memcpy(grown + tok_len, extra, sizeof extra);
    free(tok);
    tok = grown;
    tok_len += sizeof extra;
    break;
  }
  case TOK_TRUNCATED: tok_len = token_record(tok, tok_len, 300) + 5; break;
  case TOK_LENGTH_OUT_OF_RANGE: put_int(tok, token_record(tok, tok_len, 100) + 4, 1000); break;
  case TOK_MISSING: free(tok); tok = NULL; break;
  default: cr_assert_fail("unknown corrupt case %s", c->name);
  }
  if (ck) file_write(ckpt_out, ck, ck_len);
  if (tok) file_write(tok_out, tok, tok_len);
  free(ck);
  free(tok);
}

int run_tool(char *const argv[], char *out, size_t outn, char *err, size_t errn) {
  FILE *fo = tmpfile(), *fe = tmpfile();
  cr_assert(fo && fe, "tmpfile failed");
  fflush(NULL);
  pid_t pid = fork();
  cr_assert(pid >= 0, "fork failed");
  if (pid == 0) {
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    execv(argv[0], argv);
    fprintf(stderr, "exec %s failed\n", argv[0]);
    _exit(127);
  }
  int status;
  cr_assert(waitpid(pid, &status, 0) == pid, "waitpid failed");
  FILE *files[2] = {fo, fe};
  char *bufs[2] = {out, err};
  size_t sizes[2] = {outn, errn};
  for (int i = 0; i < 2; i++) {
    rewind(files[i]);
    size_t n = bufs[i] ? fread(bufs[i], 1, sizes[i] - 1, files[i]) : 0;
    if (bufs[i]) bufs[i][n] = '\0';
    fclose(files[i]);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int contains_any(const char *s, const char *words) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", words);
  for (char *save = NULL, *w = strtok_r(buf, "|", &save); w; w = strtok_r(NULL, "|", &save))
    if (strcasestr(s, w)) return 1;
  return 0;
}
