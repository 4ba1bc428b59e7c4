; note: a sum of two registers is a based indexed mode
; live-out: al bx si
; best-bytes: 2
; best: mov al, [bx+si]
mov di, bx
add di, si
mov al, [di]
