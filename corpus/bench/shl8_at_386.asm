; note: eight single shifts are one shift by 8 from the 186 on
; live-out: ax
; cpu: 386
; best-bytes: 3
; best: shl ax, 8
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
