; note: a product through a scratch register (both sides multiply the same operands)
; live-out: ax
; best-bytes: 2
; best: imul bx
mov cx, bx
imul cx, ax
mov ax, cx
