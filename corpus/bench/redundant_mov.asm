; note: the second move repeats the first
; best-bytes: 2
; best: mov ax, bx
mov ax, bx
mov ax, bx
