; note: adding 2 with flags dead
; live-out: ax
; best-bytes: 2
; best: inc ax; inc ax
add ax, 2
