; note: Massalin's 8086 signum: dx = sign(ax)
; live-out: dx
; best-bytes: 5
; best: cwd; neg ax; adc dx, dx
mov dx, ax
sar dx, 15
neg ax
adc dx, dx
