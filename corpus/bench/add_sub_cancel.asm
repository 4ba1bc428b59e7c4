; note: add then subtract the same register
; live-out: ax
; best-bytes: 0
; best: (empty)
add ax, bx
sub ax, bx
