#!/usr/bin/env bash
# Every planted semantic bug listed in superopt/isa/MUTATIONS.md must be
# caught: for each N, the model's sources are built with -DSEM_MUTATION=N
# into build/oracle/mut-N/oracle, which runs a fast subset of the oracles
# (80286 replay, host CPU, Unicorn) and must report a mismatch (exit 1).
# Exit 0 only if all are caught; the uncaught ones are named.
set -uo pipefail
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
ORACLE_DIR=${ORACLE_DIR:-../shared/oracles/80286}
LIST=superopt/isa/MUTATIONS.md
if [ ! -f "$LIST" ]; then
  echo "mutation-test: $LIST is missing: no mutation to test" >&2
  exit 3
fi
# Mutation numbers: table rows or list items that start with a number.
mapfile -t NS < <(grep -oE '^\s*(\|\s*)?(M)?[0-9]+\b' "$LIST" | grep -oE '[0-9]+' | sort -n | uniq)
# ...and those planted in the sources, so neither list can drift.  (Membership
# is tested without a pipe: `grep -q` may close it early, and under pipefail
# the writer's SIGPIPE would read as "not found".)
mapfile -t SRC < <(grep -rohE 'SEM_MUTATION\s*==\s*[0-9]+' superopt/isa | grep -oE '[0-9]+$' | sort -n | uniq)
if [ "${#NS[@]}" -eq 0 ]; then
  echo "$LIST:1: no mutation numbers found" >&2
  exit 2
fi
for n in "${SRC[@]}"; do
  if [[ " ${NS[*]} " != *" $n "* ]]; then
    echo "mutation-test: SEM_MUTATION == $n is planted in superopt/isa but not listed in $LIST" >&2
    exit 2
  fi
done
targets=()
for n in "${NS[@]}"; do targets+=("$BUILD/oracle/mut-$n/oracle"); done
echo "mutation-test: building ${#NS[@]} mutants (${NS[*]})"
if ! $MAKE -s -j2 "${targets[@]}"; then
  echo "mutation-test: building the mutants failed" >&2
  exit 3
fi
OPTS=(--oracle-dir "$ORACLE_DIR" --seed 0x6d7574 --only replay,host,unicorn
      --replay-limit 200 --states 300 --stop-first --print-limit 1)
# A mutant only counts as caught if the unmutated model passes the same run.
if ! $MAKE -s "$BUILD/oracle/oracle"; then echo "mutation-test: building the oracle failed" >&2; exit 3; fi
if ! base=$("$BUILD/oracle/oracle" "${OPTS[@]}" 2>&1); then
  echo "$base" | grep -m3 '^MISMATCH' >&2
  echo "mutation-test: FAILED: the unmutated model already mismatches on this subset" >&2
  exit 1
fi
missed=()
for n in "${NS[@]}"; do
  if [[ " ${SRC[*]} " != *" $n "* ]]; then
    echo "mutation-test: mutation $n is listed in $LIST but planted nowhere: NOT CAUGHT"
    missed+=("$n")
    continue
  fi
  out=$("$BUILD/oracle/mut-$n/oracle" "${OPTS[@]}" 2>&1)
  rc=$?
  first=$(grep -m1 '^MISMATCH' <<<"$out" | cut -c1-160)
  if [ $rc -eq 1 ]; then
    echo "mutation $n: caught: $first"
  else
    echo "mutation $n: NOT CAUGHT (oracle exit $rc)"
    missed+=("$n")
  fi
done
if [ ${#missed[@]} -gt 0 ]; then
  echo "mutation-test: FAILED: ${#missed[@]} of ${#NS[@]} mutations not caught: ${missed[*]}"
  exit 1
fi
echo "mutation-test: all ${#NS[@]} mutations caught"
