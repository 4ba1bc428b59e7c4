; note: a constant through a register to the stack is push imm from the 186 on
; live-out: mem sp
; cpu: 186
; best-bytes: 2
; best: push 5
mov ax, 5
push ax
