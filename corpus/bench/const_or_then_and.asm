; note: or then and with the same mask is a constant
; live-out: dl
; best-bytes: 2
; best: mov dl, 0x0f
or dl, 0x0f
and dl, 0x0f
