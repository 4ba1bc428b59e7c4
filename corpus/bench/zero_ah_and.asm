; note: zero-extend al with flags dead
; live-out: ax
; best-bytes: 2
; best: mov ah, 0
and ax, 0xff
