; note: clearing the carry
; live-out: ax cf
; best-bytes: 1
; best: clc
add ax, 0
