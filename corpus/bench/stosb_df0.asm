; note: store and advance under df=0
; live-out: di mem
; assume: df=0
; best-bytes: 1
; best: stosb
mov [es:di], al
inc di
