#!/usr/bin/env bash
# Nights over many machines, on corpus/hello with its QEMU check and small
# budgets.  Each result (accepted splices, patches, proofs, spliced source)
# must equal a one-machine run with the same seed:
#   1. two shards in parallel through GNU parallel against PostgreSQL, then
#      the splice phase (SUPEROPT_TEST_PG: a server where the test may
#      create a database; without one it says "skipped", and under CI=true
#      it fails);
#   2. two shards on their own SQLite stores, merged with `superopt store
#      merge`, then the splice phase;
#   3. one of those shards killed with kill -9 mid-search and rerun: nothing
#      committed is lost or searched twice;
# and the shard split itself, through the Slurm array script with
# SLURM_ARRAY_TASK_ID set (Slurm is not run).
# usage: shards.sh [SUPEROPT]
set -u
bin=$(realpath "${1:-build/superopt}")
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d /tmp/store-shards.XXXXXX)
pgdb=
cleanup() {
  [ -n "$pgdb" ] && psql "$SUPEROPT_TEST_PG" -qc "DROP DATABASE IF EXISTS $pgdb" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

prog=corpus/hello/hello.asm
# night NAME [options]: the nightly on hello into $tmp/NAME, log in $tmp/NAME.log
night() { ( night_exec "$@" ); }
# the same as the process itself, for a caller that will kill it by its pid
night_exec() {
  local name=$1
  shift
  exec "$bin" nightly --program "$prog" --check 'corpus/hello/check "$1"' --window 3 --window-time 2 \
    --seed 7 --results "$tmp/$name/res" --work "$tmp/$name/work" --out "$tmp/$name/out.asm" \
    "$@" >"$tmp/$name.log" 2>&1
}
# after KEY FILE: the number the log prints after KEY
after() { grep -o "$1 [0-9]*" "$2" | tail -n 1 | awk '{print $NF}'; }
# a patch without what differs between any two runs: the scratch commit's
# hash and date, and the run's own directory
norm_patch() { sed -E -e '1s/^From [0-9a-f]{40} /From X /' -e 's/^Date: .*/Date: X/' -e "s#$tmp/[a-z0-9]*/#RUN/#g" "$1"; }
# same_result A B: what run B accepted, patched and proved is what A did
same_result() {
  local a=$tmp/$1 b=$tmp/$2 f
  cmp -s "$a/out.asm" "$b/out.asm" || { echo "     spliced sources differ"; return 1; }
  [ "$(cd "$a/res/patches" && ls)" = "$(cd "$b/res/patches" && ls)" ] || { echo "     patch names differ"; return 1; }
  for f in "$a"/res/patches/*.patch; do
    cmp -s <(norm_patch "$f") <(norm_patch "$b/res/patches/${f##*/}") || { echo "     ${f##*/} differs"; return 1; }
    local proof
    proof=$(sed -n 's/^Proof: .*\///p' "$f")
    cmp -s "$a/res/proofs/$proof" "$b/res/proofs/$proof" || { echo "     proof $proof differs or is missing"; return 1; }
  done
  [ "$(grep -c '^\[nightly\] accepted' "$a.log")" = "$(grep -c '^\[nightly\] accepted' "$b.log")" ]
}
# dump STORE: key, status, bytes, best bytes, searches, budget, proof of every search
dump() { "$bin" store dump "$1"; }
answers() { dump "$1" | awk '{print $1, $2, $3, $4, $7}'; }

# the one-machine night every other result is compared with
night one
accepted=$(after "splices accepted" "$tmp/one.log")
nwin=$(grep -o 'windows: [0-9]*' "$tmp/one.log" | awk '{print $2}')
check "one machine: $accepted splices accepted of $nwin windows" '[ "${accepted:-0}" -ge 1 ] && [ -n "$(ls "$tmp/one/res/patches")" ]'

# the same windows searched longer (3 s each), searched only: for the
# longer-searched rule
night long --phase search --window-time 3
check "search phase only: no patches, no spliced source" '[ -z "$(ls "$tmp/long/res/patches")" ] && [ ! -e "$tmp/long/out.asm" ]'

# the split: disjoint, complete, the same through the Slurm array script
list() { "$bin" shrink "$prog" --window 3 --list-windows "$@"; }
list >"$tmp/all.lst"
for k in 0 1; do
  SUPEROPT=$bin SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=2 cluster/slurm-shard.sh \
    shrink "$prog" --window 3 --list-windows >"$tmp/slurm$k.lst" 2>"$tmp/slurm$k.err"
  list --shard "$k/2" >"$tmp/shard$k.lst"
done
check "shards 0/2 and 1/2 split the $(wc -l <"$tmp/all.lst") windows: both non-empty, disjoint, complete" \
  '[ -s "$tmp/shard0.lst" ] && [ -s "$tmp/shard1.lst" ] && [ -z "$(sort "$tmp/shard0.lst" "$tmp/shard1.lst" | uniq -d)" ] && cmp -s <(sort "$tmp/all.lst") <(sort "$tmp/shard0.lst" "$tmp/shard1.lst")'
check "Slurm script (not Slurm: SLURM_ARRAY_TASK_ID=0,1 with COUNT=2 set by hand) runs shard K/2" \
  'cmp -s "$tmp/slurm0.lst" "$tmp/shard0.lst" && cmp -s "$tmp/slurm1.lst" "$tmp/shard1.lst"'
check "Slurm script without SLURM_ARRAY_TASK_ID: exit 2 and says why" \
  'env -u SLURM_ARRAY_TASK_ID cluster/slurm-shard.sh shrink "$prog" >/dev/null 2>"$tmp/noid.err"; [ $? = 2 ] && grep -q SLURM_ARRAY_TASK_ID "$tmp/noid.err"'

# 1. PostgreSQL, two shards at once through GNU parallel, then the splice phase
if [ -z "${SUPEROPT_TEST_PG:-}" ] || ! psql "$SUPEROPT_TEST_PG" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL postgresql: no server reachable (SUPEROPT_TEST_PG='${SUPEROPT_TEST_PG:-}'); .ci/run starts one"
    fail=1
  else
    echo "skipped postgresql: no server reachable (set SUPEROPT_TEST_PG to a libpq URL, e.g. from tests/store/pg-server start DIR)"
  fi
elif ! command -v parallel >/dev/null; then
  echo "FAIL postgresql: GNU parallel is not installed"
  fail=1
else
  pgdb=superopt_test_$$
  psql "$SUPEROPT_TEST_PG" -qc "CREATE DATABASE $pgdb" >/dev/null
  case $SUPEROPT_TEST_PG in *\?*) url="$SUPEROPT_TEST_PG&dbname=$pgdb" ;; *) url="$SUPEROPT_TEST_PG?dbname=$pgdb" ;; esac
  export -f night night_exec
  export bin prog tmp url
  parallel -j2 night pg{} --shard {}/2 --store "'$url'" ::: 0 1
  check "postgresql: both shards ran to the end (exit 0)" '[ $? = 0 ]'
  s0=$(after "searched now" "$tmp/pg0.log"); s1=$(after "searched now" "$tmp/pg1.log")
  check "postgresql: the shards searched $s0 + $s1 windows, each once" \
    '[ $((s0 + s1)) = "$nwin" ] && [ -z "$(dump "$url" | awk "\$5 != 1")" ] && [ "$(dump "$url" | wc -l)" = "$nwin" ]'
  night pgsplice --store "$url" --phase splice
  check "postgresql: the splice phase searched nothing ($(after "searched now" "$tmp/pgsplice.log"))" \
    '[ "$(after "searched now" "$tmp/pgsplice.log")" = 0 ] && ! grep -q "no answer in the store" "$tmp/pgsplice.log"'
  check "postgresql: 2 shards + splice = one machine (splices, patches, proofs, source)" 'same_result one pgsplice'
  grep -h 'store (postgresql)' "$tmp/pg0.log" "$tmp/pg1.log" | sed 's/^/     /'
  # two writers of every key at once, one with longer searches: the longer stays
  psql "$SUPEROPT_TEST_PG" -qc "CREATE DATABASE ${pgdb}_2" >/dev/null
  url2=${url%$pgdb}${pgdb}_2
  "$bin" store merge "$tmp/one/res/store.sqlite" --into "$url2" >"$tmp/pgm1.log" 2>&1 &
  "$bin" store merge "$tmp/long/res/store.sqlite" --into "$url2" >"$tmp/pgm2.log" 2>&1
  wait
  check "postgresql: two concurrent writers of every key leave one row each, the longer-searched (3 s over 2 s)" \
    '[ "$(dump "$url2" | wc -l)" = "$nwin" ] && [ -z "$(dump "$url2" | awk "\$6 != 3 || \$5 != 2")" ]'
  psql "$SUPEROPT_TEST_PG" -qc "DROP DATABASE ${pgdb}_2" >/dev/null
fi

# 2 and 3. SQLite shards on separate stores, shard 0 killed with -9 mid-search
night_exec sq0 --shard 0/2 &
pid=$!
db0=$tmp/sq0/res/store.sqlite
n=0
while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 2 ]; do
  sleep 0.05
  [ -f "$db0" ] && n=$(dump "$db0" 2>/dev/null | wc -l)
done
kill -9 "$pid" 2>/dev/null
{ wait "$pid"; } 2>/dev/null
dump "$db0" >"$tmp/killed.dump"
nk=$(wc -l <"$tmp/killed.dump")
check "kill -9: shard 0 killed mid-search with $nk answers committed" \
  '[ "$nk" -ge 2 ] && ! grep -q "shard 0/2 search:" "$tmp/sq0.log"'
night sq0 --shard 0/2
cached=$(after "from the store" "$tmp/sq0.log")
check "kill -9: the rerun took the $nk committed answers from the store ($cached) and searched the rest" \
  '[ "$cached" = "$nk" ] && [ $((cached + $(after "searched now" "$tmp/sq0.log"))) = "$(wc -l <"$tmp/shard0.lst")" ]'
check "kill -9: every committed answer kept, no key searched twice" \
  'join <(cut -d" " -f1-4 "$tmp/killed.dump") <(dump "$db0" | cut -d" " -f1-4) | wc -l | grep -qx "$nk" && [ -z "$(dump "$db0" | awk "\$5 != 1")" ]'
night sq1 --shard 1/2
"$bin" store merge "$tmp/sq0/res/store.sqlite" "$tmp/sq1/res/store.sqlite" --into "$tmp/merged.sqlite" >"$tmp/merge.log" 2>&1
check "merge: $(tail -n 1 "$tmp/merge.log")" '[ "$(dump "$tmp/merged.sqlite" | wc -l)" = "$nwin" ]'
"$bin" store merge "$tmp/sq1/res/store.sqlite" "$tmp/sq0/res/store.sqlite" --into "$tmp/merged10.sqlite" >/dev/null 2>&1
check "merge: the order of the stores does not matter" 'cmp -s <(dump "$tmp/merged.sqlite") <(dump "$tmp/merged10.sqlite")'
night sqsplice --store "$tmp/merged.sqlite" --phase splice
check "merge: the splice phase searched nothing" '[ "$(after "searched now" "$tmp/sqsplice.log")" = 0 ]'
check "merge: 2 SQLite shards (one killed and rerun) + merge + splice = one machine" 'same_result one sqsplice'
check "merge: the proofs the splice phase wrote from the store pass the audit" \
  '"$bin" audit --results "$tmp/sqsplice/res" >"$tmp/audit.log" 2>&1 && grep -q "proofs, " "$tmp/audit.log"'
check "merge: the merged store holds the one-machine answers" 'cmp -s <(answers "$tmp/merged.sqlite") <(answers "$tmp/one/res/store.sqlite")'
# a longer search of a key wins a merge, whichever side it comes from
"$bin" store merge "$tmp/merged.sqlite" "$tmp/long/res/store.sqlite" --into "$tmp/ml.sqlite" >/dev/null 2>&1
"$bin" store merge "$tmp/long/res/store.sqlite" "$tmp/merged.sqlite" --into "$tmp/lm.sqlite" >/dev/null 2>&1
check "merge: the longer-searched answer (3 s over 2 s) is kept in both orders, searches add up" \
  '[ -z "$(dump "$tmp/ml.sqlite" | awk "\$6 != 3 || \$5 != 2")" ] && cmp -s <(dump "$tmp/ml.sqlite") <(dump "$tmp/lm.sqlite")'
check "bad input: --shard 2/2 is refused with exit 2" '"$bin" shrink "$prog" --check true --shard 2/2 2>/dev/null; [ $? = 2 ]'
check "bad input: an unreachable store is one line naming it, exit 3" \
  '"$bin" store dump "postgresql:///nosuch?host=$tmp/none" 2>"$tmp/bad.err"; [ $? = 3 ] && [ "$(wc -l <"$tmp/bad.err")" = 1 ] && grep -q nosuch "$tmp/bad.err"'
check "bad input: a password in a store URL is not printed" \
  '! "$bin" store dump "postgresql://u:secret@127.0.0.1:1/x" 2>&1 | grep -q secret'
if [ $fail != 0 ]; then
  for f in "$tmp"/*.log; do echo "--- $f"; tail -n 15 "$f"; done
fi
exit $fail
