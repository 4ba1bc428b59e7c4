; note: a word load from es and a step is lodsw with an override
; live-out: ax si
; assume: df=0
; best-bytes: 2
; best: es lodsw
mov ax, [es:si]
add si, 2
