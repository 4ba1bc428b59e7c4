; note: five shifts by one are one shift by 5 from the 186 on
; live-out: ax
; best-bytes: 3
; best: shl ax, 5
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
