; note: two exchanges cancel
; best-bytes: 0
; best: (empty)
xchg ax, bx
xchg ax, bx
