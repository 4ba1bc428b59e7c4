; note: a sum into a third register
; live-out: ax
; best-bytes: 2
; best: lea ax, [bx+si]
mov ax, bx
add ax, si
