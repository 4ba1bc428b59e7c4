#!/usr/bin/env bash
# A planted mismatch leaves a reproducer that `oracle --replay` repeats:
# mutant 1 (superopt/isa/MUTATIONS.md) runs a small subset of the 80286
# replay, host CPU and Unicorn oracles; every mismatch must be in its
# reproducer file; replaying the file with the mutant must repeat every
# one, and with the unmutated model none.
set -uo pipefail
BUILD=${BUILD:-build}
ORACLE_DIR=${ORACLE_DIR:-../shared/oracles/80286}
MUT=$BUILD/oracle/mut-1/oracle
OK=$BUILD/oracle/oracle
F=$BUILD/oracle/replay-test.jsonl
fail() { echo "oracle-replay-test: FAILED: $*"; exit 1; }
out=$("$MUT" --oracle-dir "$ORACLE_DIR" --only replay,host,unicorn --replay-limit 5 --states 5 --seed 0x7e57 \
      --print-limit 0 --repro "$F"); rc=$?
[ $rc -eq 1 ] || fail "the mutant run exited $rc, not 1"
m=$(sed -n 's/^oracle: .* tests, \([0-9]*\) mismatches$/\1/p' <<<"$out")
[ -n "$m" ] && [ "$m" -gt 0 ] || fail "the mutant found no mismatch"
grep -q "^oracle: reproducers of the $m mismatches in $F" <<<"$out" || fail "the run did not name its reproducer file"
recs=$(($(wc -l < "$F") - 1))
[ "$recs" -eq "$m" ] || fail "$m mismatches but $recs reproducers in $F"
again=$("$MUT" --replay "$F" --print-limit 0); rc=$?
[ $rc -eq 1 ] || fail "replaying with the mutant exited $rc, not 1"
grep -q "^replay: $m tests, $m mismatches repeated$" <<<"$again" || fail "the mutant's replay did not repeat all $m: $(tail -1 <<<"$again")"
fixed=$("$OK" --replay "$F"); rc=$?
[ $rc -eq 0 ] || fail "replaying with the model exited $rc, not 0"
grep -q "^replay: $m tests, 0 mismatches repeated$" <<<"$fixed" || fail "the model repeats a mutant's mismatch: $(tail -1 <<<"$fixed")"
echo "oracle-replay-test: $m reproducers of a planted bug: all repeat with it, none without"
