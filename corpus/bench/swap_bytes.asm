; note: swap the two bytes of ax
; live-out: ax
; best-bytes: 2
; best: xchg al, ah
mov cl, al
mov al, ah
mov ah, cl
