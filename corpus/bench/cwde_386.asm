; note: sign-extending ax into eax is cwde
; live-out: eax
; best-bytes: 2
; best: cwde
movsx eax, ax
