/* superopt: a superoptimizer for 16-bit x86 NASM programs. */
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "isa/isa.h"

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
  {"opt", cmd_opt, "find the shortest proven equivalent of a snippet"},
  {"nightly", cmd_nightly, "search, prove, splice and boot-check the kernel"},
  {"shrink", cmd_shrink, "the same pipeline on any 16-bit NASM program"},
  {"audit", cmd_audit, "re-check every stored proof and patch"},
  {"store", cmd_store, "merge results stores, list what one holds"},
  {"exec", cmd_exec, "run instruction bytes on a state and print the result as JSON"},
  {"decode", cmd_decode, "decode a program and list instructions the model lacks"},
};

static void usage(FILE *f) {
  fprintf(f, "usage: superopt COMMAND [ARGS...]   (superopt COMMAND --help for more)\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf(f, "\nsemantics version %s\n", isa_sem_version());
}

int main(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (!strcmp(argv[1], commands[i].name))
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "superopt: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return 2;
}
