; note: sign-extend ax into dx:ax
; live-out: ax dx
; best-bytes: 1
; best: cwd
mov dx, ax
sar dx, 15
