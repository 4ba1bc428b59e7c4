; note: store a register known to be zero
; live-out: mem
; assume: ax=0
; best-bytes: 2
; best: mov [di], ax
mov word [di], 0
