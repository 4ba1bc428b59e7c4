; note: the 8086 pushes sp after the decrement: push sp is not mov ax, sp; push ax there
; live-out: mem sp
; cpu: 8086
; trap: push sp
mov ax, sp
push ax
