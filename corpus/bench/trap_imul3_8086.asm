; note: three-operand imul is a 186 instruction
; live-out: dx
; cpu: 8086
; trap: imul dx, ax, 3
mov dx, ax
shl dx, 1
add dx, ax
