; note: at the target of jz, zf=1: setz is a constant
; live-out: al
; assume: zf=1
; best-bytes: 2
; best: mov al, 1
setz al
