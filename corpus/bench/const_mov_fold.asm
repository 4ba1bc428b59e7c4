; note: a load and an add of constants fold
; live-out: ax
; best-bytes: 3
; best: mov ax, 0x1234
mov ax, 0x1200
add ax, 0x34
