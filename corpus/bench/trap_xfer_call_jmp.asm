; note: a jmp to the callee pushes no return address: sp and the stack differ
; live-out: ax sp mem
; trap: mov ax, 0x1; jmp short func; func:
mov ax, 1
call func
func:
