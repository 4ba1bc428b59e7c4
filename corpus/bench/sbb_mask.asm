; note: ax = cf ? 0xffff : 0
; live-out: ax
; best-bytes: 2
; best: sbb ax, ax
mov ax, 0
sbb ax, 0
