/* Find the shortest proven equivalent of a snippet: enumerate by bytes,
 * filter on test states, fingerprint with xxHash, prove with Z3. */
#ifndef SUPEROPT_SEARCH_OPT_H
#define SUPEROPT_SEARCH_OPT_H

#include "program/snippet.h"
#include "search/checker.h"

typedef struct {
  int max_bytes;          /* longest candidate considered (default: original - 1) */
  double time_s;          /* wall-clock budget for this snippet, proofs
                             included when the prover is made here: a query
                             gets at most a twentieth of it, and the search
                             stops that long before the end */
  uint64_t seed;          /* test states and stochastic search */
  bool progress;          /* print a progress line to stderr (when a tty) */
  const char *proof_dir;  /* where proof files go (results/proofs) */
  unsigned solver_timeout_ms;
  /* extensions (opt_params_default fills them) */
  bool stochastic;        /* run the MCMC search when enumeration times out */
  int ntests;             /* random + edge test states to start with */
  const char *cex_dir;    /* when set, counterexamples are kept in
                             cex_dir/<snippet hash>.cex and reloaded */
  const search_checker *checker; /* proves survivors (prove/checker.h:
                             prove_checker); required.  A prover kept across
                             calls spares the solver's set-up; Z3 keeps its
                             terms until it is freed, so renew it now and then. */
  bool no_writeset_filter;/* benchmarks: evaluate every candidate's last
                             instruction even when write sets decide it */
  /* Count budgets: a search that ends within them gives the same result on
     every run with the same seed, however loaded the machine; time_s only
     cuts a search short (opt_result.time_limited says so).  0: derived from
     time_s (OPT_ENUM_PER_S, OPT_PROPOSALS_PER_S per second of budget). */
  uint64_t enum_budget;   /* instructions the enumerator evaluates (prefixes +
                             last positions) before handing over */
  uint64_t proposals;     /* stochastic proposals over all restarts */
  int restarts;           /* stochastic chains, each with its own stream drawn
                             from the seed (0: OPT_RESTARTS) */
  bool no_rename_pruning; /* benchmarks: enumerate every renaming of the
                             interchangeable scratch registers */
  bool no_prefix_pruning; /* benchmarks: keep prefixes whose state on the
                             first two test states an earlier one left */
} opt_params;

/* Per second of time_s, the counts the default budgets allow: about a sixth
 * of the enumerator's and a tenth of the chain's rate on the reference
 * machine (2 shared cores, load 4-5: 1.7e7 steps/s, 1e6 proposals/s wall),
 * so that the counts, not the clock, end a search even beside a CPU hog. */
#define OPT_ENUM_PER_S 2500000ull
#define OPT_PROPOSALS_PER_S 100000ull
#define OPT_RESTARTS 4

typedef enum {
  OPT_SHORTER,      /* a shorter sequence was found and proven */
  OPT_NONE,         /* nothing shorter found within the budget */
  OPT_ERROR         /* the snippet could not be searched (reason in .why) */
} opt_status;

typedef struct {
  opt_status status;
  insn best[SNIPPET_MAX_INSNS];
  int nbest;
  int original_bytes, best_bytes;
  int kind;               /* the checker's kind of proof (prove/proof_file.h) */
  char proof_path[512];   /* empty when nothing shorter was found */
  char why[256];
  /* counters for reports and benchmarks */
  uint64_t candidates, survivors, refuted, solver_unknown;
  double seconds;
  /* extensions: for benchmarks */
  uint64_t first_pass;    /* candidates that matched on the first test state */
  uint64_t semantics_bugs; /* counterexamples the evaluator did not confirm */
  uint64_t executed;      /* candidates whose last instruction was evaluated (the
                             rest were decided by write sets alone) */
  int enumerated_bytes;   /* every length up to this was enumerated completely (-1: none) */
  bool time_limited;      /* time_s ran out before the count budgets: another
                             run may get further (status "time-limit") */
  uint64_t enum_work;     /* instructions the enumerator evaluated */
  uint64_t pruned_prefixes; /* prefixes dropped for an earlier one's state */
  int pool_size;          /* instructions in the pool */
  uint64_t proposals;     /* stochastic proposals made */
  int nproof_ms;          /* solver times of the queries made, in milliseconds */
  double proof_ms[256];
  uint64_t unreachable_tails; /* survivors whose short closing branch could
                             not reach the target from where it would sit */
  bool proof_unstored;    /* a shorter rewrite was proven but its proof file
                             could not be written (why says where): not
                             accepted, and not "nothing shorter" either */
} opt_result;

void opt_params_default(opt_params *p);
bool opt_snippet(const snippet *s, const opt_params *p, opt_result *out);

#endif
