; note: movzx is a 386 instruction: an answer for a 186 clears the high byte another way
; live-out: ax
; cpu: 186
; trap: movzx ax, bl
mov al, bl
mov ah, 0
