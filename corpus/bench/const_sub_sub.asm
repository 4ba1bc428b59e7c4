; note: two subtractions of constants are one
; live-out: si
; best-bytes: 4
; best: sub si, 0x120
sub si, 0x100
sub si, 0x20
