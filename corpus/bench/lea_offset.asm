; note: copy plus a constant
; live-out: ax
; best-bytes: 3
; best: lea ax, [bx+0x4]
mov ax, bx
add ax, 4
