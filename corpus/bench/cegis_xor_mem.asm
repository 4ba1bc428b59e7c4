; note: two xors of one byte are one with the xor of the masks
; live-out: mem si
; best-bytes: 3
; best: xor byte [si], 0x33
xor byte [si], 0x0f
xor byte [si], 0x3c
