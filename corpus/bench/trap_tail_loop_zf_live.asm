; note: dec cx; jnz leaves ZF=0 at the target, which reads it: loop sets no flag
; live-out: cx
; live-taken: cx zf
; trap: top: loop top
top:
dec cx
jnz top
