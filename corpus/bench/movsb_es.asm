; note: a byte copy from es to es and two steps is movsb with an override
; live-out: si di mem
; assume: df=0
; best-bytes: 2
; best: es movsb
mov al, [es:si]
mov [es:di], al
inc si
inc di
