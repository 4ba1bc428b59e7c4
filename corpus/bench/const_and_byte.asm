; note: two byte masks are one
; live-out: al
; best-bytes: 2
; best: and al, 0x30
and al, 0xf0
and al, 0x3c
