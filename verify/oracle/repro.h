/* Reproducers: every mismatch is written, one JSON object per line, to the
 * run's reproducer file (seed, oracle, form, bytes, initial state, the
 * model's output and the oracle's), and `oracle --replay FILE` reruns
 * exactly those tests.  The file's first line records the run itself. */
#ifndef ORACLE_REPRO_H
#define ORACLE_REPRO_H

#include <stdbool.h>
#include <stdint.h>
#include "isa/isa.h"

typedef struct oracle_run oracle_run;
struct observed_s;

/* What the running test is, set by an oracle before it compares (and
 * cleared after), so a mismatch reported meanwhile carries it. */
typedef struct {
  uint8_t bytes[16];
  int n;
  isa_state init;          /* initial state, memory overlay included */
  uint16_t ip;             /* Unicorn: where the code sits in cs */
  char where[1100];        /* 80286: FILE:LINE of the recorded test */
  bool has_observed;
  uint32_t ob_r[8];
  uint16_t ob_s[6];
  uint32_t ob_flags;
  uint8_t ob_fault;
} repro_ctx;

/* Open the run's reproducer file and write its header; false (with a
 * message on stderr) when it cannot be created. */
bool repro_open(oracle_run *r, const char *path, int argc, char **argv);
void repro_close(oracle_run *r);
/* Append one mismatch (called by report_mismatch). */
void repro_write(oracle_run *r, int oracle, const char *form, const char *message);

/* Rerun every test of a reproducer file with the oracle that found it.
 * Returns the exit status: 0 none repeats, 1 some repeat, 2 a bad file. */
int repro_replay(oracle_run *r, const char *path);

#endif
