; note: mul leaves zf undefined
; live-out: ax zf
; trap: mov cx, 2; mul cx
add ax, ax
