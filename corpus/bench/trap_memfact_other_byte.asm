; note: the fact is about [bx+3], not [bx+4]
; live-out: mem
; assume: byte [bx+3]=0
; trap: inc byte [bx+4]
mov byte [bx+4], 1
