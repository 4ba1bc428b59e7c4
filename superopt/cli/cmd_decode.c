/* superopt decode FILE.bin [--org N]: list each instruction of a flat binary
 * (offset, bytes, NASM text) and mark the bytes the model cannot decode. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "isa/isa.h"

static void decode_usage(FILE *f) {
  fprintf(f,
    "usage: superopt decode FILE.bin [--org N]\n"
    "  Decodes a flat 16-bit binary from its first byte and lists each\n"
    "  instruction as offset, bytes and NASM text.  Bytes that are not a\n"
    "  modelled form are marked 'unmodelled' with the reason, and decoding\n"
    "  resumes at the next byte.  --org N adds N to printed offsets.\n"
    "  Exit status: 0 all decoded, 1 some bytes unmodelled, 2 bad usage.\n");
}

int cmd_decode(int argc, char **argv) {
  const char *path = NULL;
  unsigned long org = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { decode_usage(stdout); return 0; }
    if (!strcmp(argv[i], "--org") && i + 1 < argc) {
      char *end;
      errno = 0;
      org = strtoul(argv[++i], &end, 0);
      if (errno || *end) { fprintf(stderr, "superopt decode: bad --org '%s'\n", argv[i]); return 2; }
    } else if (argv[i][0] == '-' || path) {
      fprintf(stderr, "superopt decode: unexpected argument '%s'\n", argv[i]);
      decode_usage(stderr);
      return 2;
    } else {
      path = argv[i];
    }
  }
  if (!path) { decode_usage(stderr); return 2; }
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "superopt decode: %s: %s\n", path, strerror(errno)); return 2; }
  static uint8_t buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf, f);
  bool too_big = !feof(f);
  fclose(f);
  if (too_big) { fprintf(stderr, "superopt decode: %s: larger than 1 MiB\n", path); return 2; }

  int bad = 0, good = 0;
  for (size_t pos = 0; pos < n;) {
    insn in;
    char err[160], text[128];
    int len = isa_decode(buf + pos, n - pos, &in, err, sizeof err);
    char hex[3 * ISA_MAX_LEN + 1] = "";
    int shown = len > 0 ? len : 1;
    for (int i = 0; i < shown; i++) sprintf(hex + 3 * i, "%02x ", buf[pos + (size_t)i]);
    if (len > 0) {
      isa_print(&in, text, sizeof text);
      printf("%06lx  %-24s %s\n", (unsigned long)pos + org, hex, text);
      pos += (size_t)len;
      good++;
    } else {
      printf("%06lx  %-24s ; unmodelled: %s\n", (unsigned long)pos + org, hex, err);
      pos++;
      bad++;
    }
  }
  fprintf(stderr, "%s: %d instructions decoded, %d bytes unmodelled\n", path, good, bad);
  return bad ? 1 : 0;
}
