; note: cwd copies the sign of ax
; live-out: ax dx
; trap: cwd
mov dx, 0
