; note: ah*16+al is aad 16
; live-out: ax
; best-bytes: 2
; best: aad 16
mov bl, al
mov al, ah
mov cl, 16
mul cl
add al, bl
mov ah, 0
