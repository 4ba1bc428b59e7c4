; note: two byte loads wrap at offset 0xffff; a word load there faults
; live-out: ax
; trap: mov ax, [bx]
mov al, [bx]
mov ah, [bx+1]
