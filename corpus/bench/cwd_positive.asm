; note: dx = 0 when ax is known non-negative
; live-out: ax dx
; assume: ax<0x8000
; best-bytes: 1
; best: cwd
mov dx, 0
