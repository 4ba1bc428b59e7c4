#!/usr/bin/env bash
# How closely the kernel's integer arithmetic (as modelled bit-exactly by
# golden over the packed blob) follows the float32 forward pass over the
# original checkpoint.
#
#   fidelity.sh FLOAT GOLDEN CKPT TOK BLOB
#
# BLOB is the packed CKPT + TOK (build/pack's output).
#
# L: leading tokens on which golden's and float's greedy stories agree.
# P: share of the float story's positions where golden, fed the float story
#    (teacher forcing), picks float's next token.  When float stopped on BOS
#    before the context was full, that stop is one more position to predict.
# Last line: "fidelity: L leading tokens, P% teacher-forced top-1".
# Exit 0 when L >= 25 and P >= 90, 1 when below, 2 on bad usage, 3 when a
# tool fails.
set -euo pipefail

MIN_LEADING=25
MIN_FORCED=90

if [ $# -ne 5 ]; then
  echo "usage: fidelity.sh FLOAT GOLDEN CKPT TOK BLOB" >&2
  exit 2
fi
float=$1 golden=$2 ckpt=$3 tok=$4 blob=$5
[ -r "$blob" ] || { echo "fidelity.sh: $blob: no blob (build it with build/pack)" >&2; exit 2; }
for tool in "$float" "$golden"; do
  [ -x "$tool" ] || { echo "fidelity.sh: $tool: not an executable" >&2; exit 3; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # run TOOL ARGS... > OUT; a failing tool is an internal error
  "$@" || { echo "fidelity.sh: '$*' failed (exit $?)" >&2; exit 3; }
}

run "$float" --ids "$ckpt" "$tok" >"$work/float.ids"
run "$golden" --ids "$blob" >"$work/golden.ids"

# Context length from the checkpoint header (7th int32): a story of that
# many tokens ended because the context was full, not on BOS.
seq_len=$(od -An -t d4 -j 24 -N 4 "$ckpt" | tr -d ' ')

# Forcing BOS after the story makes golden predict the story's end too.
cp "$work/float.ids" "$work/forced.in"
[ "$(wc -l <"$work/float.ids")" -lt "$seq_len" ] && echo 1 >>"$work/forced.in"
run "$golden" --force "$work/forced.in" "$blob" >"$work/forced.ids"

awk -v seq_len="$seq_len" -v min_l="$MIN_LEADING" -v min_p="$MIN_FORCED" '
  FILENAME == ARGV[1] { f[n_f++] = $1; next }
  FILENAME == ARGV[2] { g[n_g++] = $1; next }
  { forced[n_forced++] = $1 }
  END {
    lead = 0
    while (lead < n_f && lead < n_g && f[lead] == g[lead]) lead++
    # The greedy stories also agree on their end when both stop together.
    targets = n_f
    if (n_f < seq_len) { f[n_f] = 1; targets = n_f + 1 }
    if (targets == 0) { print "fidelity.sh: empty float story" > "/dev/stderr"; exit 3 }
    if (n_forced < n_f) {
      printf "fidelity.sh: golden --force gave %d predictions for %d forced tokens\n", \
        n_forced, n_f > "/dev/stderr"
      exit 3
    }
    if (n_forced < targets) targets = n_f   # golden gives no prediction after the last token
    hit = 0
    for (i = 0; i < targets; i++) if (forced[i] == f[i]) hit++
    p = 100.0 * hit / targets
    printf "float story: %d tokens; golden story: %d tokens\n", n_f, n_g
    printf "teacher-forced: %d of %d positions agree\n", hit, targets
    printf "fidelity: %d leading tokens, %.1f%% teacher-forced top-1\n", lead, p
    exit (lead < min_l || p < min_p) ? 1 : 0
  }' "$work/float.ids" "$work/golden.ids" "$work/forced.ids"
