/* Subcommands of `superopt`: one file each, cli/cmd_<name>.c. */
#ifndef SUPEROPT_CLI_COMMANDS_H
#define SUPEROPT_CLI_COMMANDS_H

/* Each returns the process exit status: 0 success, 1 the work found a
 * failure (a mismatch, a rejected check), 2 bad usage or bad input, 3 a
 * missing tool or an internal error. */
int cmd_exec(int argc, char **argv);      /* run bytes on a state, print JSON */
int cmd_decode(int argc, char **argv);    /* list instructions of an image/listing, flag unmodelled ones */
int cmd_opt(int argc, char **argv);       /* optimise one snippet */
int cmd_nightly(int argc, char **argv);   /* the kernel pipeline */
int cmd_shrink(int argc, char **argv);    /* the pipeline on any program */
int cmd_audit(int argc, char **argv);     /* re-check stored proofs and patches */
int cmd_store(int argc, char **argv);     /* merge and list results stores */

#endif
