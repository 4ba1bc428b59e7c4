; note: test leaves af undefined; cmp with 0 clears it
; live-out: ax zf sf cf af
; trap: test ax, ax
cmp ax, 0
