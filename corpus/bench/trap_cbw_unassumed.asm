; note: cbw copies the sign of al
; live-out: ax
; trap: cbw
mov ah, 0
