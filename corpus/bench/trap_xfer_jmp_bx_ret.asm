; note: ret goes to the word on the stack, jmp bx to bx
; live-out: ax
; trap: ret
jmp bx
