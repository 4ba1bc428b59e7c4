; note: clearing the low byte then setting it is a byte load
; live-out: cx
; best-bytes: 2
; best: mov cl, 0x12
and cx, 0xff00
or cx, 0x0012
