; note: multiply by a constant through shift and add
; live-out: ax
; best-bytes: 3
; best: imul ax, ax, 5
mov dx, ax
shl ax, 2
add ax, dx
