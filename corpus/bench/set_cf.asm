; note: setting the carry by overflowing a byte
; live-out: cf
; best-bytes: 1
; best: stc
mov bl, 0xff
add bl, 1
