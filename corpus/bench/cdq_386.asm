; note: the sign of eax into edx is cdq
; live-out: eax edx
; best-bytes: 2
; best: cdq
mov edx, eax
sar edx, 31
