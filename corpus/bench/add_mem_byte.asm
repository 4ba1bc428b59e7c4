; note: byte read-modify-write
; live-out: mem
; best-bytes: 3
; best: add byte [bx], 0x5
mov al, [bx]
add al, 5
mov [bx], al
