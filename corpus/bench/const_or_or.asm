; note: two ors are one with the union of the bits
; live-out: cx
; best-bytes: 4
; best: or cx, 0x1111
or cx, 0x0101
or cx, 0x1010
