/* superopt shrink PROGRAM.asm --check 'COMMAND': the pipeline on any 16-bit
 * NASM program. */
#include <stdio.h>
#include "cli/commands.h"
#include "cli/pipeline_args.h"

static const char usage[] =
  "usage: superopt shrink PROGRAM.asm (--check 'COMMAND' | --check-boot SCRIPT) [options]\n"
  "\n"
  "Cut PROGRAM.asm into windows, search each for a shorter proven equivalent\n"
  "(answers are kept in RESULTS/store.sqlite, so a rerun repeats no finished\n"
  "search), splice the proven ones, reassemble and run COMMAND on the result.\n"
  "A failing batch is bisected to the splice at fault.  Each accepted splice\n"
  "leaves RESULTS/patches/*.patch (git am) and its proof in RESULTS/proofs/.\n"
  "\n"
  "COMMAND runs as: sh -c 'COMMAND' superopt-check IMAGE ASM\n"
  "  $1 / $SUPEROPT_IMAGE   the built flat binary\n"
  "  $2 / $SUPEROPT_ASM     the spliced source (a copy under --work)\n"
  "  $SUPEROPT_INCDIR       PROGRAM.asm's directory (for %include)\n"
  "  exit 0 = behaviour unchanged.\n"
  "\n"
  "options:\n"
  "  --check 'COMMAND'    the check (this or --check-boot is required, but for a\n"
  "                       search-only run)\n"
  "  --check-boot SCRIPT  the behaviour check of verify/boot-script (below)\n"
  "  --budget S           search time in seconds (default 1800); checks run after it\n"
  "  --window N           instructions per window at most (default 6)\n"
  "  --window-time S      search time per window (default 2); a stored answer\n"
  "                       searched at least this long is reused\n"
  "  --seed N             test states and stochastic search (default 1)\n"
  "  --results DIR        store, proofs, patches (default results)\n"
  "  --work DIR           scratch directory (default build/superopt-work)\n"
  "  --out FILE           write the spliced source here (default WORK/NAME.spliced)\n"
  "  --apply              also rewrite PROGRAM.asm with the accepted splices\n"
  "  --ledger FILE        with --apply: append 'date<TAB>bytes<TAB>change' to FILE\n"
  "  --check-timeout S    limit per check run (default 1800)\n"
  "  --cpu LEVEL          8086, 186, 286, 386, 486 or 686: answers run on that CPU\n"
  "                       (the lower of this and the program's `cpu` line; default 386)\n"
  "  --no-undocumented    no salc, no aam/aad with an immediate other than 10\n"
  "  --no-indirect-targets  an indirect jmp/call through memory may go anywhere\n"
  "                       (everything live before it) instead of to the code\n"
  "                       labels whose address the program takes (assumed)\n"
  "  --list-windows       print every window (lines, block, live-out, assumptions)\n"
  "                       and stop\n"
  "  --store SPEC         the results store: an SQLite file or a postgresql:// URL\n"
  "                       shared by many machines (default RESULTS/store.sqlite)\n"
  "  --shard K/N          search only shard K (0..N-1) of the windows, split by\n"
  "                       search key; implies --phase search\n"
  "  --phase P            search: search and store, no splicing; splice: splice,\n"
  "                       check and write patches from the stored answers, no\n"
  "                       searching; all (default): both\n"
  "\n"
  "--check-boot SCRIPT boots each image in QEMU under SCRIPT (keys to type, screens\n"
  "to capture; see verify/boot-script) and compares the text screens, COM1 and the\n"
  "disk with the unmodified program's capture, which is made first.  Relative\n"
  "paths in SCRIPT are read from PROGRAM.asm's directory.  With --check as well,\n"
  "both must pass.\n"
  "\n"
  "exit: 0 done, 1 the unmodified program fails its check, 2 bad usage or input,\n"
  "      3 missing tool or internal error\n";

int cmd_shrink(int argc, char **argv) {
  pipeline_opts o;
  pipeline_defaults(&o);
  o.name = "shrink";
  const char *pos[1];
  int npos;
  int rc = pipeline_args(argc, argv, &o, pos, 1, &npos, usage);
  if (rc >= 0) return rc;
  bool searching_only = o.phase == PHASE_SEARCH || (o.nshards && o.phase == PHASE_ALL);
  if (npos != 1 || (!o.check && !o.check_boot && !o.list_windows && !searching_only)) {
    fprintf(stderr, "superopt shrink: %s\n%s",
            npos != 1 ? "needs one PROGRAM.asm" : "needs --check 'COMMAND' or --check-boot SCRIPT", usage);
    return 2;
  }
  o.program = pos[0];
  return pipeline_run(&o);
}
