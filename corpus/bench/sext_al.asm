; note: sign-extend al into ax
; live-out: ax
; best-bytes: 1
; best: cbw
mov ah, al
sar ah, 7
