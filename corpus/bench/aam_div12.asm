; note: quotient to ah and remainder to al of al/12 is aam 12
; live-out: ax
; best-bytes: 2
; best: aam 12
xor ah, ah
mov bl, 12
div bl
xchg al, ah
