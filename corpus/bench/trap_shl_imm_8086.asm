; note: shl by an immediate other than 1 is a 186 instruction: an 8086 answer must not use it
; live-out: ax
; cpu: 8086
; trap: shl ax, 8
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
