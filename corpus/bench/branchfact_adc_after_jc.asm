; note: at the target of jc, cf=1: adding the carry is inc
; live-out: ax
; assume: cf=1
; best-bytes: 1
; best: inc ax
adc ax, 0
