; note: two xors with constants are one
; live-out: ax
; best-bytes: 3
; best: xor ax, 0x0ff0
xor ax, 0x00ff
xor ax, 0x0f0f
