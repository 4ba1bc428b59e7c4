; note: a constant built in a dead register and pushed is push imm on the 186
; cpu: 186
; live-out: sp mem
; best-bytes: 3
; best: push 0x1234
mov ax, 0x1200
add ax, 0x34
push ax
