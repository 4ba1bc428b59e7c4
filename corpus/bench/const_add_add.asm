; note: two additions of constants are one
; live-out: bx
; best-bytes: 4
; best: add bx, 0x1335
add bx, 0x1234
add bx, 0x0101
