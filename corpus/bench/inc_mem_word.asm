; note: read-modify-write through a register
; live-out: mem
; best-bytes: 2
; best: inc word [bx]
mov ax, [bx]
inc ax
mov [bx], ax
