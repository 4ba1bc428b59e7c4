; note: after loop falls through cx is already 0: clearing it again is nothing
; live-out: cx
; assume: cx=0
; best-bytes: 0
; best: (empty)
xor cx, cx
