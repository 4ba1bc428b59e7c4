/* Internals shared by the pipeline's files: search, splice, report. */
#ifndef SUPEROPT_PIPELINE_PIPELINE_INT_H
#define SUPEROPT_PIPELINE_PIPELINE_INT_H

#include "program/window.h"
#include "search/opt.h"
#include "splice/edit.h"
#include "splice/layout.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

typedef struct {
  int status;                      /* opt_status, -1 when not searched */
  bool cached;                     /* answer came from the store */
  int orig, best;
  insn code[SNIPPET_MAX_INSNS];
  int n;
  char proof[512];
  char key[33];
  char why[256];
} win_result;

typedef struct {
  const pipeline_opts *o;
  program p;
  cfg g;
  liveness lv;
  window *win;
  int nwin;
  window_stats stats;
  win_result *res;
  store *st;
  char source_hash[33];
  char proofs[1024], patches[1024];
  /* counters */
  int searched, cached, not_reached, errors, shorter;
  int accepted, rejected, saved;
  int other_shard, no_answer;      /* windows of other shards; splice phase: unanswered */
  int unrecorded;                  /* answers the store refused */
  int bytes_before, bytes_after;
  const char *check;               /* the check command in force (o->check, or --check-boot's) */
  char check_cmd[8192];
  layout lay;                      /* bytes that must stay where they are */
  char *notes;                     /* every splice accepted or rejected, for the report */
  size_t notes_n;
  bool fill_inserted;              /* the final source has the fill layout.h inserts */
  program after;                   /* the final spliced program (for the report) */
  bool have_after;
  char final_path[1024];
} pipeline;

/* Block name of item i (kernel table or nearest top-level label). */
const char *pipeline_block(const pipeline *pl, const program *p, int i);

/* The snippet of window w under the program's and the options' CPU level. */
void pipeline_window_snippet(const pipeline *pl, const window *w, snippet *s);

/* Whether window w (snippet s) is this run's to search under --shard;
 * key (33 chars) receives its search key when not NULL. */
bool pipeline_in_shard(const pipeline *pl, const window *w, const snippet *s, char *key);
/* The source with these edits (and the fill the layout needs). */
char *pipeline_spliced(const pipeline *pl, splice_edit *const *edits, int n, size_t *len);

/* With --check-boot: capture the original under the script and make the
 * check compare with it.  Returns an exit status (0 ok). */
int pipeline_boot_reference(pipeline *pl);

/* A line for the report's list of splices. */
void pipeline_note(pipeline *pl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void pipeline_search(pipeline *pl);
/* Returns an exit status (0 ok, 1 baseline check failed, 3 internal). */
int pipeline_splice(pipeline *pl);
void pipeline_report(pipeline *pl);

/* bytes <-> hex, and a byte string back to instructions */
void bytes_hex(const uint8_t *b, int n, char *out, size_t on);
int insns_from_hex(const char *hex, insn *out, int max);
/* An answer as the store keeps it: the bytes for the window's label
 * values in this image, then " sym I.O=K ..." naming each operand (insn I,
 * operand O) that is symbolic constant K.  Returns the answer's length in
 * bytes (label operands in their 16-bit fields). */
int store_hex_of(const insn *code, int n, const snippet *s, char *out, size_t on);
/* Read one back for snippet s (its label values); -1 when it does not
 * decode or names no label of s. */
int insns_from_store(const char *hex, const snippet *s, insn *out, int max);

#endif
