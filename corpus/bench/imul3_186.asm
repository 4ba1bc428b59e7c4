; note: three times a register is a three-operand imul from the 186 on
; live-out: dx
; cpu: 186
; best-bytes: 3
; best: imul dx, ax, 3
mov dx, ax
shl dx, 1
add dx, ax
