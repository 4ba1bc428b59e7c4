/* Liveness and facts (rules in liveness.h). */
#include "program/facts.h"
#include "program/bios.h"
#include <stdlib.h>
#include <string.h>
#include "program/liveness.h"

/* What an instruction reads: its effects, except for `int`.  The
 * instruction itself pushes FLAGS, so the model says it reads every flag;
 * the program layer knows what follows it, a BIOS or DOS service that
 * returns with iret (the pushed flags come back) or retf 2 (it sets them),
 * and none takes an input in the status flags: they are not read there,
 * only carried across (an int kills nothing, its must-writes are empty). */
static locset insn_reads(const insn *in, const isa_effects *ef, const prog_facts *f) {
  if (in->op != OP_INT) return ef->reads;
  /* a BIOS service the facts name reads its inputs alone (bios.h) */
  locset service;
  if (bios_reads(in, f, &service)) return service & ef->reads;
  return ef->reads & ~(LOC_FLAGS & ~LOC_DF);
}

/* After compute_facts: an int's reads depend on the AH it sees. */
static void compute_live(const program *p, const cfg *g, liveness *lv) {
  locset *reads = calloc((size_t)p->n + 1, sizeof *reads);
  locset *kill = calloc((size_t)p->n + 1, sizeof *kill);
  for (int i = 0; i < p->n; i++) {
    const prog_item *it = &p->it[i];
    if (!it->is_code || !it->decoded) {   /* data and undecoded bytes */
      reads[i] = LOC_ALL;
      continue;
    }
    isa_effects ef;
    isa_effects_of(&it->in, &ef);
    reads[i] = insn_reads(&it->in, &ef, &lv->facts[i]);
    kill[i] = ef.must_writes;
  }
  for (int i = 0; i < p->n; i++) lv->live_in[i] = lv->live_out[i] = 0;
  bool changed = true;
  while (changed) {
    changed = false;
    for (int i = p->n - 1; i >= 0; i--) {
      const cfg_node *nd = &g->node[i];
      /* memory is live everywhere: devices read it (the text screen at
         0xb8000, a disk buffer), so no store is dead, even in a loop that
         never reads it back */
      locset out = (nd->unknown_succ ? LOC_ALL : 0) | LOC_MEM;
      for (int k = 0; k < nd->nsucc; k++) out |= lv->live_in[nd->succ[k]];
      locset in = reads[i] | (out & ~kill[i]);
      if (out != lv->live_out[i] || in != lv->live_in[i]) {
        lv->live_out[i] = out;
        lv->live_in[i] = in;
        changed = true;
      }
    }
  }
  free(reads);
  free(kill);
}

#define FACT_PARTS (LOC_ALLREGS | LOC_ALLSEGS | LOC_DF)

static void facts_meet(prog_facts *a, const prog_facts *b) {
  locset k = a->known & b->known;
  for (int r = 0; r < 8; r++)
    for (int part = 0; part < 3; part++) {
      locset bit = 1ull << (r * 3 + part);
      uint32_t mask = part == 2 ? 0xffff0000u : 0xffu << (8 * part);
      if ((k & bit) && ((a->r[r] ^ b->r[r]) & mask)) k &= ~bit;
    }
  for (int s = 0; s < 6; s++)
    if ((k & LOC_SEG(s)) && a->s[s] != b->s[s]) k &= ~LOC_SEG(s);
  if ((k & LOC_DF) && a->df != b->df) k &= ~LOC_DF;
  for (int f = 0; f < FL_COUNT; f++)
    if ((k & isa_flag_loc[f]) && ((a->flags ^ b->flags) & isa_flag_bit[f])) k &= ~isa_flag_loc[f];
  a->known = k;
}

static void facts_transfer(const program *p, int i, const prog_facts *in, prog_facts *out) {
  *out = *in;
  const prog_item *it = &p->it[i];
  if (!it->is_code || !it->decoded) {
    out->known = 0;
    return;
  }
  if (it->in.op == OP_INT) {
    out->known &= (LOC_ALLSEGS & ~LOC_SEG(S_ES)) | LOC_DF;
    return;
  }
  isa_effects ef;
  isa_effects_of(&it->in, &ef);
  locset need = ef.reads & (LOC_ALLREGS | LOC_ALLSEGS);
  if (facts_input_independent(&it->in)) need = 0;   /* xor r,r: r=0 whatever r was */
  /* a relocated operand is an address that moves when code shrinks: no
   * fact may depend on it */
  bool evaluable = !it->reloc && !ef.branch && !(ef.reads & LOC_MEM) &&
                   !(ef.reads & (LOC_FLAGS & ~LOC_DF)) &&
                   (need & ~in->known) == 0 &&
                   !((ef.reads & LOC_DF) && !(in->known & LOC_DF)) &&
                   !(it->in.prefix & (PFX_REP | PFX_REPNE));
  if (evaluable) {
    isa_state st;
    memset(&st, 0, sizeof st);
    for (int r = 0; r < 8; r++) st.r[r] = in->r[r];
    for (int s = 0; s < 6; s++) st.s[s] = in->s[s];
    st.flags = in->df ? F_DF : 0;
    isa_exec(&st, &it->in);
    if (!st.fault && !st.poisoned) {
      for (int r = 0; r < 8; r++) out->r[r] = st.r[r];
      for (int s = 0; s < 6; s++) out->s[s] = (uint16_t)st.s[s];
      out->df = (st.flags & F_DF) != 0;
      out->known &= ~((ef.writes | ef.undef) & ~FACT_PARTS);   /* flag facts it overwrites */
      out->known |= ef.writes & FACT_PARTS & ~LOC_MEM;
      return;
    }
  }
  out->known &= ~(ef.writes | ef.undef);
  facts_after_insn(&it->in, out);
}

static void compute_facts(const program *p, const cfg *g, liveness *lv) {
  bool has_std = false;
  for (int i = 0; i < p->n; i++)
    if (cfg_is_insn(p, i) && p->it[i].in.op == OP_STD) has_std = true;
  prog_facts *out = calloc((size_t)p->n + 1, sizeof *out);
  bool *seen = calloc((size_t)p->n + 1, 1);     /* out[i] computed at least once */
  bool changed = true;
  int passes = 0;
  while (changed && passes++ < 200) {
    changed = false;
    for (int i = 0; i < p->n; i++) {
      prog_facts in = {0};
      bool first = true;
      if (g->node[i].unknown_pred) {
        memset(&in, 0, sizeof in);
        if (i == 0) {            /* boot state: DF=0 */
          in.known = LOC_DF;
          in.df = 0;
        }
        first = false;
      }
      for (int k = g->pred_start[i]; k < g->pred_start[i + 1]; k++) {
        int pr = g->pred[k];
        if (!seen[pr]) continue;   /* optimistic: not reached yet */
        prog_facts edge = out[pr];
        facts_on_edge(p, g, pr, i, &edge);   /* what this edge of a branch says */
        if (first) {
          in = edge;
          first = false;
        } else {
          facts_meet(&in, &edge);
        }
      }
      if (first) {
        /* predecessors not reached yet: wait for them (optimistic); none
         * at all: an entry nobody names, nothing is known */
        if (g->pred_start[i + 1] > g->pred_start[i]) continue;
        in.known = 0;
      }
      if (!has_std) {
        in.known |= LOC_DF;
        in.df = 0;
      }
      prog_facts o;
      facts_transfer(p, i, &in, &o);
      if (!has_std) {
        o.known |= LOC_DF;
        o.df = 0;
      }
      if (!seen[i] || memcmp(&o, &out[i], sizeof o) != 0 ||
          memcmp(&in, &lv->facts[i], sizeof in) != 0) {
        out[i] = o;
        lv->facts[i] = in;
        seen[i] = true;
        changed = true;
      }
    }
  }
  if (changed)   /* did not settle: claim nothing but the global DF rule */
    for (int i = 0; i < p->n; i++) {
      lv->facts[i].known = has_std ? 0 : LOC_DF;
      lv->facts[i].df = 0;
    }
  free(out);
  free(seen);
}

void liveness_compute(const program *p, const cfg *g, liveness *lv) {
  lv->n = p->n;
  lv->live_in = calloc((size_t)p->n + 1, sizeof *lv->live_in);
  lv->live_out = calloc((size_t)p->n + 1, sizeof *lv->live_out);
  lv->facts = calloc((size_t)p->n + 1, sizeof *lv->facts);
  compute_facts(p, g, lv);
  compute_live(p, g, lv);
}

void liveness_free(liveness *lv) {
  free(lv->live_in);
  free(lv->live_out);
  free(lv->facts);
  memset(lv, 0, sizeof *lv);
}

locset liveness_upward_reads(const program *p, int a, int b) {
  locset up = 0, written = 0;
  for (int i = a; i <= b; i++) {
    isa_effects ef;
    isa_effects_of(&p->it[i].in, &ef);
    up |= ef.reads & ~written;
    written |= ef.must_writes;
  }
  return up;
}

static int add(assumption *out, int n, int max, locset loc, uint32_t v) {
  if (n >= max) return n;
  out[n].kind = ASSUME_EQ;
  out[n].loc = loc;
  out[n].value = v;
  return n + 1;
}

/* Facts about parts in `want` (registers, segments, DF) as assumptions. */
static int assume_parts(const prog_facts *f, locset want, assumption *out, int n, int max) {
  locset k = f->known;
  for (int r = 0; r < 8; r++) {
    locset used = want & LOC_R32(r);
    if (!used) continue;
    if ((used & LOC_UP(r)) && (k & LOC_R32(r)) == LOC_R32(r)) {
      n = add(out, n, max, LOC_R32(r), f->r[r]);
    } else if ((used & LOC_R16(r)) == LOC_R16(r) && (k & LOC_R16(r)) == LOC_R16(r)) {
      n = add(out, n, max, LOC_R16(r), f->r[r] & 0xffff);
    } else if (r < 4) {
      if ((used & LOC_LO(r)) && (k & LOC_LO(r))) n = add(out, n, max, LOC_LO(r), f->r[r] & 0xff);
      if ((used & LOC_HI(r)) && (k & LOC_HI(r))) n = add(out, n, max, LOC_HI(r), (f->r[r] >> 8) & 0xff);
    }
  }
  for (int s = 0; s < 6; s++)
    if ((want & LOC_SEG(s)) && (k & LOC_SEG(s))) n = add(out, n, max, LOC_SEG(s), f->s[s]);
  if ((want & LOC_DF) && (k & LOC_DF)) n = add(out, n, max, LOC_DF, f->df);
  for (int fl = 0; fl < FL_COUNT; fl++)
    if (fl != FL_DF && (want & k & isa_flag_loc[fl]))
      n = add(out, n, max, isa_flag_loc[fl], (f->flags & isa_flag_bit[fl]) != 0);
  return n;
}

/* What the window reads comes first; then other facts about locations live
 * on entry (a candidate may use them: DF=0 lets lodsb replace mov+inc).
 * Only live-on-entry locations are safe to assume: every other rewritten
 * window preserves its own live-out, which contains them. */
int liveness_assumptions(const program *p, const liveness *lv, int a, int b,
                         assumption *out, int max) {
  locset up = liveness_upward_reads(p, a, b);
  const prog_facts *f = &lv->facts[a];
  int n = assume_parts(f, up, out, 0, max);
  locset rest = lv->live_in[a] & ~up & (LOC_ALLREGS | LOC_ALLSEGS | LOC_FLAGS);
  return assume_parts(f, rest, out, n, max);
}
