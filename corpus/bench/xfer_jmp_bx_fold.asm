; note: a jump through a register whose value is a constant: the constant folds
; live-out: bx
; best-bytes: 5
; best: mov bx, 0x6; jmp bx
mov bx, 5
inc bx
jmp bx
