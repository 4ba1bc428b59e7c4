; note: ret 2 also releases the argument word: sp differs after plain ret
; live-out: ax sp mem
; trap: ret
ret 2
