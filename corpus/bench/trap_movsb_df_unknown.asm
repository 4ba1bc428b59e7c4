; note: movsb steps backwards when df=1
; live-out: si di mem
; trap: movsb
mov al, [si]
mov [es:di], al
inc si
inc di
