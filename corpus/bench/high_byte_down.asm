; note: ax = ah
; live-out: ax
; best-bytes: 3
; best: shr ax, 8
mov al, ah
mov ah, 0
