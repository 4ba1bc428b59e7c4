; note: push imm is a 186 instruction
; live-out: mem sp
; cpu: 8086
; trap: push 5
mov ax, 5
push ax
