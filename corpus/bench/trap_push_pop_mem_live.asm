; note: a push writes below sp, and memory is live
; live-out: bx mem sp
; trap: push ax; pop bx
mov bx, ax
