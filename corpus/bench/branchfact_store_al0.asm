; note: after dec al; jz here, al=0: a zero store is a store of al
; live-out: mem
; assume: al=0
; best-bytes: 2
; best: mov [bx], al
mov byte [bx], 0
