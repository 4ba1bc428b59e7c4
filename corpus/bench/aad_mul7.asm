; note: ah*7+al into ax (bl dead, flags dead) is aad 7
; live-out: ax
; best-bytes: 2
; best: aad 7
mov bl, al
mov al, 7
mul ah
add al, bl
mov ah, 0
