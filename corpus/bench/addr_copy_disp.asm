; note: a copied base plus a constant is a displacement
; live-out: ax bx
; best-bytes: 3
; best: mov ax, [bx+4]
mov di, bx
add di, 4
mov ax, [di]
