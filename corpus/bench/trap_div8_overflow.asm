; note: an 8-bit division faults when the quotient passes 255
; live-out: ax dx
; trap: mov cl, 10; div cl
mov dx, 0
mov cx, 10
div cx
