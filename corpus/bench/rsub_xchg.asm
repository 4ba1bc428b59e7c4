; note: reverse subtraction
; live-out: ax
; best-bytes: 3
; best: sub bx, ax; xchg ax, bx
sub ax, bx
neg ax
