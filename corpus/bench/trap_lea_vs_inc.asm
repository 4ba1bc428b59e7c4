; note: lea keeps the flags; inc changes zf
; live-out: bx zf
; trap: inc bx
lea bx, [bx+1]
