; note: stosb writes es:di, not ds:di
; live-out: di mem
; assume: df=0
; trap: stosb
mov [di], al
inc di
