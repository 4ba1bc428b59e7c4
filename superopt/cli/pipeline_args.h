/* Options shared by `superopt nightly` and `superopt shrink`. */
#ifndef SUPEROPT_CLI_PIPELINE_ARGS_H
#define SUPEROPT_CLI_PIPELINE_ARGS_H

#include "pipeline/pipeline.h"

/* Parse argv (argv[0] is the command name).  Positional arguments are
 * returned in pos (at most maxpos).  Returns -1 to go on, else an exit
 * status (0 after --help, 2 on bad usage with a message printed). */
int pipeline_args(int argc, char **argv, pipeline_opts *o, const char **pos, int maxpos,
                  int *npos, const char *usage);

#endif
