; note: ah = 0 when al is known below 0x80
; live-out: ax
; assume: al<0x80
; best-bytes: 1
; best: cbw
mov ah, 0
