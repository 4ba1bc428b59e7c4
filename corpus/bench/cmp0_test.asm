; note: compare with zero when af is dead
; live-out: ax zf sf cf
; best-bytes: 2
; best: test ax, ax
cmp ax, 0
