; note: a table lookup in the code segment is xlat with an override
; live-out: al bx mem
; best-bytes: 2
; best: cs xlatb
mov ah, 0
mov si, ax
mov al, [cs:bx+si]
