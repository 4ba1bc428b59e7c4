; note: two masks then a zero test are one test with the common bits
; live-out: zf bl
; best-bytes: 3
; best: test bl, 0x0c
mov al, bl
and al, 0x0f
and al, 0x3c
