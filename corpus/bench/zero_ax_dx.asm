; note: zero a dx:ax pair
; live-out: ax dx
; best-bytes: 3
; best: xor ax, ax; cwd
mov ax, 0
mov dx, 0
