; note: splitting a byte into nibbles is aam 16
; live-out: ax
; best-bytes: 2
; best: aam 16
mov ah, al
shr ah, 4
and al, 0x0f
