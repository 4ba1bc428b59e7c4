; note: a jmp near to a label in reach is a jmp short
; live-out: ax
; best-bytes: 3
; best: top: inc ax; jmp short top
top:
inc ax
jmp near top
