; note: a table lookup through a widened index register (si, ah dead) is xlat
; live-out: al bx
; best-bytes: 1
; best: xlat
mov ah, 0
mov si, ax
mov al, [bx+si]
