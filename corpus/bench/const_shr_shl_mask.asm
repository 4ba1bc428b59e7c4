; note: shifting out and back clears the low bits: a byte mask
; live-out: bx
; best-bytes: 3
; best: and bl, 0xf8
shr bx, 3
shl bx, 3
