#!/bin/bash
# The exec and decode commands: results, exit codes and error messages.
# usage: tests/isa/cli_test.sh build/superopt
set -u
S=${1:?usage: cli_test.sh SUPEROPT}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() {   # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}

printf '{\n  "al": 255,\n  "flags": {"cf": 0}\n}\n' > "$T/s.json"
"$S" exec --hex "04 01" --state "$T/s.json" > "$T/out.json"; rc=$?
check "exec add al,1 runs" test $rc -eq 0
check "exec add al,1 result" python3 -c '
import json,sys; o=json.load(open(sys.argv[1]))
assert o["regs"]["eax"]==0 and o["flags"]["cf"]==1 and o["flags"]["zf"]==1 and o["flags"]["af"]==1
assert o["fault"]=="none" and o["insns"]==["add al, 0x1"] and not o["poisoned"]' "$T/out.json"

"$S" exec --hex "f6 f3" > "$T/div.json"
check "exec div by zero faults" python3 -c '
import json,sys; assert json.load(open(sys.argv[1]))["fault"]=="DE"' "$T/div.json"

"$S" exec --hex "24 0f" > "$T/and.json"
check "exec and leaves af undefined" python3 -c '
import json,sys; o=json.load(open(sys.argv[1])); assert o["undefined"]==["af"] and "af" not in o["flags"]' "$T/and.json"

printf '{\n  "al": 1,\n  "bogus": 2\n}\n' > "$T/bad.json"
"$S" exec --hex "90" --state "$T/bad.json" 2> "$T/err"; rc=$?
check "exec unknown key exits 2" test $rc -eq 2
check "exec unknown key names file:line" grep -q "bad.json:3: unknown state key 'bogus'" "$T/err"

"$S" exec --hex "0f 0b" 2> "$T/err"; rc=$?
check "exec unmodelled bytes exit 2" test $rc -eq 2
check "exec unmodelled bytes say why" grep -q "unmodelled opcode 0F 0B" "$T/err"

printf '\x01\xd8\x0f\x0b\x90\x90' > "$T/p.bin"
"$S" decode "$T/p.bin" --org 0x100 > "$T/list" 2>/dev/null; rc=$?
check "decode with unmodelled bytes exits 1" test $rc -eq 1
check "decode lists text at org" grep -q "^000100  01 d8 .*add ax, bx" "$T/list"
check "decode marks unmodelled bytes" grep -q "^000102  0f .*unmodelled opcode 0F 0B" "$T/list"

printf '\x01\xd8\x90' > "$T/ok.bin"
"$S" decode "$T/ok.bin" > /dev/null 2>&1; rc=$?
check "decode of modelled bytes exits 0" test $rc -eq 0
"$S" exec --help | grep -q "usage: superopt exec"; check "exec --help" test $? -eq 0
"$S" decode --help | grep -q "usage: superopt decode"; check "decode --help" test $? -eq 0
exit $fail
