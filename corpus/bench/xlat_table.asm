; note: a table lookup indexed by al is xlat
; live-out: al bx mem
; best-bytes: 1
; best: xlatb
mov ah, 0
mov si, ax
mov al, [bx+si]
