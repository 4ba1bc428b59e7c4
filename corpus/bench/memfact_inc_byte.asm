; note: a byte known to be 0 is set to 1 by inc
; live-out: mem
; assume: byte [bx+3]=0
; best-bytes: 3
; best: inc byte [bx+3]
mov byte [bx+3], 1
