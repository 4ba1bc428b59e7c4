; note: zero-extend into another register
; live-out: bx
; best-bytes: 3
; best: movzx bx, al
mov bl, al
mov bh, 0
