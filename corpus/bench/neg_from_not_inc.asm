; note: two's complement by hand
; live-out: ax
; best-bytes: 2
; best: neg ax
not ax
inc ax
