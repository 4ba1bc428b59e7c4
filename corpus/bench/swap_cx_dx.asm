; note: swap without ax
; live-out: cx dx
; best-bytes: 2
; best: xchg cx, dx
mov ax, cx
mov cx, dx
mov dx, ax
