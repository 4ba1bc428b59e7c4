; note: a counted loop closed by dec cx; jnz: loop does both (flags dead at the target)
; live-out: ax
; live-taken: ax bx cx
; best-bytes: 4
; best: top: add ax, bx; loop top
top:
add ax, bx
dec cx
jnz top
