; note: a copied pointer is the pointer itself
; live-out: al di
; best-bytes: 2
; best: mov al, [di]
mov si, di
mov al, [si]
