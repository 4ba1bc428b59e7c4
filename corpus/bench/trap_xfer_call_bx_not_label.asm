; note: bx holds a number, not the label: a call through it goes elsewhere when the label moves
; live-out: ax sp mem
; trap: mov bx, 0x6; call bx
mov bx, 3
call func
func:
