#!/bin/bash
# superopt opt from the outside: exit statuses, determinism, the JSON line.
set -u
bin=${1:-build/superopt}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

printf '; live-out: ax\nmov ax, 0\n' > "$tmp/zero.asm"
printf '; live-out: ax qx\nmov ax, 0\n' > "$tmp/badreg.asm"
printf 'mov ax, 0\nfrobnicate\n' > "$tmp/badinsn.asm"
printf '; live-out: ax\nxor ax, bx\n' > "$tmp/tight.asm"

"$bin" opt --help > "$tmp/help" 2>&1
check "--help exits 0 and shows usage" '[ $? -eq 0 ] && grep -q "usage: superopt opt" "$tmp/help"'

"$bin" opt "$tmp/badreg.asm" > "$tmp/out" 2> "$tmp/err"; rc=$?
check "unknown register: exit 2" '[ $rc -eq 2 ]'
check "unknown register: file:line and token" 'grep -q "badreg.asm:1: .*qx" "$tmp/err" && [ $(wc -l < "$tmp/err") -eq 1 ]'

"$bin" opt "$tmp/badinsn.asm" > "$tmp/out" 2> "$tmp/err"; rc=$?
check "unknown instruction: exit 2" '[ $rc -eq 2 ]'
check "unknown instruction: file:line" 'grep -q "badinsn.asm:2:" "$tmp/err"'

"$bin" opt "$tmp/missing.asm" > /dev/null 2>&1; rc=$?
check "missing file: exit 2" '[ $rc -eq 2 ]'

"$bin" opt "$tmp/tight.asm" --time 3 --proof-dir "$tmp/p" > "$tmp/out" 2>&1; rc=$?
check "nothing shorter: exit 0" '[ $rc -eq 0 ]'
check "nothing shorter: says so" 'grep -q "nothing shorter" "$tmp/out" && ! grep -q "^proven" "$tmp/out"'

"$bin" opt "$tmp/zero.asm" --seed 7 --json --proof-dir "$tmp/p" > "$tmp/a" 2>/dev/null; rc=$?
"$bin" opt "$tmp/zero.asm" --seed 7 --json --proof-dir "$tmp/p" > "$tmp/b" 2>/dev/null
check "shorter: exit 0" '[ $rc -eq 0 ]'
check "same seed, byte-identical output" 'cmp -s "$tmp/a" "$tmp/b"'
last=$(tail -n 1 "$tmp/a")
check "json last line" 'echo "$last" | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"original_bytes\"]==3 and d[\"best_bytes\"]==2 and d[\"status\"]==\"shorter\" and d[\"proof\"].endswith(\".smt2\") and d[\"best\"]"'
proof=$(echo "$last" | python3 -c 'import json,sys; print(json.load(sys.stdin)["proof"])')
check "proof file: z3 unsat" '[ "$(z3 "$proof")" = unsat ]'
check "proof file: cvc5 unsat" '[ "$(cvc5 --lang smt2 "$proof")" = unsat ]'

"$bin" opt "$tmp/tight.asm" --time 2 --json --proof-dir "$tmp/p" > "$tmp/c" 2>/dev/null
check "json when nothing shorter: proof null" 'tail -n 1 "$tmp/c" | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"proof\"] is None and d[\"status\"]==\"none\""'
# a 1 ms solver budget: the signum query times out and exhaustion (17 input
# bits) proves it instead; either way the result is proven and has a file
"$bin" opt corpus/bench/signum_massalin.asm --solver-timeout 1 --json --proof-dir "$tmp/p" > "$tmp/d" 2>/dev/null
kind=$(tail -n 1 "$tmp/d" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["proof_kind"], d["best_bytes"], d["proof"])')
check "solver timeout: still proven, 5 bytes ($kind)" '[[ "$kind" == "exhaustive 5 "*.exh || "$kind" == "smt 5 "*.smt2 ]] && [ -f "${kind##* }" ]'
check "exhaustion file: all inputs equal" '[[ "$kind" != exhaustive* ]] || grep -q "^; result: all-equal" "${kind##* }"'
"$bin" opt "$tmp/zero.asm" --cpu 9000 > /dev/null 2> "$tmp/err"; rc=$?
check "--cpu 9000: exit 2, names the value" '[ $rc -eq 2 ] && grep -q "unknown CPU .9000." "$tmp/err"'
printf '; live-out: ax\n; cpu: 8086\nshl ax, 1\nshl ax, 1\nshl ax, 1\nshl ax, 1\nshl ax, 1\nshl ax, 1\nshl ax, 1\nshl ax, 1\n' > "$tmp/shl8.asm"
"$bin" opt "$tmp/shl8.asm" --json --proof-dir "$tmp/p" > "$tmp/out" 2>/dev/null; rc=$?
best=$(tail -n 1 "$tmp/out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["best"])')
printf 'cpu 8086\n%s\n' "$(echo "$best" | tr ';' '\n')" > "$tmp/ans.asm"
check "cpu: 8086 answer assembles under nasm's cpu 8086" '[ $rc -eq 0 ] && nasm -f bin -o "$tmp/ans.bin" "$tmp/ans.asm" && [ $(stat -c %s "$tmp/ans.bin") -lt 16 ]'
"$bin" opt "$tmp/shl8.asm" --cpu 386 --json --proof-dir "$tmp/p" > "$tmp/out" 2>/dev/null
check "--cpu 386 cannot raise a snippet's cpu: 8086" 'tail -n 1 "$tmp/out" | grep -q "\"best_bytes\":4"'

printf 'bits 16\norg 0x100\nstart:\n  xor dx, dx\n  div cx\n  mov [0x200], ax\n  ret\n' > "$tmp/xordiv.asm"
"$bin" shrink "$tmp/xordiv.asm" --list-windows > "$tmp/out" 2>&1
check "xor dx,dx gives the window after it dx=0" 'grep -q "assume: dx=0x0 df=0x0 | div cx$" "$tmp/out"'

printf 'bits 16\norg 0x100\nstart:\n  dec al\n  jz zero\n  ret\nzero:\n  mov [0x200], al\n  jcxz none\n  ret\nnone:\n  mov [0x202], cx\nagain:\n  add bx, 2\n  loop again\n  mov [0x204], cx\n  rep stosb\n  mov [0x206], cx\n  ret\n' > "$tmp/edges.asm"
"$bin" shrink "$tmp/edges.asm" --list-windows > "$tmp/out" 2>&1
check "dec al; jz L: al=0 at L (and zf=1)" 'grep -q ":8-8 .*assume: al=0x0 df=0x0 zf=0x1 | mov byte \[0x200\], al$" "$tmp/out"'
check "jcxz taken: cx=0" 'grep -q ":12-12 .*assume: cx=0x0 .*| mov word \[0x202\], cx$" "$tmp/out"'
check "loop not taken: cx=0" 'grep -q ":16-16 .*assume: cx=0x0 .*| mov word \[0x204\], cx$" "$tmp/out"'
check "after rep stosb: cx=0" 'grep -q ":18-18 .*assume: cx=0x0 .*| mov word \[0x206\], cx$" "$tmp/out"'
check "no fact on the other edge of jz" '! grep -q ":6-6 .*al=0x0" "$tmp/out"'

printf 'bits 16\norg 0x100\nstart:\n  add ax, bx\n  jc carry\n  adc dx, 0\n  mov [0x200], dx\n  ret\ncarry:\n  adc cx, 0\n  cmp al, 3\n  jnz other\n  setz bl\n  ret\nother:\n  setz bh\n  ret\n' > "$tmp/flags.asm"
"$bin" shrink "$tmp/flags.asm" --list-windows > "$tmp/out" 2>&1
check "jc not taken: cf=0" 'grep -q ":6-6 .*assume: cf=0x0 .*| adc dx, 0x0$" "$tmp/out"'
check "jc taken: cf=1" 'grep -q ":10-10 .*assume: cf=0x1 .*| adc cx, 0x0$" "$tmp/out"'
check "jnz not taken: zf=1" 'grep -q ":13-13 .*assume: zf=0x1 .*| sete bl$" "$tmp/out"'
check "jnz taken: zf=0" 'grep -q ":16-16 .*assume: zf=0x0 .*| sete bh$" "$tmp/out"'

printf 'bits 16\norg 0x100\nstart:\n  add ax, bx\n  jc join\n  inc dx\njoin:\n  adc cx, 0\n  jnc done\n  add dx, 1\n  adc bx, 0\ndone:\n  ret\n' > "$tmp/flagjoin.asm"
"$bin" shrink "$tmp/flagjoin.asm" --list-windows > "$tmp/out" 2>&1
check "inc keeps the cf=0 of jc's fall-through" 'grep -q ":6-6 .*assume: .*cf=0x0.*| inc dx$" "$tmp/out"'
check "cf=1 and cf=0 meet at a join: no fact" '! grep -q ":8-8 .*cf=" "$tmp/out" && grep -q ":8-8 " "$tmp/out"'
check "an add after jnc falls through overwrites cf=1" '! grep -q ":11-11 .*cf=" "$tmp/out" && grep -q ":11-11 " "$tmp/out"'

printf 'bits 16\norg 0x100\nstart:\n  repe cmpsb\n  jne differ\n  ret\ndiffer:\n  mov [0x200], cx\n  repne scasb\n  mov [0x202], cx\n  ret\n' > "$tmp/cmps.asm"
"$bin" shrink "$tmp/cmps.asm" --list-windows > "$tmp/out" 2>&1
check "after repe cmpsb (it stops on ZF too): no cx=0" '! grep -q ":8-8 .*cx=0x0" "$tmp/out" && grep -q ":8-8 " "$tmp/out"'
check "after repne scasb: no cx=0" '! grep -q ":10-10 .*cx=0x0" "$tmp/out" && grep -q ":10-10 " "$tmp/out"'

# a snippet closed by `call func`: the body before it shrinks to what the
# callee reads, the call keeps its label, both solvers re-check the proof
printf '; live-out: cl sp mem\nmov cx, 7\ncall func\nfunc:\n' > "$tmp/call.asm"
"$bin" opt "$tmp/call.asm" --json --proof-dir "$tmp/p" > "$tmp/out" 2>&1; rc=$?
check "call label: exit 0" '[ $rc -eq 0 ]'
callj=$(tail -n 1 "$tmp/out")
check "call label: 6 -> 5 bytes, the call by its label" 'echo "$callj" | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"original_bytes\"]==6 and d[\"best_bytes\"]==5 and d[\"best\"]==\"mov cl, 0x7; call func\", d"'
cproof=$(echo "$callj" | python3 -c 'import json,sys; print(json.load(sys.stdin)["proof"])')
check "call label: z3 and cvc5 unsat" '[ "$(z3 "$cproof")" = unsat ] && [ "$(cvc5 "$cproof" 2>/dev/null)" = unsat ]'

exit $fail
