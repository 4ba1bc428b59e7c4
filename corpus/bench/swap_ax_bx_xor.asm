; note: the xor swap
; live-out: ax bx
; best-bytes: 1
; best: xchg ax, bx
xor ax, bx
xor bx, ax
xor ax, bx
