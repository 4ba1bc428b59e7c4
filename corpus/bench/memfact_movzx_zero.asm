; note: a zero-extended load of a byte known to be 0 is a clear (flags dead)
; live-out: ax
; assume: byte [bx]=0
; best-bytes: 2
; best: xor ax, ax
movzx ax, byte [bx]
