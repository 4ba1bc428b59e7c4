; note: al = cf ? 0xff : 0
; live-out: al
; best-bytes: 1
; best: salc
mov al, 0
sbb al, 0
