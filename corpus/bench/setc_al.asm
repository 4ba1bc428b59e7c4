; note: al = cf as 0 or 1
; live-out: al
; best-bytes: 3
; best: setc al
mov al, 0
adc al, 0
