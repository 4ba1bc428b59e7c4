; note: two increments are a compare that only moves the pointers (flags dead)
; live-out: si di mem
; assume: df=0
; best-bytes: 1
; best: cmpsb
inc si
inc di
