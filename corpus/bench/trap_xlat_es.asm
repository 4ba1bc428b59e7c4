; note: xlat reads ds, the original es
; live-out: al bx mem
; trap: xlatb
mov ah, 0
mov si, ax
mov al, [es:bx+si]
