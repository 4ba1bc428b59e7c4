; note: copy a byte and advance both pointers
; live-out: si di mem
; assume: df=0
; best-bytes: 1
; best: movsb
mov al, [si]
mov [es:di], al
inc si
inc di
