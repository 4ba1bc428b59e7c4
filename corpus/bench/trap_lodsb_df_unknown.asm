; note: lodsb may go backwards when df is unknown
; live-out: al si
; trap: lodsb
mov al, [si]
inc si
