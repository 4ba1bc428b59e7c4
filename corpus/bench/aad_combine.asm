; note: ah*10+al is aad
; live-out: ax
; best-bytes: 2
; best: aad
mov bl, al
mov al, ah
mov cl, 10
mul cl
add al, bl
mov ah, 0
