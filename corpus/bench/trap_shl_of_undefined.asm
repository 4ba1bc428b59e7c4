; note: shl by 2 leaves of undefined; two shifts by 1 define it
; live-out: ax of
; trap: shl ax, 2
shl ax, 1
shl ax, 1
