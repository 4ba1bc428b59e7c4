; note: a copied base, an addition and a displacement fold into one displacement (si dead)
; live-out: al bx
; best-bytes: 3
; best: mov al, [bx+0x13]
mov si, bx
add si, 0x10
mov al, [si+3]
