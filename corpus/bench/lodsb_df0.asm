; note: load and advance under df=0
; live-out: al si
; assume: df=0
; best-bytes: 1
; best: lodsb
mov al, [si]
inc si
