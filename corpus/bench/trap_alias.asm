; note: the store through si may overwrite [bx]
; live-out: ax mem
; trap: mov [bx], ax; mov [si], cx
mov [bx], ax
mov [si], cx
mov ax, [bx]
