; note: an equality test after an offset is a compare with the sum (only ZF is live)
; live-out: zf bx
; best-bytes: 4
; best: cmp bx, 0x123
mov ax, bx
sub ax, 0x100
cmp ax, 0x23
