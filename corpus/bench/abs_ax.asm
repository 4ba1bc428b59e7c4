; note: absolute value through the sign mask
; live-out: ax dx
; best-bytes: 5
; best: cwd; xor ax, dx; sub ax, dx
mov dx, ax
sar dx, 15
xor ax, dx
sub ax, dx
