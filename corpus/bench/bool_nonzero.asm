; note: ax = (ax != 0) ? -1 : 0
; live-out: ax
; best-bytes: 4
; best: neg ax; sbb ax, ax
cmp ax, 1
cmc
sbb ax, ax
