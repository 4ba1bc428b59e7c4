; note: the same constant pushed on the 8086 (no push imm): built in the dead register, with the sum Z3 solved for
; cpu: 8086
; live-out: sp mem
; best-bytes: 4
; best: mov ax, 0x1234; push ax
mov ax, 0x1200
add ax, 0x34
push ax
