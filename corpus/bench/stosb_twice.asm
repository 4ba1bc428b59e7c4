; note: two stores to es:di with steps are two stosb
; live-out: mem di
; assume: df=0
; best-bytes: 2
; best: stosb; stosb
mov [es:di], al
inc di
mov [es:di], al
inc di
