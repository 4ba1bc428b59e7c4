; note: two zeroings and a sum: longer than enumeration reaches, for the stochastic search
; live-out: ax dx bx
; best-bytes: 7
; best: sub ax, ax; cwd; mov bx, cx; add bx, si
mov ax, 0
mov dx, 0
mov bx, cx
add bx, si
