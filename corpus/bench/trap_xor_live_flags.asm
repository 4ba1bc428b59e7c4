; note: mov 0 keeps the flags; xor does not
; live-out: ax cf zf sf of pf
; trap: xor ax, ax
mov ax, 0
