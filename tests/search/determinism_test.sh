#!/bin/bash
# Same seed, byte-identical output: `superopt opt` twice with one seed, on a
# snippet the stochastic search solves and on one the enumerator solves, the
# second run beside a CPU hog (results must depend on counts, not on speed).
# Each run gets a fresh proof and counterexample directory except where the
# reuse of an earlier run's counterexamples is the point.
set -u
bin=${1:-build/superopt}
tmp=$(mktemp -d)
hog=
cleanup() { [ -n "$hog" ] && kill "$hog" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
# on a failed comparison, show both outputs
show() { if ! cmp -s <(norm "$1") <(norm "$2"); then diff <(norm "$1") <(norm "$2") | sed 's/^/     /'; fi; }

# The count budgets of the default 20 s, with a clock far beyond them: the
# answer must come from the counts, and a loaded machine (the hog below, or
# a busy CI runner) must not stop a run by the clock.
COUNTS=(--time 600 --enum-budget 50000000 --proposals 2000000)
# run NAME SNIPPET SEED [extra options]: stdout (text + JSON line) in $tmp/NAME
run() {
  local name=$1 file=$2 seed=$3
  shift 3
  "$bin" opt "$file" --seed "$seed" --json --proof-dir "$tmp/$name.proofs" "${COUNTS[@]}" "$@" \
    > "$tmp/$name" 2> "$tmp/$name.err"
}
json() { tail -n 1 "$tmp/$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print(d[\"$2\"])"; }
# strip the run's own directory from the proof path so runs can be compared
norm() { sed "s#$tmp/[a-z0-9_]*\.proofs/##" "$tmp/$1"; }
busy() { ( while :; do :; done ) & hog=$!; }
idle() { kill "$hog" 2>/dev/null; wait "$hog" 2>/dev/null; hog=; }

stoch=corpus/bench/zero_pair_and_sum.asm   # best form longer than enumeration reaches
enum=corpus/bench/signum_massalin.asm      # the enumerator finds it

run s_a "$stoch" 5
busy; run s_b "$stoch" 5; idle
check "stochastic: proven shorter, within the counts ($(json s_a best))" \
  '[ "$(json s_a status)" = shorter ] && [ "$(json s_a best_bytes)" -lt 10 ]'
check "stochastic: same seed, identical stdout (second run under load)" 'cmp -s <(norm s_a) <(norm s_b)'
show s_a s_b
check "stochastic: identical JSON line" '[ "$(tail -n 1 "$tmp/s_a" | sed "s#$tmp/s_a.proofs#P#")" = "$(tail -n 1 "$tmp/s_b" | sed "s#$tmp/s_b.proofs#P#")" ]'

# counterexamples kept from a run must not change the next one's answer
"$bin" opt "$stoch" --seed 5 --json --proof-dir "$tmp/s_a.proofs" "${COUNTS[@]}" > "$tmp/s_c" 2>/dev/null
check "stochastic: a rerun that reloads kept counterexamples prints the same" 'cmp -s "$tmp/s_a" "$tmp/s_c"'

run s_d "$stoch" 6
check "stochastic: another seed is proven too ($(json s_d best))" '[ "$(json s_d status)" = shorter ]'
if cmp -s <(norm s_a) <(norm s_d); then echo "note another seed gave the same form"; else echo "note another seed gave a different form"; fi

run e_a "$enum" 5
busy; run e_b "$enum" 5; idle
check "enumeration: proven 5 bytes" '[ "$(json e_a status)" = shorter ] && [ "$(json e_a best_bytes)" -eq 5 ]'
check "enumeration: same seed, identical stdout (second run under load)" 'cmp -s <(norm e_a) <(norm e_b)'
show e_a e_b

# the clock may stop a search, and then the output says so
run t_a "$stoch" 5 --time 0.3 --enum-budget 10000000000 --proposals 1000000000
check "time limit: status time-limit" '[ "$(json t_a status)" = time-limit ]'
check "time limit: said in the text" 'grep -q "stopped by the time limit" "$tmp/t_a"'
exit $fail
