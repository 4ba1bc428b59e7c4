; note: shifting out the low byte and back clears it
; live-out: ax
; best-bytes: 2
; best: mov al, 0
shr ax, 8
shl ax, 8
