#include "search/replay.h"

#include <stdio.h>
#include "program/rewrite.h"

bool cex_replay(const snippet *s, const insn *cand, int n, const isa_state *cex,
                isa_state *clean, char *msg, size_t msgn) {
  isa_state init = *cex;
  init.nwrites = 0;
  init.fault = 0;
  init.poisoned = 0;
  init.undef = 0;
  *clean = init;
  char text[1024];
  seq_text(cand, n, text, sizeof text);
  if (!snippet_assumptions_hold(s, &init)) {
    snprintf(msg, msgn, "counterexample for '%.300s' violates the assumptions of %.200s", text, s->path);
    return false;
  }
  isa_state a = init, b = init;
  isa_exec_seq(&a, s->code, s->n);
  isa_exec_seq(&b, cand, n);
  if (isa_state_equal(&a, &b, s->live_out)) {
    snprintf(msg, msgn,
             "the solver says '%.300s' differs from %.200s but the evaluator agrees on its "
             "counterexample (eax=%08x ecx=%08x edx=%08x ebx=%08x esi=%08x edi=%08x flags=%08x)",
             text, s->path, init.r[0], init.r[1], init.r[2], init.r[3], init.r[6], init.r[7],
             init.flags);
    return false;
  }
  return true;
}
