; note: swap through a scratch register
; live-out: ax bx
; best-bytes: 1
; best: xchg ax, bx
mov cx, ax
mov ax, bx
mov bx, cx
