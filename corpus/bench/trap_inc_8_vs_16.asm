; note: inc al does not carry into ah
; live-out: ax
; trap: inc ax
inc al
