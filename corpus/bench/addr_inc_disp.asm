; note: an increment through a copied base plus a constant
; live-out: bx mem
; best-bytes: 3
; best: inc byte [bx+3]
mov di, bx
add di, 3
inc byte [di]
