/* superopt nightly: the pipeline on the kernel, checked by booting it. */
#include <stdio.h>
#include "cli/commands.h"
#include "cli/pipeline_args.h"

static const char usage[] =
  "usage: superopt nightly [--budget SECONDS] [--window N] [--seed N] [options]\n"
  "\n"
  "Search, prove, splice and boot-check kernel/llama.asm: `superopt shrink` with\n"
  "  --program kernel/llama.asm\n"
  "  --check 'verify/boot-check \"$2\"'   (golden tokens on the real model and\n"
  "                                      two random-weight models)\n"
  "  --out build/nightly/llama.asm      (the spliced kernel)\n"
  "and a per-block table (boot, matmul, rmsnorm, rope, attention/softmax, ffn,\n"
  "classifier/argmax, print) of bytes before and after.  With --apply the kernel\n"
  "source itself is rewritten and a row goes to results/LEDGER.tsv.\n"
  "Killed at any moment, a rerun loses no accepted result and repeats no\n"
  "finished search (results/store.sqlite).\n"
  "\n"
  "options: the same as `superopt shrink --help` (--check, --program override).\n";

/* The kernel's blocks, by what its labels and section comments say; the
 * first row whose word appears wins, so the specific ones come first. */
static const pipeline_block_row kernel_block_rows[] = {
  {"print", {"print", "piece", "putc", "puts", "emit", NULL}},
  {"classifier/argmax", {"classif", "argmax", "logit", "maxof", NULL}},
  {"ffn", {"feed-forward", "feed forward", "ffn", "swiglu", "silu", "mlp", NULL}},
  {"attention/softmax", {"attention", "softmax", "score", "dot", NULL}},
  {"rope", {"rope", NULL}},
  {"rmsnorm", {"rmsnorm", "rms", "norm", NULL}},
  {"matmul", {"matmul", "mm_", "matvec", NULL}},
  {"boot", {"boot", "start", "gdt", "dap", "unreal", "load", "disk", NULL}},
  {"main loop", {"main", "layer", "embed", "generate", "halt", NULL}},
};

static const pipeline_block_table kernel_blocks = {
  kernel_block_rows, sizeof kernel_block_rows / sizeof *kernel_block_rows, "boot"};

int cmd_nightly(int argc, char **argv) {
  pipeline_opts o;
  pipeline_defaults(&o);
  o.name = "nightly";
  o.program = "kernel/llama.asm";
  o.check = "verify/boot-check \"$2\"";
  o.out_asm = "build/nightly/llama.asm";
  o.work_dir = "build/nightly/work";
  o.ledger = "results/LEDGER.tsv";
  o.ledger_label = "kernel/llama.asm";
  o.blocks = &kernel_blocks;
  const char *pos[1];
  int npos;
  int rc = pipeline_args(argc, argv, &o, pos, 0, &npos, usage);
  if (rc >= 0) return rc;
  return pipeline_run(&o);
}
