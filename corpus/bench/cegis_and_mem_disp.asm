; note: two masks of a byte at a displacement are one
; live-out: mem bx
; best-bytes: 4
; best: and byte [bx+1], 0x30
and byte [bx+1], 0xf0
and byte [bx+1], 0x3f
