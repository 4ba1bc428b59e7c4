; note: two masks are one: the constant is synthesized
; live-out: ax
; best-bytes: 3
; best: and ax, 0x0f00
and ax, 0x0ff0
and ax, 0xff00
