; note: a stack-segment load through a copy of bp is a bp-based address
; live-out: ax
; best-bytes: 3
; best: mov ax, [bp+4]
mov si, bp
mov ax, [ss:si+4]
