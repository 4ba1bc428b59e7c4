; note: inc leaves cf alone, add sets it
; live-out: ax cf
; trap: inc ax
add ax, 1
