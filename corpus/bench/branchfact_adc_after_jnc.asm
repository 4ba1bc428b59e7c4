; note: on the fall-through of jc, cf=0: adding the carry is nothing
; live-out: dx
; assume: cf=0
; best-bytes: 0
; best: (empty)
adc dx, 0
