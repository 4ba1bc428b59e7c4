; note: a constant computed at run time
; live-out: ax
; best-bytes: 3
; best: mov ax, 0x8
mov ax, 1
mov cl, 3
shl ax, cl
