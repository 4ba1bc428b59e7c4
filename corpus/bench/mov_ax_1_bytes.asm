; note: a word built from two bytes
; live-out: ax
; best-bytes: 3
; best: mov ax, 0x1
mov al, 1
mov ah, 0
