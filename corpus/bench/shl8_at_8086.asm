; note: the same eight shifts on an 8086, which has no shift by an immediate: move the byte up
; live-out: ax
; cpu: 8086
; best-bytes: 4
; best: mov ah, al; mov al, 0
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
shl ax, 1
