; note: the byte mask sets zf from bl alone, the shifts from all of bx
; live-out: bx zf
; trap: and bl, 0xf8
shr bx, 3
shl bx, 3
