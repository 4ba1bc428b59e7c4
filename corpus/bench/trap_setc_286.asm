; note: setcc is a 386 instruction
; live-out: al
; cpu: 286
; trap: setc al
mov al, 0
adc al, 0
