#!/bin/bash
# Bad input to opt, shrink and pack: the one-line error, the exit code the
# help text documents, and modes taken from nasm rather than from the text.
# usage: tests/isa/cli_errors_test.sh build/superopt build/pack
set -u
S=${1:?usage: cli_errors_test.sh SUPEROPT PACK}
PACK=${2:?usage: cli_errors_test.sh SUPEROPT PACK}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() {   # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}
one_line() { test "$(wc -l < "$1")" -eq 1; }
P=(--proof-dir "$T/proofs" --time 5)

# --- opt: what cannot be read or written
mkdir "$T/dir.asm"
"$S" opt "$T/dir.asm" "${P[@]}" > "$T/out" 2> "$T/err"; rc=$?
check "opt on a directory exits 2" test $rc -eq 2
check "opt on a directory says so in one line" grep -q "dir.asm: is a directory" "$T/err"
check "opt on a directory: one line" one_line "$T/err"

"$S" opt /proc/self/mem "${P[@]}" 2> "$T/err"; rc=$?
check "opt on an unreadable file exits 2" test $rc -eq 2
check "opt on an unreadable file says cannot read" grep -q "/proc/self/mem: cannot read: " "$T/err"

"$S" opt "$T/missing.asm" "${P[@]}" 2> "$T/err"; rc=$?
check "opt on a missing file exits 2" test $rc -eq 2 -a "$(wc -l < "$T/err")" -eq 1

printf 'mov ax, 1\nmov ax, 2\n' > "$T/two.asm"
touch "$T/plain"
"$S" opt "$T/two.asm" --proof-dir "$T/plain/proofs" > "$T/out" 2> "$T/err"; rc=$?
check "opt with an unwritable proof directory exits 2" test $rc -eq 2
check "opt with an unwritable proof directory names it" grep -q "proof directory $T/plain/proofs: Not a directory" "$T/err"
check "opt with an unwritable proof directory searches nothing" test ! -s "$T/out"

# A proven rewrite whose proof file cannot be written (a directory sits
# where the file goes) is reported as such, exit 3, not as "nothing shorter".
# Each run finds the next candidate, so block each proof path in turn.
rc=0
for i in 1 2 3 4; do
  "$S" opt "$T/two.asm" --max-bytes 3 --proof-dir "$T/blocked" > "$T/out" 2> "$T/err"; rc=$?
  pf=$(sed -n 's/^proof: //p' "$T/out")
  [ $rc -eq 0 ] && [ -n "$pf" ] || break
  rm "$pf" && mkdir "$pf"
done
check "opt: a proof that cannot be stored exits 3" test $rc -eq 3
check "opt: a proof that cannot be stored is reported as such" \
  grep -q "a shorter rewrite was proven but not kept: proven, but the proof cannot be stored" "$T/err"

# --- opt: what the search cannot do, said as it is
for insn in "rep stosb" "rep movsb" "mov cr0, eax"; do
  printf '%s\n' "$insn" > "$T/nm.asm"
  "$S" opt "$T/nm.asm" "${P[@]}" > /dev/null 2> "$T/err"; rc=$?
  check "opt '$insn' exits 2" test $rc -eq 2
  check "opt '$insn' says not modelled" grep -q "cannot search: not modelled: $insn (line 1)" "$T/err"
done
printf '; assume: ax=1 ax=2\nmov bx, ax\n' > "$T/contra.asm"
"$S" opt "$T/contra.asm" "${P[@]}" > /dev/null 2> "$T/err"; rc=$?
check "opt with contradictory assumptions exits 2" test $rc -eq 2
check "opt names the contradictory assumptions" \
  grep -q "the assumptions contradict each other (ax=1, ax=2)" "$T/err"
printf '; assume: al=1 ax=0x200\nmov bx, ax\n' > "$T/contra2.asm"
"$S" opt "$T/contra2.asm" "${P[@]}" > /dev/null 2> "$T/err"
check "opt sees overlapping registers contradict" \
  grep -q "the assumptions contradict each other (al=1, ax=0x200)" "$T/err"

"$S" opt "$T/two.asm" --max-bytes 0 "${P[@]}" > "$T/out" 2> "$T/err"; rc=$?
check "opt --max-bytes 0 is refused" test $rc -eq 2
check "opt --max-bytes 0 says why" grep -q -- "--max-bytes 0: must be at least 1" "$T/err"

# --- snippet directives
printf '; live-out:\nmov ax, 1\n' > "$T/empty.asm"
"$S" opt "$T/empty.asm" "${P[@]}" > "$T/out" 2> "$T/err"; rc=$?
check "opt with an empty live-out still runs" test $rc -eq 0
check "opt warns about an empty live-out, naming the line" \
  grep -q "empty.asm:1: warning: empty live-out: nothing is live" "$T/err"
printf '; live-out: ax\nmov ax, 1\n' > "$T/full.asm"
"$S" opt "$T/full.asm" "${P[@]}" > /dev/null 2> "$T/err"
check "no warning for a live-out that names something" test ! -s "$T/err"

printf '; Live-Out: ax\nmov bx, 1\nmov ax, 2\n' > "$T/caps.asm"
"$S" opt "$T/caps.asm" "${P[@]}" > "$T/out" 2> "$T/err"; rc=$?
check "'; Live-Out:' in capitals is the live-out directive" grep -q "^best: 3 bytes" "$T/out"
printf '; LIVE-OUT: bogus\nmov ax, 1\n' > "$T/capsbad.asm"
"$S" opt "$T/capsbad.asm" "${P[@]}" > /dev/null 2> "$T/err"; rc=$?
check "'; LIVE-OUT:' is parsed (and its bad register refused)" \
  grep -q "capsbad.asm:1: live-out: unknown register or flag 'bogus'" "$T/err"
printf '; Note that this comment is prose: it is ignored\nmov ax, 1\n' > "$T/prose.asm"
"$S" opt "$T/prose.asm" "${P[@]}" > /dev/null 2> "$T/err"; rc=$?
check "a capitalised prose comment is not a directive" test $rc -eq 0

printf 'nop\ntimes 65 inc ax\n' > "$T/times.asm"
"$S" opt "$T/times.asm" "${P[@]}" 2> "$T/err"; rc=$?
check "too many instructions from one times line names that line" \
  grep -q "times.asm:2: more than 64 instructions" "$T/err"
{ for i in $(seq 1 63); do echo "inc ax"; done; echo "bound ax, [bx]"; } > "$T/long.asm"
"$S" opt "$T/long.asm" "${P[@]}" 2> "$T/err"
check "an error on the 64th instruction names line 64" grep -q "long.asm:64: unsupported instruction 'bound'" "$T/err"

# --- modes, as nasm reads them: every way of writing 32-bit mode is refused
n=0
while IFS= read -r way; do
  n=$((n + 1))
  printf '%b\nmov eax, 1\n' "$way" > "$T/m$n.asm"
  "$S" opt "$T/m$n.asm" "${P[@]}" > "$T/out" 2> "$T/err"; rc=$?
  check "opt refuses 32-bit code written as '$way'" test $rc -eq 2
  check "opt says why for '$way'" grep -qE "only 16-bit code can be searched: nasm is in 32-bit mode from here \('.+'\)" "$T/err"
done <<'EOF'
bits 32
bits 032
%define B 32\nbits B
use32
[bits 32]
%macro enter32 0\nbits 32\n%endmacro\nenter32
EOF
{ for i in $(seq 1 4096); do echo; done; echo "bits 32"; echo "mov eax, 1"; } > "$T/far.asm"
"$S" opt "$T/far.asm" "${P[@]}" 2> "$T/err"; rc=$?
check "opt refuses bits 32 after 4096 blank lines" test $rc -eq 2
check "opt names line 4097 for it" grep -q "far.asm:4097: only 16-bit code can be searched" "$T/err"
printf 'com: equ 0\n%%if com\nbits 32\n%%endif\nmov ax, 1\n' > "$T/mif.asm"
"$S" opt "$T/mif.asm" "${P[@]}" > /dev/null 2> "$T/err"; rc=$?
check "opt reads %if on an assembler symbol as nasm does (16-bit here)" test $rc -eq 0
printf 'com: equ 1\n%%if com\nbits 32\n%%endif\nmov eax, 1\n' > "$T/mif32.asm"
"$S" opt "$T/mif32.asm" "${P[@]}" > /dev/null 2> "$T/err"; rc=$?
check "opt refuses the 32-bit branch of %if on an assembler symbol" test $rc -eq 2
printf 'bits 16\nmov ax, 1\n' > "$T/m16.asm"
"$S" opt "$T/m16.asm" "${P[@]}" > /dev/null 2> "$T/err"; rc=$?
check "opt takes explicit bits 16" test $rc -eq 0

# shrink: code under bits 32 is kept out of every window
n=0
while IFS= read -r way; do
  n=$((n + 1))
  printf 'org 0x7c00\nbits 16\nmov ax, 1\nadd ax, bx\njmp pm\npm:\n%b\nadd eax, ebx\nmov ecx, eax\nhlt\n' "$way" \
    > "$T/p$n.asm"
  "$S" shrink "$T/p$n.asm" --check true --list-windows --work "$T/w" --results "$T/r" > "$T/out" 2>&1
  lines=$(wc -l < "$T/p$n.asm")
  check "shrink lists the 16-bit windows ('$way')" grep -q "p$n.asm:3-4 " "$T/out"
  check "shrink keeps the code under '$way' out of windows" \
    bash -c "! grep -qE 'p$n.asm:($((lines - 3))|$((lines - 2))|$((lines - 1)))-' '$T/out'"
done <<'EOF'
bits 32
bits 032
%define B 32\nbits B
use32
[bits 32]
EOF
printf 'org 0x7c00\nbits 16\nmov ax, 1\nadd ax, bx\njmp pm\npm:\nbits 16\nadd eax, ebx\nmov ecx, eax\nhlt\n' > "$T/p16.asm"
"$S" shrink "$T/p16.asm" --check true --list-windows --work "$T/w" --results "$T/r" > "$T/out" 2>&1
check "shrink windows the same code under bits 16" grep -q "p16.asm:8-9 " "$T/out"

# --- pack's arguments
"$PACK" --random -1 "$T/r.bin" 2> "$T/err"; rc=$?
check "pack --random -1 is refused" test $rc -eq 2 -a ! -e "$T/r.bin"
check "pack --random -1 says why" grep -q "'-1' is not a seed" "$T/err"
"$PACK" --random 7 "$T/c.bin" 2> /dev/null
cp "$T/c.bin" "$T/c0.bin"
printf 'tok' > "$T/tok.bin"
"$PACK" "$T/c.bin" "$T/tok.bin" "$T/c.bin" 2> "$T/err"; rc=$?
check "pack X TOK X is refused" test $rc -eq 2
check "pack X TOK X leaves X as it was" cmp -s "$T/c.bin" "$T/c0.bin"
check "pack X TOK X says why" grep -q "is also an input" "$T/err"
"$PACK" "$T/c.bin" "$T/tok.bin" "$T/tok.bin" 2> "$T/err"; rc=$?
check "pack X TOK TOK is refused" test $rc -eq 2 -a "$(cat "$T/tok.bin")" = tok

exit $fail
