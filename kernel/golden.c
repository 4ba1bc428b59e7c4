/* golden: what the kernel prints for a blob, computed bit-exactly in C.
 *
 *   golden BLOB                 the story's text, byte for byte
 *   golden --ids BLOB           the generated token ids, one per line
 *   golden --force IDS BLOB     teacher forcing: feeds BOS, t0, t1, ... and
 *                               prints the argmax at each position
 *   golden --lengths BLOB       each generated token's text length in bytes
 *   golden --trace N BLOB       block outputs (hex) of the first N positions
 *
 * Exit 0 ok, 2 bad usage or input, 3 when the kernel would fault. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static int usage(void) {
  fprintf(stderr, "usage: golden [--ids | --lengths | --force IDS_FILE | --trace N] BLOB\n");
  return 2;
}

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: cannot open (%s)\n", path, strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 20, n = 0;
  uint8_t *buf = malloc(cap);
  for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
    n += got;
    if (n == cap) buf = realloc(buf, cap *= 2);
  }
  int bad = ferror(f);
  fclose(f);
  if (!buf || bad) {
    fprintf(stderr, "%s: read error\n", path);
    free(buf);
    return NULL;
  }
  *size = n;
  return buf;
}

/* Reads whitespace-separated token ids; -1 on a bad entry (message given). */
static int read_ids(const char *path, int *ids, int max) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "%s: cannot open (%s)\n", path, strerror(errno));
    return -1;
  }
  int n = 0, line = 1, c;
  for (;;) {
    while ((c = getc(f)) == ' ' || c == '\t' || c == '\n' || c == '\r')
      line += c == '\n';
    if (c == EOF) break;
    ungetc(c, f);
    long v;
    if (fscanf(f, "%ld", &v) != 1 || v < 0 || v >= B_VOCAB) {
      fprintf(stderr, "%s:%d: not a token id in 0..%d\n", path, line, B_VOCAB - 1);
      fclose(f);
      return -1;
    }
    if (n < max) ids[n++] = (int)v;
  }
  fclose(f);
  return n;
}

enum mode { TEXT, IDS, LENGTHS, FORCE, TRACE };

int main(int argc, char **argv) {
  enum mode mode = TEXT;
  const char *ids_path = NULL;
  int trace_n = 0;
  if (argc == 3 && !strcmp(argv[1], "--ids")) mode = IDS;
  else if (argc == 3 && !strcmp(argv[1], "--lengths")) mode = LENGTHS;
  else if (argc == 4 && !strcmp(argv[1], "--force")) mode = FORCE, ids_path = argv[2];
  else if (argc == 4 && !strcmp(argv[1], "--trace")) mode = TRACE, trace_n = atoi(argv[2]);
  else if (argc != 2 || argv[1][0] == '-') return usage();
  const char *blob_path = argv[argc - 1];

  int forced[B_SEQ], n_forced = 0;
  if (mode == FORCE && (n_forced = read_ids(ids_path, forced, B_SEQ)) < 0) return 2;

  size_t size;
  uint8_t *blob = read_file(blob_path, &size);
  if (!blob) return 2;
  model m;
  char err[256];
  if (model_open(&m, blob, size, blob_path, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    free(blob);
    return 2;
  }
  if (mode == TRACE) m.trace = stdout;

  int status = 0, tok = B_BOS;
  int steps = mode == FORCE ? n_forced : mode == TRACE ? trace_n : B_SEQ;
  for (int pos = 0; pos < steps && pos < B_SEQ; pos++) {
    int next = model_step(&m, tok, pos, err, sizeof err);
    if (next < 0) {
      fprintf(stderr, "%s: %s\n", blob_path, err);
      status = 3;
      break;
    }
    if (mode == FORCE) {
      printf("%d\n", next);
      tok = forced[pos];
      continue;
    }
    if (mode == TRACE) fprintf(stdout, "token %d: %d\n", pos, next);
    if (next == B_BOS) break;
    if (mode == IDS) printf("%d\n", next);
    if (mode == LENGTHS) printf("%d\n", m.piece_len[next]);
    if (mode == TEXT) fwrite(m.piece[next], 1, (size_t)m.piece_len[next], stdout);
    tok = next;
  }
  model_close(&m);
  free(blob);
  return status;
}
