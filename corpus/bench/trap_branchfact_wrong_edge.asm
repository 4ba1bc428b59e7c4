; note: without the branch's fact al is unknown: the zero store stays a store of 0
; live-out: mem
; trap: mov [bx], al
mov byte [bx], 0
