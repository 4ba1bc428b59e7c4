; note: doubling through a copy
; live-out: ax
; best-bytes: 2
; best: add ax, ax
mov bx, ax
add ax, bx
