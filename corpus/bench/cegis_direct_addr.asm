; note: a constant base plus a displacement is a direct address
; live-out: al
; best-bytes: 3
; best: mov al, [0x7c10]
mov bx, 0x7c00
mov al, [bx+0x10]
