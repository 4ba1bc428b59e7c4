; note: cmpsb moves the pointers but also sets the flags; its counterexample needs the two bytes it compares
; live-out: si di mem zf
; assume: df=0
; trap: cmpsb
inc si
inc di
