/* The whole-program pipeline shared by `superopt nightly` and `superopt
 * shrink`: read, cut into windows, search (resuming from the store),
 * splice proven shrinks, reassemble, run the check command, bisect failing
 * batches, write patches and the ledger, print the report.
 *
 * The check command runs as `sh -c COMMAND superopt-check IMAGE ASM`:
 * $1 (and $SUPEROPT_IMAGE) is the built image, $2 (and $SUPEROPT_ASM) the
 * spliced source, $SUPEROPT_INCDIR the original program's directory.  Exit
 * 0 means the behaviour is unchanged. */
#ifndef SUPEROPT_PIPELINE_PIPELINE_H
#define SUPEROPT_PIPELINE_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
  PHASE_ALL,                /* search, then splice (one machine); with a
                               shard, search only */
  PHASE_SEARCH,             /* search and store the answers, nothing else */
  PHASE_SPLICE              /* splice, check, write patches from the stored
                               answers; search nothing */
} pipeline_phase;

/* Blocks for the report, named by the words a program's labels and section
 * comments use; the first row whose word appears wins. */
typedef struct {
  const char *block;
  const char *words[10];    /* lower case, NULL-terminated */
} pipeline_block_row;

typedef struct {
  const pipeline_block_row *rows;
  size_t n;
  const char *before_labels; /* the block of code above every top-level label */
} pipeline_block_table;

typedef struct {
  const char *program;      /* NASM source */
  const char *check;        /* shell command, see above */
  const char *check_boot;   /* verify/boot-script SCRIPT: the original's capture is the reference */
  const char *results_dir;  /* store.sqlite, proofs/, patches/ */
  const char *work_dir;     /* scratch (spliced copies, images) */
  const char *out_asm;      /* where the final spliced source goes (NULL: work_dir) */
  bool apply;               /* also rewrite the program file itself */
  const char *ledger;       /* with apply: append a row here (NULL: none) */
  const char *ledger_label; /* program name in the ledger's change column */
  double budget_s;          /* search budget (the checks run after it) */
  int window;               /* max instructions per window */
  uint64_t seed;
  double window_time;       /* per-window search time; 0: derived from the budget */
  unsigned check_timeout;   /* seconds per check run */
  const pipeline_block_table *blocks; /* group labels into blocks (NULL: each
                               top-level label is its own) */
  const char *name;         /* "nightly" / "shrink", for messages */
  bool list_windows;        /* print the windows (live-out, assumptions) and stop */
  /* nights over many machines: N shards search, one run splices */
  const char *store;        /* store spec (store_open); NULL: RESULTS/store.sqlite */
  int shard, nshards;       /* search only the windows store_shard_of gives to
                               shard `shard` of `nshards` (nshards 0: all) */
  pipeline_phase phase;
  int cpu;                  /* enum isa_cpu answers must run on (the lower of this
                               and the program's `cpu` line); -1: the program's, else 386 */
  bool no_undocumented;     /* no salc, no aam/aad imm != 10 in answers */
  bool no_indirect_targets; /* an indirect jmp/call through memory goes anywhere,
                               not to the address-taken code labels (cfg.h) */
} pipeline_opts;

void pipeline_defaults(pipeline_opts *o);

/* Exit status: 0 ok (with or without shrinks), 1 the unmodified program
 * fails its check, 2 bad input, 3 a missing tool or internal error. */
int pipeline_run(const pipeline_opts *o);

#endif
