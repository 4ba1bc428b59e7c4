; note: two immediate increments
; live-out: ax
; best-bytes: 2
; best: inc ax; inc ax
add ax, 1
add ax, 1
