; note: a store through a copied base plus a constant
; live-out: bx al mem
; best-bytes: 3
; best: mov [bx+6], al
mov di, bx
add di, 6
mov [di], al
