; note: inc gives 1 only when the byte was 0
; live-out: mem
; trap: inc byte [bx+3]
mov byte [bx+3], 1
