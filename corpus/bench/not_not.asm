; note: a double complement is nothing
; best-bytes: 0
; best: (empty)
not ax
not ax
