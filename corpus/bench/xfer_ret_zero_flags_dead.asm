; note: mov ax,0 before ret is xor ax,ax when no caller reads the flags
; live-out: ax sp mem
; best-bytes: 3
; best: xor ax, ax; ret
mov ax, 0
ret
