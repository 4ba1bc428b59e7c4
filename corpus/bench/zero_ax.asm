; note: zeroing a register when flags are dead
; live-out: ax
; best-bytes: 2
; best: xor ax, ax
mov ax, 0
