; note: stosb may go backwards when df is unknown
; live-out: di mem
; trap: stosb
mov [es:di], al
inc di
