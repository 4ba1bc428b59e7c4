; note: the remainder of a division by 10 is aam
; live-out: al
; best-bytes: 2
; best: aam
mov ah, 0
mov bl, 10
div bl
mov al, ah
