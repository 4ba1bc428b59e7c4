; note: the remainder of a division by 7 is aam 7 (undocumented immediate)
; live-out: al
; best-bytes: 2
; best: aam 7
mov ah, 0
mov bl, 7
div bl
mov al, ah
