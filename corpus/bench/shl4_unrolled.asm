; note: four single-bit shifts
; live-out: ax
; best-bytes: 3
; best: shl ax, 4
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
