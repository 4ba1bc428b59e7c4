; note: a 32-bit offset passes 0xffff (unreal mode); bx is only its low half
; live-out: al
; trap: mov al, [bx]
mov al, [ebx]
