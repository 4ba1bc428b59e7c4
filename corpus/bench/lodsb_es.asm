; note: a load from es and a step is lodsb with an override
; live-out: al si
; assume: df=0
; best-bytes: 2
; best: es lodsb
mov al, [es:si]
inc si
